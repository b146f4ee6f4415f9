"""Validation coverage (issue 11, part 4): every year-to-date measure is checked against last
month and the firm's history, a row's problems come out in one pass, the report marks the
bad cell and quotes the value as typed, 合计 is told in any label column, a header without
its 本月/1-本月 qualifier says so, and a name unlike the register's is a warning."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jingxin import uscc
from jingxin.ingest import KINDS, Reason, import_file, write_report
from jingxin.ingest.pipeline import ImportReport
from jingxin.store import Store
from tests.ingest.helpers import errors
from tests.ingest.make_corpus import CODES, ENTERPRISES, write_csv

STATS = KINDS["stats_monthly"]
CODE, NAME = "统一社会信用代码", "单位详细名称"
GO_WAN = "1-本月;工业总产值(当年价格);万元"
VA_WAN = "1-本月;工业增加值;万元"
VA_QIAN = "1-本月;工业增加值;千元"
GO_QIAN = "1-本月;工业总产值(当年价格);千元"

# Year-to-date flows: never below last month. Profit may fall; employees are a stock.
FLOWS = (
    "sales_output",
    "export_delivery",
    "new_product_output",
    "value_added",
    "revenue",
    "taxes",
    "energy",
)
NOT_FLOWS = ("profit", "employees")


def _import(store: Store, path: Path, period: str | None = "2016-06", **kw: Any) -> ImportReport:
    return import_file(store, "stats_monthly", path, period=period, **kw)


def _csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    return write_csv(path, [list(header), *[[_text(v) for v in r] for r in rows]])


def _text(v: Any) -> Any:
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return v


def _firms(n: int = 5) -> list[tuple[str, str]]:
    return [(e.uscc, e.name) for e in ENTERPRISES[:n]]


def _of(report: ImportReport, reason: str) -> list[Any]:
    return [i for i in report.issues if i.reason == reason]


# -- every year-to-date measure ------------------------------------------------------------------
def test_value_added_below_last_month_is_refused(store: Store, tmp_path: Path) -> None:
    """The issue's case: 1-9月 工业增加值 123.45 万元 after 1-8月 2,577.1 万元."""
    header = [CODE, NAME, GO_WAN, VA_WAN]
    aug = [[c, n, "12,000", "2,577.1"] for c, n in _firms()]
    sep = [[c, n, "13,500", "123.45" if i == 2 else "2,900"] for i, (c, n) in enumerate(_firms())]
    first = _import(store, _csv(tmp_path / "8.csv", header, aug), "2016-08")
    assert first.status == "loaded", errors(first)

    report = _import(store, _csv(tmp_path / "9.csv", header, sep), "2016-09")

    assert report.status == "rejected", errors(report)
    (issue,) = _of(report, Reason.DECREASING)
    assert (issue.row, issue.column) == (4, VA_WAN)
    assert issue.value == "123.45 万元"
    assert "工业增加值" in issue.message and "2,577.1 万元" in issue.message


def test_with_correction_a_decrease_of_value_added_is_a_warning(
    store: Store, tmp_path: Path
) -> None:
    header = [CODE, NAME, GO_WAN, VA_WAN]
    aug = [[c, n, "12,000", "2,577.1"] for c, n in _firms()]
    sep = [[c, n, "13,500", "123.45" if i == 2 else "2,900"] for i, (c, n) in enumerate(_firms())]
    assert _import(store, _csv(tmp_path / "8.csv", header, aug), "2016-08").ok
    report = _import(store, _csv(tmp_path / "9.csv", header, sep), "2016-09", correction=True)
    assert report.status == "loaded", errors(report)
    (issue,) = _of(report, Reason.DECREASING)
    assert issue.severity == "warning" and issue.column == VA_WAN


def _measure_files(tmp_path: Path, key: str, before: float, after: float) -> tuple[Path, Path]:
    col = STATS.column(key)
    header = [CODE, NAME, GO_QIAN, col.header()]
    may = [[c, n, "100000", _text(before)] for c, n in _firms()]
    june = [
        [c, n, "120000", _text(after if i == 0 else before + 10)]
        for i, (c, n) in enumerate(_firms())
    ]
    return (
        _csv(tmp_path / f"{key}-5.csv", header, may),
        _csv(tmp_path / f"{key}-6.csv", header, june),
    )


