"""Keep the cube fresh: what is stale after a change of stored inputs, and recompute it.

The store records every change of its inputs with a data version (``data_change``) and the
version each year of the cube was computed from (``derived_state``; see
:mod:`jingxin.store.versions`). A year of the cube is **stale** when a later change touched
one of the cube's input tables for a period the year depends on: its own months, and last
year's (the prior of electricity, peers and reported values). A change without a period (a
register update) touches every year.

:func:`stale_years` says which years and from which month; :func:`refresh` recomputes just
that — the months from the first one touched to the last one stored, because electricity is
summed to year-to-date from single months — and records the new version. Every command that
changes stored inputs calls :func:`refresh` before it ends; reports call :func:`ensure_fresh`
and refuse stale figures with a sentence saying what to run.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingxin.errors import DataError
from jingxin.indicators.catalogue import MEASURES
from jingxin.indicators.compute import compute_cube
from jingxin.indicators.cube import CUBE_INPUTS
from jingxin.store import Scope, Store, versions

__all__ = ["Refreshed", "Stale", "ensure_fresh", "refresh", "stale_years"]

_CITY = Scope.city()
_INPUTS = frozenset(CUBE_INPUTS)
_GRID = tuple(m.key for m in MEASURES if m.source == "grid")  # electricity's year-to-date


@dataclass(frozen=True)
class Stale:
    """A stale year of the cube: from which month, and what changed since it was computed."""

    year: int
    first_month: int  # 1 when the whole year must be recomputed
    changes: int
    computed: bool  # whether the year was ever computed


@dataclass(frozen=True)
class Refreshed:
    """A year the refresh recomputed, and its months."""

    year: int
    months: tuple[int, ...]


def _fact_years(store: Store) -> set[int]:
    f = store.table("monthly_fact", _CITY)
    years = store.run(f.select(year=f.period.substr(0, 4)).distinct()).column("year")
    return {int(y) for y in years.to_pylist() if y and y.isdigit()}


def _last_month(
    store: Store, year: int, tables: tuple[str, ...] = ("monthly_fact", "electricity")
) -> int:
    last = 1
    for name in tables:
        t = store.table(name, _CITY)
        p = store.scalar(t.filter(t.period.startswith(f"{year}-")).period.max())
        if p:
            last = max(last, int(p[5:7]))
    return last


def _last_computed(store: Store, year: int, measures: tuple[str, ...] = ()) -> int:
    """The last month of ``year`` with cells in the cube (of ``measures``, when given)."""
    cube = store.table("cube", _CITY)
    cube = cube.filter(cube.period.startswith(f"{year}-"))
    if measures:
        cube = cube.filter(cube.measure.isin(measures))
    p = store.scalar(cube.period.max())
    return int(p[5:7]) if p else 0


def stale_years(store: Store) -> list[Stale]:
    """Every year of the store whose cube is missing or older than its inputs."""
    computed = versions.derived_years(store, "cube")
    years = _fact_years(store) | set(computed)
    out: list[Stale] = []
    for year in sorted(years):
        since = computed.get(year)
        if since is None:
            if year in _fact_years(store):
                out.append(Stale(year, 1, 0, computed=False))
            continue
        first, n = 13, 0
        for c in versions.changes_since(store, since):
            if not _INPUTS.intersection(c.tables):
                continue
            month = _first_month(c.period, year)
            if month is not None:
                first, n = min(first, month), n + 1
        if n:
            out.append(Stale(year, first, n, computed=True))
    return out


def _first_month(period: str | None, year: int) -> int | None:
    """The first month of ``year`` a change of ``period`` touches (None: not this year).

    >>> _first_month("2016-09", 2016), _first_month("2015-09", 2016), _first_month(None, 2016)
    (9, 9, 1)
    >>> _first_month("2014-03", 2016), _first_month("2016", 2016)
    (None, 1)
    """
    if period is None:
        return 1
    y = int(period[:4]) if period[:4].isdigit() else None
    if y not in (year, year - 1):
        return None
    if len(period) >= 7 and period[5:7].isdigit():
        return int(period[5:7])
    return 1


def refresh(store: Store) -> list[Refreshed]:
    """Recompute every stale year of the cube from its first touched month; record the version.

    A year whose inputs can no longer be computed (no facts left) keeps its rows and its
    stale mark; a computation error (a missing PPI) propagates as a ``DataError``.
    """
    done: list[Refreshed] = []
    have = _fact_years(store)
    for s in stale_years(store):
        if s.year not in have:
            continue
        version = versions.data_version(store)
        if s.first_month == 1 or not s.computed:
            compute_cube(store, s.year)
            done.append(Refreshed(s.year, tuple(range(1, 13))))
            continue
        # Months after the last computed one are new cells (electricity's year-to-date is
        # carried through months without records): compute them too.
        first = min(s.first_month, _last_computed(store, s.year) + 1)
        # Electricity's cells run from January to its latest month with records, so a month
        # of records later than its last cell makes the months between new cells as well,
        # even when the statistics already filled those months of the cube.
        grid = _last_computed(store, s.year, _GRID)
        if _last_month(store, s.year, ("electricity",)) > grid:
            first = min(first, grid + 1)
        last = max(first, _last_month(store, s.year))
        months = range(first, last + 1)
        compute_cube(store, s.year, months=months, data_version=version)
        done.append(Refreshed(s.year, tuple(months)))
    return done


def ensure_fresh(store: Store, year: int, *, prior: bool = False) -> None:
    """Refuse to report ``year`` from a stale cube, saying what to run.

    With ``prior``, last year's cube (which holds the figures published then) must be fresh
    too.

    Raises
    ------
    DataError
        When the cube of ``year`` (or of ``year - 1``) was never computed or is older than
        its inputs.
    """
    stale = {s.year: s for s in stale_years(store)}
    for y in (year, year - 1) if prior else (year,):
        s = stale.get(y)
        if s is None:
            continue
        why = (
            f"{y} 年的指标尚未计算"
            if not s.computed
            else f"{y} 年的指标计算之后又有 {s.changes} 次数据变动（自 {s.first_month} 月起）"
        )
        raise DataError(
            f"{why}，报告不能使用过期的数字：请先运行 jingxin refresh（或 jingxin compute "
            f"--year {y}）更新指标，再生成报告。"
        )
