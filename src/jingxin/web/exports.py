"""Downloads: any table of a page as Excel, and the bureau's reports as files.

A table export is built from the same view the page shows (so it carries the same scope);
a report is written into a temporary folder for the request and sent from memory, so no
file of one user's request is ever served to another.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from jingxin.reports.table_xlsx import Column, table_workbook

__all__ = ["Column", "file_response", "report_file", "xlsx_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = {
    ".xlsx": XLSX,
    ".docx": DOCX,
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}


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
    """A one-sheet workbook (:func:`jingxin.reports.table_xlsx.table_workbook`) as a download."""
    return file_response(table_workbook(title, columns, rows, note), filename)


def report_file(write: Any, pick: str | None = None) -> tuple[bytes, str]:
    """Run ``write(folder)`` in a fresh temporary folder; the bytes and name of the file it
    wrote (its result, or the result's attribute ``pick``: ``docx``, ``xlsx``, ...)."""
    with tempfile.TemporaryDirectory(prefix="jingxin-report-") as d:
        files = write(Path(d))
        path: Path = files if pick is None else getattr(files, pick)
        return path.read_bytes(), path.name