@pytest.mark.parametrize("key", FLOWS)
def test_every_year_to_date_flow_is_checked_against_last_month(
    key: str, store: Store, tmp_path: Path
) -> None:
    may, june = _measure_files(tmp_path, key, 500.0, 400.0)
    assert _import(store, may, "2016-05").ok
    report = _import(store, june, "2016-06")
    assert report.status == "rejected", errors(report)
    (issue,) = _of(report, Reason.DECREASING)
    assert (issue.row, issue.column) == (2, STATS.column(key).header())
    assert issue.value == f"400 {STATS.column(key).unit}"
    assert STATS.column(key).label in issue.message


@pytest.mark.parametrize("key", NOT_FLOWS)
def test_profit_and_employees_may_fall(key: str, store: Store, tmp_path: Path) -> None:
    may, june = _measure_files(tmp_path, key, 500.0, 400.0)
    assert _import(store, may, "2016-05").ok
    report = _import(store, june, "2016-06")
    assert report.status == "loaded", errors(report)
    assert not _of(report, Reason.DECREASING)


def test_a_value_added_far_from_the_firms_months_is_flagged(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_WAN, VA_WAN]
    steps = (100.0, 110.0, 90.0, 105.0, 95.0, 100.0, 102.0)  # 1-7月: single months
    go, va = 0.0, 0.0
    for m, step in enumerate(steps, start=1):
        go, va = go + 10 * step, va + step
        rows = [[c, n, _text(go), _text(va)] for c, n in _firms()]
        r = _import(store, _csv(tmp_path / f"{m}.csv", header, rows), f"2016-{m:02d}")
        assert r.status == "loaded" and not r.issues, errors(r)
    # August: output as usual; one firm's value added ten times its usual month
    rows = [
        [c, n, _text(go + 1000), _text(va + (1000.0 if i == 1 else 100.0))]
        for i, (c, n) in enumerate(_firms())
    ]
    report = _import(store, _csv(tmp_path / "8.csv", header, rows), "2016-08")
    assert report.status == "loaded", errors(report)
    (issue,) = _of(report, Reason.OUTLIER)
    assert (issue.row, issue.column, issue.severity) == (3, VA_WAN, "warning")
    assert "工业增加值" in issue.message


# -- every problem of a row in one pass -----------------------------------------------------------
def test_a_bad_code_does_not_hide_the_rows_other_problems(store: Store, tmp_path: Path) -> None:
    bad = CODES[1][:-1] + ("0" if CODES[1][-1] != "0" else "1")
    header = [CODE, NAME, GO_QIAN, VA_QIAN, "上年同期;1-本月;工业总产值(当年价格);千元"]
    rows = [[c, n, "1000", "200", "900"] for c, n in _firms()]
    rows[1] = [bad, ENTERPRISES[1].name, "1000", "60000", "abc"]  # row 3: three problems
    report = _import(store, _csv(tmp_path / "a.csv", header, rows))
    assert report.status == "rejected"
    at_row = {(i.reason.value, i.column) for i in report.issues if i.row == 3}
    assert at_row == {
        (Reason.USCC.value, CODE),
        (Reason.CROSS_FIELD.value, VA_QIAN),
        (Reason.TYPE.value, "上年同期;1-本月;工业总产值(当年价格);千元"),
    }, errors(report)


def test_an_unknown_enterprise_does_not_hide_the_rows_other_problems(
    store: Store, tmp_path: Path
) -> None:
    stranger = uscc.make("330523", random.Random(99))
    header = [CODE, NAME, GO_QIAN, VA_QIAN]
    rows = [[stranger, "名录外示例有限公司", "1000", "60000"]]
    report = _import(store, _csv(tmp_path / "a.csv", header, rows))
    assert {i.reason for i in report.issues} == {
        Reason.UNKNOWN_ENTERPRISE,
        Reason.CROSS_FIELD,
    }, errors(report)


