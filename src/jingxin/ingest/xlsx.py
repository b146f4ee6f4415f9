"""Bounded reading of .xlsx workbooks: no part is trusted before it is counted.

Every part is decompressed as a stream under a hard byte cap and scanned before openpyxl
parses anything: a DTD (entity expansion) is refused, and a worksheet's rows, cells per row
and cells are counted against the limits below, as are the shared strings. Rows are then read
from openpyxl's streaming worksheet parser without its padding (a declared dimension of
``A1:XFD1048576`` costs nothing), missing rows filled with one shared empty row, and the
limits checked again as values arrive. Together the limits bound memory (well under 512 MiB)
and time (a few seconds at the cell limit) whatever a file declares.

Limits (a department sheet has at most some hundreds of thousands of rows and some tens of
columns; an Excel sheet at most 1,048,576 rows and 16,384 columns):

=====================  ============  ====================================================
``MAX_UNZIPPED_BYTES``  256 MiB       all parts together, declared and as decompressed
``MAX_RATIO``           200           decompressed / compressed, for parts over 1 MB
``MAX_ROWS``            250,000       rows of one sheet, empty ones included
``MAX_COLUMNS``         1,000         the last column holding a value (column ALL)
``MAX_ROW_CELLS``       16,384        cell elements in one row, empty ones included
``MAX_CELLS``           1,000,000     cell elements (and shared strings) in the workbook
``MAX_GAP_BYTES``       1 MiB         bytes between two tags (one text run)
=====================  ============  ====================================================
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from jingxin.ingest.issues import Reason

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_GAP_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_ROW_CELLS",
    "MAX_UNZIPPED_BYTES",
    "Refused",
    "bounded_rows",
    "scan",
]

MAX_UNZIPPED_BYTES = 256 * 2**20
MAX_RATIO = 200
MAX_ROWS = 250_000
MAX_COLUMNS = 1_000
MAX_ROW_CELLS = 16_384
MAX_CELLS = 1_000_000
MAX_GAP_BYTES = 2**20
_CHUNK = 2**20
_ROW = re.compile(rb"[<:]row[\s>/]")
_CELL = re.compile(rb"[<:]c[\s>/]")
_SHARED = re.compile(rb"[<:]si[\s>/]")
_TOO_BIG = "文件解压后异常巨大（疑似压缩炸弹），已拒收：请重新导出后报送"


class Refused(Exception):  # noqa: N818 -- a verdict, not a failure of the program
    """A workbook refused before or while it is read; the message is Chinese."""

    def __init__(
        self,
        reason: Reason,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message
        self.sheet, self.row, self.column = sheet, row, column


@dataclass
class _Budget:
    """Decompressed bytes and cells left for the whole workbook."""

    left: int = MAX_UNZIPPED_BYTES
    cells: int = MAX_CELLS

    def spend(self, n: int, where: str | None) -> None:
        self.left -= n
        if self.left < 0:
            raise Refused(
                Reason.UNSAFE,
                f"文件解压后超过 {MAX_UNZIPPED_BYTES // 2**20} MB，已拒收：请分表或分月报送",
                sheet=where,
            )


def scan(path: Path) -> set[str]:
    """Check every part of the workbook at ``path``; the worksheet parts holding formulas.

    Raises
    ------
    Refused
        Not a workbook, a ZIP bomb by declared sizes, a part over the byte cap as it is
        decompressed, a DTD, or a sheet over a row or cell limit.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise Refused(
                    Reason.UNREADABLE,
                    "文件是压缩包但不是 Excel 工作簿（.xlsx）：请另存为 .xlsx 或 CSV 后重新报送",
                )
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES or any(
                i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
                for i in infos
            ):
                raise Refused(Reason.UNSAFE, _TOO_BIG)
            budget = _Budget()
            names: dict[str, str] = {}
            formulas: set[str] = set()
            for info in sorted(infos, key=lambda i: i.filename != "xl/workbook.xml"):
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                title = names.get(info.filename)
                if _scan_part(zf, info, budget, title):
                    formulas.add(info.filename)
                if info.filename == "xl/workbook.xml":
                    names = _sheet_names(zf)
            return formulas
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise Refused(Reason.UNREADABLE, "文件已损坏，无法作为 Excel 工作簿打开") from exc


