"""Read a large plain file as columns: the grid's daily meter readings.

A month of a city's daily readings is hundreds of thousands of rows (a province's, tens of
millions), too many to parse cell by cell. A source declared with ``read`` comes here: a CSV
is read by pyarrow (UTF-8 or GB18030, told from the content), a workbook through the safe
reader of :mod:`jingxin.ingest.readers`; the header is found and mapped by the kind's own
columns (:func:`jingxin.ingest.layout.locate`, aliases and units as everywhere), and each
check is a column expression. The report is the one every import gives: file, row, column,
the value as typed with its unit, a reason code and a Chinese message. Past
:data:`LISTED` rows with the same problem, the rest are counted in one line rather than
listed (a wholly wrong file gets a readable report).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from jingxin.ingest.checks import check_header
from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.layout import Layout, column_unit, locate, unit_factor
from jingxin.ingest.readers import ENCODINGS, MAX_FILE_BYTES, Sheet, read_sheets
from jingxin.ingest.schemas import Kind

__all__ = ["LISTED", "ColumnChecks", "Columns", "read_columns"]

LISTED = 200  # rows listed for one problem of one column; the rest are counted

_DATE = (
    r"^\s*(?P<y>\d{4})\s*[-/.年]?\s*(?P<m>\d{1,2})\s*[-/.月]?\s*(?P<d>\d{1,2})\s*日?(?:[ T].*)?$"
)
_NUMBER = r"^-?(\d+(\.\d*)?|\.\d+)$"


@dataclass
class Columns:
    """A file's data as text columns by the kind's keys, with where each row came from."""

    text: dict[str, pa.ChunkedArray]  # key → the cells as typed (NULL for blank)
    rows: pa.Array  # 1-based row numbers as the sender sees them
    sheet: str | None
    layout: Layout

    @property
    def count(self) -> int:
        return len(self.rows)


def read_columns(path: Path, kind: Kind, ctx: Context) -> Columns | None:
    """The data of ``path`` as columns of ``kind``; ``None`` (problems in ``ctx.issues``)
    when the file cannot be read or has no usable header."""
    issues = ctx.issues
    try:
        size = path.stat().st_size
    except OSError as exc:
        issues.error(Reason.UNREADABLE, f"无法读取文件：{exc.strerror}")
        return None
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if size == 0 or size > MAX_FILE_BYTES or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return _from_sheets(read_sheets(path, issues), kind, ctx)
    encoding = _encoding(head)
    if encoding is None:
        issues.error(Reason.UNREADABLE, "无法识别文件编码：应为 UTF-8 或 GBK/GB18030 编码的 CSV")
        return None
    first = head.decode(encoding, errors="ignore").splitlines()[0] if head else ""
    header = next(csv.reader(io.StringIO(first)), [])
    sheet = Sheet(None, [header])
    layout = locate(sheet, kind)
    if layout is None or not check_header(layout, kind, issues):
        if layout is None:
            _wrong_kind(kind, ctx)
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
                skip_rows=1,
                column_names=names,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        issues.error(Reason.UNREADABLE, f"CSV 文件格式有误，无法读取：{_arrow_message(exc)}")
        return None
    text = {m.column.key: table.column(m.index) for m in layout.mapped}
    rows = pa.array(range(2, table.num_rows + 2), pa.int32())
    return Columns(text, rows, None, layout)


def _encoding(head: bytes) -> str | None:
    for enc in ENCODINGS:
        try:
            head.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the sample
                return enc
            continue
        return enc
    return None


def _arrow_message(exc: Exception) -> str:
    text = str(exc)
    if "Expected" in text and "columns" in text:
        return "某行的列数与表头不一致（" + text.split(":", 1)[-1].strip()[:120] + "）"
    return text[:200]


def _wrong_kind(kind: Kind, ctx: Context) -> None:
    expected = "、".join(c.label for c in kind.required)
    ctx.issues.error(
        Reason.WRONG_KIND,
        f"没有找到“{kind.label}”的表头：应包含 {expected} 等列；请确认文件类型是否选对",
    )


def _from_sheets(sheets: Sequence[Sheet], kind: Kind, ctx: Context) -> Columns | None:
    """A workbook's first sheet that holds ``kind``, as columns (workbooks are small)."""
    if ctx.issues.has_errors():
        return None
    for sheet in sheets:
        layout = locate(sheet, kind) if sheet.rows else None
        if layout is None:
            continue
        if not check_header(layout, kind, ctx.issues):
            return None
        text = {}
        for m in layout.mapped:
            cells = [
                sheet.rows[i][m.index] if m.index < len(sheet.rows[i]) else None
                for i in layout.data_rows
            ]
            text[m.column.key] = pa.chunked_array(
                [pa.array([None if v is None or v == "" else str(v) for v in cells], pa.string())]
            )
        rows = pa.array([i + 1 for i in layout.data_rows], pa.int32())
        return Columns(text, rows, sheet.name, layout)
    _wrong_kind(kind, ctx)
    return None


