"""Targets: the decomposition of additive targets to counties, stored and in the ingest
``target`` kind."""

from __future__ import annotations

from pathlib import Path

from jingxin.ingest import Reason
from jingxin.store import Scope, Store
from jingxin.tracking.catalogue import additive_targets, is_additive_target
from jingxin.tracking.targets import check_decomposition, target_value
from tests.tracking.helpers import errors, load, run_import, write_csv

CITY = "330500"
COUNTIES = ("330502", "330503", "330521", "330522", "330523")
HEADER = ["指标代码", "县（市、区）", "年度", "口径", "目标值"]


def _rows(indicator: str, city: float, parts: list[float], basis: str = "value") -> list[dict]:
    rows = [
        {"indicator": indicator, "region_code": CITY, "year": 2016, "basis": basis, "value": city}
    ]
    rows += [
        {"indicator": indicator, "region_code": c, "year": 2016, "basis": basis, "value": v}
        for c, v in zip(COUNTIES, parts, strict=False)
    ]
    return rows


def test_which_targets_are_additive() -> None:
    add = additive_targets()
    assert {"investment_industrial", "value_added", "robots", "electricity"} <= add
    assert "bulletins_issued" not in add  # the city reports it, not the sum of counties
    assert "new_product_rate" not in add  # a ratio
    assert is_additive_target("projects:three_hundred")
    assert not is_additive_target("projects:three_hundred:start_rate")
    assert not is_additive_target("key_energy_user_threshold_tce")


def test_stored_decomposition_checked_only_for_additive_value_targets(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    try:
        load(
            store,
            "targets",
            {
                "target": [
                    *_rows("value_added", 1000.0, [200, 200, 200, 200, 200]),  # adds up
                    *_rows("robots", 500.0, [100, 100, 100, 100, 99]),  # one short
                    *_rows("bulletins_issued", 100.0, [10, 10, 10, 10, 10]),  # not additive
                    *_rows("investment_equipment", 9.0, [1, 1, 1, 1, 1], "growth_pct"),
                ]
            },
        )
        additive = set(additive_targets())
        gaps = check_decomposition(store, CITY, 2016, additive, Scope.city())
        assert [(g.indicator, g.city, g.counties) for g in gaps] == [("robots", 500.0, 499.0)]
        # A relative difference of 1e-6 or less is rounding, not a gap.
        assert (
            check_decomposition(store, CITY, 2016, {"robots"}, Scope.city(), tolerance=0.01) == []
        )
        assert target_value(store, "robots", "330522", 2016, Scope.city()) == 100.0
        assert (
            target_value(store, "investment_equipment", CITY, 2016, Scope.city(), "growth_pct")
            == 9.0
        )
        assert target_value(store, "investment_equipment", CITY, 2016, Scope.city()) is None
    finally:
        store.close()


def _csv(tmp_path: Path, name: str, rows: list[list[object]]) -> Path:
    return write_csv(tmp_path / name, HEADER, rows)


def _file_rows(indicator: str, city: float, parts: list[float], basis: str = "总量") -> list:
    return [[indicator, "湖州市", 2016, basis, city]] + [
        [indicator, c, 2016, basis, v] for c, v in zip(COUNTIES, parts, strict=False)
    ]


def test_target_file_that_adds_up_loads(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    try:
        rows = _file_rows(
            "investment_industrial", 6560000, [1312000.5, 1312000, 1312000, 1312000, 1311999.5]
        )
        rows += _file_rows("investment_industrial", 10.5, [8, 9, 12, 15, 20], "增速")
        rows += _file_rows("bulletins_issued", 116, [1, 2, 3, 4, 5])  # not additive: not checked
        rows += [["key_energy_user_threshold_tce", "330500", 2016, "value", 5000]]
        report = run_import(store, "target", _csv(tmp_path, "年度目标-2016.csv", rows))
        assert report.status == "loaded", errors(report)
        assert report.issues == []
        assert report.rows == {"target": 19}
        assert report.period == "2016"
        assert (
            target_value(store, "investment_industrial", "330522", 2016, Scope.city()) == 1312000.0
        )
        assert (
            target_value(store, "investment_industrial", CITY, 2016, Scope.city(), "growth_pct")
            == 10.5
        )
        assert check_decomposition(store, CITY, 2016, set(additive_targets()), Scope.city()) == []
    finally:
        store.close()


def test_target_file_with_a_bad_decomposition_is_rejected(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    try:
        rows = _file_rows("robots", 1200, [300, 300, 200, 200, 150])  # 1150
        rows += _file_rows("value_added", 1000, [200, 200, 200, 200, 200])  # fine
        report = run_import(store, "target", _csv(tmp_path, "目标.csv", rows))
        assert report.status == "rejected"
        assert [(i.reason, i.row) for i in report.issues] == [(Reason.TOTAL, 2)]
        msg = report.issues[0].message
        assert "robots" in msg and "1,200" in msg and "1,150" in msg and "湖州市" in msg
        assert store.con.execute("select count(*) from target").fetchall() == [(0,)]
    finally:
        store.close()


def test_target_file_rejects_bad_cells(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    try:
        rows = [
            ["robots", "湖州市", 2016, "总数", 1],  # no such basis
            ["robots", "火星区", 2016, "总量", 1],  # no such region
            ["robots", "330502", 2016, "总量", "很多"],  # not a number
            ["robots", "330503", 2016, "总量", 1],
            ["robots", "330503", 2016, "value", 2],  # the same key twice
        ]
        report = run_import(store, "target", _csv(tmp_path, "目标.csv", rows))
        assert report.status == "rejected"
        reasons = sorted(i.reason.value for i in report.issues)
        assert reasons == sorted([Reason.TYPE, Reason.REGION, Reason.TYPE, Reason.DUPLICATE]), (
            errors(report)
        )
        assert any("口径应为：总量、增速、比率" in i.message for i in report.issues)
    finally:
        store.close()


def test_target_year_comes_from_the_period_when_the_file_has_none(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    try:
        path = write_csv(
            tmp_path / "t.csv", ["指标代码", "地区", "目标值"], [["robots", "湖州市", 9]]
        )
        assert run_import(store, "target", path).status == "rejected"  # no year anywhere
        report = run_import(store, "target", path, period="2017")
        assert report.status == "loaded", errors(report)
        assert target_value(store, "robots", CITY, 2017, Scope.city()) == 9.0
    finally:
        store.close()
