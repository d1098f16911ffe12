"""A fast-load copy of a stored version's tables, in a format that cannot run code: ``.frames.npz``.

Measured on the 2-core box: re-validating a 10,000-station version from its CSVs takes 0.25–0.55 s, paid
by every web worker at every new version (several a minute on election night); reading this file takes
a few milliseconds. It holds plain numpy arrays only (``np.load(allow_pickle=False)``: no object arrays,
so no pickle), plus a JSON header with a schema version. It is written by the store beside the canonical
CSVs, listed in the version's manifest like every other file, and checked against it before it is read;
anything it cannot represent exactly is not cached, and a missing, old or unreadable cache means "read
the CSVs" (the canonical copy).
"""

from __future__ import annotations

import dataclasses
import io
import json

import numpy as np
import pandas as pd

from dashboard.model import Election

FRAMES = ".frames.npz"
#: Bump when the encoding below changes; other values are ignored (the CSVs are read instead).
SCHEMA = 1


class NotCached(Exception):
    """The election (or the file) cannot be represented exactly; use the CSVs."""


def _frame_fields(election: Election) -> list[str]:
    return [f.name for f in dataclasses.fields(election) if isinstance(getattr(election, f.name), pd.DataFrame)]


def _encode(df: pd.DataFrame, prefix: str, arrays: dict) -> list[dict]:
    if not df.index.equals(pd.RangeIndex(len(df))):
        raise NotCached(f"{prefix}: index is not 0..n-1")
    columns = []
    for j, c in enumerate(df.columns):
        s = df[c]
        dtype = str(s.dtype)
        mask = s.isna().to_numpy(dtype=bool)
        if dtype in ("Int64", "Float64"):
            values = s.to_numpy(dtype="int64" if dtype == "Int64" else "float64", na_value=0)
        elif dtype in ("str", "string", "object"):
            cells = s.to_numpy(dtype=object)
            if not all(isinstance(v, str) for v in cells[~mask]):
                raise NotCached(f"{prefix}.{c}: not text")
            values = np.array(["" if m else v for v, m in zip(cells, mask, strict=True)], dtype=str)
        elif s.dtype.kind in "iufb" and not mask.any():
            values = s.to_numpy()
        else:
            raise NotCached(f"{prefix}.{c}: dtype {dtype}")
        arrays[f"{prefix}.{j}.values"] = values
        arrays[f"{prefix}.{j}.mask"] = mask
        columns.append({"name": str(c), "dtype": dtype})
    return columns


def frames_bytes(election: Election) -> bytes:
    """The .frames.npz of ``election``'s tables; raises NotCached when one cannot round-trip exactly."""
    arrays: dict[str, np.ndarray] = {}
    header = {"schema": SCHEMA, "pandas": pd.__version__, "frames": {}}
    for name in _frame_fields(election):
        header["frames"][name] = _encode(getattr(election, name), name, arrays)
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]  # keys are frame names, never savez's allow_pickle
    return buf.getvalue()


def _decode(columns: list[dict], prefix: str, z) -> pd.DataFrame:
    out = {}
    for j, col in enumerate(columns):
        values, mask, dtype = z[f"{prefix}.{j}.values"], z[f"{prefix}.{j}.mask"], col["dtype"]
        if dtype == "Int64":
            out[col["name"]] = pd.arrays.IntegerArray(values.astype("int64"), mask.astype(bool))
        elif dtype == "Float64":
            out[col["name"]] = pd.arrays.FloatingArray(values.astype("float64"), mask.astype(bool))
        elif dtype in ("str", "string", "object"):
            cells = values.astype(object)
            cells[mask] = np.nan if dtype == "str" else None
            out[col["name"]] = pd.Series(cells, dtype=dtype)
        else:
            out[col["name"]] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(out, columns=[c["name"] for c in columns])


def election_from(data: bytes, meta: Election) -> Election:
    """``meta`` (parsed from election.json) with its tables from a .frames.npz; raises NotCached."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            header = json.loads(z["header"].tobytes())
            if header.get("schema") != SCHEMA or header.get("pandas") != pd.__version__:
                raise NotCached(f"schema {header.get('schema')} / pandas {header.get('pandas')}")
            frames = {name: _decode(cols, name, z) for name, cols in header["frames"].items()}
    except NotCached:
        raise
    except Exception as e:  # a damaged or foreign file: the CSVs are the canonical copy
        raise NotCached(f"{type(e).__name__}: {e}") from None
    if set(frames) != set(_frame_fields(meta)):
        raise NotCached("the cached tables are not this model's")
    return dataclasses.replace(meta, **frames)
