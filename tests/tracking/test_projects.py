"""The project ledger through ingest: a small list and monthly progress files, counted by
hand; late and corrected reports; the ``project`` and ``project_progress`` kinds' checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jingxin.ingest import Reason
from jingxin.store import Scope, Store
from jingxin.tracking.projects import progress_by_project, project_stats
from tests.tracking.helpers import CODES, errors, registered, run_import, write_csv

LIST_HEADER = [
    "项目代码",
    "项目名称",
    "项目类别",
    "所属清单",
    "县（市、区）",
    "统一社会信用代码",
    "总投资(万元)",
    "引进/备案日期",
    "计划开工日期",
    "计划竣工日期",
    "年度",
    "年度计划投资(万元)",
]
# P1 starts in March and is planned to finish this year; P2 began in 2015 and completes in
# June; P3 is planned but never starts; P4 (大好高, introduced this year) starts in April;
# P5 was completed before the year began.
LEDGER = [
    [
        "P1",
        "一号项目",
        "新兴产业",
        "三百计划",
        "吴兴区",
        CODES[0],
        5000,
        None,
        "2016-03-01",
        "2016-10-31",
        2016,
        1000,
    ],
    [
        "P2",
        "二号项目",
        "机器换人/技改",
        "三百计划",
        "南浔区",
        CODES[1],
        3000,
        None,
        "2015-06-01",
        "2016-09-30",
        2016,
        500,
    ],
    [
        "P3",
        "三号项目",
        "emerging",
        "three_hundred",
        "330521",
        None,
        4000,
        None,
        "2016-05-01",
        "2017-06-30",
        2016,
        800,
    ],
    [
        "P4",
        "四号项目",
        "大好高",
        None,
        "长兴县",
        CODES[4],
        90000,
        "2016-02-01",
        "2016-04-01",
        "2016-12-31",
        2016,
        2000,
    ],
    [
        "P5",
        "五号项目",
        "新兴产业",
        "三百计划",
        "吴兴区",
        CODES[3],
        1000,
        None,
        "2014-03-01",
        "2015-12-31",
        None,
        None,
    ],
]
PROGRESS_HEADER = ["项目代码", "1-N月完成投资(万元)", "实际开工日期", "实际竣工日期", "形象进度"]
MARCH = [
    ["P1", 100, "2016-03-05", None, "开工"],
    ["P2", 150, "2015-06-10", None, "设备安装"],
    ["P5", 0, "2014-05-01", "2015-12-20", "已竣工"],
]
APRIL = [
    ["P1", 250, "2016-03-05", None, "基础施工"],
    ["P2", 200, "2015-06-10", None, "设备安装"],
    ["P4", 50, "2016-04-10", None, "开工"],
]
JUNE = [
    ["P1", 600, "2016-03-05", None, "主体结顶"],
    ["P2", 500, "2015-06-10", "2016-06-20", "竣工"],
    ["P4", 300, "2016-04-10", None, "基础施工"],
]
JUNE_CORRECTED = [
    ["P1", 650, "2016-03-05", None, "主体结顶"],
    ["P2", 480, "2015-06-10", "2016-06-20", "竣工"],
    ["P4", 300, "2016-04-10", None, "基础施工"],
]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Store]:
    """The five projects listed, and March, April and June reported — April before March."""
    store = registered(tmp_path)
    try:
        report = run_import(
            store, "project", write_csv(tmp_path / "项目清单.csv", LIST_HEADER, LEDGER)
        )
        assert report.status == "loaded", errors(report)
        assert report.rows == {"project": 5, "project_plan": 4}
        for period, rows in (("2016-04", APRIL), ("2016-03", MARCH), ("2016-06", JUNE)):
            path = write_csv(tmp_path / f"进度-{period}.csv", PROGRESS_HEADER, rows)
            report = run_import(store, "project_progress", path, period=period)
            assert report.status == "loaded", errors(report)
            assert report.issues == [], errors(report)
        yield store
    finally:
        store.close()


def _progress(store: Store, period: str) -> dict[str, tuple[str | None, float | None]]:
    return {
        r["project_id"]: (r["reported_period"], r["ytd_invested"])
        for r in progress_by_project(store, period, Scope.city())
    }


def test_the_list_is_stored_with_keys_for_categories_and_lists(ledger: Store) -> None:
    rows = ledger.con.execute(
        "select project_id, category, lists, region_code, uscc from project order by 1"
    ).fetchall()
    assert rows == [
        ("P1", "emerging", ["three_hundred"], "330502", CODES[0]),
        ("P2", "robot_replacement", ["three_hundred"], "330503", CODES[1]),
        ("P3", "emerging", ["three_hundred"], "330521", None),
        ("P4", "big_good_high", [], "330522", CODES[4]),
        ("P5", "emerging", ["three_hundred"], "330502", CODES[3]),
    ]


def test_stats_counted_by_hand(ledger: Store) -> None:
    s = project_stats(ledger, 2016, Scope.city())
    assert s["n"] == 5
    assert s["invested"] == pytest.approx(600 + 500 + 300 + 0)  # June's figures, P5's March 0
    assert s["annual_plan"] == pytest.approx(1000 + 500 + 800 + 2000)
    assert s["completion_pct"] == pytest.approx(1400 / 4300 * 100)
    assert s["under_construction"] == 3  # P1, P2, P4 (P5 finished in 2015, P3 not started)
    assert s["started"] == 2  # P1, P4
    assert s["started_of_introduced"] == 1  # P4
    assert s["completed"] == 1  # P2
    assert s["introduced"] == 1  # P4
    assert s["planned_start"] == 3  # P1, P3, P4
    assert s["planned_completion"] == 3  # P1, P2, P4
    assert s["start_rate_pct"] == pytest.approx(2 / 3 * 100)
    assert s["completion_rate_pct"] == pytest.approx(1 / 3 * 100)
    three = project_stats(ledger, 2016, Scope.city(), list_key="three_hundred")
    assert (three["n"], three["invested"], three["under_construction"]) == (4, 1100.0, 2)
    emerging = project_stats(
        ledger, 2016, Scope.city(), list_key="three_hundred", category="emerging"
    )
    assert (emerging["n"], emerging["started"], emerging["completed"]) == (3, 1, 0)
    assert project_stats(ledger, 2016, Scope.city(), category="big_good_high")["invested"] == 300.0


def test_stats_at_an_earlier_period_take_the_latest_report_up_to_it(ledger: Store) -> None:
    march = project_stats(ledger, 2016, Scope.city(), period="2016-03")
    assert march["invested"] == pytest.approx(100 + 150 + 0)
    assert march["started"] == 1  # P4's start is first reported in April
    # No report in May: April's stand.
    assert project_stats(ledger, 2016, Scope.city(), period="2016-05")["invested"] == pytest.approx(
        500
    )
    # Nothing reported yet in February.
    assert project_stats(ledger, 2016, Scope.city(), period="2016-02")["invested"] == 0.0


def test_a_late_report_is_loaded_and_used(ledger: Store) -> None:
    # March arrived after April: asking for March gives March's figures, April gives April's.
    assert _progress(ledger, "2016-03")["P1"] == ("2016-03", 100.0)
    assert _progress(ledger, "2016-04")["P1"] == ("2016-04", 250.0)
    assert _progress(ledger, "2016-05")["P4"] == ("2016-04", 50.0)
    assert _progress(ledger, "2016-03")["P3"] == (None, None)


def test_a_corrected_report_replaces_the_earlier_one(ledger: Store, tmp_path: Path) -> None:
    first = ledger.con.execute(
        "select id from source_file where kind = 'project_progress' and period = '2016-06'"
    ).fetchall()[0][0]
    path = write_csv(tmp_path / "进度-2016-06-更正.csv", PROGRESS_HEADER, JUNE_CORRECTED)
    report = run_import(ledger, "project_progress", path, period="2016-06", correction=True)
    assert report.status == "loaded", errors(report)
    assert report.superseded == first
    diff = report.diff["project_progress"]
    assert (diff.added, diff.removed, diff.changed) == (0, 0, 2)
    assert {e["key"] for e in diff.examples} == {"P1/2016-06", "P2/2016-06"}
    # The stats use the corrected figures; the earlier rows are gone, the file kept.
    assert project_stats(ledger, 2016, Scope.city())["invested"] == pytest.approx(650 + 480 + 300)
    assert ledger.con.execute(
        "select count(*) from project_progress where period = '2016-06'"
    ).fetchall() == [(3,)]
    assert ledger.con.execute(
        "select status from source_file where id = ?", [first]
    ).fetchall() == [("superseded",)]
    audit = ledger.con.execute(
        "select action, table_name, before::varchar from audit_log where action like 'supersede%'"
    ).fetchall()
    assert len(audit) == 1
    assert audit[0][1] == "source_file" and f'"id": {first}' in audit[0][2]


def test_progress_that_decreases_is_an_error_unless_a_correction(
    ledger: Store, tmp_path: Path
) -> None:
    july = [["P1", 590, "2016-03-05", None, ""], ["P2", 500, None, None, ""]]
    path = write_csv(tmp_path / "进度-2016-07.csv", PROGRESS_HEADER, july)
    report = run_import(ledger, "project_progress", path, period="2016-07")
    assert report.status == "rejected"
    assert [(i.reason, i.row) for i in report.issues] == [(Reason.DECREASING, 2)]
    assert "2016-06" in report.issues[0].message and "600" in report.issues[0].message
    report = run_import(ledger, "project_progress", path, period="2016-07", correction=True)
    assert report.status == "loaded", errors(report)
    assert [(i.severity.value, i.reason) for i in report.issues] == [("warning", Reason.DECREASING)]


def test_a_late_report_above_the_next_month_is_an_error(ledger: Store, tmp_path: Path) -> None:
    may = [["P1", 700, "2016-03-05", None, ""]]  # June says 600
    path = write_csv(tmp_path / "进度-2016-05.csv", PROGRESS_HEADER, may)
    report = run_import(ledger, "project_progress", path, period="2016-05")
    assert [(i.reason, i.row) for i in report.issues] == [(Reason.DECREASING, 2)]
    assert "2016-06" in report.issues[0].message


def test_a_county_file_may_not_replace_another_countys(ledger: Store, tmp_path: Path) -> None:
    wuxing = write_csv(tmp_path / "吴兴-07.csv", PROGRESS_HEADER, [["P1", 700, None, None, ""]])
    assert run_import(ledger, "project_progress", wuxing, period="2016-07").status == "loaded"
    nanxun = write_csv(tmp_path / "南浔-07.csv", PROGRESS_HEADER, [["P2", 520, None, None, ""]])
    report = run_import(ledger, "project_progress", nanxun, period="2016-07")
    assert report.status == "rejected"
    assert [i.reason for i in report.issues] == [Reason.CONFLICT]
    assert "吴兴区" in report.issues[0].message
    assert _progress(ledger, "2016-07")["P1"] == ("2016-07", 700.0)


def test_bad_progress_rows_are_rejected(ledger: Store, tmp_path: Path) -> None:
    rows = [
        ["P9", 10, None, None, ""],  # not listed
        ["P1", 700, "2016-03-05", "2016-03-01", ""],  # completed before it started
        ["P4", None, None, None, ""],  # no amount
        ["P2", 520, None, "2015-01-01", ""],  # completed before the start reported earlier
        ["P2", 530, None, None, ""],  # twice
    ]
    path = write_csv(tmp_path / "进度-2016-07.csv", PROGRESS_HEADER, rows)
    report = run_import(ledger, "project_progress", path, period="2016-07")
    assert report.status == "rejected"
    assert sorted((i.row or 0, i.reason.value) for i in report.issues) == [
        (2, Reason.UNKNOWN_ENTERPRISE.value),
        (3, Reason.CROSS_FIELD.value),
        (4, Reason.REQUIRED.value),
        (5, Reason.CROSS_FIELD.value),
        (6, Reason.DUPLICATE.value),
    ], errors(report)
    assert "项目清单" in report.issues[0].message


def test_month_in_the_header_and_the_period(ledger: Store, tmp_path: Path) -> None:
    header = ["项目代码", "1-7月完成投资(万元)"]
    good = write_csv(tmp_path / "进度-07.csv", header, [["P1", 700], ["P2", 510], ["P4", 320]])
    report = run_import(ledger, "project_progress", good, period="2016-07")
    assert report.status == "loaded", errors(report)
    assert _progress(ledger, "2016-07")["P4"] == ("2016-07", 320.0)
    stale = write_csv(tmp_path / "进度-08.csv", ["项目代码", "1-7月完成投资(万元)"], [["P1", 800]])
    report = run_import(ledger, "project_progress", stale, period="2016-08")
    assert [i.reason for i in report.issues] == [Reason.PERIOD]
    # A 期别 column that disagrees with --period.
    dated = write_csv(
        tmp_path / "进度-09.csv", ["项目代码", "期别", "累计完成投资"], [["P1", "2016-10", 900]]
    )
    report = run_import(ledger, "project_progress", dated, period="2016-09")
    assert [i.reason for i in report.issues] == [Reason.PERIOD]


def test_bad_list_rows_are_rejected(tmp_path: Path) -> None:
    store = registered(tmp_path)
    try:
        rows = [
            ["Q1", "甲", "新材料", "三百计划", "吴兴区", None, 1, None, None, None, 2016, 1],
            ["Q2", "乙", "新兴产业", "五百计划", "吴兴区", None, 1, None, None, None, 2016, 1],
            ["Q3", "丙", "新兴产业", None, "火星区", None, 1, None, None, None, 2016, 1],
            [
                "Q4",
                "丁",
                "新兴产业",
                None,
                "吴兴区",
                "91330502MA2B00000X",
                1,
                None,
                None,
                None,
                2016,
                1,
            ],
            [
                "Q5",
                "戊",
                "新兴产业",
                None,
                "吴兴区",
                None,
                1,
                None,
                "2016-05-01",
                "2016-04-01",
                2016,
                1,
            ],
            ["Q6", "己", "新兴产业", None, "吴兴区", None, -5, None, None, None, 2016, 1],
        ]
        report = run_import(store, "project", write_csv(tmp_path / "清单.csv", LIST_HEADER, rows))
        assert report.status == "rejected"
        assert sorted((i.row or 0, i.reason.value) for i in report.issues) == [
            (2, Reason.TYPE.value),
            (3, Reason.TYPE.value),
            (4, Reason.REGION.value),
            (5, Reason.USCC.value),
            (6, Reason.CROSS_FIELD.value),
            (7, Reason.RANGE.value),
        ], errors(report)
        assert store.con.execute("select count(*) from project").fetchall() == [(0,)]
    finally:
        store.close()


def test_a_changed_project_is_updated_with_an_audit_entry(ledger: Store, tmp_path: Path) -> None:
    renamed = [
        [
            "P1",
            "一号项目二期",
            "新兴产业",
            "三百计划",
            "吴兴区",
            CODES[0],
            6000,
            None,
            "2016-03-01",
            "2017-03-31",
            2017,
            3000,
        ]
    ]
    path = write_csv(tmp_path / "项目清单-2017.csv", LIST_HEADER, renamed)
    report = run_import(ledger, "project", path)
    assert report.status == "loaded", errors(report)
    assert ledger.con.execute(
        "select name, planned_total from project where project_id = 'P1'"
    ).fetchall() == [("一号项目二期", 6000.0)]
    assert ledger.con.execute(
        "select year, annual_plan from project_plan where project_id = 'P1' order by year"
    ).fetchall() == [(2016, 1000.0), (2017, 3000.0)]
    audit = ledger.con.execute(
        "select row_key::varchar from audit_log where table_name = 'project'"
    ).fetchall()
    assert audit == [('{"project_id": "P1"}',)]
