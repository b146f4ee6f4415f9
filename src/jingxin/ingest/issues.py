"""Problems found in a department file: a closed list of reasons, each with its place.

Every problem names the file, sheet, row and column (its header and its place, so that the
report can mark the cell itself), the value as typed, a reason code from
:class:`Reason` and a Chinese message saying what was expected. Errors reject the whole file;
warnings load it and are listed in the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Issue", "Issues", "Reason", "Severity", "column_letter"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Reason(StrEnum):
    """Why a cell, row or file is wrong. The value is the code written into reports."""

    UNREADABLE = "unreadable"  # not a file of a supported format, or damaged
    UNSAFE = "unsafe"  # zip bomb, entity expansion, oversized cell or file
    EMPTY = "empty"  # no data rows
    WRONG_KIND = "wrong_kind"  # the header does not fit the declared kind
    MISSING_COLUMN = "missing_column"
    AMBIGUOUS_COLUMN = "ambiguous_column"
    REQUIRED = "required"  # a required cell is blank
    TYPE = "type"  # not a number, date, period ...
    RANGE = "range"  # outside the allowed range
    USCC = "uscc"  # credit code with a wrong check digit or form
    REGION = "region"  # unknown county code or name
    INDUSTRY = "industry"  # unknown GB/T 4754 code
    DUPLICATE = "duplicate"  # the same key twice in the file
    CONFLICT = "conflict"  # the same key already stored from another file
    PERIOD = "period"  # the row's period differs from the file's
    CROSS_FIELD = "cross_field"  # e.g. value added above gross output
    DECREASING = "decreasing"  # a year-to-date value below last month's
    OUTLIER = "outlier"  # far from the enterprise's own history
    CROSS_SOURCE = "cross_source"  # disagrees with another department's data
    TOTAL = "total"  # a 合计 row that does not equal the rows above
    UNKNOWN_ENTERPRISE = "unknown_enterprise"  # no such enterprise in the register
    UNMATCHED = "unmatched"  # no usable key; held for an analyst, with a suggestion
    FORMULA = "formula"  # a formula cell without a stored value
    HIDDEN = "hidden"  # a hidden sheet was skipped
    UNIT = "unit"  # an amount's unit could not be told or was converted
    QUALIFIER = "qualifier"  # a measure's header without 本月 / 1-本月 (本年累计)
    NAME_MISMATCH = "name_mismatch"  # a registered credit code with another enterprise's name


@dataclass(frozen=True)
class Issue:
    """One problem, at one place."""

    severity: Severity
    reason: Reason
    message: str  # Chinese, says what was expected
    file: str
    sheet: str | None = None
    row: int | None = None  # 1-based row in the sheet (or CSV line), as the sender sees it
    column: str | None = None  # the column header as the sender wrote it
    value: Any = None  # as typed, with the unit of its column (``60000 千元``)
    col: int | None = None  # 1-based column number in the sheet, when one cell is meant

    @property
    def cell(self) -> str | None:
        """The cell as a spreadsheet names it (``C5``), when the row and column are known.

        >>> Issue(Severity.ERROR, Reason.TYPE, "应为数字", "a.csv", None, 5, "产值", "x", 29).cell
        'AC5'
        """
        if self.row is None or self.col is None:
            return None
        return f"{column_letter(self.col)}{self.row}"

    def where(self) -> str:
        """Where the problem is, in Chinese:
        ``文件 a.xlsx 工作表 Sheet1 第 5 行 列“产值”（单元格 C5）``."""
        parts = [f"文件 {self.file}"]
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列“{self.column}”")
        text = " ".join(parts)
        if self.cell:
            text += f"（单元格 {self.cell}）"
        elif self.col is not None:
            text += f"（第 {column_letter(self.col)} 列）"
        return text

    def text(self) -> str:
        """The full Chinese sentence for a person."""
        level = "错误" if self.severity is Severity.ERROR else "提示"
        shown = "" if self.value is None else f"（值：{_short(self.value)}）"
        return f"{level}：{self.where()}{shown}：{self.message}"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["reason"] = self.reason.value
        d["value"] = None if self.value is None else _short(self.value)
        d["cell"] = self.cell
        d["text"] = self.text()
        return d


def column_letter(n: int) -> str:
    """A 1-based column number as a spreadsheet letters it.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _short(value: Any, limit: int = 60) -> str:
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


@dataclass
class Issues:
    """The problems of one file, collected lazily so that one report lists them all."""

    file: str
    items: list[Issue] = field(default_factory=list)
    limit: int = 10_000  # past this many, further problems are counted, not kept

    dropped: int = 0

    def add(
        self,
        severity: Severity,
        reason: Reason,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        col: int | None = None,
    ) -> None:
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        self.items.append(
            Issue(severity, reason, message, self.file, sheet, row, column, value, col)
        )

    def error(self, reason: Reason, message: str, **where: Any) -> None:
        self.add(Severity.ERROR, reason, message, **where)

    def warn(self, reason: Reason, message: str, **where: Any) -> None:
        self.add(Severity.WARNING, reason, message, **where)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.items)
