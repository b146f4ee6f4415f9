"""Administrators' pages: the audit log (read-only, filtered) and the accounts.

The audit log has no route that changes or deletes a row: the platform only appends to it
(``store/audit.py``). Accounts are added, disabled or enabled and given a new password here
or with ``jingxin users`` (which cannot open the store while the server holds it): the same
functions of ``store/users.py``, audited there, with the acting administrator's name. The
JSON routes and the page's forms share one function per change.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import ibis
from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from jingxin.errors import InputError, NotFoundError
from jingxin.reference import region_name
from jingxin.reference.clock import BEIJING
from jingxin.store import Scope, Store
from jingxin.store.users import (
    ROLE_NAMES,
    User,
    add_user,
    list_users,
    reset_password,
    set_disabled,
)
from jingxin.tracking.queries import rows
from jingxin.web.render import render
from jingxin.web.security import role
from jingxin.web.views.charts import beijing

__all__ = ["api", "pages"]

api = APIRouter(prefix="/api/admin", tags=["系统管理"])
pages = APIRouter(include_in_schema=False)
admin = role("admin")
PAGE = 100
# The audit log's actions: a code, then (after ": ") the change's own words where it has them.
ACTION_NAMES = {
    "add_user": "新增用户",
    "disable_user": "停用用户",
    "enable_user": "启用用户",
    "reset_password": "重置密码",
    "login": "登录",
    "logout": "退出登录",
    "login_refused": "登录被拒",
    "evaluate": "评价",
    "correct": "更正",
    "notice": "公示",
    "objection": "异议",
    "regrade": "重新评级",
    "decide": "异议决定",
    "finalize": "定稿",
    "restore": "恢复",
    "alias": "名称对应",
    "release": "待确认记录入库",
    "supersede": "文件替换",
    "confirm": "确认",
    "update": "修改",
    "command": "命令",
    "energy_allocate": "用能权确权",
    "energy_transfer": "用能权转让",
    "energy_release": "用能权释放",
    "energy_reverse": "用能权冲正",
    "energy_apply": "用能权转让申请",
    "energy_approve": "批准转让申请",
    "energy_refuse": "不予批准转让申请",
}
USERNAME = r"^[^\s<>\"'&/\\]{1,64}$"
Username = Annotated[str, Path(pattern=USERNAME, description="用户名")]
DONE = {
    "added": "已新增用户",
    "disabled": "已停用用户",
    "enabled": "已启用用户",
    "password": "已重置密码：",
}


def action_name(action: str) -> str:
    """An audit action in Chinese: its code's name, then the change's own words.

    >>> action_name("add_user"), action_name("notice: 公示至 2017-04-10"), action_name("x")
    ('新增用户', '公示：公示至 2017-04-10', 'x')
    """
    code, _, words = action.partition(": ")
    name = ACTION_NAMES.get(code)
    if name is None:
        return action
    return f"{name}：{words}" if words else name


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
                "action_name": action_name(r["action"]),
                "table": r["table_name"],
                "key": r["row_key"],
                "before": r["before"],
                "after": r["after"],
            }
            for r in found
        ],
        "actions": [
            {"code": a, "name": action_name(a)}
            for a in sorted(r["action"] for r in rows(store, all_t.select("action").distinct()))
        ],
        "tables": sorted(
            r["table_name"] for r in rows(store, all_t.select("table_name").distinct())
        ),
    }


@api.get("/audit", summary="审计日志（只读）")
def audit_view(
    request: Request,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=512)] = None,
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


class NewUser(BaseModel):
    """An account to add: the county is required for a county user, refused otherwise."""

    username: str = Field(min_length=1, max_length=64)
    role: Literal["admin", "analyst", "county", "leader"]
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    password: str = Field(min_length=1, max_length=256)


class Disabled(BaseModel):
    disabled: bool


class NewPassword(BaseModel):
    password: str = Field(min_length=1, max_length=256)


def _add(request: Request, actor: User, body: NewUser) -> User:
    with request.app.state.platform.write(data=False) as store:
        return add_user(
            store, body.username, body.role, body.password, actor.username, body.region_code
        )


def _set_disabled(request: Request, actor: User, username: str, disabled: bool) -> User:
    if disabled and username == actor.username:
        raise InputError("不能停用自己的账户：请由另一位管理员操作。")
    with request.app.state.platform.write(data=False) as store:
        return set_disabled(store, username, disabled, actor.username)


def _reset(request: Request, actor: User, username: str, password: str) -> None:
    with request.app.state.platform.write(data=False) as store:
        reset_password(store, username, password, actor.username)


@api.post("/users", summary="新增用户", status_code=201)
def create_user(body: NewUser, request: Request, user: User = Depends(admin)) -> dict[str, Any]:
    """Add an account (audited); the password is stored only as an argon2id hash."""
    return _add(request, user, body).public()


@api.post("/users/{username}/disabled", summary="停用或启用用户")
def disable_user(
    username: Username, body: Disabled, request: Request, user: User = Depends(admin)
) -> dict[str, Any]:
    """Disable an account (its sessions end at once) or enable it again (audited); an
    administrator cannot disable their own account or the last enabled administrator."""
    return _set_disabled(request, user, username, body.disabled).public()


@api.post("/users/{username}/password", summary="重置用户密码")
def new_password(
    username: Username, body: NewPassword, request: Request, user: User = Depends(admin)
) -> dict[str, bool]:
    """Set a new password; every session of the account ends (audited, without the hash)."""
    _reset(request, user, username, body.password)
    return {"ok": True}


def _counties(request: Request) -> list[dict[str, str]]:
    """The city's counties, for a county user's account (codes of the register)."""
    with request.app.state.platform.read() as store:
        e = store.table("enterprise", Scope.city())
        codes = sorted(r["region_code"] for r in rows(store, e.select("region_code").distinct()))
    return [{"code": c, "name": region_name(c)} for c in codes if c]


def _back(done: str, who: str) -> RedirectResponse:
    return RedirectResponse("/admin?" + urlencode({"done": done, "who": who}), status_code=303)


def _refused(request: Request, user: User, exc: InputError | NotFoundError) -> HTMLResponse:
    page = _admin_page(request, user, problem=str(exc))
    page.status_code = 400
    return page


@pages.post("/admin/users")
def add_user_form(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    role_: Annotated[str, Form(alias="role", max_length=16)],
    password: Annotated[str, Form(max_length=256)],
    region_code: Annotated[str, Form(max_length=6)] = "",
    user: User = Depends(admin),
) -> Response:
    try:
        body = NewUser.model_validate(
            {
                "username": username,
                "role": role_,
                "region_code": region_code or None,
                "password": password,
            }
        )
    except ValueError:
        return _refused(request, user, InputError("用户名、角色、区县或密码无效：请检查后重试。"))
    try:
        added = _add(request, user, body)
    except (InputError, NotFoundError) as exc:
        return _refused(request, user, exc)
    return _back("added", added.username)


@pages.post("/admin/users/{username}/disabled")
def disable_user_form(
    request: Request,
    username: Username,
    disabled: Annotated[Literal["true", "false"], Form()],
    user: User = Depends(admin),
) -> Response:
    try:
        changed = _set_disabled(request, user, username, disabled == "true")
    except (InputError, NotFoundError) as exc:
        return _refused(request, user, exc)
    return _back("disabled" if changed.disabled else "enabled", changed.username)


@pages.post("/admin/users/{username}/password")
def new_password_form(
    request: Request,
    username: Username,
    password: Annotated[str, Form(max_length=256)],
    user: User = Depends(admin),
) -> Response:
    try:
        _reset(request, user, username, password)
    except (InputError, NotFoundError) as exc:
        return _refused(request, user, exc)
    return _back("password", username)


@pages.get("/admin")
def admin_page(
    request: Request,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=512)] = None,
    table: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    done: Annotated[Literal["added", "disabled", "enabled", "password"] | None, Query()] = None,
    who: Annotated[str | None, Query(max_length=64)] = None,
    user: User = Depends(admin),
) -> HTMLResponse:
    notice = f"{DONE[done]}{who or ''}。" if done else None
    return _admin_page(request, user, actor, action, table, since, until, page, notice=notice)


def _admin_page(
    request: Request,
    user: User,
    actor: str | None = None,
    action: str | None = None,
    table: str | None = None,
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
    *,
    notice: str | None = None,
    problem: str | None = None,
) -> HTMLResponse:
    v = audit_view(request, actor, action, table, since, until, page, user)
    return render(
        request,
        "admin.html",
        user,
        v=v,
        accounts=users(request, user),
        roles=ROLE_NAMES,
        regions=_counties(request),
        notice=notice,
        problem=problem,
        filters={
            "actor": actor or "",
            "action": action or "",
            "table": table or "",
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        },
    )
