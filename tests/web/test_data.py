"""Upload through the platform (the CLI's ingest path) and the data-quality view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingxin.store import Scope, Store
from jingxin.web.platform import Platform

from .conftest import COUNTY, make_client, own_copy, sign_in

STATS = "规上工业月报-2016-09.csv"


@pytest.fixture(scope="module")
def own(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    p = own_copy(demo_store, tmp_path_factory.mktemp("upload"))
    yield p
    p.close()


@pytest.fixture(scope="module")
def stats_lines(demo_store: Store) -> list[str]:
    """The demo's statistics file of 2016-09, as the bureau sent it (GB18030 CSV)."""
    files = Path(demo_store.path).parent / "files"
    return (files / STATS).read_bytes().decode("gb18030").splitlines()


def _client(p: Platform, name: str) -> TestClient:
    c = make_client(p)
    c.headers["X-CSRF-Token"] = sign_in(c, name)
    return c


def _post(c: TestClient, lines: list[str], correction: bool = True) -> dict:
    body = ("\n".join(lines) + "\n").encode("gb18030")
    r = c.post(
        "/api/uploads",
        data={"kind": "stats_monthly", "correction": str(correction).lower()},
        files={"file": (STATS, body, "text/csv")},
    )
    assert r.status_code == 200, r.text
    return r.json()


def _facts(p: Platform) -> int:
    with p.read() as store:
        return int(store.scalar(store.table("monthly_fact", Scope.city()).count()))


def test_a_bad_file_is_refused_whole_with_every_cell_named(
    own: Platform, stats_lines: list[str]
) -> None:
    c = _client(own, "analyst")
    before = _facts(own)
    lines = list(stats_lines)
    cells = lines[1].split(",")
    cells[4] = "九万"
    lines[1] = ",".join(cells)
    out = _post(c, lines)
    assert out["status"] == "rejected" and not out["ok"]
    assert "数据库未改动" in out["summary"]
    bad = out["issues"][0]
    assert (bad["row"], bad["value"], bad["severity"]) == (2, "九万", "错误")
    assert bad["column"].startswith("1-本月;工业总产值")
    assert _facts(own) == before
    # the report workbook is the uploader's only
    assert c.get("/api/uploads/report.xlsx").content[:2] == b"PK"
    other = make_client(own)
    sign_in(other, "admin")
    assert other.get("/api/uploads/report.xlsx").status_code == 404


def test_a_correction_loads_and_the_figures_follow(own: Platform, stats_lines: list[str]) -> None:
    c = _client(own, "analyst")
    before = c.get("/api/overview?period=2016-09").json()["headline"][0]["value"]
    lines = list(stats_lines)
    header = lines[0].split(",")
    col = header.index("1-本月;工业增加值;千元")
    cells = lines[1].split(",")
    old = float(cells[col])
    cells[col] = str(round(old * 0.5))  # half its value added, in 千元
    lines[1] = ",".join(cells)
    out = _post(c, lines)
    assert out["status"] == "loaded", out
    assert "已更新 2016 年" in out["refreshed"]
    after = c.get("/api/overview?period=2016-09").json()["headline"][0]["value"]
    assert abs((after - before) - (round(old * 0.5) - old) / 1e5) < 0.011  # 千元 → 亿元
    with own.read() as store:
        t = store.table("source_file", Scope.city())
        loaded_by = store.run(t.filter(t.name == STATS).select("loaded_by", "status")).to_pylist()
    assert {"loaded_by": "analyst", "status": "active"} in loaded_by


def test_only_the_citys_staff_upload(own: Platform) -> None:
    for name in (f"county{COUNTY}", "leader"):
        c = _client(own, name)
        r = c.post(
            "/api/uploads",
            data={"kind": "stats_monthly"},
            files={"file": ("a.csv", b"x", "text/csv")},
        )
        assert r.status_code == 403, name
    page = _client(own, f"county{COUNTY}").get("/upload")
    assert "尚未开放" in page.text and "upload-form" not in page.text


def test_data_quality_in_the_users_scope(
    own: Platform, usccs_by_county: dict[str, set[str]]
) -> None:
    city = _client(own, "analyst").get("/api/quality?period=2016-09").json()
    county = _client(own, f"county{COUNTY}").get("/api/quality?period=2016-09").json()
    assert city["files"] and county["files"] == [] and county["held"] == []
    c, k = city["completeness"][0], county["completeness"][0]
    assert c["label"] == k["label"] and k["expected"] < c["expected"]
    assert {m["uscc"] for m in k["missing"]} <= usccs_by_county[COUNTY]
