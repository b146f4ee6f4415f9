"""The administrators' page: the audit log (filtered, read-only, in Chinese, never a
password) and the accounts, managed in the browser or through the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingxin.errors import InputError
from jingxin.store import Store
from jingxin.store.users import add_user, set_disabled
from jingxin.web.platform import Platform

from .conftest import make_client, own_copy, sign_in


def test_the_audit_log_is_filtered_and_read_only(
    clients: dict[str, TestClient], anon: TestClient
) -> None:
    admin = clients["admin"]
    v = admin.get("/api/admin/audit?action=login&actor=analyst").json()
    assert v["total"] >= 1 and {r["action"] for r in v["items"]} == {"login"}
    assert all(r["actor"] == "analyst" for r in v["items"])
    assert {"code": "login", "name": "登录"} in v["actions"] and "app_session" in v["tables"]
    assert {r["action_name"] for r in v["items"]} == {"登录"}
    page = admin.get("/admin?action=login")
    assert page.status_code == 200 and "审计日志" in page.text and "$argon2" not in page.text
    doc = anon.get("/openapi.json").json()
    for path, item in doc["paths"].items():
        if path.startswith("/api/admin/audit"):
            assert set(item) == {"get"}, path  # no route changes or deletes an audit row
    assert clients["analyst"].get("/admin").status_code == 403


def test_accounts_are_listed_without_hashes(clients: dict[str, TestClient]) -> None:
    users = clients["admin"].get("/api/admin/users").json()
    assert {
        "username": "county330522",
        "role": "county",
        "role_name": "区县用户",
        "region_code": "330522",
        "disabled": False,
    } in users
    assert all(
        set(u) == {"username", "role", "role_name", "region_code", "disabled"} for u in users
    )
    assert "argon2" not in str(users)


def _audited(admin: TestClient, username: str) -> list[str]:
    v = admin.get("/api/admin/audit?table=app_user&actor=admin").json()
    return [r["action"] for r in v["items"] if f'"{username}"' in (r["key"] or "")]


def test_an_administrator_adds_disables_enables_and_resets_an_account(
    clients: dict[str, TestClient], platform: Platform
) -> None:
    admin = clients["admin"]
    body = {"username": "clerk-t1", "role": "county", "region_code": "330523"}
    r = admin.post("/api/admin/users", json={**body, "password": "first-pass-1"})
    assert r.status_code == 201, r.text
    assert r.json() == {**body, "role_name": "区县用户", "disabled": False}
    clerk = make_client(platform)
    sign_in(clerk, "clerk-t1", "first-pass-1")
    assert clerk.get("/api/auth/me").json()["user"]["region_code"] == "330523"
    # disabled: the session ends at once and the password no longer signs in
    r = admin.post("/api/admin/users/clerk-t1/disabled", json={"disabled": True})
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert clerk.get("/api/auth/me").status_code == 401
    r = clerk.post("/api/auth/login", json={"username": "clerk-t1", "password": "first-pass-1"})
    assert r.status_code == 401
    assert (
        admin.post("/api/admin/users/clerk-t1/disabled", json={"disabled": False}).json()[
            "disabled"
        ]
        is False
    )
    sign_in(clerk, "clerk-t1", "first-pass-1")
    # a new password ends the session; the old password is refused, the new one works
    r = admin.post("/api/admin/users/clerk-t1/password", json={"password": "second-pass-2"})
    assert r.status_code == 200
    assert clerk.get("/api/auth/me").status_code == 401
    r = clerk.post("/api/auth/login", json={"username": "clerk-t1", "password": "first-pass-1"})
    assert r.status_code == 401
    sign_in(clerk, "clerk-t1", "second-pass-2")
    assert _audited(admin, "clerk-t1") == [
        "reset_password",
        "enable_user",
        "disable_user",
        "add_user",
    ]
    assert "second-pass" not in admin.get("/api/admin/audit").text


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"username": "x-t2", "role": "county", "password": "long-enough-1"}, "区县"),
        ({"username": "x-t2", "role": "analyst", "password": "short"}, "密码"),
        ({"username": "admin", "role": "analyst", "password": "long-enough-1"}, "已存在"),
    ],
)
def test_an_account_that_cannot_be_added_is_refused_in_chinese(
    clients: dict[str, TestClient], body: dict[str, str], says: str
) -> None:
    r = clients["admin"].post("/api/admin/users", json=body)
    assert r.status_code == 400 and says in r.json()["error"]["message"], r.text


def test_no_one_disables_their_own_account_or_the_last_administrator(
    clients: dict[str, TestClient], tmp_path: Path, demo_store: Store
) -> None:
    r = clients["admin"].post("/api/admin/users/admin/disabled", json={"disabled": True})
    assert r.status_code == 400 and "不能停用自己的账户" in r.json()["error"]["message"]
    own = own_copy(demo_store, tmp_path)
    try:
        with own.write() as store:
            add_user(store, "second-admin", "admin", "long-enough-1", "测试", None)
            set_disabled(store, "admin", True, "second-admin")
            with pytest.raises(InputError, match="最后一个启用的系统管理员"):
                set_disabled(store, "second-admin", True, "测试")
    finally:
        own.close()


@pytest.mark.parametrize("role", ["analyst", "leader", "county"])
def test_only_an_administrator_manages_accounts(clients: dict[str, TestClient], role: str) -> None:
    c = clients[role]
    new = {"username": "x-t3", "role": "admin", "password": "long-enough-1"}
    assert c.post("/api/admin/users", json=new).status_code == 403
    assert c.post("/api/admin/users/admin/disabled", json={"disabled": True}).status_code == 403
    r = c.post("/api/admin/users/admin/password", json={"password": "long-enough-1"})
    assert r.status_code == 403


def test_a_change_without_the_csrf_token_is_refused(platform: Platform) -> None:
    c = make_client(platform)
    sign_in(c, "admin")  # the token is not sent back
    new = {"username": "x-t4", "role": "analyst", "password": "long-enough-1"}
    assert c.post("/api/admin/users", json=new).status_code == 403
    r = c.post("/admin/users", data={**new, "region_code": ""})
    assert r.status_code == 403
    assert all(u["username"] != "x-t4" for u in c.get("/api/admin/users").json())


def test_the_page_adds_an_account_and_says_what_it_did_or_why_not(
    clients: dict[str, TestClient],
) -> None:
    admin = clients["admin"]
    token = admin.headers["X-CSRF-Token"]
    page = admin.get("/admin").text
    assert 'id="add-user"' in page and f'value="{token}"' in page
    form = {"csrf_token": token, "username": "clerk-t5", "role": "county", "password": "p-12345678"}
    r = admin.post("/admin/users", data={**form, "region_code": "330502"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin?done=added&who=clerk-t5"
    assert "已新增用户clerk-t5。" in admin.get(r.headers["location"]).text
    again = admin.post("/admin/users", data={**form, "region_code": "330502"})
    assert again.status_code == 400 and "用户 clerk-t5 已存在" in again.text
    no_county = admin.post("/admin/users", data={**form, "username": "clerk-t6", "region_code": ""})
    assert no_county.status_code == 400 and "区县" in no_county.text
    r = admin.post(
        "/admin/users/clerk-t5/disabled",
        data={"csrf_token": token, "disabled": "true"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "done=disabled" in r.headers["location"]
    row = re.search(r"<td>clerk-t5</td>.*?</tr>", admin.get("/admin").text, re.S)
    assert row is not None and "已停用" in row.group(0)