class ColumnChecks:
    """Checks of one file's columns; each bad row becomes an issue at its cell."""

    def __init__(self, cols: Columns, ctx: Context) -> None:
        self.cols = cols
        self.ctx = ctx
        self.by_key = {m.column.key: m for m in cols.layout.mapped}

    def report(
        self, key: str, bad: pa.ChunkedArray | pa.Array, reason: Reason, message: str
    ) -> int:
        """An issue for each row where ``bad`` is true (the first :data:`LISTED`, then a
        count); the number of bad rows."""
        mask = pc.fill_null(bad, False)
        count = int(pc.sum(mask).as_py() or 0)
        if not count:
            return 0
        m = self.by_key[key]
        unit = column_unit(m, self.cols.layout)
        idx = pc.indices_nonzero(mask).slice(0, LISTED)
        rows = pc.take(self.cols.rows, idx).to_pylist()
        typed = pc.take(self.cols.text[key], idx).to_pylist()
        for row, value in zip(rows, typed, strict=True):
            shown = None if value is None else (f"{value} {unit}" if unit else value)
            self.ctx.issues.error(
                reason,
                message,
                sheet=self.cols.sheet,
                row=row,
                column=m.header.text,
                col=m.index + 1,
                value=shown,
            )
        if count > LISTED:
            self.ctx.issues.error(
                reason,
                f"另有 {count - LISTED} 行同样问题（{message}），未逐行列出",
                sheet=self.cols.sheet,
                column=m.header.text,
                col=m.index + 1,
            )
        return count

    def required(self, key: str) -> pa.ChunkedArray:
        """The column's text; blank cells are errors."""
        t = self.cols.text[key]
        col = self.by_key[key].column
        self.report(key, pc.is_null(t), Reason.REQUIRED, f"{col.label}不能为空")
        return pc.utf8_trim_whitespace(t)

    def dates(self, key: str) -> pa.ChunkedArray:
        """The column as dates (2016-02-01, 2016/2/1, 20160201, 2016年2月1日)."""
        t = self.required(key)
        parts = pc.extract_regex(t, _DATE)
        y = pc.struct_field(parts, "y")
        m = pc.utf8_lpad(pc.struct_field(parts, "m"), 2, "0")
        d = pc.utf8_lpad(pc.struct_field(parts, "d"), 2, "0")
        iso = pc.binary_join_element_wise(y, m, d, "-")
        parsed = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)
        real = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), iso)  # not 2016-02-30
        day = pc.cast(pc.if_else(real, parsed, pa.scalar(None, parsed.type)), pa.date32())
        label = self.by_key[key].column.label
        self.report(
            key,
            pc.and_(pc.is_valid(t), pc.is_null(day)),
            Reason.TYPE,
            f"{label}不是有效日期：应写作 2016-02-01",
        )
        return day

    def amounts(self, key: str) -> pa.ChunkedArray:
        """The column as amounts in the store's unit; not a number or below the column's
        minimum is an error."""
        m = self.by_key[key]
        t = self.required(key)
        clean = pc.replace_substring_regex(t, r"[,，\s]", "")
        ok = pc.match_substring_regex(clean, _NUMBER)
        self.report(
            key,
            pc.and_(pc.is_valid(t), pc.invert(pc.fill_null(ok, False))),
            Reason.TYPE,
            f"{m.column.label}应为数字",
        )
        value = pc.cast(pc.if_else(ok, clean, pa.scalar(None, pa.string())), pa.float64())
        if m.column.minimum is not None:
            self.report(
                key,
                pc.less(value, m.column.minimum),
                Reason.RANGE,
                f"{m.column.label}不能小于 {m.column.minimum:g}",
            )
        factor = unit_factor(m, self.cols.layout, self.ctx.issues, self.cols.sheet)
        return pc.multiply(value, factor)

    def duplicates(self, keys: Sequence[str], table: pa.Table, what: str) -> None:
        """Rows whose ``keys`` repeat an earlier row's: an error at each later row."""
        index = pa.array(range(table.num_rows), pa.int64())
        groups = (
            table.select(list(keys))
            .append_column("_i", index)
            .group_by(list(keys), use_threads=False)
            .aggregate([("_i", "list")])
        )
        dup = groups.filter(pc.greater(pc.list_value_length(groups["_i_list"]), 1))
        m = self.by_key[keys[0]]
        rows = self.cols.rows.to_pylist() if dup.num_rows else []
        later = 0
        for members in dup["_i_list"].to_pylist():
            first, *rest = sorted(members)
            for j in rest:
                later += 1
                if later <= LISTED:
                    self.ctx.issues.error(
                        Reason.DUPLICATE,
                        f"{what}与第 {rows[first]} 行重复",
                        sheet=self.cols.sheet,
                        row=rows[j],
                        column=m.header.text,
                        col=m.index + 1,
                    )
        if later > LISTED:
            self.ctx.issues.error(
                Reason.DUPLICATE,
                f"另有 {later - LISTED} 行{what}重复，未逐行列出",
                sheet=self.cols.sheet,
            )
