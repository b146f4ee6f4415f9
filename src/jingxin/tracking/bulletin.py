"""The monthly bulletin's figures (月度通报): industrial economy, electricity, investment, key
projects, target progress against time (时间进度) with behind-schedule counties, pool changes.

:func:`bulletin_data` computes every figure of one month from records: the cube for the
statistics, the reported series and each county's share of the city; the project ledger
(:func:`jingxin.tracking.projects.project_stats`); the targets table; the pools
(:func:`jingxin.tracking.queries.pool_changes`). Progress against time is computed once,
by :func:`against_time`. ``jingxin.reports.bulletin`` only lays the result out.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jingxin.errors import DataError, InputError
from jingxin.reference import region_name
from jingxin.store import Scope, Store
from jingxin.tracking.catalogue import INVESTMENT, POOLS, YI, indicator_label
from jingxin.tracking.projects import elapsed_pct, project_stats, schedule_gap_pp
from jingxin.tracking.queries import city_of, cube_cells, decomposed_indicators, pool_changes, rows
from jingxin.tracking.targets import completion_pct, targets

__all__ = ["WARNINGS", "Bulletin", "against_time", "bulletin_data", "check_period", "warning"]

# The four-colour warning of progress against time (目标预警), best first.
WARNINGS = {"green": "绿", "blue": "蓝", "orange": "橙", "red": "红"}


@dataclass
class Bulletin:
    """Every figure of one month's bulletin, as plain rows (units: 亿元, 亿千瓦时, %)."""

    period: str
    city: str
    time_pct: float  # 时间进度: share of the year elapsed
    industry: list[dict[str, Any]] = field(default_factory=list)
    investment: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    projects: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    pools: list[dict[str, Any]] = field(default_factory=list)

    @property
    def behind(self) -> list[str]:
        """Counties behind the elapsed share of the year on any tracked target."""
        names: set[str] = set()
        for part in self.investment.values():
            names |= {r["region_name"] for r in part if r.get("behind")}
        names |= {r["region_name"] for r in self.projects if r.get("behind")}
        names |= {r["region_name"] for r in self.targets if r.get("behind")}
        names.discard(region_name(self.city))
        return sorted(names)


def check_period(period: str) -> tuple[int, int]:
    """The year and month of a ``YYYY-MM`` period.

    Raises
    ------
    InputError
        When ``period`` is not a valid ``YYYY-MM``.

    Examples
    --------
    >>> check_period("2016-06")
    (2016, 6)
    """
    try:
        y, m = int(period[:4]), int(period[5:7])
        date(y, m, 1)
        if len(period) != 7 or period[4] != "-":
            raise ValueError
    except ValueError:
        raise InputError(f"期别 {period!r} 无效：应为 YYYY-MM，如 2016-06。") from None
    return y, m


def against_time(done: float | None, target: float | None, period: str) -> dict[str, Any]:
    """Completion of an annual target at the end of ``period`` and the gap to time progress.

    ``completion_pct`` is :func:`~jingxin.tracking.targets.completion_pct`, ``gap_pp`` the
    percentage points ahead (+) or behind (−) the elapsed share of the year
    (:func:`~jingxin.tracking.projects.schedule_gap_pp`), and ``behind`` whether it is behind.

    Examples
    --------
    >>> r = against_time(37.0, 50.0, "2016-08")
    >>> round(r["completion_pct"], 1), round(r["gap_pp"], 2), r["behind"]
    (74.0, 7.33, False)
    >>> against_time(5.0, None, "2016-08")
    {'completion_pct': None, 'gap_pp': None, 'behind': False}
    """
    pct = completion_pct(done, target)
    gap = None if pct is None else schedule_gap_pp(pct, period)
    return {"completion_pct": pct, "gap_pp": gap, "behind": gap is not None and gap < 0}


def warning(gap_pp: float | None, thresholds: tuple[float, float, float]) -> str | None:
    """The warning colour of a target ``gap_pp`` points ahead (+) of time progress.

    ``thresholds`` (the setting ``JINGXIN_WARN_PP``, highest first): at or above the first
    绿 (green), at or above the second 蓝 (blue), at or above the third 橙 (orange), below
    it 红 (red). No target: ``None``.

    Examples
    --------
    >>> [warning(g, (0, -5, -10)) for g in (3.2, 0.0, -4.9, -5.0, -10.0, -10.1, None)]
    ['green', 'green', 'blue', 'blue', 'orange', 'red', None]
    """
    if gap_pp is None:
        return None
    a, b, c = thresholds
    if gap_pp >= a:
        return "green"
    if gap_pp >= b:
        return "blue"
    if gap_pp >= c:
        return "orange"
    return "red"


