"""Run the cube for a year and keep it in the store's ``cube`` table."""

from __future__ import annotations

import pyarrow as pa

from jingxin.errors import DataError
from jingxin.indicators.catalogue import MEASURES
from jingxin.indicators.cube import CUBE_COLUMNS, build_cube
from jingxin.reference.groups import IndustryGroup
from jingxin.store import Store

__all__ = ["compute_cube", "read_cube"]


def compute_cube(
    store: Store, year: int, groups: dict[str, IndustryGroup] | None = None
) -> pa.Table:
    """Compute the cube of ``year`` and replace that year's rows in the store.

    Raises
    ------
    DataError
        When the store holds no above-scale records for the year.
    """
    n = store.con.execute(
        "select count(*) from monthly_fact where period like ?", [f"{year}-%"]
    ).fetchall()[0]
    if not n or not n[0]:
        raise DataError(f"库中没有 {year} 年的规上企业月度数据：请先导入数据或运行 jingxin demo。")
    store.replace(
        "measure",
        pa.table(
            {
                "key": [m.key for m in MEASURES],
                "label": [m.label for m in MEASURES],
                "unit": [m.unit for m in MEASURES],
                "price_basis": ["comparable" if m.comparable else "current" for m in MEASURES],
            }
        ),
    )
    table = build_cube(store.ibis, year, groups).to_pyarrow()
    table = table.select(list(CUBE_COLUMNS))
    store.replace("cube", table, where=f"period like '{int(year)}-%'")
    return table


def read_cube(store: Store, year: int) -> pa.Table:
    """The stored cube rows of ``year``."""
    return store.arrow("select * from cube where period like ? order by all", [f"{year}-%"])
