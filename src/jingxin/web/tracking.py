"""Projects and targets: routes for the page and the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from jingxin.store.users import User
from jingxin.web.api import PeriodQ
from jingxin.web.security import current_session, reader
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
    session = current_session(request)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request,
        "projects.html",
        {
            "user": user,
            "csrf_token": session.csrf_token if session else "",
            "path": "/projects",
            "v": projects(request, period, user),
            "t": targets(request, period, user),
        },
    )
    return response
