"""The economy read from the grid over the API: by scope, from the demo's daily readings."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from jingxin.energy.restriction import makeup_candidates
from jingxin.store import Scope, Store

from .conftest import COUNTY


def test_resumption_city_and_county(clients: dict[str, TestClient]) -> None:
    url = "/api/energy/resumption?from=2016-02-01&to=2016-03-15"
    city = clients["analyst"].get(url).json()
    county = clients["county"].get(url).json()
    assert city["baseline_month"] == "2015-12" and "数据截至" in city["as_of"]
    days = [r for r in city["rows"] if r["level"] == "all"]
    work = {r["day"]: r["work_pct"] for r in days}
    # the demo's festival (8 Feb 2016): a trough, then most are back within three weeks
    assert work["2016-02-10"] < 40 < 90 < work["2016-03-01"]
    assert {r["region_code"] for r in county["rows"]} == {None, COUNTY}
    own = [r for r in city["rows"] if r["region_code"] == COUNTY]
    mine = [r for r in county["rows"] if r["level"] == "all"]
    assert [r["resumed"] for r in own] == [r["resumed"] for r in mine]  # same enterprises
    assert county["enterprises"] < city["enterprises"]
    too_long = clients["analyst"].get("/api/energy/resumption?from=2016-01-01&to=2016-12-31")
    assert too_long.status_code in (400, 422) and "120" in too_long.text


def test_restriction_and_candidates(clients: dict[str, TestClient], demo_store: Store) -> None:
    eff = clients["analyst"].get("/api/energy/restriction").json()
    assert len(eff["rows"]) == 792 and eff["output_lost"] > 0  # the demo's G20 list
    mine = clients["county"].get("/api/energy/restriction").json()
    assert mine["rows"] and {r["region_code"] for r in mine["rows"]} == {COUNTY}
    got = clients["analyst"].get("/api/energy/makeup?as_of=2016-10-09").json()
    ranks = [c["rank"] for c in got["candidates"]]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) == 91
    # the 四季度可增产企业 pool the demo entered is the rule's answer, not another list
    pool = (
        demo_store.arrow("select uscc from pool_member where pool = 'q4_increase'")
        .column("uscc")
        .to_pylist()
    )
    assert sorted(pool) == sorted(c["uscc"] for c in got["candidates"])
    again = makeup_candidates(demo_store, Scope.city(), as_of=date(2016, 10, 9))
    assert [c["uscc"] for c in again.candidates] == [c["uscc"] for c in got["candidates"]]
    county = clients["county"].get("/api/energy/makeup?as_of=2016-10-09").json()
    assert {c["region_code"] for c in county["candidates"]} <= {COUNTY}
