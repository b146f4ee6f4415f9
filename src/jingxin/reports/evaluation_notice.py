"""The 公示名单: the list the bureau publishes when an evaluation goes on public notice.

Written by ``jingxin evaluation notice`` as an Excel workbook and a Word document with the
same content: the title with the year and the notice period, one row per enterprise
(序号, 企业名称, 统一社会信用代码, 县（市、区）, 评价对象, 评价类别, 备注) and a closing
paragraph saying how and by when to object. Only what a bureau publishes is shown: no
scores, ranks, item values or benchmarks. Enterprises not graded (不定等级) are listed
with the class they are managed as and the reason in 备注.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jingxin.errors import InputError
from jingxin.evaluation.method import Method
from jingxin.reference import regions
from jingxin.reports.document import Document, Section, Table
from jingxin.reports.evaluation import neutralise
from jingxin.reports.word import write_docx
from jingxin.store import Scope

__all__ = [
    "write_notice_file",
    "NoticeFiles",
    "NoticeList",
    "notice_list",
    "write_notice",
    "write_notice_files",
]

HEADER = ("序号", "企业名称", "统一社会信用代码", "县（市、区）", "评价对象", "评价类别", "备注")
_WIDTHS = (6, 32, 22, 11, 14, 20, 24)  # Excel character widths (a CJK character is 2)
_DOCX_CM = (0.9, 3.7, 4.9, 1.7, 2.4, 2.0)  # Word, without 评价对象: 15.6 cm of A4 text width
_EXEMPT_ZH = {"data_missing": "数据不全"}


@dataclass(frozen=True)
class NoticeList:
    """What the 公示名单 says: year, notice period, method and the rows to publish."""

    year: int
    version: int
    start: date
    until: date
    method_name: str
    rows: list[list[str]]  # in HEADER order, 序号 first


@dataclass(frozen=True)
class NoticeFiles:
    """The files written."""

    xlsx: Path
    docx: Path


def _date_zh(d: date) -> str:
    """``2017年5月1日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def notice_list(
    results: pa.Table, m: Method, year: int, version: int, start: date, until: date
) -> NoticeList:
    """The 公示名单 of a run's results: by cohort, then class (best first), county, code."""
    cl = m.classification
    names = regions()
    cohorts = {c.key: (n, c.name) for n, c in enumerate(m.cohorts)}
    exempt = {e.reason: e.name for e in m.exemptions} | _EXEMPT_ZH
    order = {c: n for n, c in enumerate(cl.classes)}

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        graded = r["exempt_reason"] is None
        cls = order.get(r["final_class"], len(order)) if graded else len(order) + 1
        return (cohorts.get(r["cohort"], (99, ""))[0], cls, r["region_code"], r["uscc"])

    rows = []
    for n, r in enumerate(sorted(results.to_pylist(), key=key), start=1):
        if r["exempt_reason"] is None:
            grade = cl.label(r["final_class"]) or "未定等级"
            note = ""
        else:
            managed = f"（按{r['final_class']}类管理）" if r["final_class"] else ""
            grade = f"不定等级{managed}"
            note = exempt.get(r["exempt_reason"], r["exempt_reason"])
        county = names[r["region_code"]].name if r["region_code"] in names else r["region_code"]
        rows.append(
            [
                str(n),
                r["name"],
                r["uscc"],
                county,
                cohorts.get(r["cohort"], (0, r["cohort"]))[1],
                grade,
                note,
            ]
        )
    return NoticeList(year, version, start, until, m.name, rows)


def _title(n: NoticeList) -> str:
    return f"{n.year}年度工业企业亩均效益评价结果公示"


def _period(n: NoticeList) -> str:
    return f"公示期：{_date_zh(n.start)}至{_date_zh(n.until)}"


def _opening(n: NoticeList) -> str:
    return (
        f"根据《{n.method_name}》，经数据采集、部门核实和综合评价，现将{n.year}年度"
        f"工业企业亩均效益综合评价结果予以公示（共{len(n.rows):,}家企业）。"
    )


def _closing(n: NoticeList) -> str:
    return (
        f"公示期为{_date_zh(n.start)}至{_date_zh(n.until)}。企业对评价结果有异议的，请于"
        f"{_date_zh(n.until)}（含当日）前，向所在县（市、区）经济和信息化主管部门书面提出，"
        "写明异议事项，并附用地、税收、用电、能耗、排放等相关证明材料；"
        f"逾期未提出的，视为无异议。公示期满后，评价结果经异议处理后定稿公布。"
    )


