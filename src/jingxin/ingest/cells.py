"""Cell values as people type them: full-width digits, thousands separators, dashes, units.

Each parser takes a raw cell (str, int, float, datetime or None) and returns the value, or
``None`` for a blank or dash cell ("not available"), or raises :class:`CellError` with a
Chinese message saying what was expected. Zero and blank stay distinct.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from jingxin.errors import InputError

__all__ = [
    "MISSING_TOKENS",
    "STORE_UNITS",
    "UNIT_FACTORS",
    "CellError",
    "as_typed",
    "clean_text",
    "find_unit",
    "is_missing",
    "parse_code",
    "parse_date",
    "parse_int",
    "parse_number",
    "parse_period",
    "squash",
]

# Cells meaning "not applicable / not available" in Chinese government tables.
MISSING_TOKENS = frozenset({"", "-", "--", "---", "—", "——", "─", "－", "…", "/", "\\", "无"})
# As compared after squash(): NFKC turns "…" into "...".
_MISSING_SQUASHED = frozenset(unicodedata.normalize("NFKC", t) for t in MISSING_TOKENS)

# Factors to the store's units: 万元, 万千瓦时, 亩, 吨 and 吨标准煤.
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "元": ("money", 1e-4),
    "千元": ("money", 0.1),
    "万元": ("money", 1.0),
    "亿元": ("money", 1e4),
    "千瓦时": ("electricity", 1e-4),
    "kwh": ("electricity", 1e-4),
    "度": ("electricity", 1e-4),
    "万千瓦时": ("electricity", 1.0),
    "万千瓦小时": ("electricity", 1.0),
    "万kwh": ("electricity", 1.0),
    "亿千瓦时": ("electricity", 1e4),
    "亩": ("area", 1.0),
    "平方米": ("area", 0.0015),
    "m2": ("area", 0.0015),
    "㎡": ("area", 0.0015),
    "公顷": ("area", 15.0),
    "吨": ("mass", 1.0),
    "t": ("mass", 1.0),
    "千克": ("mass", 1e-3),
    "kg": ("mass", 1e-3),
    "吨标准煤": ("energy", 1.0),
    "吨标煤": ("energy", 1.0),
    "tce": ("energy", 1.0),
    "万吨标准煤": ("energy", 1e4),
    "人": ("count", 1.0),
    "个": ("count", 1.0),
}

# The unit the store keeps each dimension in.
STORE_UNITS: dict[str, str] = {
    "money": "万元",
    "electricity": "万千瓦时",
    "area": "亩",
    "mass": "吨",
    "energy": "吨标准煤",
    "count": "人",
}

_UNIT_RE = re.compile(r"单位\s*[:：]\s*([^\s,，;；)）]+)")
_PAREN_RE = re.compile(r"[(（]([^()（）]*)[)）]")


class CellError(InputError):
    """A cell that cannot be read as the expected type; the message is Chinese.

    An :class:`~jingxin.errors.InputError` (so also a ``ValueError``): callers that catch
    the platform's errors catch it too.
    """


def squash(text: str) -> str:
    """Normalise a label: NFKC (full-width to half-width), no whitespace at all.

    >>> squash("合  计")
    '合计'
    >>> squash("１－本月；工业总产值")
    '1-本月;工业总产值'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def clean_text(value: Any) -> str | None:
    """Text of a cell, NFKC-normalised and stripped; ``None`` for blank.

    >>> clean_text("  湖州示例（集团）有限公司 ")
    '湖州示例(集团)有限公司'
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = unicodedata.normalize("NFKC", str(value)).strip()
    s = re.sub(r"\s+", " ", s)
    return s or None


def is_missing(value: Any) -> bool:
    """True for a blank cell or a dash meaning "not available"."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and squash(value) in _MISSING_SQUASHED


