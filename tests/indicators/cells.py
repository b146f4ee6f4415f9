"""Compare two cube tables cell by cell, and the tiny synthetic data set the tests share."""

from __future__ import annotations

import math
from functools import cache

import pyarrow as pa
from benchmarks.scale_data import SIZES, generate

from jingxin.indicators import CUBE_COLUMNS

__all__ = ["KEY", "assert_same_cells", "tiny_tables"]

KEY = ("period", "region_code", "group_key", "measure")


@cache
def tiny_tables() -> dict[str, pa.Table]:
    """The ``tiny`` size of ``benchmarks/scale_data.py``: 300 enterprises of 湖州, 3 years.

    Heavy-tailed sizes, entrants and exits, below-scale forms in the facts, closures in the
    year, NULL cells, negative profits, electricity, PPI, peers and reported counts.
    """
    return generate(SIZES["tiny"])


def assert_same_cells(a: pa.Table, b: pa.Table, rel: float = 1e-9, abs_: float = 1e-9) -> int:
    """Every cell of cube ``a`` equals the same cell of ``b``; return the number of rows.

    Keys, strings, counts and ranks must be equal; NULL equals only NULL; floats are equal
    within ``rel`` (relative) or ``abs_``. Engines add floats in no fixed order, so sums
    differ in the last bits, and a difference of two nearly equal figures (a share change of
    the total, 100% − 100%) is 0 on one side and 5e-14 on the other: hence the absolute
    tolerance, far below any published precision (0.01). Both tables hold the same keys.
    """
    rows_a = {tuple(r[k] for k in KEY): r for r in a.select(list(CUBE_COLUMNS)).to_pylist()}
    rows_b = {tuple(r[k] for k in KEY): r for r in b.select(list(CUBE_COLUMNS)).to_pylist()}
    assert len(rows_a) == a.num_rows and len(rows_b) == b.num_rows, "keys are not unique"
    assert rows_a.keys() == rows_b.keys(), sorted(rows_a.keys() ^ rows_b.keys())[:5]
    for key, ra in rows_a.items():
        rb = rows_b[key]
        for col in CUBE_COLUMNS:
            x, y = ra[col], rb[col]
            if x is None or y is None:
                assert x is None and y is None, (key, col, x, y)
            elif isinstance(x, float):
                assert math.isclose(x, y, rel_tol=rel, abs_tol=abs_), (key, col, x, y)
            else:
                assert x == y, (key, col, x, y)
    return len(rows_a)
