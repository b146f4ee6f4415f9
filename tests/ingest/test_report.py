"""The error report: the sender's rows with a 错误说明 column, never a formula (formula
injection neutralised), and the same problems as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from jingxin.ingest import Reason, import_file, write_report
from jingxin.store import Store
from tests.ingest.helpers import errors

_STARTS = ("=", "+", "-", "@")


def _cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    wb = openpyxl.load_workbook(path, data_only=False)
    try:
        return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    finally:
        wb.close()


def test_report_of_an_injection_csv_holds_no_formula(
    corpus: dict[str, Path], store: Store, tmp_path: Path
) -> None:
    source = corpus["公式注入.csv"]
    report = import_file(store, "stats_monthly", source, period="2016-06")
    assert report.status == "rejected", errors(report)
    out = tmp_path / "报告.xlsx"
    write_report(report, out)

    cells = _cells(out)
    assert cells
    for c in cells:
        assert c.data_type != "f", (c.coordinate, c.value)
        if isinstance(c.value, str):
            assert not c.value.startswith(_STARTS), (c.parent.title, c.coordinate, c.value)
    texts = {c.value for c in cells if isinstance(c.value, str)}
    # the sender's text is kept, behind an apostrophe, so the sender recognises it
    for name in ('=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1)"):
        assert "'" + name in texts, name
    assert "'=1+1" in texts  # the bad amount itself, shown in the summary and the rows

    wb = openpyxl.load_workbook(out)
    try:
        data = wb.worksheets[1]
        header = [c.value for c in data[1]]
        assert header[-1] == "错误说明"
        note = data.cell(row=3, column=len(header)).value  # the CSV's line 3 holds "=1+1"
        assert isinstance(note, str) and "应为数字" in note
        # the bad amount's cell itself is marked, and so is each name unlike the register's
        assert data["C3"].comment is not None and "应为数字" in data["C3"].comment.text
        assert data["B2"].comment is not None and "企业名录" in data["B2"].comment.text
        assert data["A2"].comment is None and data["C2"].comment is None
    finally:
        wb.close()

    js = json.loads(out.with_suffix(".json").read_text("utf-8"))
    assert js["status"] == "rejected"
    got = [(i["severity"], i["reason"], i["row"], i["cell"]) for i in js["issues"]]
    assert [g for g in got if g[0] == "error"] == [("error", Reason.TYPE.value, 3, "C3")]
    # the names are all formulas, none the register's: a warning at each (issue 11 part 4)
    assert sorted(g for g in got if g[0] == "warning") == [
        ("warning", Reason.NAME_MISMATCH.value, r, f"B{r}") for r in range(2, 7)
    ]


def test_report_of_a_workbook_with_formulas_holds_values_not_formulas(
    corpus: dict[str, Path], store: Store, tmp_path: Path
) -> None:
    report = import_file(store, "stats_monthly", corpus["公式-有缓存值.xlsx"], period="2016-06")
    assert report.status == "loaded", errors(report)
    out = tmp_path / "r.xlsx"
    write_report(report, out)
    cells = _cells(out)
    assert all(c.data_type != "f" for c in cells)
    assert 1234.5 in {c.value for c in cells}
