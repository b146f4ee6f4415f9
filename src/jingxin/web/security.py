"""Who is asking: sessions, CSRF, sign-in throttling and the permission dependencies.

* The session cookie (:data:`SESSION_COOKIE`) is HttpOnly, SameSite=Lax, and Secure when
  ``JINGXIN_COOKIE_SECURE`` is set; its token is looked up by its HMAC
  (:mod:`jingxin.store.users`).
* Every state-changing request (POST, PUT, PATCH, DELETE) of a signed-in user must carry the
  session's CSRF token, as the header ``X-CSRF-Token`` (API clients) or the form field
  ``csrf_token`` (pages); the sign-in form carries a token of its own cookie
  (double-submit), the JSON sign-in needs ``Content-Type: application/json``.
* Sign-in is throttled per username and per client address (:class:`Throttle`).
* A route says what it needs with :func:`reader`, :func:`writer` or :func:`role`; each
  gives the signed-in :class:`~jingxin.store.users.User`, whose ``scope`` the views read
  under. No session: 401 (pages redirect to the sign-in page), fail closed.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from fastapi import Depends, Request

from jingxin.store.users import Session, User
from jingxin.web.errors import ApiError

__all__ = [
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "Throttle",
    "check_csrf",
    "current_session",
    "reader",
    "role",
    "writer",
]

SESSION_COOKIE = "jingxin_session"
LOGIN_CSRF_COOKIE = "jingxin_login_csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Throttle:
    """At most ``limit`` refused sign-ins per key within ``window`` seconds.

    Examples
    --------
    >>> t = Throttle(limit=2, window=60)
    >>> t.refuse("user:a", now=0); t.refuse("user:a", now=1)
    >>> t.blocked("user:a", now=2), t.blocked("user:b", now=2), t.blocked("user:a", now=62)
    (True, False, False)
    """

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        q = self._seen[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, key: str, now: float | None = None) -> bool:
        """Whether ``key`` has used up its attempts."""
        with self._lock:
            return len(self._trim(key, time.monotonic() if now is None else now)) >= self.limit

    def refuse(self, key: str, now: float | None = None) -> None:
        """Count one refused attempt of ``key``."""
        with self._lock:
            at = time.monotonic() if now is None else now
            self._trim(key, at).append(at)

    def clear(self, key: str) -> None:
        """Forget ``key``'s refused attempts (after a successful sign-in)."""
        with self._lock:
            self._seen.pop(key, None)


def current_session(request: Request) -> Session | None:
    """The live session of the request's cookie, or ``None``."""
    if hasattr(request.state, "session"):
        cached: Session | None = request.state.session
        return cached
    platform = request.app.state.platform
    session: Session | None = platform.session(request.cookies.get(SESSION_COOKIE, ""))
    request.state.session = session
    request.state.user = session.user if session else None
    return session


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request of a session that lacks the session's CSRF token."""
    if request.method not in UNSAFE:
        return
    session = current_session(request)
    if session is None:
        return  # the route's permission dependency answers 401
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, session.csrf_token):
        raise ApiError(403, "请求缺少有效的 CSRF 令牌：请刷新页面后重试。", "csrf_failed")


def _signed_in(request: Request) -> User:
    session = current_session(request)
    if session is None:
        raise ApiError(401)
    return session.user


def reader(user: User = Depends(_signed_in)) -> User:
    """Any signed-in user (each reads under its own scope)."""
    return user


def writer(user: User = Depends(_signed_in)) -> User:
    """A user who may change records: not a leader (read-only)."""
    if not user.can_write:
        raise ApiError(403, "领导账号只能查看，不能修改数据。")
    return user


def role(*roles: str) -> Callable[[User], User]:
    """A dependency admitting only users of ``roles``."""

    def _check(user: User = Depends(_signed_in)) -> User:
        if user.role not in roles:
            raise ApiError(403)
        return user

    return _check
