"""Upload through the platform (the CLI's ingest path) and the data-quality view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingxin.store import Scope, Store
from jingxin.web.platform import Platform

from .conftest import COUNTY, OTHER, make_client, own_copy, sign_in

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


def test_a_leader_uploads_nothing(own: Platform) -> None:
    c = _client(own, "leader")
    r = c.post(
        "/api/uploads", data={"kind": "stats_monthly"}, files={"file": ("a.csv", b"x", "text/csv")}
    )
    assert r.status_code == 403
    assert "upload-form" not in c.get("/upload").text


def _col(header: list[str], *words: str) -> int:
    """The first column whose header holds one of ``words``."""
    return next(i for w in words for i, h in enumerate(header) if w in h)


def _rows_of(lines: list[str], codes: set[str]) -> list[str]:
    """The header and the rows of enterprises in ``codes``."""
    col = _col(lines[0].split(","), "信用代码")
    return [lines[0]] + [x for x in lines[1:] if x.split(",")[col] in codes]


def _counts(p: Platform) -> tuple[int, int, int]:
    with p.read() as store:
        return tuple(  # type: ignore[return-value]
            store.con.execute(f"select count(*) from {t}").fetchall()[0][0]  # noqa: S608
            for t in ("monthly_fact", "source_file", "data_change")
        )


def test_a_county_checks_its_own_file_and_nothing_is_stored(
    own: Platform, stats_lines: list[str], usccs_by_county: dict[str, set[str]]
) -> None:
    c = _client(own, f"county{COUNTY}")
    page = c.get("/upload").text
    assert 'id="county-check"' in page and "仅检查，不入库" in page
    assert 'value="stats_monthly"' in page and 'value="register"' not in page
    lines = _rows_of(stats_lines, usccs_by_county[COUNTY])
    assert len(lines) > 50
    before = _counts(own)
    out = _post(c, lines)
    assert out["status"] == "checked" and out["ok"], out["summary"]
    assert "仅作检查，未导入" in out["summary"] and out["file_id"] is None
    assert _counts(own) == before  # no row, no file, no data version
    assert c.get("/api/uploads/report.xlsx").content[:2] == b"PK"
    # a county's check finds what the city's import finds
    bad = list(lines)
    cells = bad[1].split(",")
    cells[4] = "九万"
    bad[1] = ",".join(cells)
    out = _post(c, bad)
    assert out["status"] == "rejected"
    assert (out["issues"][0]["row"], out["issues"][0]["value"]) == (2, "九万")
    assert _counts(own) == before


def test_a_countys_check_refuses_another_countys_rows_and_says_nothing_of_them(
    own: Platform, stats_lines: list[str], usccs_by_county: dict[str, set[str]]
) -> None:
    c = _client(own, f"county{COUNTY}")
    lines = _rows_of(stats_lines, usccs_by_county[COUNTY])[:6]
    other = _rows_of(stats_lines, usccs_by_county[OTHER])[1]
    header = lines[0].split(",")
    cells = other.split(",")
    code_col, name_col = _col(header, "信用代码"), _col(header, "名称")
    code, registered = cells[code_col], cells[name_col]
    cells[name_col] = "另一家完全不同的公司"  # would warn, naming the register's name
    lines.append(",".join(cells))
    out = _post(c, lines)
    assert out["status"] == "rejected"
    row = len(lines)
    on_row = [i for i in out["issues"] if i["row"] == row]
    assert [(i["reason"], i["value"]) for i in on_row] == [("region", code)]
    assert "不是本区县企业名录中的企业" in on_row[0]["message"]
    assert registered not in str(out) and "吴兴" not in str(out)
    r = c.post(
        "/api/uploads",
        data={"kind": "register"},
        files={"file": ("名录.csv", b"x", "text/csv")},
    )
    assert r.status_code == 400 and "不能由您上传" in r.json()["error"]["message"]


def test_data_quality_in_the_users_scope(
    own: Platform, usccs_by_county: dict[str, set[str]]
) -> None:
    city = _client(own, "analyst").get("/api/quality?period=2016-09").json()
    county = _client(own, f"county{COUNTY}").get("/api/quality?period=2016-09").json()
    assert city["files"] and county["files"] == [] and county["held"] == []
    c, k = city["completeness"][0], county["completeness"][0]
    assert c["label"] == k["label"] and k["expected"] < c["expected"]
    assert {m["uscc"] for m in k["missing"]} <= usccs_by_county[COUNTY]
