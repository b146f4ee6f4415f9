"""A table as a one-sheet workbook fit to print: a title, a header, the rows, a note.

What the platform's table downloads and the lists it sends out (the surcharge bill list)
share: numbers stored as numbers with their formats, a frozen header with a filter,
landscape and one page wide, the header repeated on every printed page, text that a
spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jingxin.reports.evaluation import neutralise

__all__ = ["Column", "table_workbook"]

# (header, key, number format or "" for text, width)
Column = tuple[str, str, str, int]


def table_workbook(
    title: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]], note: str
) -> bytes:
    """The workbook's bytes: ``title`` in row 1, the header in row 2, the rows, ``note``
    (数据截至 …) below them."""
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
    return buf.getvalue()
