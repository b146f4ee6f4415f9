"""Find the table in a sheet made by people: title rows, merged multi-row headers, a
column-number row, totals rows, footers, repeated headers.

Column names are built the way the statistics platform exports them: the header levels of a
column joined with ``;``. Each level is squashed (full-width to half-width, no spaces), and a
column's unit, period qualifier (本月, 1-本月, 上年同期) and label are told apart, so that
``上年同期;1-本月;工业总产值(当年价格);千元`` and a two-row header ``工业总产值`` over
``上年同期1-6月`` mean the same column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from jingxin.ingest.cells import STORE_UNITS, UNIT_FACTORS, clean_text, find_unit, squash
from jingxin.ingest.issues import Issues, Reason
from jingxin.ingest.readers import Sheet
from jingxin.ingest.schemas import Column, Kind

__all__ = ["Header", "Layout", "column_unit", "locate", "parse_header", "unit_factor"]

_PRIOR = re.compile(r"^(上年同期|去年同期|上年|同期)")
_YTD = re.compile(r"^(1[-—–～~至到](本月|\d{1,2}月)(累计)?|1本月|本年累计|累计|年初至今)$")
_MONTH = re.compile(r"^(本月|当月|\d{1,2}月)$")
_GROUP = frozenset({"本年", "本期", "本年实际", "指标", "项目"})
_GROWTH = re.compile(r"(同比|增速|增长|±|%|百分比|比重|占比)")
_SUBITEM = re.compile(r"^(其中[:：]?|#|＃|在总计中[:：]?)")
_NUMBER_ROW = re.compile(r"^[甲乙丙丁戊己庚辛壬癸]$|^\d{1,3}$")
# A 合计 row names itself in a label column: 合计, 合  计（5户）, 全市总计, 吴兴区小计 ...
_TOTAL = re.compile(r"^(?:其中[:：]?)?(?P<scope>.{0,12}?)(?P<word>合计|总计|小计)[:：]?$")
_WHOLE = frozenset({"", "全市", "全县", "全区", "全省", "总"})  # a total of the whole sheet
_NUMERIC = frozenset({"number", "int", "year"})
_FOOTER = re.compile(
    r"^(制表|审核|单位负责人|统计负责人|填表人|填报人|注[:：0-9]|说明|数据来源|备注[:：])"
)


@dataclass(frozen=True)
class Header:
    """What a column's header says, taken apart."""

    text: str  # the header as the sender wrote it (levels joined with ';')
    label: str  # the label without unit, qualifier and sub-item marker; '' if none
    qualifier: str  # 'ytd', 'prior_ytd', 'month', 'prior_month' or ''
    unit: str | None
    growth: bool  # a growth or share column (同比%, 比重): derived, never loaded


def _strip_units(part: str) -> str:
    return re.sub(
        r"[(（]([^()（）]*)[)）]", lambda m: "" if m[1].lower() in UNIT_FACTORS else m[0], part
    )


def parse_header(levels: list[str]) -> Header:
    """Take a column's header levels apart.

    >>> h = parse_header(["上年同期", "1-本月", "工业总产值(当年价格)", "千元"])
    >>> h.label, h.qualifier, h.unit
    ('工业总产值(当年价格)', 'prior_ytd', '千元')
    >>> parse_header(["工业总产值(万元)", "1-6月"]).qualifier
    'ytd'
    >>> parse_header(["其中:出口交货值"]).label
    '出口交货值'
    """
    parts: list[str] = []
    for level in levels:
        parts.extend(p for p in squash(level).split(";") if p)
    text = ";".join(parts)
    unit = None
    prior = False
    period = ""
    labels: list[str] = []
    growth = False
    for p in parts:
        low = p.lower()
        if low in UNIT_FACTORS:
            unit = unit or low
            continue
        if p in _GROUP:
            continue
        m = _PRIOR.match(p)
        if m:
            prior = True
            p = p[m.end() :]
            if not p:
                continue
        if _YTD.match(p):
            period = "ytd"
            continue
        if _MONTH.match(p):
            period = "month"
            continue
        u = find_unit(p)
        if u is not None:
            unit = u
        if _GROWTH.search(p):
            growth = True
        p = _SUBITEM.sub("", _strip_units(p))
        if p:
            labels.append(p)
    qualifier = ("prior_" if prior else "") + period if period else ("prior" if prior else "")
    return Header(text, ";".join(labels), qualifier, unit, growth)


