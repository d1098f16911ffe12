"""A second election beside the embedded 2023 one, for the tests of several elections served at once.

``second_package`` copies the embedded package under another id and date with changed figures (AMANAT's
national votes in the Mazhilis contest: ``AMANAT_B`` instead of 2023's ``AMANAT_2023``), so a page, a
download or an API answer shows which election it was drawn from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from dashboard.store.embedded import embedded_path
from dashboard.store.library import Library

OLD = "kz-2023-03-19"
B = "kz-2027-03-21"
B_DATE = "2027-03-21"
#: AMANAT's national votes (Mazhilis party lists): as published in 2023, and in the invented election B.
AMANAT_2023 = 3431510
AMANAT_B = 3000001
B_NAMES = {"kk": "Сынақ сайлауы B", "ru": "Пробные выборы B", "en": "Test election B"}


def second_package(root: Path, election_id: str = B, date: str = B_DATE, amanat: int = AMANAT_B) -> Path:
    """A copy of the embedded package as election ``election_id`` of ``date``, AMANAT's national votes
    set to ``amanat``."""
    folder = root / election_id
    shutil.copytree(embedded_path(), folder)
    doc = json.loads((folder / "election.json").read_text(encoding="utf-8"))
    doc.update(id=election_id, date=date, names=dict(B_NAMES))
    (folder / "election.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    results = folder / "results.csv"
    lines = results.read_text(encoding="utf-8").splitlines()
    row = f"mazhilis_party_list,kz,12035578,6521860,,248291,{AMANAT_2023},"
    hits = [i for i, line in enumerate(lines) if line.startswith(row)]
    assert len(hits) == 1, "the embedded package's national Mazhilis row moved"
    lines[hits[0]] = lines[hits[0]].replace(f",{AMANAT_2023},", f",{amanat},", 1)
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def ingest_second(data_dir: Path, work: Path, **kw) -> int:
    """Ingest election B (or another, ``kw`` as ``second_package``) into ``data_dir``; its version."""
    return Library(data_dir).ingest(second_package(work, **kw)).version
