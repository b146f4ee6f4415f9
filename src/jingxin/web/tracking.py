"""Projects and targets: routes for the page and the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from jingxin.store.users import User
from jingxin.web.api import PeriodQ
from jingxin.web.exports import Column, xlsx_response
from jingxin.web.render import render
from jingxin.web.security import reader
from jingxin.web.views import tracking

__all__ = ["api", "pages"]

api = APIRouter(prefix="/api", tags=["项目与目标"])
pages = APIRouter(include_in_schema=False)


@api.get("/projects", summary="重点项目进度")
def projects(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> dict[str, Any]:
    """Every project in the user's scope: invested against its annual plan and time, lateness."""
    platform = request.app.state.platform
    warn = platform.settings.warn_pp
    result: dict[str, Any] = platform.view(
        "projects",
        user.scope,
        (period, warn),
        lambda s: tracking.projects(s, user.scope, period, warn),
    )
    return result


@api.get("/targets", summary="目标任务进度")
def targets(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> dict[str, Any]:
    """Every county's targets against time, with the four-colour warning (published figures)."""
    platform = request.app.state.platform
    warn = platform.settings.warn_pp
    result: dict[str, Any] = platform.view(
        "targets", user.scope, (period, warn), lambda s: tracking.targets(s, period, warn)
    )
    return result


@pages.get("/projects")
def page(request: Request, period: PeriodQ = None, user: User = Depends(reader)) -> HTMLResponse:
    return render(
        request,
        "projects.html",
        user,
        v=projects(request, period, user),
        t=targets(request, period, user),
    )


PROJECT_COLUMNS: list[Column] = [
    ("项目代码", "project_id", "", 18),
    ("项目名称", "name", "", 30),
    ("类别", "category", "", 12),
    ("区县", "region_name", "", 10),
    ("总投资（万元）", "planned_total", "#,##0.0", 13),
    ("年度计划投资（万元）", "annual_plan", "#,##0.0", 13),
    ("累计完成投资（万元）", "invested", "#,##0.0", 13),
    ("完成率（%）", "completion_pct", "0.0", 9),
    ("与时间进度差（百分点）", "gap_pp", "0.0", 11),
    ("计划开工", "planned_start", "yyyy-mm-dd", 11),
    ("实际开工", "actual_start", "yyyy-mm-dd", 11),
    ("计划竣工", "planned_completion", "yyyy-mm-dd", 11),
    ("逾期情况", "late", "", 11),
]
TARGET_COLUMNS: list[Column] = [
    ("指标", "label", "", 22),
    ("单位", "unit", "", 6),
    ("地区", "region_name", "", 10),
    ("完成", "value", "#,##0.00", 12),
    ("目标", "target", "#,##0.00", 12),
    ("完成率（%）", "completion_pct", "0.0", 9),
    ("与时间进度差（百分点）", "gap_pp", "0.0", 11),
    ("预警", "warning_name", "", 6),
]


@api.get("/exports/projects.xlsx", summary="重点项目进度导出 Excel")
def export_projects(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> Response:
    """The projects table (the user's scope) as one workbook."""
    v = projects(request, period, user)
    return xlsx_response(
        f"重点项目-{v['period']}.xlsx",
        f"{v['period']} 重点项目进度",
        PROJECT_COLUMNS,
        v["items"],
        v["as_of"],
    )


@api.get("/exports/targets.xlsx", summary="目标任务进度导出 Excel")
def export_targets(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> Response:
    """The targets table as one workbook."""
    v = targets(request, period, user)
    return xlsx_response(
        f"目标任务-{v['period']}.xlsx",
        f"{v['period']} 目标任务完成情况",
        TARGET_COLUMNS,
        v["rows"],
        v["as_of"],
    )
