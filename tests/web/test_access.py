"""County scope in one place, fail closed: every API route, for every role.

The routes come from the OpenAPI document, so a new route is checked without editing this
file; a route this file cannot call with sample parameters fails the test.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jingxin.web.errors import error_body

from .conftest import COUNTY, OTHER

USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


def _text(r: Any) -> str:
    """Every character of an answer a person could read: JSON, HTML, or the XML parts of an
    Excel or Word download."""
    if r.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return "\n".join(
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            )
    return str(r.text)


def _routes(client: TestClient) -> list[tuple[str, str]]:
    doc = client.get("/openapi.json").json()
    return [(m.upper(), path) for path, item in doc["paths"].items() for m in item]


def _sample(path: str, usccs: dict[str, set[str]]) -> list[str]:
    """Concrete URLs for a route: path parameters filled with an own-county and another
    county's enterprise, query parameters that reach other counties if anything does."""
    if "{uscc}" in path:
        return [path.replace("{uscc}", sorted(usccs[c])[0]) for c in (COUNTY, OTHER)]
    if path == "/api/reports/bulletin":
        return [f"{path}?period=2016-12&format={f}" for f in ("docx", "xlsx", "md")]
    if path == "/api/reports/annual":
        return [f"{path}?year=2016&format={f}" for f in ("docx", "md", "json")]
    if path == "/api/exports/enterprises.xlsx":
        return [path, f"{path}?region={OTHER}", f"{path}?q={sorted(usccs[OTHER])[0]}"]
    if path == "/api/energy/resumption":
        return [f"{path}?from=2016-02-10&to=2016-02-20&by={b}" for b in ("county", "division")]
    if path == "/api/energy/surcharges":
        return [f"{path}?period=2016-12&format={f}" for f in ("json", "xlsx", "csv")]
    if path == "/api/energy/makeup":
        return [path, f"{path}?as_of=2016-10-09"]
    if path == "/api/enterprises":
        return [
            path,
            f"{path}?region={OTHER}",
            f"{path}?q={sorted(usccs[OTHER])[0]}",
            f"{path}?sort=growth&order=asc&size=500",
            f"{path}?grade=D&size=500",
        ]
    return [path]


def test_every_route_is_known_to_this_test(anon: TestClient) -> None:
    known = {
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/periods",
        "/api/overview",
        "/api/counties",
        "/api/industry",
        "/api/enterprises",
        "/api/enterprises/{uscc}",
        "/api/exports/enterprises.xlsx",
        "/api/exports/counties.xlsx",
        "/api/exports/industry.xlsx",
        "/api/reports/bulletin",
        "/api/reports/annual",
        "/api/evaluation",
        "/api/evaluation/runs/{run_id}/notice",
        "/api/evaluation/runs/{run_id}/notice-list",
        "/api/evaluation/runs/{run_id}/objections",
        "/api/evaluation/objections/{objection_id}/decision",
        "/api/evaluation/runs/{run_id}/finalize",
        "/api/uploads",
        "/api/uploads/report.xlsx",
        "/api/quality",
        "/api/admin/audit",
        "/api/admin/users",
        "/api/projects",
        "/api/targets",
        "/api/exports/projects.xlsx",
        "/api/exports/targets.xlsx",
        "/api/evaluation/runs/{run_id}/workbook",
        "/api/map/counties.geojson",
        "/api/admin/users/{username}/disabled",
        "/api/admin/users/{username}/password",
        "/api/evaluation/runs/{run_id}/sensitivity",
        "/api/energy/balances",
        "/api/energy/journal",
        "/api/energy/transfers",
        "/api/energy/applications",
        "/api/energy/applications/{application_id}/approve",
        "/api/energy/applications/{application_id}/refuse",
        "/api/energy/resumption",
        "/api/energy/restriction",
        "/api/energy/makeup",
        "/api/energy/surcharges",
    }
    assert {p for _, p in _routes(anon)} == known


def test_no_api_route_answers_a_visitor(anon: TestClient) -> None:
    for method, path in _routes(anon):
        if path == "/api/auth/login":
            continue
        url = path.replace("{uscc}", "91330522954172559P").replace("{run_id}", "1")
        url = url.replace("{objection_id}", "1").replace("{username}", "analyst")
        url = url.replace("{application_id}", "A-1")
        url += "?period=2016-12&year=2016"
        r = anon.request(method, url, json={})
        assert r.status_code == 401, (method, path, r.text)
        assert r.json() == error_body(401, "未登录或登录已过期：请先登录。"), path