def _core(label: str) -> str:
    """A label without any parenthesised part: ``工业总产值(当年价格)`` → ``工业总产值``."""
    return re.sub(r"[(（][^()（）]*[)）]", "", label)


def matches(column: Column, header: Header, *, loose: bool = True) -> re.Match[str] | bool:
    """Whether a header names ``column`` (a regex match for pattern columns). ``loose`` also
    accepts a label that agrees once parenthesised parts are dropped (工业总产值(当年价格))."""
    if not header.label or (header.growth and not _GROWTH.search(column.label)):
        return False
    if column.pattern:
        return re.fullmatch(column.pattern, header.label) or False
    if column.qualifier != header.qualifier and not (
        column.qualifier == "" and header.qualifier in ("", "ytd")
    ):
        return False
    last = header.label.split(";")[-1]
    names = {squash(a) for a in (column.label, *column.aliases)}
    cores = {_core(n) for n in names}
    if last in names or header.label in names:
        return True
    return loose and _core(last) in cores


@dataclass
class Mapped:
    """A sheet column bound to a schema column."""

    index: int
    header: Header
    column: Column
    capture: str | None = None  # the pattern's group 1 (e.g. a period in 电量201606)


@dataclass
class Layout:
    """Where the data is in one sheet, and what each column is."""

    sheet: Sheet
    header_rows: tuple[int, int]  # first and last header row, 0-based, inclusive
    mapped: list[Mapped]
    data_rows: list[int]  # 0-based indices of rows holding data
    total_rows: list[int]
    title_unit: str | None
    unmapped: list[Header] = field(default_factory=list)
    subtotal_rows: list[int] = field(default_factory=list)  # 小计, 吴兴区合计: skipped
    unqualified: list[tuple[int, Header, Column]] = field(default_factory=list)  # a measure's
    # header without the 本月 / 1-本月 qualifier its column needs: (index, header, column)

    def by_key(self) -> dict[str, list[Mapped]]:
        out: dict[str, list[Mapped]] = {}
        for m in self.mapped:
            out.setdefault(m.column.key, []).append(m)
        return out


def _texts(row: list[Any]) -> list[str]:
    return [squash(str(v)) if v is not None else "" for v in row]


def _row_score(row: list[Any], kind: Kind) -> int:
    score = 0
    for v in row:
        if v is None or isinstance(v, int | float):
            continue
        h = parse_header([str(v)])
        if h.label and any(matches(c, h) for c in kind.columns):
            score += 1
    return score


def _headerish(row: list[Any]) -> bool:
    """A row of group labels or qualifiers (本年, 上年同期, 1-6月) above or below the labels."""
    texts = [t for t in _texts(row) if t]
    if not texts or all(t.startswith(("必填", "选填")) for t in texts):
        return False
    for t in texts:
        for part in t.split(";"):
            if part in _GROUP or _PRIOR.match(part) or _YTD.match(part) or _MONTH.match(part):
                return True
    return False


def total_label(text: str) -> str | None:
    """``'total'`` for a label of a sheet's total, ``'subtotal'`` for a part's, else ``None``.

    >>> total_label("合计"), total_label("合计(5户)"), total_label("全市总计")
    ('total', 'total', 'total')
    >>> total_label("吴兴区小计"), total_label("吴兴区合计"), total_label("湖州合计机械有限公司")
    ('subtotal', 'subtotal', None)
    """
    m = _TOTAL.match(_core(squash(text)))
    if m is None:
        return None
    return "total" if m["word"] != "小计" and m["scope"] in _WHOLE else "subtotal"


def _unqualified(header: Header, kind: Kind) -> Column | None:
    """The qualified column a header names but for its missing 本月 / 1-本月 qualifier."""
    wanted = {"": "ytd", "prior": "prior_ytd"}.get(header.qualifier)
    if wanted is None or not header.label:
        return None
    for col in kind.columns:
        if col.qualifier == wanted and matches(col, replace(header, qualifier=wanted)):
            return col
    return None


