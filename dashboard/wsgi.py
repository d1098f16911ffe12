"""The WSGI entry point for production: ``gunicorn -c gunicorn.conf.py dashboard.wsgi:server``.

Settings come from the environment (``Config.from_env``: ``SAYLAU_DATA_DIR``, ``SAYLAU_REDIS_URL``,
``SAYLAU_DEMO``, ``SAYLAU_TRUST_PROXY``). With several workers, set ``SAYLAU_REDIS_URL`` so they share one
figure cache; behind deploy/'s nginx set ``SAYLAU_TRUST_PROXY=1`` (absolute URLs then keep the scheme, host
and port the reader used).
"""

import gc

from dashboard.app import create_app
from dashboard.components import data as data_module
from dashboard.config import Config

app = create_app(Config.from_env())
server = app.server

# Read the current election once here: with ``preload_app`` this runs in gunicorn's master, and every
# worker inherits the loaded version instead of each paying for it on its first request.
with server.app_context():
    data_module.election()

# Move everything loaded so far (the app, the election, pandas and plotly) out of the garbage collector's
# reach: a full collection of this heap takes ~0.1 s, a pause every worker would otherwise take now and
# then in the middle of answering cached pages in ~1 ms; frozen objects are also never written to by the
# collector, so the workers keep sharing these pages with the master.
gc.freeze()