@pytest.mark.parametrize("role", ["admin", "analyst", "leader", "county"])
def test_each_role_reads_what_it_may_and_a_county_nothing_of_another(
    role: str, clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]
) -> None:
    client = clients[role]
    others = set().union(*(v for k, v in usccs_by_county.items() if k != COUNTY))
    own = usccs_by_county[COUNTY]
    for method, path in _routes(client):
        if method != "GET":
            continue
        if path.startswith("/api/admin/"):
            r = client.get(path)
            assert r.status_code == (200 if role == "admin" else 403), (role, path)
            assert not set(USCC.findall(_text(r))) & others or role == "admin"
            continue
        if path == "/api/uploads/report.xlsx":  # the uploader's own; not a leader's
            r = client.get(path)
            assert r.status_code == (403 if role == "leader" else 404), r.text
            continue
        if path.endswith("/workbook"):  # the city's whole evaluation: not a county's
            r = client.get(path.replace("{run_id}", "1"))
            assert r.status_code == (403 if role == "county" else 200), (
                role,
                r.text[:200],
            )
            continue
        if path.endswith("/sensitivity"):  # the city's whole evaluation, computed in the back
            r = client.get(path.replace("{run_id}", "1") + "?runs=1&mode=random")
            assert r.status_code in ((403,) if role == "county" else (200, 202)), r.text
            continue
        if path == "/api/energy/journal":  # a movement names both sides: the city's only
            r = client.get(path)
            assert r.status_code == (403 if role == "county" else 200), (role, r.text[:200])
            continue
        if path == "/api/map/counties.geojson":  # no boundaries in the demo (test_geo.py)
            r = client.get(path)
            assert r.status_code == 404 and r.json()["error"]["code"] == "no_map", r.text
            continue
        if "{run_id}" in path:  # notice-list: the run is not on notice in the shared store
            r = client.get(path.replace("{run_id}", "1"))
            assert r.status_code == 400 and "尚未公示" in r.text, r.text
            continue
        for url in _sample(path, usccs_by_county):
            r = client.get(url)
            seen = set(USCC.findall(_text(r)))
            if role == "county":
                assert not seen & others, (url, sorted(seen & others)[:3])
                if "{uscc}" in path and url.rsplit("/", 1)[1] in others:
                    assert r.status_code == 404, url
                else:
                    assert r.status_code == 200, (url, r.text[:300])
            else:
                assert r.status_code == 200, (url, r.text[:300])
    if role != "county":
        # the city's users do see other counties' enterprises (the test above is not vacuous)
        r = client.get(f"/api/enterprises?region={OTHER}&size=5")
        assert set(USCC.findall(r.text)) & usccs_by_county[OTHER]
        r = client.get(f"/api/exports/enterprises.xlsx?region={OTHER}")
        assert len(set(USCC.findall(_text(r))) & usccs_by_county[OTHER]) == len(
            usccs_by_county[OTHER]
        )
    else:
        r = client.get("/api/enterprises?size=5")
        assert set(USCC.findall(r.text)) <= own and r.json()["total"] == len(own)
        r = client.get("/api/exports/enterprises.xlsx")
        assert set(USCC.findall(_text(r))) == own


def test_another_countys_enterprise_answers_as_one_that_does_not_exist(
    clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]
) -> None:
    c = clients["county"]
    foreign = c.get(f"/api/enterprises/{sorted(usccs_by_county[OTHER])[0]}")
    missing = c.get("/api/enterprises/91330522MA2B00000X")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert foreign.json()["error"]["message"] == missing.json()["error"]["message"]


def test_a_cached_result_never_crosses_scopes(
    clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]
) -> None:
    query = "/api/enterprises?sort=growth&size=20"
    city = clients["analyst"].get(query).json()
    county = clients["county"].get(query).json()
    assert city["total"] > county["total"] == len(usccs_by_county[COUNTY])
    assert {i["region_code"] for i in county["items"]} == {COUNTY}
    again = clients["analyst"].get(query).json()
    assert again == city


def test_aggregates_are_the_same_for_every_role(clients: dict[str, TestClient]) -> None:
    views: dict[str, Any] = {}
    for role, c in clients.items():
        views[role] = c.get("/api/counties").json()
    assert views["county"]["table"] == views["analyst"]["table"]
    names = [r["region_name"] for r in views["county"]["table"]]
    assert names[0] == "湖州市" and "吴兴区" in names and "长兴县" in names
