"""Import one department file: read, find the table, parse, validate lazily, load atomically.

The file loads completely in one transaction or not at all. The same file again is a no-op
(its content hash is stored). A file for a source and period that already has one replaces
it: the earlier rows go, the earlier file is kept as ``superseded``, and the difference is
reported. The raw file is archived under its hash.
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from jingxin.ingest import cells
from jingxin.ingest.context import Context
from jingxin.ingest.diff import TableDiff, diff_table
from jingxin.ingest.issues import Issue, Issues, Reason
from jingxin.ingest.kinds import get_kind
from jingxin.ingest.layout import Layout, Mapped, locate
from jingxin.ingest.readers import Sheet, read_sheets
from jingxin.ingest.schemas import Built, Kind, Record
from jingxin.ingest.sources import replaced_by
from jingxin.store import Store

__all__ = ["ImportReport", "TableDiff", "import_file", "parse_file"]


@dataclass
class ImportReport:
    """What an import did, and every problem found."""

    kind: str
    file: str
    status: str  # loaded, rejected, repeated
    period: str | None
    issues: list[Issue]
    rows: dict[str, int] = field(default_factory=dict)
    file_id: int | None = None
    superseded: int | None = None
    diff: dict[str, TableDiff] = field(default_factory=dict)
    unmatched: int = 0
    sheets: list[Sheet] = field(default_factory=list)  # as read, for the error workbook
    dropped: int = 0  # problems past the report's limit
    superseded_by: int | None = None  # a repeat of a superseded file: the file that replaced it
    superseded_on: str | None = None  # and the date it did

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "repeated")

    def summary(self) -> str:
        """One Chinese sentence for the command line."""
        n_err = sum(1 for i in self.issues if i.severity == "error")
        n_warn = len(self.issues) - n_err
        if self.status == "repeated" and self.superseded_by is not None:
            return (
                f"文件 {self.file} 与文件 {self.file_id} 内容相同，该文件已于 {self.superseded_on} "
                f"被文件 {self.superseded_by} 替换，未做更改；如需恢复它，请运行："
                f"jingxin files restore {self.file_id}"
            )
        if self.status == "repeated":
            return f"文件 {self.file} 已导入过（内容相同），未做更改。"
        if self.status == "rejected":
            return f"文件 {self.file} 未导入：发现 {n_err} 个错误、{n_warn} 个提示，数据库未改动。"
        rows = "，".join(f"{t} {n} 行" for t, n in self.rows.items() if t != "unmatched_row")
        extra = f"；替换了此前的文件（编号 {self.superseded}）" if self.superseded else ""
        held = f"；{self.unmatched} 行待确认企业" if self.unmatched else ""
        return f"文件 {self.file} 已导入：{rows}{held}{extra}；{n_warn} 个提示。"


_TYPE_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": cells.clean_text,
    "code": cells.parse_code,
    "uscc": cells.parse_code,
    "region": cells.parse_code,
    "industry": cells.parse_code,
    "number": cells.parse_number,
    "int": cells.parse_int,
    "year": cells.parse_int,
    "date": cells.parse_date,
    "period": cells.parse_period,
}
_TYPE_WORDS = {
    "number": "数字",
    "int": "整数",
    "year": "四位年份",
    "date": "日期",
    "period": "年月",
}


def _factor(m: Mapped, layout: Layout, issues: Issues, sheet: str | None) -> float:
    col = m.column
    if col.dim is None:
        return 1.0
    unit = m.header.unit or layout.title_unit or col.unit
    if unit is None:
        return 1.0
    dim, factor = cells.UNIT_FACTORS.get(unit, (None, 1.0))
    if dim != col.dim:
        issues.error(
            Reason.UNIT,
            f"单位“{unit}”不适用于{col.label}：应为{col.unit}或同类单位",
            sheet=sheet,
            column=m.header.text,
        )
        return 1.0
    _, base = cells.UNIT_FACTORS.get(_store_unit(col.dim), (None, 1.0))
    return factor / base


def _store_unit(dim: str) -> str:
    return {
        "money": "万元",
        "electricity": "万千瓦时",
        "area": "亩",
        "mass": "吨",
        "energy": "吨标准煤",
        "count": "人",
    }[dim]


def _parse(layout: Layout, kind: Kind, issues: Issues) -> tuple[list[Record], list[Record]]:
    sheet = layout.sheet
    factors = {id(m): _factor(m, layout, issues, sheet.name) for m in layout.mapped}

    def parse_row(i: int) -> Record:
        raw = sheet.rows[i]
        rec = Record(sheet.name, i + 1, {}, {})
        failed: set[str] = set()
        for m in layout.mapped:
            col = m.column
            value = raw[m.index] if m.index < len(raw) else None
            rec.headers[col.key] = m.header.text
            if (i, m.index) in sheet.formula_cells:
                issues.error(  # its value is unknown, not blank
                    Reason.FORMULA,
                    "公式单元格没有保存计算结果：请在 Excel 中打开并保存后重新报送",
                    sheet=sheet.name,
                    row=i + 1,
                    column=m.header.text,
                )
            try:
                parsed = _TYPE_PARSERS[col.type](value)
            except cells.CellError as exc:
                issues.error(
                    Reason.TYPE,
                    f"{exc}",
                    sheet=sheet.name,
                    row=i + 1,
                    column=m.header.text,
                    value=value,
                )
                parsed = None
                failed.add(col.key)
            if isinstance(parsed, float):
                parsed *= factors[id(m)]
                if col.minimum is not None and parsed < col.minimum:
                    issues.error(
                        Reason.RANGE,
                        f"{col.label}不应小于 {col.minimum:g}",
                        sheet=sheet.name,
                        row=i + 1,
                        column=m.header.text,
                        value=value,
                    )
                if col.maximum is not None and parsed > col.maximum:
                    issues.error(
                        Reason.RANGE,
                        f"{col.label}不应大于 {col.maximum:g}",
                        sheet=sheet.name,
                        row=i + 1,
                        column=m.header.text,
                        value=value,
                    )
            if col.type == "year" and parsed is not None and not 1990 <= parsed <= 2100:
                issues.error(
                    Reason.RANGE,
                    "年度应为四位年份，如 2016",
                    sheet=sheet.name,
                    row=i + 1,
                    column=m.header.text,
                    value=value,
                )
                parsed = None
            if col.pattern:
                rec.series.setdefault(col.key, {})[_capture(m)] = parsed
            else:
                rec.values[col.key] = parsed
        for col in kind.required:
            if rec.values.get(col.key) is None and col.key not in failed:
                issues.error(
                    Reason.REQUIRED,
                    f"“{col.label}”不能为空",
                    sheet=sheet.name,
                    row=i + 1,
                    column=rec.headers.get(col.key),
                )
        return rec

    data = [parse_row(i) for i in layout.data_rows]
    totals = [parse_row(i) for i in layout.total_rows]
    return data, totals


def _capture(m: Mapped) -> str:
    c = m.capture or m.header.label
    if len(c) == 6 and c.isdigit():  # 电量201606 → 2016-06
        return f"{c[:4]}-{c[4:]}"
    return c


def _check_totals(data: list[Record], totals: list[Record], layout: Layout, issues: Issues) -> None:
    """A 合计 row is checked against the rows of its sheet, never loaded."""
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
                issues.error(
                    Reason.TOTAL,
                    f"合计行与明细之和不符：明细合计为 {total:,.2f}（已换算为{_store_unit(m.column.dim or 'money')}）",
                    sheet=t.sheet,
                    row=t.row,
                    column=m.header.text,
                    value=shown,
                )


def parse_file(
    store: Store,
    kind: Kind,
    path: Path,
    issues: Issues,
    *,
    period: str | None,
    correction: bool = False,
) -> tuple[Built | None, list[Sheet], Context]:
    """Read and validate a file; the tables to load, or ``None`` when nothing can be built."""
    ctx = Context(store, issues, period=period, correction=correction)
    sheets = read_sheets(path, issues)
    if issues.has_errors():
        return None, sheets, ctx
    records: list[Record] = []
    found = 0
    for sheet in sheets:
        if not sheet.rows:
            continue
        layout = locate(sheet, kind)
        if layout is None:
            if len(sheets) > 1 and "说明" not in (sheet.name or ""):  # instructions are no data
                issues.warn(
                    Reason.WRONG_KIND, f"该工作表不是“{kind.label}”，未读取", sheet=sheet.name
                )
            continue
        found += 1
        keys = {m.column.key for m in layout.mapped}
        missing = [c for c in kind.required if c.key not in keys]
        for c in missing:
            issues.error(
                Reason.MISSING_COLUMN,
                f"缺少必填列“{c.label}”（也可写作：{'、'.join(c.aliases[:4]) or c.label}）",
                sheet=sheet.name,
                row=layout.header_rows[1] + 1,
            )
        if kind.at_least_one_of and not keys & set(kind.at_least_one_of):
            names = "、".join(kind.column(k).label for k in kind.at_least_one_of)
            issues.error(
                Reason.MISSING_COLUMN,
                f"应至少有一列：{names}",
                sheet=sheet.name,
                row=layout.header_rows[1] + 1,
            )
        for ms in layout.by_key().values():
            if len(ms) > 1 and not ms[0].column.pattern:
                issues.error(
                    Reason.AMBIGUOUS_COLUMN,
                    f"多列都对应“{ms[0].column.label}”：{'、'.join(m.header.text for m in ms)}，应只保留一列",
                    sheet=sheet.name,
                    row=layout.header_rows[1] + 1,
                )
        if missing:
            continue
        data, totals = _parse(layout, kind, issues)
        _check_totals(data, totals, layout, issues)
        records.extend(data)
    if not found:
        expected = "、".join(c.label for c in kind.required)
        issues.error(
            Reason.WRONG_KIND,
            f"没有找到“{kind.label}”的表头：应包含 {expected} 等列；请确认文件类型是否选对",
        )
        return None, sheets, ctx
    if not records and not issues.has_errors():
        issues.error(Reason.EMPTY, "文件没有数据行")
        return None, sheets, ctx
    built = kind.build(records, ctx)
    return built, sheets, ctx


def import_file(
    store: Store,
    kind_key: str,
    path: Path,
    *,
    period: str | None = None,
    actor: str = "system",
    received_at: datetime | None = None,
    archive_dir: Path | None = None,
    correction: bool = False,
    name: str | None = None,
) -> ImportReport:
    """Import ``path`` as a file of ``kind_key``. Never raises for bad content: the report
    says what is wrong. Raises only for an unknown kind or a bad ``period`` argument."""
    kind = get_kind(kind_key)
    period = _check_period(period, kind)
    name = name or path.name
    issues = Issues(name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
    known = store.file_id(kind.key, digest) if digest else None
    if known is not None:
        by, on = replaced_by(store, known)  # a superseded file's content: offer the restore
        return ImportReport(
            kind.key,
            name,
            "repeated",
            period,
            [],
            file_id=known,
            superseded_by=by,
            superseded_on=on,
        )
    built, sheets, ctx = parse_file(store, kind, path, issues, period=period, correction=correction)
    if built is not None and not issues.has_errors():
        _check_against_store(store, kind, built, ctx, period)
    report = ImportReport(
        kind.key, name, "rejected", period, issues.items, sheets=sheets, dropped=issues.dropped
    )
    if built is None or issues.has_errors():
        return report
    file_period = period or _period_of(built)
    replaced = store.active_file(kind.key, file_period) if file_period else None
    before = {t: store.file_rows(t, replaced) for t in built.tables} if replaced else {}
    archive = None
    if archive_dir is not None:
        archive_dir.mkdir(parents=True, exist_ok=True)
        archive = f"{digest}{path.suffix.lower()}"
        shutil.copyfile(path, archive_dir / archive)
    result = store.load(
        kind.key,
        name,
        built.tables,
        period=file_period,
        actor=actor,
        sha256=digest,
        received_at=received_at,
        archive=archive,
        supersede=True,
        upsert=built.upsert,
    )
    report.status = "loaded"
    report.period = file_period
    report.rows = result.rows
    report.file_id = result.file_id
    report.superseded = result.superseded
    report.unmatched = len(built.unmatched)
    if result.superseded is not None:
        report.diff = {
            t: diff_table(before[t], built.tables[t], built.keys.get(t, ()))
            for t in built.tables
            if t in before and built.keys.get(t)
        }
    return report


def _check_period(period: str | None, kind: Kind) -> str | None:
    from jingxin.errors import InputError

    if period is None:
        return None
    try:
        if len(period) == 4 and period.isdigit():
            return period
        parsed = cells.parse_period(period)
    except cells.CellError:
        parsed = None
    if parsed is None:
        raise InputError(f"期别 {period!r} 无效：应为 YYYY-MM（如 2016-06）或 YYYY（如 2016）。")
    return parsed


def _period_of(built: Built) -> str | None:
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


def _check_against_store(
    store: Store, kind: Kind, built: Built, ctx: Context, period: str | None
) -> None:
    file_period = period or _period_of(built)
    replacing = store.active_file(kind.key, file_period) if file_period else None
    for tname, table in built.tables.items():
        keys = built.keys.get(tname)
        if not keys or tname in built.upsert or table.num_rows == 0:
            continue
        stored = store.stored_keys(tname, table, keys)
        if replacing is not None:
            stored = stored.filter(pc.not_equal(stored.column("source_file_id"), replacing))
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
        _check_monthly(store, built.tables["monthly_fact"], ctx)


def _check_monthly(store: Store, table: pa.Table, ctx: Context) -> None:
    """YTD never decreases within a year; values far from the firm's own history are flagged;
    output reported with no electricity in the same month is flagged."""
    rows = table.to_pylist()
    if not rows:
        return
    period = rows[0]["period"]
    year, month = period[:4], int(period[5:])
    usccs = [r["uscc"] for r in rows]
    hist = store.history("gross_output", usccs, period).to_pylist()
    by_firm: dict[str, dict[str, float]] = {}
    for h in hist:
        if h["value"] is not None:
            by_firm.setdefault(h["uscc"], {})[h["period"]] = h["value"]
    power = store.electricity_of(period)
    for r in rows:
        value = r["gross_output"]
        if value is None:
            continue
        own = by_firm.get(r["uscc"], {})
        prev = own.get(f"{year}-{month - 1:02d}") if month > 1 else None
        where = {
            "sheet": r["source_sheet"],
            "row": r["source_row"],
            "column": "工业总产值",
            "value": round(value, 4),
        }
        if prev is not None and value < prev - 1e-6:
            msg = f"1-本月累计（{value:,.1f} 万元）小于上月累计（{prev:,.1f} 万元）"
            if ctx.correction:
                ctx.issues.warn(Reason.DECREASING, msg + "：已按更正处理", **where)
            else:
                ctx.issues.error(
                    Reason.DECREASING, msg + "：如为更正，请导入时加 --correction", **where
                )
        monthly = _monthly_values(own)
        if prev is not None and len(monthly) >= 6:
            x = value - prev
            z = _modified_z(x, monthly)
            med = statistics.median(monthly)
            # Both far in the robust sense and off by a factor, as a unit or typing slip is.
            if z is not None and abs(z) > 3.5 and (x < 0 or x > 3 * med or x < med / 3):
                ctx.issues.warn(
                    Reason.OUTLIER,
                    f"本月产值与该企业历史月度差异很大（修正 z 值 {z:.1f}）：请核实单位与数值",
                    **where,
                )
        if value > 0 and power and power.get(r["uscc"], None) == 0:
            ctx.issues.warn(
                Reason.CROSS_SOURCE, "本月有产值但供电公司记录的用电量为 0：请核实", **where
            )


def _monthly_values(ytd: dict[str, float]) -> list[float]:
    out = []
    for p in sorted(ytd):
        y, m = p[:4], int(p[5:])
        if m == 1:
            out.append(ytd[p])
        elif f"{y}-{m - 1:02d}" in ytd:
            out.append(ytd[p] - ytd[f"{y}-{m - 1:02d}"])
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
