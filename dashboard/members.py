"""Which of many texts are in a set: ``isin(values, pool)``, a hash lookup per value.

``numpy.isin`` on text held as Python objects (what pandas' ``str`` columns give) falls back to comparing
every value with every pool member: 10,000 polling stations against 5,000 counted ones cost 0.43 s, and
a page asked it once per contest and unit on every new version of an election night. pandas' hash table
does the same in about 1 ms, whatever the dtype.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def isin(values, pool: Iterable) -> np.ndarray:
    """Boolean mask: ``values[i] in pool`` for each i (texts compared as they are, no normalising)."""
    values = np.asarray(values, dtype=object)
    pool = pd.Index(list(pool) if not isinstance(pool, np.ndarray | pd.Index) else pool, dtype=object)
    return pd.Series(values, dtype=object).isin(pool).to_numpy(dtype=bool)
