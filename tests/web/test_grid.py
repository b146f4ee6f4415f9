"""The economy read from the grid over the API: by scope, from the demo's daily readings."""

from __future__ import annotations

from datetime import date

import pytest
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


def test_the_page(clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]) -> None:
    city = clients["analyst"].get("/grid")
    assert city.status_code == 200 and 'id="chart-resumption"' in city.text
    # by default the weeks around the latest Spring Festival with readings (8 Feb 2016)
    assert 'value="2016-01-25"' in city.text and 'value="2016-03-14"' in city.text
    # the make-up survey five weeks after the G20 window: the demo's 91
    assert "可增产企业（2016-10-11）" in city.text
    county = clients["county"].get("/grid?from=2016-02-10&to=2016-02-20&day=2016-02-15")
    assert county.status_code == 200 and "2016-02-15 分区县" in county.text
    others = set().union(*(v for k, v in usccs_by_county.items() if k != COUNTY))
    assert not any(code in county.text for code in others)
    assert any(code in county.text for code in usccs_by_county[COUNTY])
    bad = clients["county"].get("/grid?from=2016-02-10&to=2016-12-20")
    assert bad.status_code in (400, 422) and "120" in bad.text


def test_surcharge_bills_add_up_to_the_evaluation(demo_store: Store) -> None:
    from jingxin.evaluation.surcharges import surcharge_bills

    months = [surcharge_bills(demo_store, Scope.city(), f"2016-{m:02d}") for m in range(1, 13)]
    assert all(b.preview and b.year == 2016 for b in months)  # the demo's run is a draft
    assert "预览" in months[0].label and "不作为收费依据" in months[0].label
    dec = months[-1]
    assert dec.rows and {r["final_class"] for r in dec.rows} == {"D"}
    for r in dec.rows:
        assert r["amount"] == round(r["kwh"] * r["rate"], 2)
        assert r["rate"] == {1: 0.1, 2: 0.3}.get(r["consecutive_worst"], 0.5)
    # twelve months' bills are the evaluation's yearly surcharge (万元), enterprise by
    # enterprise: rate × the year's electricity, computed there from the annual inputs
    billed: dict[str, float] = {}
    for b in months:
        for r in b.rows:
            billed[r["uscc"]] = billed.get(r["uscc"], 0.0) + (r["amount"] or 0.0) / 10_000
    stored = {
        r["uscc"]: r["surcharge"]
        for r in demo_store.arrow(
            "select uscc, surcharge from evaluation_result where surcharge_rate > 0"
        ).to_pylist()
    }
    assert set(billed) == set(stored)
    for u, v in stored.items():
        assert billed[u] == pytest.approx(v, abs=0.01), u


def test_surcharge_downloads_follow_the_scope(
    clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]
) -> None:
    city = clients["analyst"].get("/api/energy/surcharges?period=2016-12").json()
    mine = clients["county"].get("/api/energy/surcharges?period=2016-12").json()
    assert city["preview"] and city["amount"] > mine["amount"] > 0
    assert {r["uscc"] for r in mine["rows"]} <= usccs_by_county[COUNTY]
    x = clients["county"].get("/api/energy/surcharges?period=2016-12&format=xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert "%E9%A2%84%E8%A7%88" in x.headers["content-disposition"]  # 预览 in the name
    c = clients["county"].get("/api/energy/surcharges?period=2016-12&format=csv")
    lines = c.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("统一社会信用代码") and len(lines) == len(mine["rows"]) + 2
    others = set().union(*(v for k, v in usccs_by_county.items() if k != COUNTY))
    assert not any(code in c.text for code in others)