def parse_number(value: Any) -> float | None:
    """A number as typed: ``"1,234.5"``, ``"１２３"``, ``"1 731.9"``, ``"(12)"``, ``"—"``.

    >>> parse_number("1,234.5"), parse_number("１２３"), parse_number("—"), parse_number("(12)")
    (1234.5, 123.0, None, -12.0)
    >>> parse_number("abc")
    Traceback (most recent call last):
    ...
    jingxin.ingest.cells.CellError: 应为数字
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise CellError("应为数字，不是逻辑值")
    if isinstance(value, int | float):
        if math.isinf(value):
            raise CellError("应为有限的数字")
        return float(value)
    if isinstance(value, datetime | date):
        raise CellError("应为数字，不是日期")
    s = squash(str(value)).replace(",", "").replace("，", "")
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    try:
        x = float(s)
    except ValueError:
        raise CellError("应为数字") from None
    if math.isnan(x) or math.isinf(x):
        raise CellError("应为有限的数字")
    return -x if negative else x


def parse_int(value: Any) -> int | None:
    """A whole number.

    >>> parse_int("12"), parse_int(3.0)
    (12, 3)
    """
    x = parse_number(value)
    if x is None:
        return None
    if not float(x).is_integer():
        raise CellError("应为整数")
    return int(x)


def parse_code(value: Any) -> str | None:
    """An identifier kept as text: credit codes, account numbers, region and industry codes.

    Numbers that Excel stored as floats come back without ``.0``; a code shown in
    scientific notation has lost digits and is refused.

    >>> parse_code(330502.0), parse_code(" 91330500ma2b00000x "), parse_code("１３")
    ('330502', '91330500MA2B00000X', '13')
    >>> parse_code("9.13305E+17")
    Traceback (most recent call last):
    ...
    jingxin.ingest.cells.CellError: 代码显示为科学计数法，已丢失位数：请把该列设为文本后重新填写
    """
    if is_missing(value):
        return None
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise CellError("代码应为文本，不应是小数或超长数字：请把该列设为文本后重新填写")
        value = int(value)
    s = squash(str(value)).upper()
    if re.fullmatch(r"\d(\.\d+)?E\+\d+", s):
        raise CellError("代码显示为科学计数法，已丢失位数：请把该列设为文本后重新填写")
    return s


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})月?(?:份)?"),
    re.compile(r"(\d{4})(\d{2})"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """A date as typed: ``2016-03-01``, ``2016/3/1``, ``2016年3月1日``, ``2016.03`` (first day).

    >>> parse_date("2016年3月5日"), parse_date("2016.03"), parse_date(42430)
    (datetime.date(2016, 3, 5), datetime.date(2016, 3, 1), datetime.date(2016, 3, 1))
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial day number
            return _EXCEL_EPOCH + timedelta(days=int(value))
        value = str(int(value)) if float(value).is_integer() else str(value)
    s = squash(str(value))
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            return _make_date(int(m[1]), int(m[2]), int(m[3]))
    for pattern in _MONTH_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            return _make_date(int(m[1]), int(m[2]), 1)
    raise CellError("应为日期，如 2016-03-01 或 2016年3月")


def _make_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(f"日期 {y}-{m}-{d} 不存在") from None


def parse_period(value: Any) -> str | None:
    """A month as ``YYYY-MM``: ``2016-06``, ``2016年6月``, ``201606``, a date.

    >>> parse_period("2016年6月"), parse_period(201606), parse_period("2016.6")
    ('2016-06', '2016-06', '2016-06')
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = squash(str(value))
    for pattern in _MONTH_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            y, mo = int(m[1]), int(m[2])
            if 1900 <= y <= 2100 and 1 <= mo <= 12:
                return f"{y:04d}-{mo:02d}"
    raise CellError("应为年月，如 2016-06 或 2016年6月")


def as_typed(value: Any, unit: str | None = None) -> str | None:
    """A cell as the sender typed it, with the unit of its column, for a message.

    >>> as_typed(" 60,000", "千元"), as_typed(60000.0, "千元"), as_typed(123.45), as_typed(None)
    ('60,000 千元', '60000 千元', '123.45', None)
    """
    if value is None:
        return None
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value).strip()
    return f"{text} {unit}" if unit else text


def find_unit(text: str | None) -> str | None:
    """A unit named in a title or header: ``单位：万元``, ``产值(千元)``, ``…;千元``.

    >>> find_unit("单位：万元"), find_unit("用地面积（亩）"), find_unit("1-本月;工业总产值;千元")
    ('万元', '亩', '千元')
    >>> find_unit("工业总产值(当年价格)") is None
    True
    """
    if not text:
        return None
    s = squash(text)
    m = _UNIT_RE.search(s)
    if m and m[1].lower() in UNIT_FACTORS:
        return str(m[1]).lower()
    for inner in _PAREN_RE.findall(s):
        if str(inner).lower() in UNIT_FACTORS:
            return str(inner).lower()
    for part in s.split(";"):
        if part.lower() in UNIT_FACTORS:
            return part.lower()
    return None
