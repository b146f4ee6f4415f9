"""The kinds package: tables named by each kind, schemas and keys read from the store, one
vocabulary, the one-to-one builder, and completeness read through the boundary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from jingxin.ingest import KINDS, import_file
from jingxin.ingest.completeness import completeness
from jingxin.ingest.context import Context
from jingxin.ingest.issues import Issues, Reason
from jingxin.ingest.schemas import Record
from jingxin.reference.vocabulary import (
    ENTERPRISE_STATUS,
    INCIDENT_KINDS,
    LAND_TENURE,
    POLLUTANTS,
    TARGET_BASIS,
)
from jingxin.store import Scope
from jingxin.store.catalog import arrow_schema, load_schema, primary_key, tables
from jingxin.tracking import catalogue
from tests.ingest.helpers import errors, registered_store
from tests.ingest.make_corpus import CODES, ENTERPRISES, stats_csv, write_csv

KINDS_DIR = Path(__file__).parents[2] / "src" / "jingxin" / "ingest" / "kinds"


def test_every_kind_names_store_tables() -> None:
    for kind in KINDS.values():
        assert kind.tables, kind.key
        assert set(kind.tables) <= set(tables()), kind.key


@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [
        pytest.param("enterprise", "flags", pa.list_(pa.string()), id="list"),
        pytest.param("enterprise", "founded", pa.date32(), id="date"),
        pytest.param("enterprise_scale", "year", pa.int32(), id="int"),
        pytest.param("monthly_fact", "gross_output_prior", pa.float64(), id="double"),
        pytest.param("unmatched_row", "payload", pa.string(), id="json"),
        pytest.param("emission", "source_row", pa.int32(), id="row"),
        pytest.param("emission", "source_sheet", pa.string(), id="sheet"),
    ],
)
def test_arrow_types_are_those_loaded_before(table: str, column: str, expected: object) -> None:
    assert load_schema(table).field(column).type == expected


def test_load_schema_leaves_the_file_id_to_the_store() -> None:
    for name in ("enterprise", "tax_paid", "pool_member"):
        assert "source_file_id" in arrow_schema(name).names
        assert "source_file_id" not in load_schema(name).names
        assert load_schema(name).names[-2:] == ["source_row", "source_sheet"]


def test_primary_keys_from_the_store() -> None:
    assert primary_key("target") == ("indicator", "region_code", "year", "basis")
    assert primary_key("project") == ("project_id",)
    assert primary_key("audit_log") == ()


def test_modules_stay_small() -> None:
    for path in KINDS_DIR.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 500, path.name


def test_tracking_catalogue_reexports_the_vocabulary() -> None:
    from jingxin.reference import vocabulary

    assert catalogue.POOLS is vocabulary.POOLS
    assert catalogue.PROJECT_CATEGORIES["emerging"] == "新兴产业"
    assert dict(catalogue.POOL_LEVELS) == {
        "national": "国家级",
        "provincial": "省级",
        "municipal": "市级",
    }


@pytest.mark.parametrize(
    ("codes", "text", "key"),
    [
        pytest.param(ENTERPRISE_STATUS, "停业", "suspended", id="status-synonym"),
        pytest.param(ENTERPRISE_STATUS, "operating", None, id="status-no-keys"),
        pytest.param(INCIDENT_KINDS, "严重失信", "credit", id="incident"),
        pytest.param(LAND_TENURE, "出让", "owned", id="tenure"),
        pytest.param(POLLUTANTS, "SO2", "so2", id="pollutant"),
        pytest.param(TARGET_BASIS, "growth_pct", "growth_pct", id="basis-key"),
        pytest.param(TARGET_BASIS, " 增速 ", "growth_pct", id="basis-spaces"),
    ],
)
def test_vocabulary_parses_written_forms(codes: object, text: str, key: str | None) -> None:
    from jingxin.reference.vocabulary import CodeList

    assert isinstance(codes, CodeList)
    assert codes.parse(text) == key


def test_one_to_one_reports_and_drops_a_bad_row(tmp_path: Path) -> None:
    store = registered_store(tmp_path / "s.duckdb")
    try:
        issues = Issues("事件.csv")
        ctx = Context(store, issues, period="2016")
        kind = KINDS["incident"]
        good = {"uscc": CODES[0], "occurred": datetime(2016, 3, 1).date(), "kind": "安全事故"}
        bad = {**good, "kind": "火灾"}
        built = kind.build([Record(None, 2, good, {}), Record(None, 3, bad, {})], ctx)
    finally:
        store.close()
    rows = built.tables["incident"].to_pylist()
    assert [(r["kind"], r["source_row"]) for r in rows] == [("safety", 2)]
    assert [(i.reason, i.row) for i in issues.items] == [(Reason.TYPE, 3)]
    assert built.keys == {"incident": ("uscc", "occurred", "kind")}


def test_completeness_reads_through_the_scope(tmp_path: Path) -> None:
    store = registered_store(tmp_path / "s.duckdb")
    try:
        scale = [["统一社会信用代码", "企业名称", "县（市、区）", "行业代码", "年度", "规模类型"]]
        scale += [[e.uscc, e.name, e.region, e.industry, 2016, "规上"] for e in ENTERPRISES]
        report = import_file(store, "register", write_csv(tmp_path / "scale.csv", scale))
        assert report.ok, errors(report)
        stats = stats_csv(tmp_path / "6.csv", codes=CODES[:3], go=(1.0,) * 3, va=(0.5,) * 3)
        report = import_file(
            store, "stats_monthly", stats, period="2016-06", received_at=datetime(2016, 7, 20)
        )
        assert report.ok, errors(report)
        city = completeness(store, "stats_monthly", "2016-06", Scope.city())
        county = completeness(store, "stats_monthly", "2016-06", Scope.of("330502"))
        nobody = completeness(store, "stats_monthly", "2016-06", Scope.of())
    finally:
        store.close()
    assert (city.expected, city.reported, city.days_late) == (5, 3, 4)
    assert {k: len(v) for k, v in city.missing_by_county.items()} == {"长兴县": 1, "吴兴区": 1}
    assert (county.expected, county.reported) == (2, 1)
    assert (nobody.expected, nobody.reported, nobody.received) == (0, 0, city.received)
