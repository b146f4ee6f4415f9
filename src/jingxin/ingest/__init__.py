"""Department files in: read, validate lazily, load atomically, never lose a row."""

from __future__ import annotations

from jingxin.ingest.issues import Issue, Reason, Severity
from jingxin.ingest.kinds import KINDS, get_kind
from jingxin.ingest.pipeline import ImportReport, check_file, import_file
from jingxin.ingest.report import write_report
from jingxin.ingest.templates import write_template

__all__ = [
    "KINDS",
    "ImportReport",
    "Issue",
    "Reason",
    "Severity",
    "get_kind",
    "check_file",
    "import_file",
    "write_report",
    "write_template",
]
