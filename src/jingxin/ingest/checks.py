"""The checks of a department file beyond one cell: its header, its 合计 rows, each row as a
whole (a part never exceeds its whole, the name agrees with the register's) and each row
against the store (a key loaded from another file, a year-to-date value below last month's,
a month far from the enterprise's own).

Every check reports into the import's issues and never stops another: a row's problems
all come out in one import, so that a department fixes its sheet once. A problem with a
cell names that cell (its header and column number) and quotes the value as typed, with
the unit of its column (``60000 千元``), not the value converted for the store.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from jingxin.ingest.cells import STORE_UNITS
from jingxin.ingest.context import Context, normalise_name
from jingxin.ingest.issues import Issues, Reason
from jingxin.ingest.layout import Layout
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.store import Scope, Store

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "check_against_store",
    "check_header",
    "check_records",
    "check_totals",
    "file_period",
]


def _fmt(x: float) -> str:
    """A number for a message: thousands separated, no trailing zeros.

    >>> _fmt(2577.1), _fmt(6560000.0)
    ('2,577.1', '6,560,000')
    """
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _label(col: Column) -> str:
    return ("上年同期" if col.qualifier == "prior_ytd" else "") + col.label


# -- the header -------------------------------------------------------------------------------
def check_header(layout: Layout, kind: Kind, issues: Issues) -> bool:
    """Whether the sheet's header has what the kind needs; the problems go to ``issues``.

    A measure's header without its 本月 / 1-本月 qualifier is said to be so, naming the
    header, rather than reported as a missing column (or left unread when another measure
    is there)."""
    sheet, row = layout.sheet.name, layout.header_rows[1] + 1
    keys = {m.column.key for m in layout.mapped}
    bare: set[str] = set()
    for index, header, col in layout.unqualified:
        if col.key in keys:
            continue  # the qualified column is there: this one is another (本月) figure
        bare.add(col.key)
        issues.error(
            Reason.QUALIFIER,
            f"表头“{header.text}”没有写明期别（本月 或 1-本月/本年累计）："
            f"本表的“{_label(col)}”应为 1-本月累计值，请把表头写作“{col.header()}”，"
            "或在两行表头的下一行写明“1-6月”等",
            sheet=sheet,
            row=row,
            column=header.text,
            col=index + 1,
        )
    missing = [c for c in kind.required if c.key not in keys]
    for c in missing:
        if c.key in bare:
            continue
        issues.error(
            Reason.MISSING_COLUMN,
            f"缺少必填列“{c.label}”（也可写作：{'、'.join(c.aliases[:4]) or c.label}）",
            sheet=sheet,
            row=row,
        )
    wanted = set(kind.at_least_one_of)
    if wanted and not keys & wanted and not bare & wanted:
        names = "、".join(kind.column(k).label for k in kind.at_least_one_of)
        issues.error(Reason.MISSING_COLUMN, f"应至少有一列：{names}", sheet=sheet, row=row)
    for ms in layout.by_key().values():
        if len(ms) > 1 and not ms[0].column.pattern:
            issues.error(
                Reason.AMBIGUOUS_COLUMN,
                f"多列都对应“{ms[0].column.label}”：{'、'.join(m.header.text for m in ms)}，应只保留一列",
                sheet=sheet,
                row=row,
            )
    return not missing


# -- 合计 rows --------------------------------------------------------------------------------
def check_totals(data: list[Record], totals: list[Record], layout: Layout, issues: Issues) -> None:
    """A sheet's 合计 row equals the sum of its rows (after unit conversion), never loaded."""
    for t in totals:
        for m in layout.mapped:
            key = m.column.key
            if m.column.type != "number" or m.column.pattern:
                continue
            shown = t.values.get(key)
            if shown is None:
                continue
            total = sum(r.values.get(key) or 0.0 for r in data)
            if abs(total - shown) > max(0.01, 1e-4 * abs(shown)):
                unit = STORE_UNITS[m.column.dim or "money"]
                issues.error(
                    Reason.TOTAL,
                    f"合计行与明细之和不符：明细合计为 {total:,.2f}（已换算为{unit}）",
                    **t.at(key),
                    value=t.typed(key),
                )


