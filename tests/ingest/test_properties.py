"""Property tests: generated monthly-statistics tables through the readers. Valid tables
round-trip exactly (in 万元), a table with one injected defect is always rejected with an
issue at that row, and nothing ever raises."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingxin.ingest import Reason, import_file
from jingxin.store import Store
from tests.ingest.helpers import errors, stored_output
from tests.ingest.make_corpus import CODES, ENTERPRISES, write_csv, write_register

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNITS = {"千元": 0.1, "万元": 1.0, "元": 1e-4}
Row = tuple[str, str, int | None, int | None]  # code, name, gross output, value added (cents)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store for all examples: a valid table for 2016-06 supersedes the one before."""
    base = tmp_path_factory.mktemp("prop")
    s = Store(base / "p.duckdb")
    report = import_file(s, "register", write_register(base / "register.csv"))
    assert report.status == "loaded"
    yield s
    s.close()


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    idx = draw(st.lists(st.integers(0, len(CODES) - 1), min_size=1, max_size=5, unique=True))
    out: list[Row] = []
    for i in idx:
        go = draw(st.none() | st.integers(0, 10**11))  # cents, up to a billion
        va = draw(st.none() | st.integers(0, go if go is not None else 10**11))
        out.append((CODES[i], ENTERPRISES[i].name, go, va))
    return out


def _amount(cents: int | None, style: str) -> Any:
    if cents is None:
        return {"blank": None, "dash": "—", "dashes": "--"}[style] if style != "num" else None
    x = cents / 100
    if style == "num":
        return x
    return f"{x:,.2f}" if style == "dash" else f"{x:.2f}"


def _write(
    path: Path, table: list[Row], unit: str, fmt: str, style: str, bad: dict[tuple[int, int], Any]
) -> Path:
    header = [
        "统一社会信用代码",
        "单位详细名称",
        f"1-本月;工业总产值;{unit}",
        f"1-本月;工业增加值;{unit}",
    ]
    body: list[list[Any]] = []
    for r, (code, name, go, va) in enumerate(table):
        line = [code, name, _amount(go, style), _amount(va, style)]
        for (br, bc), v in bad.items():
            if br == r:
                line[bc] = v
        body.append(line)
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(header)
        for line in body:
            ws.append(line)
        wb.save(path)
        return path
    text = [[str(v) if isinstance(v, float) else v for v in line] for line in body]
    return write_csv(path, [header, *text], fmt)


FORMATS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "xlsx"])
STYLES = st.sampled_from(["blank", "dash", "dashes", "num"])


@SETTINGS
@given(table=rows(), unit=st.sampled_from(list(UNITS)), fmt=FORMATS, style=STYLES)
def test_valid_tables_round_trip(
    store: Store, table: list[Row], unit: str, fmt: str, style: str
) -> None:
    # Each example on its own copy of the registered store: an example that repeats an
    # earlier one's content after a third replaced it would meet a superseded file.
    with tempfile.TemporaryDirectory() as d:
        store.con.execute("checkpoint")  # the register is in the file, not only the WAL
        shutil.copyfile(store.path, Path(d) / "s.duckdb")
        own = Store(Path(d) / "s.duckdb")
        try:
            _round_trip(own, Path(d), table, unit, fmt, style)
        finally:
            own.close()


def _round_trip(store: Store, d: Path, table: list[Row], unit: str, fmt: str, style: str) -> None:
    suffix = ".xlsx" if fmt == "xlsx" else ".csv"
    path = _write(d / f"t{suffix}", table, unit, fmt, style, {})
    report = import_file(store, "stats_monthly", path, period="2016-06")
    assert report.status == "loaded", errors(report)
    assert all(i.severity == "warning" for i in report.issues), errors(report)
    got = stored_output(store, "2016-06")
    assert got.keys() == {code for code, *_ in table}
    va = dict(
        store.con.execute(
            "select uscc, value_added from monthly_fact where period = '2016-06'"
        ).fetchall()
    )
    for code, _, go_c, va_c in table:
        for cents, stored in ((go_c, got[code]), (va_c, va[code])):
            if cents is None:
                assert stored is None
            else:
                assert stored == pytest.approx(cents / 100 * UNITS[unit], rel=1e-9, abs=1e-12)


@SETTINGS
@given(
    table=rows(),
    fmt=FORMATS,
    where=st.tuples(st.integers(0, 4), st.integers(2, 3)),
    junk=st.sampled_from(["abc", "12a", "1.2.3", "N/A", "十二"]),
)
def test_a_cell_that_is_not_a_number_rejects_at_its_row(
    store: Store, table: list[Row], fmt: str, where: tuple[int, int], junk: str
) -> None:
    r, c = where[0] % len(table), where[1]
    with tempfile.TemporaryDirectory() as d:
        suffix = ".xlsx" if fmt == "xlsx" else ".csv"
        path = _write(Path(d) / f"t{suffix}", table, "千元", fmt, "num", {(r, c): junk})
        before = store.con.execute("select count(*) from source_file").fetchall()
        report = import_file(store, "stats_monthly", path, period="2016-06")
    assert report.status == "rejected"
    assert (Reason.TYPE, r + 2) in {(i.reason, i.row) for i in report.issues}, errors(report)
    assert store.con.execute("select count(*) from source_file").fetchall() == before


@SETTINGS
@given(table=rows(), fmt=FORMATS, at=st.integers(0, 4), how=st.sampled_from(["check", "short"]))
def test_a_broken_credit_code_rejects_at_its_row(
    store: Store, table: list[Row], fmt: str, at: int, how: str
) -> None:
    r = at % len(table)
    code = table[r][0]
    broken = code[:-1] + ("0" if code[-1] != "0" else "1") if how == "check" else code[:-1]
    with tempfile.TemporaryDirectory() as d:
        suffix = ".xlsx" if fmt == "xlsx" else ".csv"
        path = _write(Path(d) / f"t{suffix}", table, "千元", fmt, "num", {(r, 0): broken})
        report = import_file(store, "stats_monthly", path, period="2016-06")
    assert report.status == "rejected"
    assert (Reason.USCC, r + 2) in {(i.reason, i.row) for i in report.issues}, errors(report)


@SETTINGS
@given(
    cells=st.lists(
        st.lists(st.text(max_size=12) | st.sampled_from(["统一社会信用代码", "合计", "—"])),
        max_size=6,
    ),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_arbitrary_text_tables_never_raise(
    store: Store, cells: list[list[str]], encoding: str
) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.csv"
        try:
            write_csv(path, cells, encoding)
        except UnicodeEncodeError:
            path.write_bytes(b"\xff\xfe\x00")
        report = import_file(store, "stats_monthly", path, period="2016-06")
    assert report.status in ("loaded", "rejected", "repeated")
    if report.status == "rejected":
        assert any(i.severity == "error" for i in report.issues)


@SETTINGS
@given(
    data=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"])
)
def test_arbitrary_bytes_never_raise(store: Store, data: bytes, prefix: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.xlsx"
        path.write_bytes(prefix + data)
        report = import_file(store, "stats_monthly", path, period="2016-06")
    assert report.status in ("rejected", "repeated", "loaded")
    assert report.status != "loaded" or not (prefix + data).startswith(b"PK")
