"""The project ledger computed: in construction, started, completed, invested, against plan
and against time.

A project is *in construction* in a year when it started on or before the year's end and was
not completed before the year began; *started* and *completed* count dates in the year. The
amount invested in a year is the last reported 1–N月 figure of the year (a late report is
taken as it stands; a corrected report replaces the earlier one through ingest).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from jingxin.store import Store

__all__ = ["elapsed_pct", "progress_by_project", "project_stats", "schedule_gap_pp"]


def elapsed_pct(period: str, *, by_days: bool = False) -> float:
    """Share of the year elapsed at the end of ``period`` (时间进度), in percent.

    By month (the bulletins' convention: June = 50%), or by days (leap years count 366).
    A day (``YYYY-MM-DD``) counts a partial month: by month, the month's share of its days
    elapsed; by days, the days to and including it.

    >>> elapsed_pct("2016-06"), round(elapsed_pct("2016-02", by_days=True), 2)
    (50.0, 16.39)
    >>> round(elapsed_pct("2015-02", by_days=True), 2)
    16.16
    >>> round(elapsed_pct("2016-02-15"), 2), round(elapsed_pct("2016-02-15", by_days=True), 2)
    (12.64, 12.57)
    """
    y, m = int(period[:4]), int(period[5:7])
    month_days = calendar.monthrange(y, m)[1]
    d = int(period[8:10]) if len(period) >= 10 else month_days
    if not 1 <= d <= month_days:
        from jingxin.errors import InputError

        raise InputError(f"日期 {period!r} 无效：{y} 年 {m} 月只有 {month_days} 天。")
    if not by_days:
        return (m - 1 + d / month_days) / 12 * 100
    days = 366 if calendar.isleap(y) else 365
    return ((date(y, m, d) - date(y, 1, 1)).days + 1) / days * 100


def schedule_gap_pp(done_pct: float, period: str, *, by_days: bool = False) -> float:
    """Percentage points ahead (+) or behind (−) the elapsed share of the year (超/慢序时进度).

    >>> round(schedule_gap_pp(74.0, "2016-08"), 2)
    7.33
    """
    return done_pct - elapsed_pct(period, by_days=by_days)


def progress_by_project(store: Store, period: str) -> list[dict[str, Any]]:
    """Each project's latest report up to ``period`` in that year, with its annual plan."""
    year = int(period[:4])
    rows: list[dict[str, Any]] = store.arrow(
        """
        select p.project_id, p.name, p.category, p.region_code, p.lists, p.planned_total,
               pl.annual_plan, g.period as reported_period, g.ytd_invested,
               p.planned_start, p.planned_completion, g.actual_start, g.actual_completion
        from project p
        left join project_plan pl on pl.project_id = p.project_id and pl.year = ?
        left join (
            select * from project_progress
            where period <= ? and period >= ?
            qualify row_number() over (partition by project_id order by period desc) = 1
        ) g on g.project_id = p.project_id
        """,
        [year, period, f"{year}-01"],
    ).to_pylist()
    return rows


def project_stats(
    store: Store,
    year: int,
    *,
    list_key: str | None = None,
    category: str | None = None,
    period: str | None = None,
    region: str | None = None,
    planned_only: bool = False,
) -> dict[str, Any]:
    """Counts and amounts of the projects of a list, category and/or county for ``year`` (to
    ``period``, default December)."""
    period = period or f"{year}-12"
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = progress_by_project(store, period)
    starts = _dates(store, "actual_start", period)
    ends = _dates(store, "actual_completion", period)
    out: dict[str, Any] = dict.fromkeys(
        (
            "n",
            "under_construction",
            "started",
            "completed",
            "introduced",
            "started_of_introduced",
            "planned_start",
            "planned_completion",
        ),
        0,
    )
    out["invested"] = 0.0
    out["annual_plan"] = 0.0
    out["planned_total_introduced"] = 0.0
    intro = _introduced(store)
    for r in rows:
        if list_key is not None and list_key not in (r["lists"] or []):
            continue
        if category is not None and r["category"] != category:
            continue
        if region is not None and r["region_code"] != region:
            continue
        if planned_only and r["annual_plan"] is None:
            continue
        pid = r["project_id"]
        s, e, i = starts.get(pid), ends.get(pid), intro.get(pid)
        out["n"] += 1
        out["invested"] += r["ytd_invested"] or 0.0
        out["annual_plan"] += r["annual_plan"] or 0.0
        if s is not None and s <= last and (e is None or e >= first):
            out["under_construction"] += 1
        if s is not None and first <= s <= last:
            out["started"] += 1
            if i is not None and i.year == year:
                out["started_of_introduced"] += 1
        if e is not None and first <= e <= last:
            out["completed"] += 1
        if i is not None and i.year == year:
            out["introduced"] += 1
            out["planned_total_introduced"] += r["planned_total"] or 0.0
        if r["planned_start"] is not None and r["planned_start"].year == year:
            out["planned_start"] += 1
        if r["planned_completion"] is not None and r["planned_completion"].year == year:
            out["planned_completion"] += 1
    out["completion_pct"] = (
        out["invested"] / out["annual_plan"] * 100 if out["annual_plan"] else None
    )
    out["start_rate_pct"] = (
        out["started"] / out["planned_start"] * 100 if out["planned_start"] else None
    )
    out["completion_rate_pct"] = (
        out["completed"] / out["planned_completion"] * 100 if out["planned_completion"] else None
    )
    return out


def _dates(store: Store, column: str, period: str) -> dict[str, date]:
    """The first date reported for each project in any report up to ``period``."""
    rows = store.arrow(
        f"select project_id, min({column}) as d from project_progress "  # noqa: S608
        f"where period <= ? and {column} is not null group by project_id",
        [period],
    ).to_pylist()
    return {r["project_id"]: r["d"] for r in rows}


def _introduced(store: Store) -> dict[str, date]:
    rows = store.arrow(
        "select project_id, introduced from project where introduced is not null"
    ).to_pylist()
    return {r["project_id"]: r["introduced"] for r in rows}
