"""Downloads: any table of a page as Excel, and the bureau's reports as files.

A table export is built from the same view the page shows (so it carries the same scope);
a report is written into a temporary folder for the request and sent from memory, so no
file of one user's request is ever served to another.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jingxin.reports.evaluation import neutralise

__all__ = ["Column", "file_response", "report_file", "xlsx_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = {
    ".xlsx": XLSX,
    ".docx": DOCX,
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}

# (header, key, number format or "" for text, width)
Column = tuple[str, str, str, int]


def file_response(data: bytes, filename: str) -> Response:
    """``data`` as a download named ``filename`` (Chinese names survive every browser)."""
    suffix = Path(filename).suffix
    ascii_name = "download" + suffix
    return Response(
        data,
        media_type=TYPES.get(suffix, "application/octet-stream"),
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        },
    )


def xlsx_response(
    filename: str, title: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]], note: str
) -> Response:
    """A one-sheet workbook: a title, a header, the rows, and the 数据截至 note at the foot."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    fill = PatternFill("solid", fgColor="EEF2F6")
    for j, (header, _, _, width) in enumerate(columns, start=1):
        c = ws.cell(row=2, column=j, value=header)
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, row in enumerate(rows, start=3):
        for j, (_, key, fmt, _) in enumerate(columns, start=1):
            c = ws.cell(row=i, column=j, value=neutralise(row.get(key)))
            if fmt:
                c.number_format = fmt
    ws.cell(row=len(rows) + 4, column=1, value=note)
    ws.freeze_panes = "A3"
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{len(rows) + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    buf = io.BytesIO()
    wb.save(buf)
    return file_response(buf.getvalue(), filename)


def report_file(write: Any, pick: str | None = None) -> tuple[bytes, str]:
    """Run ``write(folder)`` in a fresh temporary folder; the bytes and name of the file it
    wrote (its result, or the result's attribute ``pick``: ``docx``, ``xlsx``, ...)."""
    with tempfile.TemporaryDirectory(prefix="jingxin-report-") as d:
        files = write(Path(d))
        path: Path = files if pick is None else getattr(files, pick)
        return path.read_bytes(), path.name
