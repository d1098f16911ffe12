"""A chart's raw table as a file: CSV, JSON, XLSX.

CSV: the header row first (no comment line: ``pandas.read_csv`` and Excel read it as it is), numbers as
numbers, UTF-8 with a BOM (Excel then reads the Cyrillic right). Provenance goes in the file name, the
HTTP headers (``X-Saylau-…``) and the JSON, never in the table. A text cell beginning with ``= + - @``,
a tab or a carriage return is prefixed with ``'`` in CSV and XLSX, so a party named ``=HYPERLINK(…)``
stays text in a spreadsheet (OWASP's advice on CSV injection); numbers are never touched.
"""

from __future__ import annotations

import io
import re

import orjson
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Provenance headers, in English ASCII (header values are Latin-1).
SOURCE = "Central Election Commission of Kazakhstan (via Saylau)"


def inert(value):
    """``value`` made inert for a spreadsheet: text that a spreadsheet would run as a formula gets a
    leading apostrophe; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inert_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(inert, na_action="ignore")
    out.columns = [inert(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    text = inert_frame(df).to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as JSON values: numbers as numbers (floats in full: ``DataFrame.to_json`` would cut them to
    ten digits, so an ``_exact`` column would not be), missing as null."""
    return [{str(k): _xlsx_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def json_bytes(df: pd.DataFrame, meta: dict) -> bytes:
    return orjson.dumps({**meta, "columns": [str(c) for c in df.columns], "rows": records(df)})


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    safe = inert_frame(df)
    ws.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        ws.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    """A cell as a plain Python value: numpy scalars unwrapped, NA and NaN as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def file_name(election_id: str, version, chart: str, params: dict, lang: str, ext: str) -> str:
    """``saylau-<election>-v<version>-<chart>[-<params>]-<lang>.<ext>``, only ``[A-Za-z0-9._-]`` (no
    ``:``, which Windows refuses)."""
    parts = ["saylau", election_id, f"v{version}", chart, *[str(v) for v in params.values()], lang]
    return re.sub(r"[^A-Za-z0-9._-]+", "", "-".join(parts)) + "." + ext
