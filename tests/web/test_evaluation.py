"""The evaluation's page and workflow through the platform: who may take which step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jingxin.store import Scope, Store
from jingxin.web.platform import Platform

from .conftest import COUNTY, OTHER, make_client, own_copy, sign_in


@pytest.fixture(scope="module")
def own_platform(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    p = own_copy(demo_store, tmp_path_factory.mktemp("eval"))
    yield p
    p.close()


@pytest.fixture(scope="module")
def as_(own_platform: Platform) -> dict[str, TestClient]:
    out = {}
    for name in ("analyst", "leader", f"county{COUNTY}"):
        c = make_client(own_platform)
        c.headers["X-CSRF-Token"] = sign_in(c, name)
        out[name.removesuffix(COUNTY)] = c
    return out


def _first(c: TestClient, region: str | None = None) -> str:
    q = f"&region={region}" if region else ""
    uscc: str = c.get(f"/api/enterprises?size=1&grade=B{q}").json()["items"][0]["uscc"]
    return uscc


def test_the_workflow_from_notice_to_final(
    as_: dict[str, TestClient], own_platform: Platform
) -> None:
    analyst, leader, county = as_["analyst"], as_["leader"], as_["county"]
    run = analyst.get("/api/evaluation").json()["run"]
    assert run["status"] == "draft" and run["can_notice"]
    # only the city's staff publish the notice
    assert (
        leader.post(f"/api/evaluation/runs/{run['id']}/notice", json={"days": 7}).status_code == 403
    )
    assert (
        county.post(f"/api/evaluation/runs/{run['id']}/notice", json={"days": 7}).status_code == 403
    )
    r = analyst.post(f"/api/evaluation/runs/{run['id']}/notice", json={"days": 7})
    assert r.status_code == 200 and r.json()["status"] == "notice"
    # a county files an objection for its own enterprise, not for another county's
    other = _first(analyst, OTHER)
    r = county.post(
        f"/api/evaluation/runs/{run['id']}/objections",
        json={"uscc": other, "claim": "x", "evidence": "y"},
    )
    assert r.status_code == 404 and other not in r.text
    own = _first(county)
    r = county.post(
        f"/api/evaluation/runs/{run['id']}/objections",
        json={"uscc": own, "claim": "亩均税收漏计一笔", "evidence": "完税证明"},
    )
    assert r.status_code == 201
    oid = r.json()["id"]
    objs = county.get("/api/evaluation").json()["objections"]
    assert [(o["id"], o["status_zh"], o["filed_by"]) for o in objs] == [
        (oid, "待处理", f"county{COUNTY}")
    ]
    assert analyst.get("/api/evaluation").json()["objections"][0]["id"] == oid
    # the county's 公示名单 holds its own enterprises only
    xlsx = county.get(f"/api/evaluation/runs/{run['id']}/notice-list?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # a county cannot decide; an open objection blocks the final version
    body = {"upheld": True, "decision": "核实无误", "new_class": "A"}
    assert county.post(f"/api/evaluation/objections/{oid}/decision", json=body).status_code == 403
    r = analyst.post(
        f"/api/evaluation/runs/{run['id']}/finalize", json={"force": True, "reason": "测试"}
    )
    assert r.status_code == 400
    r = analyst.post(f"/api/evaluation/objections/{oid}/decision", json=body)
    assert r.json() == {"regraded": True, "to_class": "A"}
    # inside the notice period only with a reason
    r = analyst.post(f"/api/evaluation/runs/{run['id']}/finalize", json={})
    assert r.status_code == 400 and "公示期内不能定稿" in r.json()["error"]["message"]
    r = analyst.post(
        f"/api/evaluation/runs/{run['id']}/finalize",
        json={"force": True, "reason": "市政府要求提前定稿"},
    )
    assert r.status_code == 200 and r.json()["status"] == "final"
    # the cached views follow the change: the enterprise is now A
    assert county.get(f"/api/enterprises/{own}").json()["evaluation"][0]["final_class"] == "A"
    with own_platform.read() as store:
        t = store.table("audit_log", Scope.city())
        actors = {
            r["actor"]
            for r in store.run(t.filter(t.table_name.startswith("evaluation"))).to_pylist()
        }
    assert {"analyst", f"county{COUNTY}"} <= actors


def test_the_page_offers_each_role_only_its_steps(as_: dict[str, TestClient]) -> None:
    page = as_["leader"].get("/evaluation")
    assert page.status_code == 200 and "亩均效益综合评价" in page.text
    assert "notice-form" not in page.text and "finalize-form" not in page.text
    county = as_["county"].get("/evaluation").text
    assert (
        "（本区县）" in county
        and "长兴县" in county
        and "吴兴区" not in county.split("by-county")[1].split("</table>")[0]
    )


def test_a_form_without_the_csrf_token_is_refused(own_platform: Platform) -> None:
    c = make_client(own_platform)
    sign_in(c, "analyst")
    r = c.post("/evaluation/1/notice", data={"days": "7"})
    assert r.status_code == 403 and "CSRF" in r.text
