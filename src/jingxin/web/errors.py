"""One error shape for every API error, and Chinese error pages for the browser.

Every error under ``/api/`` answers ``{"error": {"status": N, "code": "...", "message":
"..."}}`` with the HTTP status ``N``: the platform's own errors (:mod:`jingxin.errors`), a
refused sign-in or permission, a missing page, a request that does not validate, and the
last resort (a bug: its traceback is logged, the answer says only that it was logged).
Pages answer the same status with the message in the page layout.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jingxin.errors import ConfigError, DataError, InputError, JingxinError, NotFoundError

__all__ = ["ApiError", "error_body", "install_handlers"]

log = logging.getLogger("jingxin.web")

CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    429: "too_many_attempts",
    500: "server_error",
}
MESSAGES = {
    401: "未登录或登录已过期：请先登录。",
    403: "没有权限进行此操作。",
    404: "没有找到所请求的内容。",
    405: "不支持此请求方法。",
    500: "服务器内部错误，已记录日志；请联系系统管理员。",
}


class ApiError(Exception):
    """An error answered with ``status`` and a Chinese ``message``."""

    def __init__(self, status: int, message: str | None = None, code: str | None = None) -> None:
        self.status = status
        self.message = message or MESSAGES.get(status, "请求有误。")
        self.code = code or CODES.get(status, "error")
        super().__init__(self.message)


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    """The JSON body of an API error.

    Examples
    --------
    >>> error_body(404, "没有找到所请求的内容。")
    {'error': {'status': 404, 'code': 'not_found', 'message': '没有找到所请求的内容。'}}
    """
    return {
        "error": {"status": status, "code": code or CODES.get(status, "error"), "message": message}
    }


def _status_of(exc: JingxinError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, DataError):
        return 409
    if isinstance(exc, ConfigError):
        return 500
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _answer(request: Request, status: int, message: str, code: str | None = None) -> Response:
    if _is_api(request):
        headers = {"WWW-Authenticate": "Cookie"} if status == 401 else None
        return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)
    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "user": getattr(request.state, "user", None)},
        status_code=status,
    )
    return page


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
        parts.append(f"{where or '请求'}：{e.get('msg', '无效')}")
    return "请求参数无效：" + "；".join(parts[:5])


def install_handlers(app: FastAPI) -> None:
    """Route every error through :func:`_answer`."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return _answer(request, exc.status, exc.message, exc.code)

    @app.exception_handler(JingxinError)
    async def _platform(request: Request, exc: JingxinError) -> Response:
        return _answer(request, _status_of(exc), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        message = MESSAGES.get(status) or (
            exc.detail if isinstance(exc.detail, str) else "请求有误。"
        )
        return _answer(request, status, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _answer(request, 422, _validation_message(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("未处理的错误：%s %s", request.method, request.url.path)
        return _answer(request, 500, MESSAGES[500])