def _scan_part(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, title: str | None
) -> bool:
    """Stream one part under the byte budget; whether it holds a formula."""
    sheet = info.filename.startswith("xl/worksheets/")
    shared = info.filename == "xl/sharedStrings.xml"
    where = title or (info.filename if sheet else None)
    formula = False
    rows = 0
    row_cells = 0
    carry = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            budget.spend(len(chunk), where)
            data = carry + chunk
            if chunk:
                # Keep an unfinished tag for the next chunk: every token starts with '<'.
                cut = data.rfind(b"<", max(0, len(data) - 16))
                cut = len(data) if cut == -1 else cut
            else:
                cut = len(data)
            seg, carry = data[:cut], data[cut:]
            if b"<!ENTITY" in seg or b"<!DOCTYPE" in seg:
                raise Refused(Reason.UNSAFE, "文件含有 XML 实体声明（可能是恶意文件），已拒收")
            if len(seg) > MAX_GAP_BYTES and max(map(len, seg.split(b"<"))) > MAX_GAP_BYTES:
                raise Refused(Reason.UNSAFE, _TOO_BIG, sheet=where)
            if sheet:
                formula = formula or b"<f>" in seg or b"<f " in seg
                pieces = _ROW.split(seg)
                rows += len(pieces) - 1
                for k, piece in enumerate(pieces):
                    n = len(_CELL.findall(piece))
                    row_cells = n if k else row_cells + n
                    budget.cells -= n
                    if row_cells > MAX_ROW_CELLS:
                        raise Refused(
                            Reason.UNSAFE,
                            f"工作表有一行超过 {MAX_ROW_CELLS} 个单元格，已拒收：请删除多余的列后报送",
                            sheet=where,
                        )
                if rows > MAX_ROWS:
                    raise Refused(Reason.UNSAFE, _rows_message(), sheet=where)
            elif shared:
                budget.cells -= len(_SHARED.findall(seg))
            if budget.cells < 0:
                raise Refused(Reason.UNSAFE, _cells_message(), sheet=where)
            if not chunk:
                return formula


def _rows_message() -> str:
    return f"工作表超过 {MAX_ROWS:,} 行（含空行），已拒收：请删除多余的空行或分表报送"


def _cells_message() -> str:
    return f"工作簿超过 {MAX_CELLS:,} 个单元格（含空单元格），已拒收：请删除多余的行列或分表报送"


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet title, best effort (for messages only)."""
    from defusedxml import ElementTree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 -- names are a courtesy; the scan goes on without
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, str] = {}
    for s in book.iter(f"{ns}sheet"):
        target = targets.get(s.get(rel), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        out[part] = s.get("name", "")
    return out


class _Capped:
    """A read-only stream that refuses to give more than ``cap`` bytes."""

    def __init__(self, raw: IO[bytes], cap: int, sheet: str) -> None:
        self.raw, self.left, self.sheet = raw, cap, sheet

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n if n and n > 0 else _CHUNK)
        self.left -= len(data)
        if self.left < 0:
            raise Refused(Reason.UNSAFE, _TOO_BIG, sheet=self.sheet)
        return data


_EMPTY: tuple[()] = ()


def bounded_rows(ws: ReadOnlyWorksheet, max_chars: int) -> Iterator[list[Any] | tuple[()]]:
    """The rows of a read-only worksheet as values, each without trailing blanks.

    Missing rows are one shared empty tuple; no row is padded to the declared dimension.

    Raises
    ------
    Refused
        A row past :data:`MAX_ROWS`, a value past :data:`MAX_COLUMNS`, a cell longer than
        ``max_chars``, or more bytes than :data:`MAX_UNZIPPED_BYTES`.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    counter = 1
    # openpyxl's own streaming parser, read from the archive through a byte cap.
    with book._archive.open(ws._worksheet_path) as raw:
        parser = WorkSheetParser(
            _Capped(raw, MAX_UNZIPPED_BYTES, ws.title),
            ws._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for idx, cells in parser.parse():
            if idx > MAX_ROWS:
                raise Refused(Reason.UNSAFE, _rows_message(), sheet=ws.title, row=idx)
            while counter < idx:
                counter += 1
                yield _EMPTY
            if counter > idx:
                continue  # a row repeated out of order: openpyxl keeps the first
            counter += 1
            out: list[Any] = []
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                col = cell["column"]
                if col > MAX_COLUMNS:
                    raise Refused(
                        Reason.UNSAFE,
                        f"第 {get_column_letter(col)} 列有数据：工作表不应超过 {MAX_COLUMNS} 列",
                        sheet=ws.title,
                        row=idx,
                        column=get_column_letter(col),
                    )
                if isinstance(value, str) and len(value) > max_chars:
                    raise Refused(
                        Reason.UNSAFE,
                        f"单元格过长（{len(value)} 个字符）：不应超过 {max_chars} 个字符",
                        sheet=ws.title,
                        row=idx,
                        column=get_column_letter(col),
                    )
                if col > len(out):
                    out.extend([None] * (col - len(out)))
                out[col - 1] = value
            yield out if out else _EMPTY
