"""Bounded reading (issue part 5): a workbook just under every size limit is refused or read
within 512 MiB peak RSS and 10 s of CPU per 100 MB of declared content (at least 10 s)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jingxin.ingest import xlsx
from tests.ingest.make_corpus import near_bomb

_CHILD = """
import sys
from pathlib import Path
from jingxin.ingest.issues import Issues
from jingxin.ingest.readers import read_sheets
issues = Issues("near-bomb.xlsx")
sheets = read_sheets(Path(sys.argv[1]), issues)
status = Path("/proc/self/status").read_text()
peak = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:"))
print(len(issues.items), sum(len(s.rows) for s in sheets), peak)
"""


@pytest.mark.slow
def test_a_workbook_just_under_the_limits_is_read_within_bounds(tmp_path: Path) -> None:
    path = near_bomb(tmp_path / "near-bomb.xlsx")
    with zipfile.ZipFile(path) as zf:
        declared = sum(i.file_size for i in zf.infolist())
        ratio = max(i.file_size / max(i.compress_size, 1) for i in zf.infolist())
    assert 0.9 * xlsx.MAX_UNZIPPED_BYTES < declared <= xlsx.MAX_UNZIPPED_BYTES
    assert ratio < xlsx.MAX_RATIO and path.stat().st_size < 10 * 2**20

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the child's own peak (VmHWM, in KiB): ru_maxrss is not reset by exec, so a child of a
    # worker holding the demo store would report the worker's size
    n_issues, n_rows, peak_kib = map(int, done.stdout.split())
    peak_mib = peak_kib / 1024

    # CPU, not wall time: the bound is the reader's work, not the machine's other load.
    budget = max(10.0, 10.0 * declared / 100e6)
    assert peak_mib < 512, (peak_mib, done.stdout)
    assert cpu < budget, (cpu, wall, budget)
    assert n_issues == 0 and n_rows == 6  # read: the header and five enterprises


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        pytest.param(b'<row r="%d"/>' % (xlsx.MAX_ROWS + 5), "行", id="row-past-the-limit"),
        pytest.param(
            b'<row r="1">' + b"<c/>" * (xlsx.MAX_ROW_CELLS + 1) + b"</row>", "单元格", id="wide-row"
        ),
        pytest.param(
            b'<row r="1"><c r="ALM1" t="inlineStr"><is><t>1</t></is></c></row>',
            "列",
            id="far-column",
        ),
    ],
)
def test_a_sheet_past_a_limit_is_refused_with_its_name(
    xml: bytes, words: str, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    from jingxin.ingest.issues import Issues, Reason
    from jingxin.ingest.readers import read_sheets

    path = tmp_path / "a.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "月报"
    wb.save(path)
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == member:
                head, _, tail = data.partition(b"<sheetData></sheetData>")
                data = head + b"<sheetData>" + xml + b"</sheetData>" + tail
            zf.writestr(info, data)
    issues = Issues("a.xlsx")
    assert read_sheets(path, issues) == []
    (issue,) = issues.items
    assert issue.reason is Reason.UNSAFE and issue.sheet == "月报" and words in issue.message
