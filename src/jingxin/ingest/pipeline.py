"""Import one department file: read, find the table, parse, validate lazily, load atomically.

The file loads completely in one transaction or not at all. The same file again is a no-op
(its content hash is stored). A file for a source and period that already has one replaces
it: the earlier rows go, the earlier file is kept as ``superseded``, and the difference is
reported. The raw file is archived under its hash.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from jingxin.ingest import cells
from jingxin.ingest.checks import (
    check_against_store,
    check_header,
    check_records,
    check_totals,
    file_period,
)
from jingxin.ingest.context import Context
from jingxin.ingest.diff import TableDiff, diff_table
from jingxin.ingest.issues import Issue, Issues, Reason
from jingxin.ingest.kinds import get_kind
from jingxin.ingest.layout import Layout, Mapped, column_unit, locate, unit_factor
from jingxin.ingest.readers import Sheet, read_sheets
from jingxin.ingest.schemas import Built, Kind, Record
from jingxin.ingest.sources import replaced_by
from jingxin.store import Store

__all__ = ["ImportReport", "TableDiff", "check_file", "import_file", "parse_file"]


@dataclass
class ImportReport:
    """What an import did, and every problem found."""

    kind: str
    file: str
    status: str  # loaded, rejected, repeated; checked (a check only, nothing stored)
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
    check_only: bool = False  # a county's check (check_file): nothing would be stored

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "repeated", "checked")

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
        if self.status == "rejected" and self.check_only:
            return (
                f"文件 {self.file} 检查未通过：发现 {n_err} 个错误、{n_warn} 个提示，"
                "请按问题报告修改后重新检查。"
            )
        if self.status == "rejected":
            return f"文件 {self.file} 未导入：发现 {n_err} 个错误、{n_warn} 个提示，数据库未改动。"
        if self.status == "checked":
            return (
                f"文件 {self.file} 检查通过（{n_warn} 个提示）：仅作检查，未导入；"
                "请将文件报送市经信委导入。"
            )
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


def _parse(layout: Layout, kind: Kind, issues: Issues) -> tuple[list[Record], list[Record]]:
    sheet = layout.sheet
    factors = {id(m): unit_factor(m, layout, issues, sheet.name) for m in layout.mapped}

    def parse_row(i: int, total: bool = False) -> Record:
        raw = sheet.rows[i]
        rec = Record(sheet.name, i + 1, {}, {})
        failed: set[str] = set()
        for m in layout.mapped:
            col = m.column
            if total and col.type != "number":
                continue  # a 合计 row's labels are no data
            value = raw[m.index] if m.index < len(raw) else None
            rec.headers[col.key] = m.header.text
            unit = column_unit(m, layout)
            at = {"sheet": sheet.name, "row": i + 1, "column": m.header.text, "col": m.index + 1}
            if not col.pattern:
                rec.cols[col.key], rec.raw[col.key] = m.index + 1, value
                if unit:
                    rec.units[col.key] = unit
            if (i, m.index) in sheet.formula_cells:
                issues.error(  # its value is unknown, not blank
                    Reason.FORMULA,
                    "公式单元格没有保存计算结果：请在 Excel 中打开并保存后重新报送",
                    **at,
                )
            try:
                parsed = _TYPE_PARSERS[col.type](value)
            except cells.CellError as exc:
                issues.error(Reason.TYPE, f"{exc}", **at, value=value)
                parsed = None
                failed.add(col.key)
            if isinstance(parsed, float):
                parsed *= factors[id(m)]
                typed = cells.as_typed(value, unit)
                if col.minimum is not None and parsed < col.minimum:
                    issues.error(
                        Reason.RANGE, f"{col.label}不应小于 {col.minimum:g}", **at, value=typed
                    )
                if col.maximum is not None and parsed > col.maximum:
                    issues.error(
                        Reason.RANGE, f"{col.label}不应大于 {col.maximum:g}", **at, value=typed
                    )
            if col.type == "year" and parsed is not None and not 1990 <= parsed <= 2100:
                issues.error(Reason.RANGE, "年度应为四位年份，如 2016", **at, value=value)
                parsed = None
            if col.pattern:
                rec.series.setdefault(col.key, {})[_capture(m)] = parsed
            else:
                rec.values[col.key] = parsed
        for col in () if total else kind.required:
            if rec.values.get(col.key) is None and col.key not in failed:
                issues.error(Reason.REQUIRED, f"“{col.label}”不能为空", **rec.at(col.key))
        return rec

    data = [parse_row(i) for i in layout.data_rows]
    totals = [parse_row(i, total=True) for i in layout.total_rows]
    return data, totals


def _capture(m: Mapped) -> str:
    c = m.capture or m.header.label
    if len(c) == 6 and c.isdigit():  # 电量201606 → 2016-06
        return f"{c[:4]}-{c[4:]}"
    return c


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
    if kind.read is not None:  # read as columns: the period is the file's (ctx.period)
        return kind.read(path, ctx), [], ctx
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
        if not check_header(layout, kind, issues):
            continue
        data, totals = _parse(layout, kind, issues)
        check_totals(data, totals, layout, issues)
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
    ctx.records = {(r.sheet, r.row): r for r in records}
    check_records(records, kind, ctx)
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
    period = period or ctx.period  # a source read as columns tells its month
    if built is not None:  # other errors do not hide these: every problem in one report
        check_against_store(store, kind, built, ctx, period)
    report = ImportReport(
        kind.key, name, "rejected", period, issues.items, sheets=sheets, dropped=issues.dropped
    )
    if built is None or issues.has_errors():
        return report
    period_of_file = period or file_period(built)
    replaced = store.active_file(kind.key, period_of_file) if period_of_file else None
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
        period=period_of_file,
        actor=actor,
        sha256=digest,
        received_at=received_at,
        archive=archive,
        supersede=True,
        upsert=built.upsert,
    )
    report.status = "loaded"
    report.period = period_of_file
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


def check_file(
    store: Store,
    kind_key: str,
    path: Path,
    *,
    region: str,
    period: str | None = None,
    correction: bool = False,
    name: str | None = None,
) -> ImportReport:
    """Check ``path`` as :func:`import_file` would, for a county's staff, without storing
    anything: the same parse, build and checks against the store, and every row must be an
    enterprise of ``region``. A row of another county (or of no registered enterprise) is
    one error that says nothing of whose it is: the row's other problems, which compare it
    with the register or with stored figures, are left out and it is not checked against
    the store, so a county learns nothing of another county's enterprises. Status
    ``checked`` when the file would load, else ``rejected``. Raises only for an unknown
    kind or a bad ``period`` argument."""
    kind = get_kind(kind_key)
    period = _check_period(period, kind)
    name = name or path.name
    issues = Issues(name)
    built, sheets, ctx = parse_file(store, kind, path, issues, period=period, correction=correction)
    if built is not None:
        built = _own_rows(store, built, region, issues)
        check_against_store(store, kind, built, ctx, period)
    status = "checked" if built is not None and not issues.has_errors() else "rejected"
    report = ImportReport(
        kind.key,
        name,
        status,
        period,
        issues.items,
        sheets=sheets,
        dropped=issues.dropped,
        check_only=True,
    )
    if built is not None:
        report.period = period or file_period(built)
        report.unmatched = len(built.unmatched)
    return report


def _own_rows(store: Store, built: Built, region: str, issues: Issues) -> Built:
    """``built`` without the rows of enterprises outside ``region``'s register; each such
    row gets one error in place of the problems found in it."""
    county_of = {u: county for u, (_, county) in store.enterprises().items()}
    foreign: dict[tuple[Any, Any], Any] = {}
    tables = {}
    for tname, table in built.tables.items():
        if "uscc" not in table.column_names or "source_row" not in table.column_names:
            tables[tname] = table
            continue
        codes = table.column("uscc").to_pylist()
        rows = table.column("source_row").to_pylist()
        sheets = (
            table.column("source_sheet").to_pylist()
            if "source_sheet" in table.column_names
            else [None] * table.num_rows
        )
        own = [county_of.get(u) == region for u in codes]
        for u, row, sheet, ok in zip(codes, rows, sheets, own, strict=True):
            if not ok:
                foreign.setdefault((sheet, row), u)
        tables[tname] = table.filter(pa.array(own, pa.bool_()))
    if not foreign:
        return built
    issues.items[:] = [i for i in issues.items if (i.sheet, i.row) not in foreign]
    for (sheet, row), u in sorted(foreign.items(), key=lambda x: (str(x[0][0]), x[0][1] or 0)):
        issues.error(
            Reason.REGION,
            "该企业不是本区县企业名录中的企业：区县用户只能报送本区县企业的数据",
            sheet=sheet,
            row=row,
            value=u,
        )
    return replace(built, tables=tables)


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
