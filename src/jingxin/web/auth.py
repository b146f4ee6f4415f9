"""Signing in and out, for the API (JSON) and for the pages (a form).

Both paths end in :func:`sign_in`: throttled (per username and per client address), the
same answer for an unknown user and a wrong password, a new session whose cookie is
HttpOnly and SameSite=Lax (Secure when configured), every refusal and sign-in audited.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from jingxin.store.users import (
    Session,
    User,
    check_password,
    end_session,
    note_failed_login,
    start_session,
)
from jingxin.web.errors import ApiError
from jingxin.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, current_session, reader

__all__ = ["api", "pages", "sign_in"]

api = APIRouter(prefix="/api/auth", tags=["登录"])
pages = APIRouter(include_in_schema=False)

REFUSED = "用户名或密码错误。"


class Credentials(BaseModel):
    """A sign-in request."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class SignedIn(BaseModel):
    """The answer to a sign-in: the CSRF token to send back as ``X-CSRF-Token``."""

    csrf_token: str
    user: dict[str, Any]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in(request: Request, response: Response, username: str, password: str) -> Session:
    """Check the credentials and open a session, setting its cookie on ``response``."""
    platform = request.app.state.platform
    throttle = request.app.state.throttle
    client = _client(request)
    keys = (f"user:{username}", f"ip:{client}")
    if any(throttle.blocked(k) for k in keys):
        raise ApiError(429, "登录失败次数过多：请 15 分钟后再试，或请管理员重置密码。")
    with platform.write(data=False) as store:
        user = check_password(store, username, password)
        if user is None:
            for k in keys:
                throttle.refuse(k)
            note_failed_login(store, username, client)
            raise ApiError(401, REFUSED, "login_failed")
        token, session = start_session(
            store, user, platform.settings.secret_key, platform.settings.session_hours, client
        )
    throttle.clear(keys[0])
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(platform.settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=platform.settings.cookie_secure,
        path="/",
    )
    return session


def _sign_out(request: Request, response: Response, user: User) -> None:
    platform = request.app.state.platform
    token = request.cookies.get(SESSION_COOKIE, "")
    with platform.write(data=False) as store:
        end_session(store, token, platform.settings.secret_key, user.username)
    response.delete_cookie(SESSION_COOKIE, path="/")


@api.post("/login", summary="登录", response_model=SignedIn)
def login(body: Credentials, request: Request, response: Response) -> SignedIn:
    """Sign in with a JSON body; sets the session cookie and returns the CSRF token."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise ApiError(
            415, "登录请求须为 JSON（Content-Type: application/json）。", "bad_content_type"
        )
    session = sign_in(request, response, body.username, body.password)
    return SignedIn(csrf_token=session.csrf_token, user=session.user.public())


@api.post("/logout", summary="退出登录")
def logout(request: Request, response: Response, user: User = Depends(reader)) -> dict[str, bool]:
    """End the session (needs the CSRF token)."""
    _sign_out(request, response, user)
    return {"ok": True}


@api.get("/me", summary="当前用户", response_model=SignedIn)
def me(request: Request, user: User = Depends(reader)) -> SignedIn:
    """The signed-in user and the session's CSRF token."""
    session = current_session(request)
    assert session is not None
    return SignedIn(csrf_token=session.csrf_token, user=user.public())


def _login_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    next_url = request.query_params.get("next", "/")
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request,
        "login.html",
        {"login_csrf": token, "error": error, "next": _safe_next(next_url), "user": None},
        status_code=status,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", path="/login")
    return response


def _safe_next(url: str) -> str:
    """Only a path of this site (no scheme, no other host) may follow a sign-in.

    >>> _safe_next("/enterprises"), _safe_next("//evil.example"), _safe_next("https://x")
    ('/enterprises', '/', '/')
    """
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


@pages.get("/login")
def login_page(request: Request) -> Response:
    if current_session(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


@pages.post("/login")
def login_form(
    request: Request,
    username: str = Form(max_length=64),
    password: str = Form(max_length=256),
    login_csrf: str = Form(max_length=64),
    next_url: str = Form("/", alias="next", max_length=512),
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_csrf):
        return _login_page(request, "登录页面已过期：请重新输入。", 403)
    response = RedirectResponse(_safe_next(next_url), status_code=303)
    try:
        sign_in(request, response, username.strip(), password)
    except ApiError as exc:
        return _login_page(request, exc.message, exc.status)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@pages.post("/logout")
def logout_form(request: Request, user: User = Depends(reader)) -> Response:
    response = RedirectResponse("/login", status_code=303)
    _sign_out(request, response, user)
    return response