# -- each row as a whole ----------------------------------------------------------------------
def check_records(records: list[Record], kind: Kind, ctx: Context) -> None:
    """The checks of a row that need no other row and no builder: whatever else is wrong
    with the row (a bad code, a bad period), these are made too."""
    for rec in records:
        for part, whole in kind.parts:
            a, b = rec.values.get(part), rec.values.get(whole)
            if a is not None and b is not None and a > b + 1e-9:
                p, w = kind.column(part), kind.column(whole)
                ctx.issues.error(
                    Reason.CROSS_FIELD,
                    f"{_label(p)}（{rec.typed(part)}）不应大于{_label(w)}（{rec.typed(whole)}）",
                    **rec.at(part),
                    value=rec.typed(part),
                )
        if kind.enterprise_name:
            _check_name(rec, kind.enterprise_name, ctx)


def _check_name(rec: Record, key: str, ctx: Context) -> None:
    """A registered credit code with a name that is not the register's (beyond spaces,
    full-width forms, brackets and 有限责任公司 / 有限公司) is a warning naming both."""
    name, code = rec.values.get(key), rec.values.get("uscc")
    if not name or not code:
        return
    code = str(code) if str(code) in ctx.enterprises else ctx.aliases.get(str(code))
    if code is None or code not in ctx.enterprises:
        return
    registered = ctx.enterprises[code][0]
    own = normalise_name(str(name))
    if own == normalise_name(registered) or ctx.aliases.get(own) == code:
        return  # the same name written otherwise, or a name an analyst confirmed
    ctx.issues.warn(
        Reason.NAME_MISMATCH,
        f"企业名称“{name}”与企业名录中该统一社会信用代码的名称“{registered}”不一致："
        "请核对信用代码是否填错；如企业已更名，请先更新企业名录",
        **rec.at(key),
        value=name,
    )


# -- each row against the store ---------------------------------------------------------------
def file_period(built: Built) -> str | None:
    """The one period a file's rows share (monthly tables), if any."""
    for t in built.tables.values():
        if "period" in t.column_names and t.num_rows:
            values = set(t.column("period").to_pylist())
            if len(values) == 1:
                return str(values.pop())
        if "year" in t.column_names and t.num_rows:
            years = set(t.column("year").to_pylist())
            if len(years) == 1:
                return str(years.pop())
    return None


def check_against_store(
    store: Store, kind: Kind, built: Built, ctx: Context, period: str | None
) -> None:
    """Keys already loaded from another file; monthly facts against the enterprise's own
    earlier months. Made whatever other errors the file has, for the rows that were built."""
    period = period or file_period(built)
    replacing = store.active_file(kind.key, period) if period else None
    for tname, table in built.tables.items():
        keys = built.keys.get(tname)
        if not keys or tname in built.upsert or table.num_rows == 0:
            continue
        stored = store.stored_keys(tname, table, keys)
        if replacing is not None:
            stored = stored.filter(pc.not_equal(stored.column("source_file_id"), replacing))
        if not stored.num_rows:
            continue
        rows_by_key = {
            tuple(r[k] for k in keys): r
            for r in table.select([*keys, "source_row", "source_sheet"]).to_pylist()
        }
        for s in stored.to_pylist():
            key = tuple(s[k] for k in keys)
            r = rows_by_key.get(key, {})
            ctx.issues.error(
                Reason.CONFLICT,
                f"该记录已由文件“{s['source_name']}”导入：如需更正，请报送同一期别的更正文件",
                sheet=r.get("source_sheet"),
                row=r.get("source_row"),
                value="/".join(map(str, key)),
            )
    if "monthly_fact" in built.tables:
        _check_monthly(store, kind, built.tables["monthly_fact"], ctx)


def _previous(period: str) -> str | None:
    y, m = int(period[:4]), int(period[5:])
    return None if m == 1 else f"{y:04d}-{m - 1:02d}"


