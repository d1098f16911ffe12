"""Cases of the rules of the new kinds of contest (presidential, referendum), merged into test_rules.CASES."""

from __future__ import annotations

from dashboard.ingest import rules as R
from dashboard.ingest.package import load_package
from tests.kinds_packages import REF_HEADER, referendum_doc, write

from .conftest import rejected


def _against_all_in_a_referendum(tmp):
    rows = f"{REF_HEADER}\nconstitution,astana,1500,1000,10,,750,240\nconstitution,abai,1500,1000,10,5,745,240\n"
    return rejected(load_package, write(tmp / "p", referendum_doc(), rows))


KINDS_CASES = {
    R.NOT_ON_BALLOT: (_against_all_in_a_referendum, ("results.csv", 3)),
}