def _place(code: str) -> dict[str, str]:
    return {"region_code": code, "region_name": region_name(code)}


def _scaled(cell: dict[str, Any] | None, column: str = "value") -> float | None:
    return cell[column] * YI if cell else None


def bulletin_data(store: Store, period: str, scope: Scope) -> Bulletin:
    """Compute the bulletin of ``period`` (YYYY-MM) from the store, under ``scope``.

    Raises
    ------
    InputError
        When ``period`` is not a valid ``YYYY-MM``.
    DataError
        When the cube of the period's year has not been computed.
    """
    year, _ = check_period(period)
    city = city_of(store, scope)
    cells = rows(store, cube_cells(store, scope, periods=[period]))
    if not cells:
        raise DataError(f"尚未计算 {period} 的指标：请先运行 jingxin compute --year {year}。")
    cube = {(c["region_code"], c["measure"]): c for c in cells}
    counties = sorted({c["region_code"] for c in cells if c["region_level"] == "county"})
    order = [city, *counties]
    goals = targets(store, year, scope)
    b = Bulletin(period, city, elapsed_pct(period))

    for code in order:
        va, go = cube.get((code, "value_added")), cube.get((code, "gross_output"))
        el = cube.get((code, "electricity"))
        county = code != city
        b.industry.append(
            _place(code)
            | {
                "value_added": _scaled(va),
                "value_added_growth_pct": va["growth_pct"] if va else None,
                "value_added_rank": va["county_rank_growth"] if va and county else None,
                "share_pct": va["share_of_city_pct"] if va else None,
                "gross_output": _scaled(go),
                "gross_output_growth_pct": go["growth_pct"] if go else None,
                "electricity": _scaled(el),
                "electricity_growth_pct": el["growth_pct"] if el else None,
                "electricity_rank": el["county_rank_growth"] if el and county else None,
            }
        )

    for inv in INVESTMENT:
        part = []
        for code in order:
            cell = cube.get((code, inv.indicator))
            if cell is None:
                continue
            target = goals.get(inv.indicator, code)
            part.append(
                _place(code)
                | {
                    "value": cell["value"] * YI,
                    "growth_pct": cell["growth_pct"],
                    "rank_growth": cell["county_rank_growth"] if code != city else None,
                    "target": target * YI if target else None,
                }
                | against_time(cell["value"], target, period)
            )
        if part:
            b.investment[inv.indicator] = part

    for code in order:
        s = project_stats(
            store,
            year,
            scope,
            period=period,
            region=None if code == city else code,
            planned_only=True,
        )
        if not s["n"]:
            continue
        b.projects.append(
            _place(code)
            | {
                "projects": s["n"],
                "under_construction": s["under_construction"],
                "started": s["started"],
                "completed": s["completed"],
                "invested": s["invested"] * YI,
                "annual_plan": s["annual_plan"] * YI,
            }
            | against_time(s["invested"], s["annual_plan"], period)
        )

    shown = {i.indicator for i in INVESTMENT}
    decomposed = rows(store, decomposed_indicators(store, city, year, scope, basis="value"))
    for ind in (r["indicator"] for r in decomposed):
        if (city, ind) not in cube or ind in shown:
            continue  # no monthly value for it (annual counts), or shown above
        for code in order:
            cell = cube.get((code, ind))
            target = goals.get(ind, code)
            if cell is None or not target:
                continue
            b.targets.append(
                {"indicator": ind, "label": indicator_label(ind)}
                | _place(code)
                | {"value": cell["value"], "target": target}
                | against_time(cell["value"], target, period)
            )

    y, m = int(period[:4]), int(period[5:7])
    labels = {p.key: p.label for p in POOLS}
    first, last = date(y, m, 1), date(y, m, monthrange(y, m)[1])
    for c in rows(store, pool_changes(store, first, last, scope)):
        b.pools.append(
            {
                "pool": c["pool"],
                "label": labels.get(c["pool"], c["pool"]),
                "entered": int(c["entered"]),
                "exited": int(c["exited"]),
            }
        )
    return b
