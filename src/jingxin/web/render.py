"""One way to render a page: the template with the user, the session's CSRF token (for the
page's forms) and the current path (for the navigation)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from jingxin.store.users import User
from jingxin.web.security import current_session

__all__ = ["render"]


def render(
    request: Request, template: str, user: User | None, *, status: int = 200, **context: Any
) -> HTMLResponse:
    """``template`` rendered for ``user`` with ``context``."""
    session = current_session(request)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "csrf_token": session.csrf_token if session else "",
            "path": request.url.path,
            **context,
        },
        status_code=status,
    )
    return response
