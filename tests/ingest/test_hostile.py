"""The hostile corpus: every file is accepted or rejected exactly as expected, with reasons
and places in the report, and the store file is byte-for-byte unchanged by a rejection."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdnum.cn import uscc as std_uscc

from jingxin import uscc
from jingxin.ingest import Reason, Severity, import_file
from jingxin.store import Store
from tests.ingest.helpers import dump, errors, file_sha256, has_chinese, stored_output
from tests.ingest.make_corpus import CASES, ENTERPRISES, Case, write_register


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_file(case: Case, corpus: dict[str, Path], store_path: Path) -> None:
    store = Store(store_path)
    for name, kind, period in case.setup:
        first = import_file(store, kind, corpus[name], period=period)
        assert first.status == "loaded", errors(first)
    store.close()
    bytes_before = file_sha256(store_path)

    store = Store(store_path)
    try:
        before = dump(store)
        report = import_file(
            store, case.kind, corpus[case.file], period=case.period, correction=case.correction
        )
        after = dump(store)
    finally:
        store.close()
    bytes_after = file_sha256(store_path)

    assert report.status == case.status, errors(report)
    assert {i.reason for i in report.issues} == case.reasons, errors(report)
    for issue in report.issues:
        assert issue.file == case.file
        assert has_chinese(issue.message), issue
        if issue.row is not None:
            assert f"第 {issue.row} 行" in issue.text()
        if issue.column is not None:
            assert f"列“{issue.column}”" in issue.text()
    if case.at is not None:
        reason, sheet, row, column = case.at
        places = [(i.reason, i.sheet, i.row, i.column) for i in report.issues]
        assert (reason, sheet, row, column) in places, places

    if case.status == "rejected":
        assert any(i.severity is Severity.ERROR for i in report.issues)
        assert report.rows == {} and report.file_id is None
        assert after == before
        assert bytes_after == bytes_before, "a rejected import changed the store file"
    else:
        assert all(i.severity is Severity.WARNING for i in report.issues), errors(report)
        assert report.rows == {"monthly_fact": len(ENTERPRISES)}  # a 合计 row is never a row
        assert after != before
        if case.stored is not None:
            store = Store(store_path)
            try:
                got = stored_output(store, "2016-06")
            finally:
                store.close()
            assert got.keys() == case.stored.keys()
            for code, value in case.stored.items():
                assert got[code] == pytest.approx(value, rel=1e-12), code


def test_every_defect_of_the_issue_is_in_the_corpus() -> None:
    """The corpus keeps covering the issue's list (a case dropped by mistake shows here)."""
    reasons = {r for c in CASES for r in c.reasons}
    for needed in (
        Reason.TOTAL,
        Reason.USCC,
        Reason.REGION,
        Reason.INDUSTRY,
        Reason.DUPLICATE,
        Reason.CROSS_FIELD,
        Reason.DECREASING,
        Reason.EMPTY,
        Reason.WRONG_KIND,
        Reason.UNSAFE,
        Reason.UNREADABLE,
        Reason.HIDDEN,
        Reason.FORMULA,
        Reason.TYPE,
    ):
        assert needed in reasons, needed
    ids = {c.id for c in CASES}
    assert {"gbk_qianyuan", "gb18030_only_char", "bom_fullwidth_separators_dashes"} <= ids
    assert {"zip_bomb", "billion_laughs", "huge_cell_csv", "formula_injection_names"} <= ids


def test_the_register_loads_a_letter_authority_code_stdnum_rejects(tmp_path: Path) -> None:
    letter = next(e for e in ENTERPRISES if e.uscc[0].isalpha())
    assert uscc.is_valid(letter.uscc) and not std_uscc.is_valid(letter.uscc)
    csv = write_register(tmp_path / "register.csv")
    store = Store(tmp_path / "s.duckdb")
    try:
        report = import_file(store, "register", csv)
        assert report.status == "loaded" and report.issues == [], errors(report)
        stored = store.enterprises()
    finally:
        store.close()
    assert stored[letter.uscc] == (letter.name, "330502")
    assert {e.uscc for e in ENTERPRISES} == stored.keys()
    assert stored[ENTERPRISES[0].uscc][1] == "330502"  # 吴兴区 by name → its code


def test_a_stdnum_valid_code_with_a_wrong_organisation_digit_is_refused(
    corpus: dict[str, Path], store: Store
) -> None:
    report = import_file(
        store, "stats_monthly", corpus["组织机构代码校验位错.csv"], period="2016-06"
    )
    (issue,) = report.issues
    assert std_uscc.is_valid(str(issue.value)) and not uscc.is_valid(str(issue.value))
    assert "组织机构代码" in issue.message


def test_thousand_yuan_is_stored_as_ten_thousand_yuan(
    corpus: dict[str, Path], store: Store
) -> None:
    report = import_file(store, "stats_monthly", corpus["gbk-千元.csv"], period="2016-06")
    assert report.status == "loaded", errors(report)
    row = store.con.execute(
        "select gross_output, gross_output_prior, value_added, value_added_prior "
        "from monthly_fact where uscc = ?",
        [ENTERPRISES[2].uscc],
    ).fetchall()[0]
    assert row == pytest.approx((3020.25, 2900.0, 604.05, 580.0), rel=1e-12)


def test_blank_and_dash_cells_are_missing_not_zero(corpus: dict[str, Path], store: Store) -> None:
    report = import_file(store, "stats_monthly", corpus["bom-全角-千分位.csv"], period="2016-06")
    assert report.status == "loaded", errors(report)
    rows = store.con.execute(
        "select gross_output_prior, value_added_prior from monthly_fact"
    ).fetchall()
    assert rows == [(None, None)] * len(ENTERPRISES)


def test_uncached_formula_rejects_the_file(corpus: dict[str, Path], store: Store) -> None:
    """A formula's value is unknown, not blank: nothing of the file is stored."""
    report = import_file(store, "stats_monthly", corpus["公式-无缓存值.xlsx"], period="2016-06")
    assert report.status == "rejected"
    assert [i.reason for i in report.issues] == [Reason.FORMULA]
    assert stored_output(store, "2016-06") == {}


def test_rows_keep_their_file_sheet_and_row(corpus: dict[str, Path], store: Store) -> None:
    report = import_file(store, "stats_monthly", corpus["合并表头-万元.xlsx"], period="2016-06")
    assert report.status == "loaded", errors(report)
    rows = store.con.execute(
        "select uscc, source_file_id, source_sheet, source_row from monthly_fact order by source_row"
    ).fetchall()
    assert rows == [(e.uscc, report.file_id, "月报", 6 + i) for i, e in enumerate(ENTERPRISES)]
