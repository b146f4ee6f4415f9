"""Run the cube for a year, or for some months of it, and keep it in the store's ``cube`` table."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from jingxin.errors import DataError, InputError
from jingxin.indicators.catalogue import MEASURES
from jingxin.indicators.cube import CUBE_COLUMNS, CUBE_INPUTS, build_cube
from jingxin.reference.groups import IndustryGroup
from jingxin.store import Store
from jingxin.store.engines import open_engine

__all__ = ["compute_cube", "read_cube", "refresh_month"]


def compute_cube(
    store: Store,
    year: int,
    groups: dict[str, IndustryGroup] | None = None,
    *,
    months: Sequence[int] | None = None,
    engine: str | None = None,
) -> pa.Table:
    """Compute the cube of ``year`` and replace that year's rows in the store.

    Parameters
    ----------
    store
        The store: its tables are the input and its ``cube`` table the output.
    year
        The reporting year.
    groups
        Industry groups (default: the shipped configuration).
    months
        Recompute only these months (1–12) and replace only their rows; the other months'
        rows stay as stored. The result is the same as a full rebuild, because each cube
        cell depends only on its own period's records (and, for electricity, on earlier
        months of the year). Default: every month.
    engine
        ``duckdb`` or ``spark`` (default: the ``JINGXIN_ENGINE`` setting).

    Raises
    ------
    DataError
        When the store holds no above-scale records for the year.
    InputError
        When a month is not between 1 and 12.
    """
    if months is not None:
        bad = [m for m in months if not 1 <= int(m) <= 12]
        if bad or not months:
            raise InputError(f"月份 {list(months)!r} 无效：应为 1 到 12 之间的整数。")
        months = sorted({int(m) for m in months})
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
    with open_engine(store, CUBE_INPUTS, engine) as con:
        table = build_cube(con, year, groups, months).to_pyarrow()
    table = table.select(list(CUBE_COLUMNS))
    if months is None:
        where = f"period like '{int(year)}-%'"
    else:
        where = "period in (" + ", ".join(f"'{int(year)}-{m:02d}'" for m in months) + ")"
    store.replace("cube", table, where=where)
    return table


def refresh_month(
    store: Store,
    period: str,
    groups: dict[str, IndustryGroup] | None = None,
    *,
    engine: str | None = None,
) -> pa.Table:
    """Recompute the cube after loading (or correcting) the records of ``period``.

    Only the rows of ``period`` and of the later months of its year that the store holds
    records for are recomputed: a period's year-to-date facts change only its own cells,
    but electricity is summed from single months, so later months' YTD totals move too.
    For a new latest month that is just that month.

    Raises
    ------
    InputError
        When ``period`` is not ``YYYY-MM``.

    Examples
    --------
    >>> refresh_month(Store(), "2016-13")
    Traceback (most recent call last):
    ...
    jingxin.errors.InputError: 期别 '2016-13' 无效：应为 YYYY-MM，例如 2016-12。
    """
    parts = period.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise InputError(f"期别 {period!r} 无效：应为 YYYY-MM，例如 2016-12。")
    year, month = int(parts[0]), int(parts[1])
    row = store.con.execute(
        "select max(p) from (select max(period) p from monthly_fact where period like ?"
        " union all select max(period) from electricity where period like ?)",
        [f"{year}-%", f"{year}-%"],
    ).fetchall()[0]
    last = max(month, int(row[0][5:7])) if row and row[0] else month
    return compute_cube(store, year, groups, months=range(month, last + 1), engine=engine)


def read_cube(store: Store, year: int) -> pa.Table:
    """The stored cube rows of ``year``."""
    return store.arrow("select * from cube where period like ? order by all", [f"{year}-%"])