def locate(sheet: Sheet, kind: Kind) -> Layout | None:
    """Find the header and data rows of ``kind`` in ``sheet``; ``None`` if it is not there."""
    rows = sheet.rows
    scan = min(len(rows), 30)
    scores = [_row_score(rows[i], kind) for i in range(scan)]
    if not scores or max(scores) < min(2, len(kind.required)) or max(scores) == 0:
        return None
    best = scores.index(max(scores))
    top = best
    while top > 0 and _headerish(rows[top - 1]) and sum(1 for v in rows[top - 1] if v) >= 1:
        top -= 1
    bottom = best

    def continues_header(i: int) -> bool:
        # A lower header level holds qualifiers (本月, 1-6月) or labels only; a data row
        # that happens to hold one label-like value (a tax type, 增值税) is not one.
        filled = sum(1 for v in rows[i] if v is not None and v != "")
        return _headerish(rows[i]) or (i < scan and 0 < filled == scores[i])

    while bottom + 1 < len(rows) and continues_header(bottom + 1):
        bottom += 1
    width = max((len(rows[i]) for i in range(top, bottom + 1)), default=0)
    levels: list[list[str]] = [[] for _ in range(width)]
    for i in range(top, bottom + 1):
        row = list(rows[i]) + [None] * (width - len(rows[i]))
        last: str | None = None
        for j, v in enumerate(row):
            text = clean_text(v)
            if text is None and i < bottom and last is not None:
                text = last  # a merged group label spans the columns to its right
            if text is not None:
                levels[j].append(text)
                last = text if i < bottom else None
    title_unit = None
    for i in range(top):
        for v in rows[i]:
            u = find_unit(str(v)) if v is not None else None
            title_unit = title_unit or u
    mapped: list[Mapped] = []
    unmapped: list[Header] = []
    unqualified: list[tuple[int, Header, Column]] = []
    for j, lv in enumerate(levels):
        if not lv:
            continue
        header = parse_header(lv)
        hit = None
        for loose in (False, True):  # an exact name wins over a loose one
            for col in kind.columns:
                m = matches(col, header, loose=loose)
                if m:
                    capture = m.group(1) if isinstance(m, re.Match) and m.groups() else None
                    hit = Mapped(j, header, col, capture)
                    break
            if hit:
                break
        if hit:
            mapped.append(hit)
        else:
            unmapped.append(header)
            bare = _unqualified(header, kind)
            if bare is not None:
                unqualified.append((j, header, bare))
    start = bottom + 1
    if start < len(rows):
        cells = [t for t in _texts(rows[start]) if t]
        if cells and all(_NUMBER_ROW.match(t) for t in cells):
            start += 1  # the 甲 乙 丙 1 2 3 column-number row
    header_texts = [_texts(rows[i]) for i in range(top, bottom + 1)]
    numeric = {m.index for m in mapped if m.column.type in _NUMERIC}
    data: list[int] = []
    totals: list[int] = []
    subtotals: list[int] = []
    for i in range(start, len(rows)):
        texts = _texts(rows[i])
        nonempty = [t for t in texts if t]
        if not nonempty:
            continue
        if texts in header_texts:
            continue  # a continuation table repeats its header
        if _FOOTER.match(nonempty[0]) and len(nonempty) <= 4:
            continue
        if all(t.startswith(("必填", "选填")) for t in nonempty):
            continue  # the note row under a template's header
        # 合计 in any label column (code, name, county, 序号), never in an amount
        labels = {total_label(t) for j, t in enumerate(texts) if t and j not in numeric}
        if "total" in labels:
            totals.append(i)
        elif "subtotal" in labels:
            subtotals.append(i)
        else:
            data.append(i)
    return Layout(
        sheet,
        (top, bottom),
        mapped,
        data,
        totals,
        title_unit,
        unmapped,
        subtotal_rows=subtotals,
        unqualified=unqualified,
    )


def column_unit(m: Mapped, layout: Layout) -> str | None:
    """The unit a column's amounts are in: its header's, the title's, or the kind's."""
    if m.column.dim is None:
        return None
    return m.header.unit or layout.title_unit or m.column.unit


def unit_factor(m: Mapped, layout: Layout, issues: Issues, sheet: str | None) -> float:
    """What converts the column's amounts to the store's unit; an error when its unit
    measures something else."""
    col = m.column
    unit = column_unit(m, layout)
    if col.dim is None or unit is None:
        return 1.0
    dim, factor = UNIT_FACTORS.get(unit, (None, 1.0))
    if dim != col.dim:
        issues.error(
            Reason.UNIT,
            f"单位“{unit}”不适用于{col.label}：应为{col.unit}或同类单位",
            sheet=sheet,
            column=m.header.text,
            col=m.index + 1,
        )
        return 1.0
    _, base = UNIT_FACTORS.get(STORE_UNITS[col.dim], (None, 1.0))
    return factor / base
