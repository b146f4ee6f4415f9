"""The 用能权 pages and API: balances by scope, the journal, approved transfers once."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from jingxin.store import Store

from .conftest import COUNTY, OTHER, make_client, own_copy, sign_in


def test_balances_follow_the_scope(
    clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]
) -> None:
    city = clients["analyst"].get("/api/energy/balances").json()
    county = clients["county"].get("/api/energy/balances").json()
    accounts = {b["account"] for b in city["items"]}
    assert "reserve" in accounts and city["reserve_tce"] > 0
    assert accounts & usccs_by_county[OTHER] and accounts & usccs_by_county[COUNTY]
    own = {b["account"] for b in county["items"]}
    assert own and own <= usccs_by_county[COUNTY]
    assert own == accounts & usccs_by_county[COUNTY]
    assert county["reserve_tce"] is None
    # The demo's year came through the ledger: allocations and year-end trades.
    j = clients["leader"].get("/api/energy/journal?limit=1000").json()
    kinds = {e["kind"] for e in j["items"]}
    assert {"allocate", "transfer"} <= kinds and j["problems"] == []
    assert j["created_tce"] == sum(e["tce"] for e in j["items"] if e["kind"] == "allocate")
    assert clients["county"].get("/api/energy/journal").status_code == 403
    page = clients["county"].get("/energy")
    assert page.status_code == 200 and "本区县企业账户" in page.text
    assert 'id="journal"' not in page.text and 'id="transfer"' not in page.text
    assert not any(code in page.text for code in usccs_by_county[OTHER])


def test_an_approved_transfer_applies_once(demo_store: Store, tmp_path: Path) -> None:
    own = own_copy(demo_store, tmp_path)
    try:
        analyst = make_client(own)
        analyst.headers["X-CSRF-Token"] = sign_in(analyst, "analyst")
        items = analyst.get("/api/energy/balances").json()["items"]
        seller = next(b for b in items if b["kind"] == "enterprise" and b["tce"] > 10)
        buyer = next(b for b in items if b["kind"] == "enterprise" and b is not seller)
        body = {"id": "WEB-1", "from": seller["account"], "to": buyer["account"],
                "tce": 10.5, "price": 410}  # fmt: skip
        first = analyst.post("/api/energy/transfers", json=body)
        assert first.status_code == 201, first.text
        again = analyst.post("/api/energy/transfers", json=body)
        assert again.status_code == 200 and again.json()["replayed"]
        assert again.json()["entry"]["hash"] == first.json()["entry"]["hash"]
        clash = analyst.post("/api/energy/transfers", json={**body, "tce": 11})
        assert clash.status_code == 409
        assert clash.json()["error"]["code"] == "id_conflict"
        short = analyst.post(
            "/api/energy/transfers", json={**body, "id": "WEB-2", "tce": seller["tce"] + 1e6}
        )
        assert short.status_code == 422 and short.json()["error"]["code"] == "insufficient"
        after = {
            b["account"]: b["tce"] for b in analyst.get("/api/energy/balances").json()["items"]
        }
        assert after[seller["account"]] == round(seller["tce"] - 10.5, 3)
        assert after[buyer["account"]] == round(buyer["tce"] + 10.5, 3)
        # The page's form is the same movement; a leader and a county may not enter one.
        form = {"csrf_token": analyst.headers["X-CSRF-Token"], "id": "WEB-3",
                "source": buyer["account"], "to": "reserve", "tce": "0.5"}  # fmt: skip
        r = analyst.post("/energy/transfers", data=form, follow_redirects=False)
        assert r.status_code == 303 and "/energy?done=" in r.headers["location"]
        bad = analyst.post("/energy/transfers", data={**form, "id": "WEB-4", "tce": "abc"})
        assert bad.status_code == 400 and "数量" in bad.text
        for who in ("leader", f"county{COUNTY}"):
            c = make_client(own)
            c.headers["X-CSRF-Token"] = sign_in(c, who)
            assert c.post("/api/energy/transfers", json={**body, "id": "X"}).status_code == 403
        audit = make_client(own)
        audit.headers["X-CSRF-Token"] = sign_in(audit, "admin")
        logged = audit.get("/api/admin/audit?action=energy_transfer&actor=analyst").json()
        assert logged["total"] == 2
        assert {r["action_name"] for r in logged["items"]} == {"用能权转让"}
        assert audit.get("/api/energy/journal").json()["problems"] == []
    finally:
        own.close()


def test_conflicting_transfers_from_many_connections(demo_store: Store, tmp_path: Path) -> None:
    import threading

    own = own_copy(demo_store, tmp_path)
    try:
        setup = make_client(own)
        setup.headers["X-CSRF-Token"] = sign_in(setup, "analyst")
        items = setup.get("/api/energy/balances").json()["items"]
        firms = [b for b in items if b["kind"] == "enterprise"]
        seller, buyers = firms[0], firms[1:4]
        # Leave the seller exactly 100 tce, then let 24 connections race for 7 tce each.
        keep = round(seller["tce"] - 100, 3)
        r = setup.post("/api/energy/transfers", json={"id": "PREP", "from": seller["account"],
                                                      "to": "reserve", "tce": keep})  # fmt: skip
        assert r.status_code == 201, r.text
        statuses: dict[int, tuple[int, str]] = {}

        def attempt(n: int) -> None:
            c = make_client(own)
            c.headers["X-CSRF-Token"] = sign_in(c, "analyst")
            body = {"id": f"RACE-{n}", "from": seller["account"],
                    "to": buyers[n % 3]["account"], "tce": 7}  # fmt: skip
            r = c.post("/api/energy/transfers", json=body)
            code = r.json()["error"]["code"] if r.status_code != 201 else "applied"
            statuses[n] = (r.status_code, code)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        applied = [n for n, (s, _) in statuses.items() if s == 201]
        assert len(applied) == 100 // 7
        assert {v for n, v in statuses.items() if n not in applied} == {(422, "insufficient")}
        after = {b["account"]: b["tce"] for b in setup.get("/api/energy/balances").json()["items"]}
        assert after[seller["account"]] == round(100 - 7 * len(applied), 3)
        assert setup.get("/api/energy/journal").json()["problems"] == []
    finally:
        own.close()


def test_applications_filed_by_a_county_approved_by_the_city(
    demo_store: Store, tmp_path: Path, usccs_by_county: dict[str, set[str]]
) -> None:
    own = own_copy(demo_store, tmp_path)
    try:
        clients = {}
        for who in ("analyst", f"county{COUNTY}", "leader"):
            c = make_client(own)
            c.headers["X-CSRF-Token"] = sign_in(c, who)
            clients[who] = c
        analyst, county, leader = clients.values()
        pending = analyst.get("/api/energy/applications?status=pending").json()["items"]
        assert len(pending) == 3  # the demo leaves a new year's applications pending
        items = analyst.get("/api/energy/balances").json()["items"]
        seller = next(b for b in items if b["region_code"] == OTHER and b["tce"] > 100)
        buyer = sorted(usccs_by_county[COUNTY])[0]
        body = {"id": "A-WEB-1", "from": seller["account"], "to": buyer, "tce": 50, "price": 380}
        r = county.post("/api/energy/applications", json=body)
        assert r.status_code == 201 and r.json()["status"] == "pending", r.text
        assert county.post("/api/energy/applications", json=body).status_code == 200
        # A county files only for its own buyers: another county's answers as unknown.
        other = {**body, "id": "A-WEB-2", "to": sorted(usccs_by_county[OTHER])[1]}
        assert county.post("/api/energy/applications", json=other).status_code == 404
        seen = county.get("/api/energy/applications").json()["items"]
        mine = next(x for x in seen if x["id"] == "A-WEB-1")
        assert mine["seller"]["name"] == "（外区县企业）" and seller["account"] not in str(seen)
        assert not set(str(seen).split("'")) & usccs_by_county[OTHER]
        assert county.post("/api/energy/applications/A-WEB-1/approve", json={}).status_code == 403
        assert leader.post("/api/energy/applications", json=body).status_code == 403
        done = analyst.post("/api/energy/applications/A-WEB-1/approve", json={"decision": "同意"})
        assert done.status_code == 200 and done.json()["entry"]["id"] == "A-WEB-1", done.text
        again = analyst.post("/api/energy/applications/A-WEB-1/approve", json={})
        assert again.json()["replayed"]
        no = analyst.post("/api/energy/applications/A-WEB-1/refuse", json={"decision": "否"})
        assert no.status_code == 409 and no.json()["error"]["code"] == "already_decided"
        held = {b["account"]: b["tce"] for b in analyst.get("/api/energy/balances").json()["items"]}
        assert held[seller["account"]] == round(seller["tce"] - 50, 3)
        # Refusing one of the demo's pending applications, in the page.
        form = {"csrf_token": analyst.headers["X-CSRF-Token"], "decision": "材料不全"}
        r = analyst.post(f"/energy/applications/{pending[0]['id']}/refuse", data=form,
                         follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, r.text
        page = analyst.get("/energy")
        assert "不予批准" in page.text and "材料不全" in page.text and 'id="apply"' in page.text
        county_page = county.get("/energy")
        assert 'id="apply"' in county_page.text and "批准并执行" not in county_page.text
    finally:
        own.close()
