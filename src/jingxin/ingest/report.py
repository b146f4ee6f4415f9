"""The import report for the sender: their own rows with an added 错误说明 column and each
bad cell itself marked (red for an error, yellow for a warning, the problems in a comment)
in the .xlsx, and the same problems as JSON for programs.

Cell text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so opening the
report never executes anything the sender (or an attacker) typed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from jingxin.ingest.issues import Issue
from jingxin.ingest.pipeline import ImportReport

__all__ = ["safe_cell", "write_report"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value safe to write into a spreadsheet cell.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-3"), safe_cell(-3), safe_cell("甲")
    ('\\'=HYPERLINK("http://x")', "'-3", -3, '甲')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_report(report: ImportReport, xlsx: Path, js: Path | None = None) -> None:
    """Write the report workbook (and JSON next to it unless ``js`` is given)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    xlsx.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "导入结果"
    summary.append(["文件", safe_cell(report.file)])
    summary.append(["类型", report.kind])
    summary.append(["期别", report.period or ""])
    summary.append(
        [
            "结果",
            {
                "loaded": "已导入",
                "rejected": "未导入",
                "repeated": "重复文件，未改动",
                "checked": "检查通过，未导入（仅检查）",
            }[report.status],
        ]
    )
    summary.append(["说明", safe_cell(report.summary())])
    summary.append([])
    summary.append(["级别", "原因代码", "工作表", "行", "列", "单元格", "值", "说明"])
    for c in summary[summary.max_row]:
        c.font = Font(bold=True)
    for issue in report.issues:
        summary.append(
            [
                "错误" if issue.severity == "error" else "提示",
                issue.reason.value,
                safe_cell(issue.sheet or ""),
                issue.row,
                safe_cell(issue.column or ""),
                issue.cell or "",
                safe_cell(None if issue.value is None else str(issue.value)),
                safe_cell(issue.message),
            ]
        )
    if report.dropped:
        summary.append(["", "", "", "", "", "", "", f"另有 {report.dropped} 个问题未列出"])
    summary.column_dimensions["H"].width = 80

    by_row: dict[tuple[str | None, int], list[Issue]] = defaultdict(list)
    by_cell: dict[tuple[str | None, int, int], list[Issue]] = defaultdict(list)
    for issue in report.issues:
        if issue.row is not None:
            by_row[(issue.sheet, issue.row)].append(issue)
            if issue.col is not None:
                by_cell[(issue.sheet, issue.row, issue.col)].append(issue)
    red = PatternFill("solid", fgColor="FFC7CE")
    yellow = PatternFill("solid", fgColor="FFEB9C")
    for i, sheet in enumerate(report.sheets):
        ws = wb.create_sheet(_sheet_title(sheet.name or "数据", i))
        width = max((len(r) for r in sheet.rows), default=0)
        for r, row in enumerate(sheet.rows, start=1):
            found = by_row.get((sheet.name, r), [])
            note = "；".join(f"{x.column + '：' if x.column else ''}{x.message}" for x in found)
            cells = [safe_cell(v) for v in row] + [None] * (width - len(row)) + [safe_cell(note)]
            ws.append(cells)
            if found:
                fill = red if any(x.severity == "error" for x in found) else yellow
                ws.cell(row=r, column=width + 1).fill = fill
            for x in found:
                bad = by_cell.get((sheet.name, r, x.col or 0))
                if bad and x is bad[0] and (x.col or 0) <= width:  # the cell itself, once
                    cell = ws.cell(row=r, column=x.col)
                    error = any(b.severity == "error" for b in bad)
                    cell.fill = red if error else yellow
                    text = "\n".join(
                        ("错误：" if b.severity == "error" else "提示：") + b.message for b in bad
                    )
                    cell.comment = Comment(text, "jingxin", width=320, height=120)
        ws.cell(row=1, column=width + 1, value="错误说明").font = Font(bold=True)
        ws.cell(row=1, column=width + 1).alignment = Alignment(wrap_text=True)
    if report.diff:
        _diff_sheet(wb, report)
    wb.save(xlsx)
    (js or xlsx.with_suffix(".json")).write_text(
        json.dumps(report_json(report), ensure_ascii=False, indent=2, default=str), "utf-8"
    )


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "kind": report.kind,
        "file": report.file,
        "status": report.status,
        "period": report.period,
        "summary": report.summary(),
        "rows": report.rows,
        "file_id": report.file_id,
        "superseded": report.superseded,
        "unmatched": report.unmatched,
        "diff": {t: asdict(d) for t, d in report.diff.items()},
        "issues": [i.to_json() for i in report.issues],
        "dropped": report.dropped,
    }


def _diff_sheet(wb: Any, report: ImportReport) -> None:
    """The 更正对比 sheet: each changed cell with 原值 and 新值, then added and removed rows."""
    from openpyxl.styles import Font

    from jingxin.ingest.diff import column_labels, diff_rows
    from jingxin.ingest.kinds import KINDS

    kind = KINDS.get(report.kind)
    ws = wb.create_sheet("更正对比", 1)
    ws.append(["表", "变化", "关键字段", "列", "原值", "新值"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in diff_rows(report.diff, column_labels(kind) if kind else {}):
        ws.append([safe_cell(v) for v in row])
    ws.column_dimensions["C"].width = 32
    ws.column_dimensions["D"].width = 28


def _sheet_title(name: str, i: int) -> str:
    bad = "[]:*?/\\"
    clean = "".join("_" if ch in bad else ch for ch in name)[:28]
    return clean or f"表{i + 1}"