def test_an_error_does_not_skip_the_checks_against_last_month(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_WAN, VA_WAN]
    may = [[c, n, "1000", "200"] for c, n in _firms()]
    assert _import(store, _csv(tmp_path / "5.csv", header, may), "2016-05").ok
    june = [[c, n, "1100", "220"] for c, n in _firms()]
    june[0][3] = "5000"  # row 2: value added above output, an error
    june[3][2] = "900"  # row 5: output below May's
    report = _import(store, _csv(tmp_path / "6.csv", header, june), "2016-06")
    assert report.status == "rejected"
    got = {(i.reason.value, i.row, i.column) for i in report.issues}
    assert got == {
        (Reason.CROSS_FIELD.value, 2, VA_WAN),
        (Reason.DECREASING.value, 5, GO_WAN),
    }, errors(report)


# -- the report marks the cell and quotes the value as typed ---------------------------------------
def test_the_value_is_quoted_as_typed_with_its_unit(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_QIAN, VA_QIAN]
    rows = [[c, n, "50000", "6000"] for c, n in _firms()]
    rows[2][3] = "60000"  # 千元: 6,000 万元 above 5,000 万元
    report = _import(store, _csv(tmp_path / "a.csv", header, rows))
    (issue,) = _of(report, Reason.CROSS_FIELD)
    assert issue.value == "60000 千元"
    assert "60000 千元" in issue.text() and "6000.0" not in issue.text()
    assert "50000 千元" in issue.message


def test_the_report_marks_the_bad_cell(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_QIAN, VA_QIAN]
    rows = [[c, n, "50000", "6000"] for c, n in _firms()]
    rows[1][2] = "五万"  # C3: not a number
    rows[3][3] = "60000"  # D5: above output
    report = _import(store, _csv(tmp_path / "月报.csv", header, rows))
    assert report.status == "rejected"
    out = tmp_path / "报告.xlsx"
    write_report(report, out)

    wb = openpyxl.load_workbook(out)
    try:
        data = wb.worksheets[1]
        for cell, words in (("C3", "应为数字"), ("D5", "不应大于")):
            c = data[cell]
            assert c.fill.fgColor.rgb.endswith("FFC7CE"), cell
            assert c.comment is not None and words in c.comment.text, cell
        assert data["C2"].comment is None and data["C2"].fill.fgColor.rgb in (None, "00000000")
        assert data["A3"].comment is None  # only the cell itself
        header_row = [c.value for c in data[1]]
        assert header_row[-1] == "错误说明"
        assert "应为数字" in str(data.cell(row=3, column=len(header_row)).value)
    finally:
        wb.close()
    js = json.loads(out.with_suffix(".json").read_text("utf-8"))
    cells = {(i["reason"], i["cell"]) for i in js["issues"]}
    assert {(Reason.TYPE.value, "C3"), (Reason.CROSS_FIELD.value, "D5")} <= cells
    (typed,) = [i for i in js["issues"] if i["reason"] == Reason.TYPE.value]
    assert "单元格 C3" in typed["text"]


# -- 合计 in any label column ---------------------------------------------------------------------
def _with_total(tmp_path: Path, header: list[str], label_at: int, label: str, go: float) -> Path:
    rows: list[list[Any]] = []
    for c, n in _firms():
        row: list[Any] = [None] * len(header)
        row[header.index(CODE)], row[header.index(NAME)] = c, n
        row[header.index(GO_WAN)], row[header.index(VA_WAN)] = "100", "20"
        if "县区" in header:
            row[header.index("县区")] = "吴兴区"
        rows.append(row)
    total: list[Any] = [None] * len(header)
    total[label_at] = label
    total[header.index(GO_WAN)], total[header.index(VA_WAN)] = _text(go), "100"
    return _csv(tmp_path / "t.csv", header, [*rows, total])


@pytest.mark.parametrize(
    ("header", "column", "label"),
    [
        pytest.param([CODE, NAME, GO_WAN, VA_WAN], NAME, "合计", id="name"),
        pytest.param([CODE, NAME, GO_WAN, VA_WAN], NAME, "合  计（5户）", id="name-count"),
        pytest.param(["序号", "县区", NAME, CODE, GO_WAN, VA_WAN], NAME, "总计", id="name-late"),
        pytest.param(["序号", "县区", NAME, CODE, GO_WAN, VA_WAN], "县区", "全市合计", id="county"),
        pytest.param([CODE, NAME, GO_WAN, VA_WAN], CODE, "合计", id="code"),
    ],
)
def test_a_total_in_any_label_column_is_no_row(
    header: list[str], column: str, label: str, store: Store, tmp_path: Path
) -> None:
    report = _import(store, _with_total(tmp_path, header, header.index(column), label, 500.0))
    assert report.status == "loaded", errors(report)
    assert report.rows == {"monthly_fact": 5} and not report.issues, errors(report)


