"""The 公示名单 written when an evaluation goes on notice: what a bureau publishes, no more."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook

from jingxin.errors import InputError
from jingxin.evaluation import evaluate, load_method, save_run, start_notice
from jingxin.reports.evaluation_log import local_time
from jingxin.reports.evaluation_notice import HEADER, notice_list, write_notice
from jingxin.store import Scope, Store
from tests.evaluation.helpers import WORKED_METHOD, worked_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = worked_store(tmp_path / "n.duckdb")
    yield s
    s.close()


def test_local_time_is_beijing_time() -> None:
    assert local_time(datetime(2017, 4, 30, 16, 0)) == "2017-05-01 00:00"


@pytest.mark.slow
def test_notice_writes_the_published_list(store: Store, tmp_path: Path) -> None:
    m = load_method(WORKED_METHOD)
    run = save_run(store, evaluate(store.ibis, 2016, m), actor="科员甲")
    with pytest.raises(InputError, match="尚未公示"):
        write_notice(store, run, tmp_path, Scope.city())
    run = start_notice(store, run.id, actor="科员甲", days=7)
    assert run.notice_start is not None and run.notice_until is not None
    files = write_notice(store, run, tmp_path, Scope.city())
    assert files.xlsx.name == "evaluation-2016-v1-notice.xlsx"

    ws = load_workbook(files.xlsx).active
    cells = list(ws.values)
    assert cells[0][0] == "2016年度工业企业亩均效益评价结果公示"
    start, until = run.notice_start, run.notice_until
    period = (
        f"{start.year}年{start.month}月{start.day}日至{until.year}年{until.month}月{until.day}日"
    )
    assert period in str(cells[1][0])
    assert cells[3] == HEADER
    body = [r for r in cells[4:] if isinstance(r[0], int)]
    assert len(body) == 14 and [r[0] for r in body] == list(range(1, 15))
    by_name = {r[1]: r for r in body}
    assert by_name["规上甲一机械有限公司"][4:6] == ("规上工业企业", "A类（优先发展类）")
    assert by_name["规上甲八塑料有限公司"][5] == "D类（落后整治类）"  # after the veto
    assert by_name["规上乙一热电有限公司"][5:] == (
        "不定等级（按B类管理）",
        "电力、热力、燃气及水生产和供应业",
    )
    # Published, not internal: no score, rank, item value or benchmark anywhere.
    text = " ".join(str(c) for row in cells for c in row if c is not None)
    assert "得分" not in text and "排名" not in text and "基准" not in text
    closing = str(cells[-1][0])
    assert f"{until.year}年{until.month}月{until.day}日（含当日）前" in closing
    assert "异议" in closing and "证明材料" in closing

    doc = open_docx(str(files.docx))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "2016年度工业企业亩均效益评价结果公示" in paragraphs and period in paragraphs
    assert closing in paragraphs
    assert [len(t.rows) for t in doc.tables] == [12, 4]  # 规上 11 + header, 规下 3 + header
    assert [c.text for c in doc.tables[0].rows[0].cells] == [h for h in HEADER if h != "评价对象"]


def test_notice_list_orders_by_cohort_then_class() -> None:
    import pyarrow as pa

    m = load_method(WORKED_METHOD).method
    rows = [
        ("b1", "乙", "330502", "below", "A", None),
        ("a2", "甲", "330503", "above", "D", None),
        ("a1", "丙", "330502", "above", "B", "startup"),
        ("a3", "丁", "330521", "above", "A", None),
    ]
    cols = ["uscc", "name", "region_code", "cohort", "final_class", "exempt_reason"]
    results = pa.table({c: [r[k] for r in rows] for k, c in enumerate(cols)})
    n = notice_list(results, m, 2016, 1, date(2017, 5, 1), date(2017, 5, 8))
    assert [r[1] for r in n.rows] == ["丁", "甲", "丙", "乙"]
    assert n.rows[2][5:] == ["不定等级（按B类管理）", "投产未满3年的初创期企业"]
