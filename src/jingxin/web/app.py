"""The FastAPI application: pages, the JSON API, sign-in, errors, security headers.

``create_app(platform)`` wires one :class:`~jingxin.web.platform.Platform` (the store the
server owns) into the routes; ``jingxin serve`` runs it under uvicorn.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jingxin.errors import NotFoundError
from jingxin.reference import region_name
from jingxin.web import (
    admin,
    api,
    auth,
    data,
    energy,
    evaluation,
    grid,
    pages,
    sensitivity,
    tracking,
)
from jingxin.web.errors import install_handlers
from jingxin.web.platform import Platform
from jingxin.web.security import Throttle, check_csrf

__all__ = ["ECHARTS", "create_app", "echarts_installed"]

HERE = Path(str(files("jingxin.web")))
ECHARTS = HERE / "static" / "vendor" / "echarts.min.js"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def echarts_installed() -> bool:
    """Whether the setup has installed Apache ECharts (from npm) for the charts."""
    return ECHARTS.is_file() and ECHARTS.stat().st_size > 100_000


class SecurityHeaders:
    """Headers on every answer: no framing, no sniffing, a strict CSP, no shared caching.

    A plain ASGI middleware (Starlette's ``BaseHTTPMiddleware`` costs a task and a stream
    per request): it adds the headers to the start of each HTTP answer.
    """

    COMMON = (
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    )
    # Answers depend on who asks: never stored by a browser's or a proxy's cache.
    PRIVATE = (("Cache-Control", "no-store"), ("Vary", "Cookie"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = not scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = CSP
                for name, value in self.COMMON + (self.PRIVATE if private else ()):
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _number(x: Any, digits: int = 1) -> str:
    """A figure for a page: thousands separated, fixed decimals, ``—`` for none.

    >>> _number(12345.678), _number(None), _number(3, 0)
    ('12,345.7', '—', '3')
    """
    if x is None:
        return "—"
    return f"{float(x):,.{digits}f}"


def _signed(x: Any, digits: int = 1) -> str:
    """A growth with its sign.

    >>> _signed(6.2), _signed(-0.04), _signed(None)
    ('+6.2', '-0.0', '—')
    """
    return "—" if x is None else f"{float(x):+,.{digits}f}"


def _region(code: str | None) -> str:
    try:
        return region_name(code) if code else ""
    except NotFoundError:
        return str(code)


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer", "title": "HTTP 状态码"},
                "code": {"type": "string", "title": "错误代码"},
                "message": {"type": "string", "title": "中文说明"},
            },
        }
    },
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema with the one error shape where FastAPI would document its own 422 body."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = ERROR_SCHEMA
            schemas.pop("ValidationError", None)
        app.openapi_schema = schema
    return app.openapi_schema


def create_app(platform: Platform) -> FastAPI:
    """The web platform over ``platform``'s store."""
    app = FastAPI(
        title="经信平台 API",
        description="工业经济监测、企业画像与亩均效益评价。所有接口需登录；区县用户只能看到本区县企业。",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads from a CDN; the schema is at /openapi.json
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(check_csrf)],
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["num"] = _number
    templates.env.filters["signed"] = _signed
    templates.env.filters["region"] = _region
    templates.env.globals["echarts_installed"] = echarts_installed()
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.state.platform = platform
    app.state.templates = templates
    app.state.throttle = Throttle()
    app.add_middleware(SecurityHeaders)
    install_handlers(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(auth.api)
    app.include_router(auth.pages)
    app.include_router(api.router)
    app.include_router(evaluation.api)
    app.include_router(evaluation.pages)
    app.include_router(sensitivity.api)
    app.include_router(sensitivity.pages)
    app.include_router(data.api)
    app.include_router(data.pages)
    app.include_router(tracking.api)
    app.include_router(energy.api)
    app.include_router(grid.api)
    app.include_router(grid.pages)
    app.include_router(energy.pages)
    app.include_router(tracking.pages)
    app.include_router(admin.api)
    app.include_router(admin.pages)
    app.include_router(pages.router)
    return app