def _history(
    store: Store, rows: Sequence[dict[str, Any]], keys: list[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """The stored months of the file's enterprises, from January of the year before the
    file's first month up to its last: enterprise → period → measure → value."""
    periods = sorted({r["period"] for r in rows})
    start = f"{int(periods[0][:4]) - 1:04d}-01"
    t = store.table("monthly_fact", Scope.city())  # ingest is the city's
    expr = t.filter((t.period >= start) & (t.period < periods[-1]))
    stored = store.run(expr.select("uscc", "period", *keys))
    firms = pa.array(sorted({r["uscc"] for r in rows}), pa.string())
    stored = stored.filter(pc.is_in(stored.column("uscc"), value_set=firms))
    columns = {c: stored.column(c).to_pylist() for c in stored.column_names}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for i, (code, period) in enumerate(zip(columns["uscc"], columns["period"], strict=True)):
        out.setdefault(code, {})[period] = {k: columns[k][i] for k in keys}
    return out


def _check_monthly(store: Store, kind: Kind, table: pa.Table, ctx: Context) -> None:
    """A year-to-date flow never falls within a year; a month far from the enterprise's own
    months is flagged; output with no electricity in the same month is flagged."""
    rows = table.to_pylist()
    flows = [c for c in kind.columns if c.accumulates and c.key in table.column_names]
    if not rows or not flows:
        return
    hist = _history(store, rows, [c.key for c in flows])
    power = store.electricity_of(rows[0]["period"])
    for r in rows:
        rec = ctx.records.get((r["source_sheet"], r["source_row"]))
        own = hist.get(r["uscc"], {})
        for col in flows:
            if r[col.key] is not None:
                _check_flow(r, col, own, _where(r, col.key, kind, rec), rec, ctx)
        output = r.get("gross_output")
        if output and output > 0 and power and power.get(r["uscc"], None) == 0:
            ctx.issues.warn(
                Reason.CROSS_SOURCE,
                "本月有产值但供电公司记录的用电量为 0：请核实",
                **_where(r, "gross_output", kind, rec),
            )


def _where(r: dict[str, Any], key: str, kind: Kind, rec: Record | None) -> dict[str, Any]:
    if rec is None:  # a built row always has its record; kept safe for any builder
        return {
            "sheet": r["source_sheet"],
            "row": r["source_row"],
            "column": kind.column(key).label,
            "value": _fmt(r[key]),
        }
    return {**rec.at(key), "value": rec.typed(key) or _fmt(r[key])}


def _check_flow(
    r: dict[str, Any],
    col: Column,
    own: dict[str, dict[str, Any]],
    where: dict[str, Any],
    rec: Record | None,
    ctx: Context,
) -> None:
    """One year-to-date flow of one row against the enterprise's stored months."""
    key, value = col.key, r[col.key]
    unit = STORE_UNITS[col.dim or "money"]
    before = _previous(r["period"])
    prev = own.get(before, {}).get(key) if before else None
    shown = str(where["value"])
    if rec is not None and rec.units.get(key, unit) != unit:
        shown += f"（折合 {_fmt(value)} {unit}）"
    if prev is not None and value < prev - 1e-6:
        msg = f"{col.label} 1-本月累计 {shown} 小于上月累计 {_fmt(prev)} {unit}"
        if ctx.correction:
            ctx.issues.warn(Reason.DECREASING, msg + "：已按更正处理", **where)
        else:
            ctx.issues.error(
                Reason.DECREASING, msg + "：如为更正，请导入时加 --correction", **where
            )
    monthly = _monthly_values({p: v[key] for p, v in own.items() if v.get(key) is not None})
    if prev is None or len(monthly) < 6:
        return
    x = value - prev
    z = _modified_z(x, monthly)
    med = statistics.median(monthly)
    # Both far in the robust sense and off by a factor, as a unit or typing slip is.
    if z is not None and abs(z) > 3.5 and (x < 0 or x > 3 * med or x < med / 3):
        ctx.issues.warn(
            Reason.OUTLIER,
            f"本月{col.label}（1-本月减上月累计，{_fmt(x)} {unit}）与该企业此前各月"
            f"（中位数 {_fmt(med)} {unit}）差异很大（修正 z 值 {z:.1f}）：请核实单位与数值",
            **where,
        )


def _monthly_values(ytd: dict[str, float]) -> list[float]:
    """Single months from year-to-date values: January's own, later ones less the month
    before when it is known.

    >>> _monthly_values({"2016-01": 10.0, "2016-02": 25.0, "2016-04": 50.0})
    [10.0, 15.0]
    """
    out = []
    for p in sorted(ytd):
        before = _previous(p)
        if before is None:
            out.append(ytd[p])
        elif before in ytd:
            out.append(ytd[p] - ytd[before])
    return out


def _modified_z(x: float, history: list[float]) -> float | None:
    """Iglewicz and Hoaglin's modified z-score of ``x`` against ``history``.

    >>> round(_modified_z(100.0, [10.0, 11.0, 9.0, 10.0, 12.0, 10.0]), 1)
    121.4
    """
    med = statistics.median(history)
    mad = statistics.median(abs(h - med) for h in history)
    if mad == 0:
        return None
    return 0.6745 * (x - med) / mad
