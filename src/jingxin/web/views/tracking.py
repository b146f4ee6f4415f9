"""Projects and targets: each project's progress (in the user's scope) and every county's
targets against time (published aggregates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from jingxin.reference import region_name
from jingxin.reference.vocabulary import PROJECT_CATEGORIES
from jingxin.store import Scope, Store
from jingxin.store.versions import as_of_sentence
from jingxin.tracking.bulletin import WARNINGS, against_time, bulletin_data, warning
from jingxin.tracking.catalogue import INVESTMENT
from jingxin.tracking.projects import elapsed_pct, progress_by_project
from jingxin.web.views.aggregates import fresh_period
from jingxin.web.views.charts import r1

__all__ = ["projects", "targets"]


def _late(r: dict[str, Any], end: date) -> str | None:
    """Why a project is behind its own schedule at ``end``, or ``None``."""
    if r["actual_start"] is None and r["planned_start"] is not None and r["planned_start"] <= end:
        return "逾期未开工"
    if (
        r["actual_completion"] is None
        and r["planned_completion"] is not None
        and r["planned_completion"] <= end
    ):
        return "逾期未竣工"
    return None


def projects(
    store: Store, scope: Scope, period: str | None, thresholds: tuple[float, float, float]
) -> dict[str, Any]:
    """Every project in ``scope`` at ``period``: invested against its annual plan and time."""
    p, _ = fresh_period(store, period)
    y, m = int(p[:4]), int(p[5:7])
    end = date(y + (m == 12), m % 12 + 1, 1)
    items = []
    for r in progress_by_project(store, p, scope):
        gap = against_time(r["ytd_invested"], r["annual_plan"], p)
        items.append(
            {
                "project_id": r["project_id"],
                "name": r["name"],
                "category": PROJECT_CATEGORIES.get(r["category"], r["category"]),
                "region_name": region_name(r["region_code"]),
                "planned_total": r1(r["planned_total"]),
                "annual_plan": r1(r["annual_plan"]),
                "invested": r1(r["ytd_invested"]),
                "completion_pct": r1(gap["completion_pct"]),
                "gap_pp": r1(gap["gap_pp"]),
                "warning": warning(gap["gap_pp"], thresholds),
                "planned_start": r["planned_start"],
                "actual_start": r["actual_start"],
                "planned_completion": r["planned_completion"],
                "actual_completion": r["actual_completion"],
                "late": _late(r, end),
            }
        )
    items.sort(key=lambda r: (r["late"] is None, r["gap_pp"] if r["gap_pp"] is not None else 1e9))
    return {
        "period": p,
        "time_pct": r1(elapsed_pct(p)),
        "n": len(items),
        "n_late": sum(1 for r in items if r["late"]),
        "items": items,
        "warnings": WARNINGS,
        "as_of": as_of_sentence(store),
    }


def targets(
    store: Store, period: str | None, thresholds: tuple[float, float, float]
) -> dict[str, Any]:
    """Every target of every county against time (the bulletin's, published)."""
    p, _ = fresh_period(store, period)
    b = bulletin_data(store, p, Scope.city())
    labels = {i.indicator: i.label for i in INVESTMENT}
    rows: list[dict[str, Any]] = []

    def add(
        label: str, unit: str, r: dict[str, Any], done: float | None, goal: float | None
    ) -> None:
        w = warning(r.get("gap_pp"), thresholds)
        rows.append(
            {
                "label": label,
                "unit": unit,
                "region_name": r["region_name"],
                "is_city": r["region_code"] == b.city,
                "value": r1(done, 2),
                "target": r1(goal, 2),
                "completion_pct": r1(r.get("completion_pct")),
                "gap_pp": r1(r.get("gap_pp")),
                "warning": w,
                "warning_name": WARNINGS.get(w or "", "—"),
            }
        )

    for ind, part in b.investment.items():
        for r in part:
            if r.get("target"):
                add(labels.get(ind, ind), "亿元", r, r["value"], r["target"])
    for r in b.projects:
        if r.get("annual_plan"):
            add("重点项目年度计划投资", "亿元", r, r["invested"], r["annual_plan"])
    for r in b.targets:
        add(r["label"], "", r, r["value"], r["target"])
    return {
        "period": p,
        "time_pct": r1(b.time_pct),
        "rows": rows,
        "behind": b.behind,
        "as_of": as_of_sentence(store),
    }
