"""Where the header ends: data rows that hold a label-like value are data, not header."""

from __future__ import annotations

from pathlib import Path

from jingxin.ingest import import_file
from jingxin.store import Store
from tests.ingest.make_corpus import ENTERPRISES


def test_tax_types_in_data_rows_do_not_extend_the_header(store: Store, tmp_path: Path) -> None:
    # Every data row holds a tax type (增值税 …), which is also a column name in the pivoted
    # tax layout; the header is still the first row only.
    path = tmp_path / "入库税收.csv"
    lines = ["纳税人识别号,纳税人名称,征收项目,入库日期,实缴金额(元)"]
    for i, e in enumerate(ENTERPRISES):
        tax = ("增值税", "企业所得税", "房产税")[i % 3]
        lines.append(f"{e.uscc},{e.name},{tax},2016-06-15,{10000 * (i + 1)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(store, "tax", path, period="2016-06")
    assert report.status == "loaded", [i.text() for i in report.issues]
    assert report.rows["tax_paid"] == len(ENTERPRISES)
    stored = store.con.execute(
        "select sum(amount), min(source_row) from tax_paid where period = '2016-06'"
    ).fetchall()[0]
    assert stored[0] == sum(i + 1 for i in range(len(ENTERPRISES)))  # 元 → 万元
    assert stored[1] == 2  # the first data row is the file's second line