def test_a_wrong_total_in_the_name_column_is_checked(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_WAN, VA_WAN]
    report = _import(store, _with_total(tmp_path, header, 1, "合计", 600.0))
    assert report.status == "rejected"
    assert [(i.reason, i.row, i.column) for i in report.issues] == [(Reason.TOTAL, 7, GO_WAN)]


def test_a_subtotal_is_skipped_not_summed_against_the_sheet(store: Store, tmp_path: Path) -> None:
    header = ["县区", CODE, NAME, GO_WAN, VA_WAN]
    report = _import(store, _with_total(tmp_path, header, 0, "吴兴区小计", 200.0))
    assert report.status == "loaded", errors(report)
    assert report.rows == {"monthly_fact": 5} and not report.issues, errors(report)


# -- a header without its qualifier ---------------------------------------------------------------
def test_a_measure_without_its_qualifier_says_so(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "a.csv", [CODE, NAME, "工业增加值(万元)"], [[CODES[0], "x", "12"]])
    report = _import(store, path)
    assert report.status == "rejected"
    assert not _of(report, Reason.MISSING_COLUMN), errors(report)
    (issue,) = _of(report, "qualifier")
    assert issue.severity == "error" and issue.column == "工业增加值(万元)"
    assert "本月" in issue.message and "1-本月" in issue.message and "本年累计" in issue.message
    assert "工业增加值(万元)" in issue.text()


def test_a_measure_without_its_qualifier_is_not_dropped_silently(
    store: Store, tmp_path: Path
) -> None:
    header = [CODE, NAME, GO_WAN, "工业增加值(万元)"]
    path = _csv(tmp_path / "a.csv", header, [[c, n, "100", "20"] for c, n in _firms()])
    report = _import(store, path)
    assert report.status == "rejected"
    (issue,) = report.issues
    assert (issue.reason, issue.column) == ("qualifier", "工业增加值(万元)")


# -- the name in the file against the register's --------------------------------------------------
def test_a_name_unlike_the_registers_is_a_warning_naming_both(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_WAN, VA_WAN]
    rows = [[c, n, "100", "20"] for c, n in _firms()]
    rows[3][1] = "安吉另一家竹业有限公司"
    report = _import(store, _csv(tmp_path / "a.csv", header, rows))
    assert report.status == "loaded", errors(report)
    (issue,) = report.issues
    assert (issue.reason, issue.severity, issue.row, issue.column) == (
        "name_mismatch",
        "warning",
        5,
        NAME,
    )
    assert "安吉另一家竹业有限公司" in issue.message and ENTERPRISES[3].name in issue.message


def test_a_name_differing_only_in_form_is_no_warning(store: Store, tmp_path: Path) -> None:
    header = [CODE, NAME, GO_WAN, VA_WAN]
    rows = [[c, n, "100", "20"] for c, n in _firms()]
    rows[2][1] = " 德清示例丝绸 (集团) 有限公司"  # register: 德清示例丝绸（集团）有限责任公司
    rows[0][1] = "湖州吴兴示例纺织有限责任公司"  # register: 湖州吴兴示例纺织有限公司
    rows[1][1] = "湖州南浔示例机械有限公司"
    report = _import(store, _csv(tmp_path / "a.csv", header, rows))
    assert report.status == "loaded" and report.issues == [], errors(report)


def test_a_gb18030_only_name_is_quoted_intact(corpus: dict[str, Path], store: Store) -> None:
    """The corpus's GB18030 file names the first firm 𠮷祥示例纺织有限公司 (issue #4)."""
    report = _import(store, corpus["gb18030.csv"])
    assert report.status == "loaded", errors(report)
    (issue,) = report.issues
    assert issue.reason == "name_mismatch" and issue.value == "𠮷祥示例纺织有限公司"
    assert "𠮷祥示例纺织有限公司" in issue.message and ENTERPRISES[0].name in issue.message
