"""Accounts and sessions of the web platform: who may sign in, in which role, for which county.

Roles (:data:`ROLES`): ``admin`` (manages accounts, sees the audit log), ``analyst`` (the
city bureau: reads and changes the whole city), ``county`` (a county's staff: bound to one
county, reads the city's aggregates and its own county's enterprises, changes only those),
``leader`` (reads the whole city, changes nothing).

Passwords are stored as argon2id hashes (argon2-cffi's defaults). A session's cookie holds a
random token; the store keeps only its HMAC-SHA256 under the platform's secret key, with the
session's CSRF token and absolute expiry. Every change of an account and every sign-in is
written to ``audit_log`` in the change's own transaction; no hash ever enters the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from jingxin.errors import InputError, NotFoundError
from jingxin.reference import regions
from jingxin.store.audit import now, write_audit
from jingxin.store.db import Store
from jingxin.store.scope import Scope

__all__ = [
    "ROLES",
    "ROLE_NAMES",
    "Session",
    "User",
    "add_user",
    "check_password",
    "end_session",
    "get_user",
    "list_users",
    "note_failed_login",
    "reset_password",
    "session_of",
    "set_disabled",
    "start_session",
]

ROLE_NAMES = {
    "admin": "系统管理员",
    "analyst": "市级分析员",
    "county": "区县用户",
    "leader": "领导",
}
ROLES = tuple(ROLE_NAMES)
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# A hash to verify against when the user does not exist, so that a wrong username costs the
# same time as a wrong password (no account enumeration by timing).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    """An account as the platform uses it (never with its hash)."""

    username: str
    role: str
    region_code: str | None
    disabled: bool

    @property
    def scope(self) -> Scope:
        """Which enterprises this account may see: the city, or its county only."""
        if self.role == "county":
            return Scope.of(self.region_code) if self.region_code else Scope.of()
        if self.role in ("admin", "analyst", "leader"):
            return Scope.city()
        return Scope.of()  # an unknown role sees nothing (fail closed)

    @property
    def can_write(self) -> bool:
        """Whether the account may change records (leaders only read)."""
        return self.role in ("admin", "analyst", "county") and not self.disabled

    @property
    def role_name(self) -> str:
        """The role in Chinese."""
        return ROLE_NAMES.get(self.role, self.role)

    def public(self) -> dict[str, Any]:
        """The account as the API shows it."""
        return {
            "username": self.username,
            "role": self.role,
            "role_name": self.role_name,
            "region_code": self.region_code,
            "disabled": self.disabled,
        }


@dataclass(frozen=True)
class Session:
    """A signed-in session: its user, its CSRF token and when it ends."""

    user: User
    csrf_token: str
    expires_at: datetime


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or any(c.isspace() or c in "<>\"'&/\\" for c in name):
        raise InputError(
            f"用户名 {username!r} 无效：应为 1–64 个字符，不含空格、引号、尖括号和斜杠。"
        )
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码太短：至少 {MIN_PASSWORD} 个字符。")


def _check_role(role: str, region_code: str | None) -> None:
    if role not in ROLES:
        raise InputError(f"角色 {role!r} 无效：应为 {'、'.join(ROLES)} 之一。")
    if role == "county":
        counties = {c for c, r in regions().items() if r.level not in ("省", "地级市")}
        if not region_code:
            raise InputError("区县用户须指定所属区县：--region 区县代码（如 330522）。")
        if region_code not in counties:
            raise InputError(f"区县代码 {region_code!r} 不是本市的区县。")
    elif region_code:
        raise InputError(f"只有区县用户（county）才绑定区县；角色 {role} 不能指定 --region。")


def _user(row: tuple[Any, ...]) -> User:
    return User(row[0], row[1], row[2], bool(row[3]))


def get_user(store: Store, username: str) -> User | None:
    """The account ``username``, or ``None``."""
    rows = store.con.execute(
        "select username, role, region_code, disabled from app_user where username = ?",
        [username],
    ).fetchall()
    return _user(rows[0]) if rows else None


def list_users(store: Store) -> list[User]:
    """Every account, by username."""
    rows = store.con.execute(
        "select username, role, region_code, disabled from app_user order by username"
    ).fetchall()
    return [_user(r) for r in rows]


def add_user(
    store: Store, username: str, role: str, password: str, actor: str, region_code: str | None
) -> User:
    """Create an account (audited).

    Raises
    ------
    InputError
        When the name, role, county or password is not acceptable, or the name is taken.
    """
    name = _check_username(username)
    _check_role(role, region_code)
    _check_password(password)
    if get_user(store, name) is not None:
        raise InputError(f"用户 {name} 已存在。")
    at = now()
    with store.transaction() as con:
        con.execute(
            "insert into app_user values (?, ?, ?, ?, false, ?, ?)",
            [name, role, region_code, _hasher.hash(password), at, at],
        )
        after = {"role": role, "region_code": region_code, "disabled": False}
        write_audit(con, actor, "add_user", "app_user", {"username": name}, None, after)
    return User(name, role, region_code, False)


def _existing(store: Store, username: str) -> User:
    user = get_user(store, username)
    if user is None:
        raise NotFoundError(f"没有用户 {username}。")
    return user


def set_disabled(store: Store, username: str, disabled: bool, actor: str) -> User:
    """Disable (or enable again) an account; a disabled account's sessions end (audited).

    Raises
    ------
    InputError
        When it would disable the last enabled administrator (nobody could manage accounts).
    """
    user = _existing(store, username)
    if disabled and user.role == "admin" and not user.disabled:
        others = store.con.execute(
            "select count(*) from app_user where role = 'admin' and not disabled and username <> ?",
            [username],
        ).fetchall()[0][0]
        if not others:
            raise InputError(f"不能停用 {username}：这是最后一个启用的系统管理员账户。")
    with store.transaction() as con:
        con.execute("update app_user set disabled = ? where username = ?", [disabled, username])
        if disabled:
            con.execute("delete from app_session where username = ?", [username])
        write_audit(
            con,
            actor,
            "disable_user" if disabled else "enable_user",
            "app_user",
            {"username": username},
            {"disabled": user.disabled},
            {"disabled": disabled},
        )
    return User(user.username, user.role, user.region_code, disabled)


def reset_password(store: Store, username: str, password: str, actor: str) -> None:
    """Set a new password; every session of the account ends (audited, without the hash)."""
    _existing(store, username)
    _check_password(password)
    with store.transaction() as con:
        con.execute(
            "update app_user set password_hash = ?, password_changed_at = ? where username = ?",
            [_hasher.hash(password), now(), username],
        )
        con.execute("delete from app_session where username = ?", [username])
        write_audit(
            con,
            actor,
            "reset_password",
            "app_user",
            {"username": username},
            None,
            {"password": "已更改"},
        )


def check_password(store: Store, username: str, password: str) -> User | None:
    """The enabled account whose password this is, else ``None`` (same cost either way)."""
    rows = store.con.execute(
        "select username, role, region_code, disabled, password_hash from app_user "
        "where username = ?",
        [username],
    ).fetchall()
    stored = rows[0][4] if rows else _DUMMY_HASH
    try:
        ok: bool = _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not rows or not ok or rows[0][3]:
        return None
    return _user(rows[0][:4])


def note_failed_login(store: Store, username: str, client: str) -> None:
    """Record a refused sign-in in the audit log (the name as typed, never the password)."""
    with store.transaction() as con:
        write_audit(
            con,
            username[:64],
            "login_refused",
            "app_session",
            {"username": username[:64]},
            None,
            {"client": client},
        )


def _token_hash(secret: str, token: str) -> str:
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def start_session(
    store: Store, user: User, secret: str, hours: float, client: str
) -> tuple[str, Session]:
    """Open a session for ``user``: returns the cookie's token and the session (audited)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    at = now()
    until = at + timedelta(hours=hours)
    with store.transaction() as con:
        con.execute("delete from app_session where expires_at < ?", [at])
        con.execute(
            "insert into app_session values (?, ?, ?, ?, ?)",
            [_token_hash(secret, token), user.username, csrf, at, until],
        )
        write_audit(
            con,
            user.username,
            "login",
            "app_session",
            {"username": user.username},
            None,
            {"client": client, "expires_at": until.isoformat(timespec="seconds")},
        )
    return token, Session(user, csrf, until)


def session_of(store: Store, token: str, secret: str) -> Session | None:
    """The live session of a cookie's token, with its enabled user, else ``None``."""
    if not token or len(token) > 128:
        return None
    rows = store.con.execute(
        "select u.username, u.role, u.region_code, u.disabled, s.csrf_token, s.expires_at "
        "from app_session s join app_user u using (username) "
        "where s.token_hash = ? and s.expires_at > ? and not u.disabled",
        [_token_hash(secret, token), now()],
    ).fetchall()
    if not rows:
        return None
    r = rows[0]
    return Session(_user(r[:4]), r[4], r[5])


def end_session(store: Store, token: str, secret: str, actor: str) -> None:
    """End the session of a cookie's token (audited); nothing happens for an unknown one."""
    with store.transaction() as con:
        gone = con.execute(
            "delete from app_session where token_hash = ? returning username",
            [_token_hash(secret, token)],
        ).fetchall()
        if gone:
            write_audit(con, actor, "logout", "app_session", {"username": gone[0][0]}, None, None)
