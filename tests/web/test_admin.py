"""The administrators' audit page: filtered, read-only, and never a password."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_audit_log_is_filtered_and_read_only(
    clients: dict[str, TestClient], anon: TestClient
) -> None:
    admin = clients["admin"]
    v = admin.get("/api/admin/audit?action=login&actor=analyst").json()
    assert v["total"] >= 1 and {r["action"] for r in v["items"]} == {"login"}
    assert all(r["actor"] == "analyst" for r in v["items"])
    assert "login" in v["actions"] and "app_session" in v["tables"]
    page = admin.get("/admin?action=login")
    assert page.status_code == 200 and "审计日志" in page.text and "$argon2" not in page.text
    doc = anon.get("/openapi.json").json()
    for path, item in doc["paths"].items():
        if path.startswith("/api/admin"):
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
    assert "hash" not in str(users)
