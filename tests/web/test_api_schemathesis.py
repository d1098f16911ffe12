"""The public API conforms to its own OpenAPI document: schemathesis generates requests from
``/api/v1/openapi.json`` and sends them to the live app (in-process WSGI, the real embedded 2023 data and
the real Store), checking that nothing answers 5xx and every response matches the documented status
codes, content types and schemas (schemathesis' default checks, including: invalid parameters are
rejected with 4xx, and methods the document does not list get 405 with ``Allow``).

Bounded for a 2-core machine: a few examples per operation, no deadline per example.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from tests.serving import serve


@pytest.fixture(scope="module", params=["embedded-2023", "simulated-counting"])
def api_schema(request, tmp_path_factory):
    """The app serving the embedded 2023 package (an empty store), or a real Store whose current version
    is a simulated election 30 % through the count (station rows, status counting, seat projections)."""
    data = tmp_path_factory.mktemp("store")
    if request.param == "simulated-counting":
        package = write_simulated(tmp_path_factory.mktemp("sim") / "package", 120, 11, reported_fraction=0.3)
        app = serve(data, package)  # the rehearsal as the front page's election
    else:
        app = create_app(Config(data_dir=data))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_document(case):
    # the in-process WSGI client does not decode brotli/gzip (Flask-Compress answers what it is offered)
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
