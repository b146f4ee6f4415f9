"""The web platform over a copy of the demo store, with the demo's accounts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingxin.config import get_settings
from jingxin.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from jingxin.store import Scope, Store
from jingxin.web.app import create_app
from jingxin.web.platform import Platform

COUNTY = "330522"  # 长兴县
OTHER = "330502"  # 吴兴区


@pytest.fixture(scope="session")
def web_db(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the shared demo store, with the demo accounts."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    shutil.copy(demo_store.path, path)
    store = Store(path)
    create_demo_accounts(store)
    store.close()
    return path


def own_copy(demo_store: Store, folder: Path) -> Platform:
    """A platform over its own copy of the demo store, with the demo accounts: for tests
    that change what other tests read (the evaluation's workflow, uploads)."""
    path = folder / "own.duckdb"
    shutil.copy(demo_store.path, path)
    store = Store(path)
    create_demo_accounts(store)
    store.close()
    return Platform(path, get_settings())


@pytest.fixture(scope="session")
def platform(web_db: Path) -> Iterator[Platform]:
    p = Platform(web_db, get_settings())
    yield p
    p.close()


@pytest.fixture(scope="session")
def usccs_by_county(platform: Platform) -> dict[str, set[str]]:
    """Every enterprise's credit code, by county."""
    with platform.read() as store:
        e = store.table("enterprise", Scope.city())
        found = store.run(e.select("uscc", "region_code")).to_pylist()
    out: dict[str, set[str]] = {}
    for r in found:
        out.setdefault(r["region_code"], set()).add(r["uscc"])
    return out


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign ``client`` in through the API; returns the CSRF token."""
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    token: str = r.json()["csrf_token"]
    return token


def make_client(platform: Platform) -> TestClient:
    """A new browser-like client of a fresh app over the shared platform (own throttle)."""
    return TestClient(create_app(platform), base_url="http://127.0.0.1")


@pytest.fixture
def anon(platform: Platform) -> TestClient:
    return make_client(platform)


ROLES = {
    "admin": "admin",
    "analyst": "analyst",
    "leader": "leader",
    "county": f"county{COUNTY}",
}


@pytest.fixture(scope="session")
def clients(platform: Platform) -> dict[str, TestClient]:
    """One signed-in client per role (the county user is 长兴县's)."""
    out = {}
    for role, username in ROLES.items():
        c = make_client(platform)
        c.headers["X-CSRF-Token"] = sign_in(c, username)
        out[role] = c
    return out
