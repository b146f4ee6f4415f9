"""Run the cube for a year, or for some months of it, and keep it in the store's ``cube`` table."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import pyarrow as pa

from jingxin.errors import DataError, InputError
from jingxin.indicators.catalogue import MEASURES
from jingxin.indicators.cube import CUBE_COLUMNS, CUBE_INPUTS, build_cube
from jingxin.reference.groups import IndustryGroup
from jingxin.store import Scope, Store, versions
from jingxin.store.engines import open_engine

__all__ = ["compute_cube", "compute_year", "read_cube", "refresh_month"]

_CITY = Scope.city()


def _periods(store: Store, table: str, year: int) -> ibis.Table:
    t = store.table(table, _CITY)
    return t.filter(t.period.startswith(f"{int(year)}-"))


def _has_facts(store: Store, year: int) -> bool:
    return bool(store.scalar(_periods(store, "monthly_fact", year).count()))


def compute_cube(
    store: Store,
    year: int,
    groups: dict[str, IndustryGroup] | None = None,
    *,
    months: Sequence[int] | None = None,
    engine: str | None = None,
    data_version: int | None = None,
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
    data_version
        With ``months``: the data version the recomputed months bring the year up to (the
        caller knows no other month changed, as :func:`jingxin.indicators.refresh` does).
        A whole year records the version it was computed from by itself.

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
    if not _has_facts(store, year):
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
    version = versions.data_version(store) if months is None else data_version
    with open_engine(store, CUBE_INPUTS, engine) as con:
        table = build_cube(con, year, groups, months).to_pyarrow()
    table = table.select(list(CUBE_COLUMNS))
    replaced = range(1, 13) if months is None else months
    store.replace(
        "cube",
        table,
        where={"period": [f"{int(year)}-{m:02d}" for m in replaced]},
        derived=(int(year), version) if version is not None else None,
    )
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
    latest = [
        store.scalar(_periods(store, t, year).period.max()) for t in ("monthly_fact", "electricity")
    ]
    last = max([month, *(int(p[5:7]) for p in latest if p)])
    return compute_cube(store, year, groups, months=range(month, last + 1), engine=engine)


def compute_year(
    store: Store, year: int, *, engine: str | None = None
) -> list[tuple[int, pa.Table]]:
    """Compute the cube of ``year``, and of ``year - 1`` when the store holds its records.

    Last year's cube holds the figures published then (上年公布数, read by the annual
    summary), so it is kept fresh together with this year's. Returns each computed year
    with its cube rows, this year first.
    """
    done = [(year, compute_cube(store, year, engine=engine))]
    if _has_facts(store, year - 1):
        done.append((year - 1, compute_cube(store, year - 1, engine=engine)))
    return done


def read_cube(store: Store, year: int) -> pa.Table:
    """The stored cube rows of ``year``."""
    cube = _periods(store, "cube", year)
    return store.run(cube.order_by([cube[c] for c in cube.columns]))
