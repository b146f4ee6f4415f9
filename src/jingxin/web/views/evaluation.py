"""The 亩均效益 evaluation page: versions, class distributions, objections, the workflow.

Distributions and objections are read under the user's scope (a county sees its own
county's enterprises and their classes); the runs themselves (method, status, notice
period) hold no enterprise rows and are the same for everyone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis

from jingxin.errors import NotFoundError
from jingxin.evaluation.workflow import OBJECTION_STATUS, Run, get_run, list_runs, objections, today
from jingxin.reference import industries, region_name
from jingxin.store import Scope, Store
from jingxin.store.versions import as_of_sentence
from jingxin.tracking.queries import rows
from jingxin.web.views.charts import PALETTE, beijing

__all__ = ["evaluation"]

CLASS_COLOURS = {"A": "#2e9d57", "B": "#2f74c0", "C": "#e08a1e", "D": "#c23531"}


def _run_row(r: Run, current: date) -> dict[str, Any]:
    in_notice = r.status == "notice" and r.notice_until is not None and current <= r.notice_until
    return {
        "id": r.id,
        "year": r.year,
        "version": r.version,
        "status": r.status,
        "status_zh": r.status_zh,
        "method_name": r.method_name,
        "created_at": beijing(r.created_at),
        "created_by": r.created_by,
        "notice_start": r.notice_start.isoformat() if r.notice_start else None,
        "notice_until": r.notice_until.isoformat() if r.notice_until else None,
        "in_notice": in_notice,
        "can_notice": r.status == "draft",
        "can_object": r.status == "notice",
        "can_finalize": r.status == "notice",
    }


def _distribution(store: Store, scope: Scope, run: Run, key: str) -> list[dict[str, Any]]:
    t = store.table("evaluation_result", scope)
    t = t.filter(t.run_id == run.id)
    classes = run.method.classification.classes
    label = t[key] if key != "division" else t.industry_code.left(2)
    g = t.group_by(k=label).aggregate(
        n=t.count(),
        ungraded=t.exempt_reason.notnull().sum(),
        **{f"c_{c}": ((t.final_class == c) & t.exempt_reason.isnull()).sum() for c in classes},
    )
    out = []
    divisions = industries()
    for r in rows(store, g.order_by(ibis.desc("n"))):
        name = r["k"] or "（无）"
        if key == "region_code" and r["k"]:
            name = region_name(r["k"])
        elif key == "division" and r["k"] in divisions:
            name = f"{r['k']} {divisions[r['k']].name}"
        out.append(
            {
                "key": r["k"],
                "name": name,
                "n": r["n"],
                "ungraded": r["ungraded"],
                "classes": {c: r[f"c_{c}"] for c in classes},
            }
        )
    return out


def _stacked(title: str, parts: list[dict[str, Any]], classes: list[str]) -> dict[str, Any]:
    names = [p["name"] for p in parts]
    return {
        "title": {"text": title, "left": "left", "textStyle": {"fontSize": 15}},
        "color": [CLASS_COLOURS.get(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(classes)],
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 28},
        "grid": {"left": 50, "right": 30, "top": 60, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "name": "家"},
        "series": [
            {
                "name": f"{c}类",
                "type": "bar",
                "stack": "class",
                "data": [p["classes"][c] for p in parts],
            }
            for c in classes
        ],
    }


def evaluation(store: Store, scope: Scope, run_id: int | None) -> dict[str, Any]:
    """One run (default: the newest) with its distributions and objections under ``scope``."""
    runs = list_runs(store)
    if not runs:
        raise NotFoundError("尚无亩均效益评价结果：请先运行 jingxin evaluate。")
    run = get_run(store, run_id) if run_id is not None else runs[0]
    current = today()
    classes = run.method.classification.classes
    by_county = _distribution(store, scope, run, "region_code")
    total = {c: sum(p["classes"][c] for p in by_county) for c in classes}
    objs = [
        {
            "id": o["id"],
            "uscc": o["uscc"],
            "name": o["name"],
            "region_name": region_name(o["region_code"]) if o["region_code"] else "",
            "claim": o["claim"],
            "evidence": o["evidence"],
            "status": o["status"],
            "status_zh": o["status_zh"],
            "decision": o["decision"],
            "filed_by": o["filed_by"],
            "filed_at": beijing(o["filed_at"]),
        }
        for o in objections(store, run.id, scope)
    ]
    return {
        "run": _run_row(run, current),
        "runs": [_run_row(r, current) for r in runs],
        "classes": classes,
        "class_names": {c: run.method.classification.label(c) for c in classes},
        "total": total,
        "n": sum(p["n"] for p in by_county),
        "by_county": by_county,
        "by_division": _distribution(store, scope, run, "division")[:20],
        "by_platform": _distribution(store, scope, run, "platform")[:20],
        "objections": objs,
        "objection_status": OBJECTION_STATUS,
        "charts": {"by_county": _stacked("各区县评价结果", by_county, classes)},
        "as_of": as_of_sentence(store),
    }
