"""The evaluation workbook's record of the workflow: sheets 异议 and 调档.

异议 lists every objection of the run with its status in Chinese (待处理, 成立, 不成立),
the decision, who filed and decided it and when; 调档 lists every re-grade with the class
before and after, the reason, the objection it came from, who made it and when. Times are
stored in UTC and shown in Beijing time (UTC+8, the bureau's clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jingxin.reference import regions
from jingxin.reports.evaluation import neutralise

__all__ = ["RunLog", "add_log_sheets", "local_time"]

_BEIJING = timezone(timedelta(hours=8))
_OBJECTION_STATUS = {"open": "待处理", "upheld": "成立", "rejected": "不成立"}

# (header, width) of each sheet's columns.
_OBJECTION_COLUMNS = (
    ("异议编号", 9),
    ("统一社会信用代码", 21),
    ("企业名称", 28),
    ("县（市、区）", 11),
    ("异议事项", 30),
    ("证明材料", 24),
    ("提出人", 10),
    ("提出时间", 17),
    ("状态", 8),
    ("处理意见", 36),
    ("处理人", 10),
    ("处理时间", 17),
)
_REGRADE_COLUMNS = (
    ("统一社会信用代码", 21),
    ("企业名称", 28),
    ("县（市、区）", 11),
    ("次序", 6),
    ("调档前等级", 10),
    ("调档后等级", 10),
    ("理由", 48),
    ("异议编号", 9),
    ("调档人", 10),
    ("调档时间", 17),
)


@dataclass(frozen=True)
class RunLog:
    """A run's objections and re-grades, as read by the workflow (rows with ``name``)."""

    objections: list[dict[str, Any]] = field(default_factory=list)
    regrades: list[dict[str, Any]] = field(default_factory=list)


def local_time(at: datetime | None) -> str:
    """A stored UTC time as Beijing time, to the minute; empty for None.

    Examples
    --------
    >>> local_time(datetime(2017, 4, 30, 23, 5, 9))
    '2017-05-01 07:05'
    >>> local_time(None)
    ''
    """
    if at is None:
        return ""
    return at.replace(tzinfo=UTC).astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M")


def _county(code: str | None) -> str:
    names = regions()
    return names[code].name if code in names else (code or "")


def _sheet(
    wb: Any, title: str, columns: tuple[tuple[str, int], ...], rows: list[list[Any]]
) -> None:
    ws = wb.create_sheet(title)
    ws.append([h for h, _ in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9D9D9")
    for j, (_, width) in enumerate(columns, start=1):
        c = ws.cell(row=1, column=j)
        c.font, c.fill = bold, fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        ws.append(row)
        for c in ws[ws.max_row]:
            c.alignment = wrap
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def add_log_sheets(wb: Any, log: RunLog) -> None:
    """Append the sheets 异议 and 调档 to ``wb`` (header only when there are none).

    Text a spreadsheet would run as a formula is made inert, as in every sheet.
    """
    objections = [
        [
            o["id"],
            o["uscc"],
            o["name"] or "",
            _county(o["region_code"]),
            o["claim"],
            o["evidence"],
            o["filed_by"],
            local_time(o["filed_at"]),
            _OBJECTION_STATUS.get(o["status"], o["status"]),
            o["decision"] or "",
            o["decided_by"] or "",
            local_time(o["decided_at"]),
        ]
        for o in log.objections
    ]
    regrades = [
        [
            g["uscc"],
            g["name"] or "",
            _county(g["region_code"]),
            g["seq"],
            g["from_class"] or "",
            g["to_class"],
            g["reason"],
            g["objection_id"] if g["objection_id"] is not None else "",
            g["made_by"],
            local_time(g["made_at"]),
        ]
        for g in log.regrades
    ]
    _sheet(wb, "异议", _OBJECTION_COLUMNS, [[neutralise(x) for x in r] for r in objections])
    _sheet(wb, "调档", _REGRADE_COLUMNS, [[neutralise(x) for x in r] for r in regrades])
