"""Read department files into sheets of raw rows, safely.

The format is told by the content, not the file name: a ZIP container is .xlsx, an OLE
container is legacy .xls, anything else must decode as text (UTF-8, UTF-8 with BOM, GBK or
GB18030) and is read as CSV. Unsafe files are refused before they are parsed: oversized
files, ZIP bombs (by declared sizes and compression ratio, and by counting every part as it
is decompressed: :mod:`jingxin.ingest.xlsx`), XML entity declarations (parsed with
defusedxml), cells longer than Excel allows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingxin.ingest import xlsx
from jingxin.ingest.issues import Issues, Reason

__all__ = ["MAX_CELL_CHARS", "MAX_FILE_BYTES", "Sheet", "read_sheets"]

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312


@dataclass
class Sheet:
    """One worksheet (or a whole CSV) as rows of raw cell values."""

    name: str | None  # None for CSV
    rows: list[list[Any]]
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col) 0-based,
    # formula cells whose stored value is missing


def read_sheets(path: Path, issues: Issues) -> list[Sheet]:
    """The visible sheets of ``path``; problems go to ``issues`` (nothing is raised)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        issues.error(Reason.UNREADABLE, f"无法读取文件：{exc.strerror}")
        return []
    if size == 0:
        issues.error(Reason.EMPTY, "文件为空：应为含表头和数据的 Excel 或 CSV 文件")
        return []
    if size > MAX_FILE_BYTES:
        issues.error(
            Reason.UNSAFE, f"文件过大（{size / 2**20:.0f} MB）：单个文件不应超过 200 MB，请分月报送"
        )
        return []
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, issues)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_xls(path, issues)
    return _read_csv(path, issues)


# -- xlsx ---------------------------------------------------------------------------------------
def _read_xlsx(path: Path, issues: Issues) -> list[Sheet]:
    import openpyxl
    from defusedxml.common import DefusedXmlException

    try:
        formulas = xlsx.scan(path)
    except xlsx.Refused as exc:
        _refused(exc, issues)
        return []
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except DefusedXmlException:
        issues.error(Reason.UNSAFE, "文件含有不安全的 XML 内容，已拒收")
        return []
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        issues.error(Reason.UNREADABLE, f"无法作为 Excel 工作簿打开（{type(exc).__name__}）")
        return []
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                issues.warn(Reason.HIDDEN, "隐藏的工作表未读取：如需导入请取消隐藏", sheet=ws.title)
                continue
            rows = [list(r) for r in xlsx.bounded_rows(ws, MAX_CELL_CHARS)]
            sheets.append(Sheet(ws.title, _trim(rows)))
    except xlsx.Refused as exc:
        _refused(exc, issues)
        return []
    except DefusedXmlException:
        issues.error(Reason.UNSAFE, "文件含有不安全的 XML 内容，已拒收")
        return []
    except Exception as exc:  # a damaged part shows only when it is parsed
        issues.error(Reason.UNREADABLE, f"无法作为 Excel 工作簿打开（{type(exc).__name__}）")
        return []
    finally:
        wb.close()
    if formulas:
        _mark_formulas(path, sheets)
    return sheets


def _refused(exc: xlsx.Refused, issues: Issues) -> None:
    issues.error(exc.reason, exc.message, sheet=exc.sheet, row=exc.row, column=exc.column)


def _mark_formulas(path: Path, sheets: list[Sheet]) -> None:
    """Find formula cells whose cached value is missing (a file saved by a program that does
    not calculate): their values are unknown, not blank."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        by_name = {s.name: s for s in sheets}
        for ws in wb.worksheets:
            sheet = by_name.get(ws.title)
            if sheet is None:
                continue
            for i, row in enumerate(xlsx.bounded_rows(ws, MAX_CELL_CHARS)):
                if i >= len(sheet.rows):
                    break
                for j, v in enumerate(row):
                    if isinstance(v, str) and v.startswith("=") and j < len(sheet.rows[i]):
                        if sheet.rows[i][j] is None:
                            sheet.formula_cells.add((i, j))
    finally:
        wb.close()


# -- xls ----------------------------------------------------------------------------------------
def _read_xls(path: Path, issues: Issues) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError and struct errors for damaged files
        issues.error(Reason.UNREADABLE, f"无法作为 Excel 97-2003 工作簿（.xls）打开（{exc}）")
        return []
    sheets: list[Sheet] = []
    try:
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if sh.visibility != 0:
                issues.warn(Reason.HIDDEN, "隐藏的工作表未读取：如需导入请取消隐藏", sheet=sh.name)
                continue
            rows: list[list[Any]] = []
            for r in range(sh.nrows):
                row: list[Any] = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        row.append(None)
                    else:
                        row.append(cell.value)
                rows.append(row)
            sheet = Sheet(sh.name, _trim(rows))
            if not _cells_fit(sheet, issues):
                return []
            sheets.append(sheet)
    finally:
        book.release_resources()
    return sheets


# -- csv ----------------------------------------------------------------------------------------
def _read_csv(path: Path, issues: Issues) -> list[Sheet]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        issues.error(
            Reason.UNREADABLE, "文件不是 Excel 工作簿也不是文本表格（CSV）：请确认报送的文件"
        )
        return []
    text = None
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        issues.error(Reason.UNREADABLE, "无法识别文件编码：CSV 应为 UTF-8 或 GBK/GB18030 编码")
        return []
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    old_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        for row in reader:
            rows.append([c if c != "" else None for c in row])
    except csv.Error:
        issues.error(
            Reason.UNSAFE,
            f"第 {reader.line_num} 行有超长单元格或未闭合的引号：单元格不应超过 {MAX_CELL_CHARS} 个字符",
            row=reader.line_num,
        )
        return []
    finally:
        csv.field_size_limit(old_limit)
    return [Sheet(None, _trim(rows))]


# -- shared -------------------------------------------------------------------------------------
def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells and trailing empty rows."""
    out: list[list[Any]] = []
    for row in rows:
        end = len(row)
        while end and (row[end - 1] is None or row[end - 1] == ""):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


def _cells_fit(sheet: Sheet, issues: Issues) -> bool:
    for i, row in enumerate(sheet.rows):
        for j, v in enumerate(row):
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                issues.error(
                    Reason.UNSAFE,
                    f"单元格过长（{len(v)} 个字符）：不应超过 {MAX_CELL_CHARS} 个字符",
                    sheet=sheet.name,
                    row=i + 1,
                    column=_col_letter(j),
                )
                return False
    return True


def _col_letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(j + 1))
