"""Signing in and out: hashed passwords, safe cookies, CSRF, throttling, audit."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from jingxin.config import Settings, get_settings
from jingxin.errors import ConfigError
from jingxin.store import Scope
from jingxin.store.users import add_user, reset_password, set_disabled
from jingxin.web.platform import Platform
from jingxin.web.security import SESSION_COOKIE

from .conftest import make_client, sign_in


def test_sign_in_sets_a_safe_cookie_and_returns_a_csrf_token(anon: TestClient) -> None:
    r = anon.post("/api/auth/login", json={"username": "analyst", "password": "jingxin-demo"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["csrf_token"]) >= 32
    assert body["user"] == {
        "username": "analyst",
        "role": "analyst",
        "role_name": "市级分析员",
        "region_code": None,
        "disabled": False,
    }
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # JINGXIN_COOKIE_SECURE is off by default
    assert anon.get("/api/auth/me").json()["user"]["username"] == "analyst"


def test_wrong_password_and_unknown_user_get_the_same_answer(anon: TestClient) -> None:
    a = anon.post("/api/auth/login", json={"username": "analyst", "password": "wrong-password"})
    b = anon.post("/api/auth/login", json={"username": "nobody", "password": "wrong-password"})
    assert a.status_code == b.status_code == 401
    assert (
        a.json()
        == b.json()
        == {"error": {"status": 401, "code": "login_failed", "message": "用户名或密码错误。"}}
    )
    assert SESSION_COOKIE not in anon.cookies


def test_state_changes_need_the_sessions_csrf_token(anon: TestClient) -> None:
    token = sign_in(anon, "analyst")
    r = anon.post("/api/auth/logout")
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = anon.post("/api/auth/logout", headers={"X-CSRF-Token": "x" + token[1:]})
    assert r.status_code == 403
    assert anon.get("/api/auth/me").status_code == 200  # still signed in
    r = anon.post("/api/auth/logout", headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json() == {"ok": True}
    assert anon.get("/api/auth/me").status_code == 401


def test_a_logged_out_token_is_dead_even_if_replayed(platform: Platform) -> None:
    c = make_client(platform)
    token = sign_in(c, "leader")
    stolen = c.cookies[SESSION_COOKIE]
    c.post("/api/auth/logout", headers={"X-CSRF-Token": token})
    replay = make_client(platform)
    replay.cookies.set(SESSION_COOKIE, stolen)
    assert replay.get("/api/overview").status_code == 401


def test_json_sign_in_refuses_a_form_body(anon: TestClient) -> None:
    r = anon.post(
        "/api/auth/login",
        content=json.dumps({"username": "analyst", "password": "jingxin-demo"}),
        headers={"content-type": "text/plain"},
    )
    assert r.status_code in (415, 422)
    assert "error" in r.json()


def test_sign_in_is_throttled_after_five_refusals(platform: Platform) -> None:
    c = make_client(platform)
    for _ in range(5):
        assert (
            c.post(
                "/api/auth/login", json={"username": "leader", "password": "nope-nope"}
            ).status_code
            == 401
        )
    r = c.post("/api/auth/login", json={"username": "leader", "password": "jingxin-demo"})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.json()["error"]["message"]


def test_passwords_are_argon2_hashes_and_never_audited(platform: Platform) -> None:
    with platform.write() as store:
        add_user(store, "hash-check", "analyst", "correct horse 9", "测试", None)
        stored = store.arrow("select password_hash from app_user where username = 'hash-check'")
        audit = store.arrow("select * from audit_log where table_name = 'app_user'").to_pylist()
    h = stored.column(0)[0].as_py()
    assert h.startswith("$argon2id$") and "correct horse" not in h
    assert all("argon2" not in json.dumps(r, default=str) for r in audit)
    assert any(r["action"] == "add_user" and r["actor"] == "测试" for r in audit)


def test_disabling_or_resetting_ends_every_session(platform: Platform) -> None:
    with platform.write() as store:
        add_user(store, "temp-county", "county", "temporary-9", "测试", "330523")
    c = make_client(platform)
    sign_in(c, "temp-county", "temporary-9")
    with platform.write() as store:
        reset_password(store, "temp-county", "another-pass-9", "测试")
    assert c.get("/api/auth/me").status_code == 401
    sign_in(c, "temp-county", "another-pass-9")
    with platform.write() as store:
        set_disabled(store, "temp-county", True, "测试")
    assert c.get("/api/auth/me").status_code == 401
    r = c.post("/api/auth/login", json={"username": "temp-county", "password": "another-pass-9"})
    assert r.status_code == 401


def test_sign_ins_and_refusals_are_audited(platform: Platform) -> None:
    c = make_client(platform)
    c.post("/api/auth/login", json={"username": "admin", "password": "bad-password"})
    sign_in(c, "admin")
    with platform.read() as store:
        t = store.table("audit_log", Scope.city())
        rows = store.run(t.filter(t.table_name == "app_session")).to_pylist()
    actions = [(r["actor"], r["action"]) for r in rows]
    assert ("admin", "login_refused") in actions and ("admin", "login") in actions
    assert all("bad-password" not in (r["after"] or "") for r in rows)


def test_the_sign_in_form_needs_its_own_token_and_redirects_safely(anon: TestClient) -> None:
    page = anon.get("/login?next=//evil.example/")
    assert page.status_code == 200 and "登录" in page.text
    token = anon.cookies["jingxin_login_csrf"]
    form = {"username": "analyst", "password": "jingxin-demo", "next": "//evil.example/"}
    forged = anon.post("/login", data=form | {"login_csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 403 and "登录页面已过期" in forged.text
    token = anon.cookies["jingxin_login_csrf"]  # the refusal's page carries a new token
    ok = anon.post("/login", data=form | {"login_csrf": token}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/"


def test_pages_send_a_visitor_to_the_sign_in_page(anon: TestClient) -> None:
    r = anon.get("/counties", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/counties"


def test_settings_refuse_the_development_key_outside_development(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JINGXIN_ENV", "production")
    with pytest.raises(ConfigError, match="JINGXIN_SECRET_KEY 未设置"):
        get_settings()
    monkeypatch.setenv("JINGXIN_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="太短"):
        get_settings()
    monkeypatch.setenv("JINGXIN_SECRET_KEY", "k" * 40)
    assert get_settings().env == "production"
    assert Settings().secret_key == "k" * 40


def test_answers_are_never_cached_and_pages_cannot_be_framed(anon: TestClient) -> None:
    sign_in(anon, "analyst")
    r = anon.get("/api/overview")
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]
