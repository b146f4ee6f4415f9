"""The API's answers: figures from the store's computation, one error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jingxin.store import Scope, Store
from jingxin.tracking.bulletin import bulletin_data
from jingxin.web.errors import error_body

from .conftest import COUNTY


def test_overview_figures_are_the_bulletins(
    clients: dict[str, TestClient], demo_store: Store
) -> None:
    v = clients["leader"].get("/api/overview?period=2016-09").json()
    b = bulletin_data(demo_store, "2016-09", Scope.city())
    va = next(h for h in v["headline"] if h["label"] == "规上工业增加值")
    assert va["value"] == round(b.industry[0]["value_added"], 2)
    assert va["growth_pct"] == round(b.industry[0]["value_added_growth_pct"], 1)
    line = v["charts"]["growth"]["series"][0]
    assert line["name"] == "规上工业增加值"
    assert line["data"][8] == va["growth_pct"] and line["data"][9] is None  # Sept, no Oct
    assert "数据截至" in v["as_of"]
    colours = {r["warning"] for r in v["progress"]}
    assert colours <= {"green", "blue", "orange", "red", None} and colours


def test_search_sorts_the_fastest_growing_of_a_county(clients: dict[str, TestClient]) -> None:
    v = clients["analyst"].get(f"/api/enterprises?region={COUNTY}&sort=growth&size=10").json()
    growth = [i["growth_pct"] for i in v["items"]]
    assert growth == sorted(growth, reverse=True) and len(growth) == 10
    assert {i["region_name"] for i in v["items"]} == {"长兴县"}


def test_profile_has_every_departments_records(clients: dict[str, TestClient]) -> None:
    first = clients["county"].get("/api/enterprises?size=1").json()["items"][0]
    p = clients["county"].get(f"/api/enterprises/{first['uscc']}").json()
    assert p["register"]["name"] == first["name"]
    assert p["monthly"] and p["monthly"][-1]["period"] == p["period"]
    assert p["evaluation"][0]["final_class"] == first["class"]
    labels = {peer["label"] for peer in p["compare"][0]["peers"]}
    assert {"长兴县规上工业", "全市规上工业"} <= labels
    assert all(str(m["source_file_id"]) in p["sources"] for m in p["monthly"])


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/enterprises/not-a-code", 422, "invalid_request"),
        ("/api/overview?period=2016-13", 400, "bad_request"),
        ("/api/overview?period=2014-05", 409, "conflict"),
        ("/api/overview?period=16-1", 422, "invalid_request"),
        ("/api/enterprises?size=0", 422, "invalid_request"),
        ("/api/nothing-here", 404, "not_found"),
    ],
)
def test_every_error_has_one_shape(
    clients: dict[str, TestClient], url: str, status: int, code: str
) -> None:
    r = clients["analyst"].get(url)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]["message"])


def test_wrong_method_has_the_same_shape(clients: dict[str, TestClient]) -> None:
    r = clients["analyst"].delete("/api/overview")
    assert r.status_code == 405
    assert r.json() == error_body(405, "不支持此请求方法。")


def test_projects_are_the_users_and_targets_the_citys(clients: dict[str, TestClient]) -> None:
    county = clients["county"].get("/api/projects?period=2016-09").json()
    city = clients["analyst"].get("/api/projects?period=2016-09").json()
    assert 0 < county["n"] < city["n"]
    assert {p["region_name"] for p in county["items"]} == {"长兴县"}
    late = [p for p in county["items"] if p["late"]]
    assert late and county["items"][: len(late)] == late  # the late ones first
    assert all(
        p["late"] == "逾期未开工" and p["actual_start"] is None
        for p in late
        if p["late"] == "逾期未开工"
    )
    targets = clients["county"].get("/api/targets?period=2016-09").json()
    assert targets == clients["analyst"].get("/api/targets?period=2016-09").json()
    first = targets["rows"][0]
    assert first["is_city"] and first["warning"] in ("green", "blue", "orange", "red")


def test_a_period_that_is_no_date_is_refused_everywhere(clients: dict[str, TestClient]) -> None:
    # found by schemathesis: /api/quality?period=0000-00 was a server error
    for url in (
        "/api/quality?period=0000-00",
        "/api/overview?period=2016-00",
        "/api/projects?period=0000-01",
    ):
        r = clients["analyst"].get(url)
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request", url


def test_the_published_422_schema_is_the_one_error_shape(anon: TestClient) -> None:
    doc = anon.get("/openapi.json").json()
    schema = doc["components"]["schemas"]["HTTPValidationError"]
    assert schema["required"] == ["error"]
    assert schema["properties"]["error"]["required"] == ["status", "code", "message"]
    assert "ValidationError" not in doc["components"]["schemas"]
