"""Administrators' pages: the audit log (read-only, filtered) and the accounts.

The audit log has no route that changes or deletes a row: the platform only appends to it
(``store/audit.py``); accounts are managed with ``jingxin users`` for now.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

import ibis
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from jingxin.store import Scope, Store
from jingxin.store.users import User, list_users
from jingxin.tracking.queries import rows
from jingxin.web.render import render
from jingxin.web.security import role
from jingxin.web.views.charts import beijing

__all__ = ["api", "pages"]

api = APIRouter(prefix="/api/admin", tags=["系统管理"])
pages = APIRouter(include_in_schema=False)
admin = role("admin")
PAGE = 100
BEIJING = timedelta(hours=8)


def audit(
    store: Store,
    *,
    actor: str | None,
    action: str | None,
    table: str | None,
    since: date | None,
    until: date | None,
    page: int,
) -> dict[str, Any]:
    """One page of the audit log, newest first, filtered (dates in Beijing's calendar)."""
    t = store.table("audit_log", Scope.city())
    if actor:
        t = t.filter(t.actor == actor)
    if action:
        t = t.filter(t.action == action)
    if table:
        t = t.filter(t.table_name == table)
    if since:
        t = t.filter(t.logged_at >= datetime.combine(since, datetime.min.time()) - BEIJING)
    if until:
        t = t.filter(
            t.logged_at < datetime.combine(until + timedelta(days=1), datetime.min.time()) - BEIJING
        )
    total = int(store.scalar(t.count()))
    found = rows(store, t.order_by(ibis.desc("logged_at")).limit(PAGE, offset=(page - 1) * PAGE))
    all_t = store.table("audit_log", Scope.city())
    return {
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE)),
        "items": [
            {
                "logged_at": beijing(r["logged_at"]),
                "actor": r["actor"],
                "action": r["action"],
                "table": r["table_name"],
                "key": r["row_key"],
                "before": r["before"],
                "after": r["after"],
            }
            for r in found
        ],
        "actions": sorted(r["action"] for r in rows(store, all_t.select("action").distinct())),
        "tables": sorted(
            r["table_name"] for r in rows(store, all_t.select("table_name").distinct())
        ),
    }


@api.get("/audit", summary="审计日志（只读）")
def audit_view(
    request: Request,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    table: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[date | None, Query(description="起始日期（北京时间）")] = None,
    until: Annotated[date | None, Query(description="截止日期（含）")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    user: User = Depends(admin),
) -> dict[str, Any]:
    """Who changed what, when, with the row's before and after; newest first."""
    platform = request.app.state.platform
    with platform.read() as store:
        return audit(
            store,
            actor=actor or None,
            action=action or None,
            table=table or None,
            since=since,
            until=until,
            page=page,
        )


@api.get("/users", summary="用户列表")
def users(request: Request, user: User = Depends(admin)) -> list[dict[str, Any]]:
    """Every account (never a password hash)."""
    with request.app.state.platform.read() as store:
        return [u.public() for u in list_users(store)]


@pages.get("/admin")
def admin_page(
    request: Request,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    table: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    user: User = Depends(admin),
) -> HTMLResponse:
    v = audit_view(request, actor, action, table, since, until, page, user)
    return render(
        request,
        "admin.html",
        user,
        v=v,
        accounts=users(request, user),
        filters={
            "actor": actor or "",
            "action": action or "",
            "table": table or "",
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        },
    )