def _cells(text: str) -> int:
    """Width of ``text`` in Excel character units: 2 for a CJK character, else 1."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _write_xlsx(path: Path, n: NoticeList) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "公示名单"
    last = get_column_letter(len(HEADER))
    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row, text, font in ((1, _title(n), 16), (2, _period(n), 11), (3, _opening(n), 11)):
        ws.merge_cells(f"A{row}:{last}{row}")
        c = ws.cell(row=row, column=1, value=text)
        c.font = Font(bold=row == 1, size=font)
        c.alignment = Alignment(horizontal="center" if row < 3 else "left", wrap_text=True)
    ws.row_dimensions[1].height = 28
    ws.row_dimensions[3].height = 32
    ws.append(list(HEADER))
    for j, width in enumerate(_WIDTHS, start=1):
        c = ws.cell(row=4, column=j)
        c.font, c.border = Font(bold=True), grid
        c.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = width
    # Rows are counted here and cells reached by ws.cell: ws.max_row and ws[row] scan every
    # cell of the sheet, which made the list quadratic (2 minutes for a city's 5,600 rows).
    for row, line in enumerate(n.rows, start=5):
        ws.append([int(line[0]), *(neutralise(x) for x in line[1:])])
        for j in range(1, len(HEADER) + 1):
            c = ws.cell(row=row, column=j)
            c.border = grid
            c.alignment = Alignment(
                horizontal="left" if j in (2, 7) else "center", vertical="center", wrap_text=True
            )
        # Spreadsheet programs do not grow a row for wrapped text written by openpyxl.
        lines = max(-(-_cells(text) // (w - 1)) for text, w in zip(line, _WIDTHS, strict=True))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
    end = 4 + len(n.rows) + 2
    ws.merge_cells(f"A{end}:{last}{end}")
    c = ws.cell(row=end, column=1, value=_closing(n))
    c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[end].height = 64
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def _write_docx(path: Path, n: NoticeList) -> Path:
    # The Word list drops 评价对象 into one table per cohort, to fit an A4 page.
    sections = [Section("一、评价结果", [_opening(n)])]
    by_cohort: dict[str, list[list[str]]] = {}
    for line in n.rows:
        by_cohort.setdefault(line[4], []).append(line)
    head = [h for h in HEADER if h != "评价对象"]
    for k, (cohort, lines) in enumerate(by_cohort.items()):
        rows = [[str(i), *line[1:4], *line[5:]] for i, line in enumerate(lines, start=1)]
        caption = f"（{'一二三四五六七八九十'[k % 10]}）{cohort}（{len(rows):,}家）"
        sections[0].tables.append(Table(caption, head, rows))
    sections.append(Section("二、异议方式", [_closing(n)]))
    write_docx(Document(_title(n), f"（{_period(n)}）", sections), path)
    _fit_docx_tables(path)
    return path


def _fit_docx_tables(path: Path) -> None:
    """Give the list's columns their widths and repeat its header row on every page.

    ``reports/word.py`` gives every column the same width, which breaks the credit code
    over two lines and wastes the 序号 column.
    """
    from docx import Document as open_docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    d = open_docx(str(path))
    for table in d.tables:
        table.autofit = False
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, _DOCX_CM, strict=True):
            col.w = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, _DOCX_CM, strict=True):
                cell.width = Cm(width)
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
    d.save(str(path))


def write_notice_files(directory: Path, n: NoticeList) -> NoticeFiles:
    """Write ``evaluation-YEAR-vN-notice.xlsx`` and ``.docx`` into ``directory``."""
    stem = directory / f"evaluation-{n.year}-v{n.version}-notice"
    return NoticeFiles(
        _write_xlsx(stem.with_suffix(".xlsx"), n), _write_docx(stem.with_suffix(".docx"), n)
    )


def _run_notice(store: Any, run: Any, scope: Scope) -> NoticeList:
    from jingxin.evaluation.workflow import read_results

    if run.notice_start is None or run.notice_until is None:
        raise InputError(f"评价批次 {run.id} 尚未公示，不能写出公示名单。")
    results, _ = read_results(store, run.id, scope)
    return notice_list(
        results, run.method, run.year, run.version, run.notice_start, run.notice_until
    )


def write_notice(store: Any, run: Any, directory: Path, scope: Scope) -> NoticeFiles:
    """Write the 公示名单 of a run on notice into ``directory``.

    The notice runs from the day it was published to ``run.notice_until`` (Beijing dates).

    Raises
    ------
    InputError
        When the run has not been put on notice.
    """
    return write_notice_files(directory, _run_notice(store, run, scope))


def write_notice_file(store: Any, run: Any, directory: Path, scope: Scope, fmt: str) -> Path:
    """Write the 公示名单 in one format (``xlsx`` or ``docx``) only; its path."""
    n = _run_notice(store, run, scope)
    stem = directory / f"evaluation-{n.year}-v{n.version}-notice"
    write = _write_xlsx if fmt == "xlsx" else _write_docx
    return write(stem.with_suffix(f".{fmt}"), n)
