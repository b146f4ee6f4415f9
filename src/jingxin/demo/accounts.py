"""The demo's web accounts: one of each role, and one county user per county of the city.

Every demo account has the same password, :data:`DEMO_PASSWORD`, printed by ``jingxin
demo``: the demo store is rebuilt on every run and served on 127.0.0.1 only. A real
deployment creates its accounts with ``jingxin users add``.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingxin.reference import region_name
from jingxin.store import Scope, Store
from jingxin.store.users import add_user, get_user

__all__ = ["DEMO_PASSWORD", "DemoAccount", "create_demo_accounts"]

DEMO_PASSWORD = "jingxin-demo"  # noqa: S105 - published, for the demo store only


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as ``jingxin demo`` prints it."""

    username: str
    role: str
    region_code: str | None
    label: str


def create_demo_accounts(store: Store, actor: str = "demo") -> list[DemoAccount]:
    """Create (once) the demo's accounts: admin, analyst, leader, and each county's user."""
    e = store.table("enterprise", Scope.city())
    counties = sorted(
        r["region_code"] for r in store.run(e.select("region_code").distinct()).to_pylist()
    )
    wanted = [
        DemoAccount("admin", "admin", None, "系统管理员"),
        DemoAccount("analyst", "analyst", None, "市经信委分析员"),
        DemoAccount("leader", "leader", None, "委领导（只读）"),
        *[DemoAccount(f"county{c}", "county", c, f"{region_name(c)}经信局") for c in counties],
    ]
    for a in wanted:
        if get_user(store, a.username) is None:
            add_user(store, a.username, a.role, DEMO_PASSWORD, actor, a.region_code)
    return wanted
