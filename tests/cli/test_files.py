"""``jingxin files list`` and ``files restore``, and what ``import`` prints about a
correction: the difference on the console and a 更正对比 sheet in the report."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.cli.common import console
from tests.ingest.helpers import registered_store, stored_output
from tests.ingest.make_corpus import CODES, GO, VA, stats_csv

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JINGXIN_OUT_DIR", str(tmp_path / "out"))  # the raw-file archive
    monkeypatch.setattr(console, "_width", 200)  # the list is a wide table: one row a line
    path = tmp_path / "store.duckdb"
    registered_store(path).close()
    return path


def _import(db: Path, file: Path, report: Path) -> object:
    args = ["import", "stats_monthly", str(file), "--period", "2016-06", "--db", str(db)]
    return runner.invoke(app, [*args, "--report", str(report)])


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_correction_prints_the_difference_and_can_be_undone(db: Path, tmp_path: Path) -> None:
    from jingxin.store import Store

    a = stats_csv(tmp_path / "月报-2016-06.csv")
    b = stats_csv(tmp_path / "月报-2016-06-更正.csv", [GO[0], GO[1] + 100, *GO[2:]], VA)
    assert _import(db, a, tmp_path / "a.xlsx").exit_code == 0  # type: ignore[attr-defined]
    second = _import(db, b, tmp_path / "b.xlsx")
    assert second.exit_code == 0, second.output  # type: ignore[attr-defined]
    out = _flat(second.output)  # type: ignore[attr-defined]  # Rich wraps at 80 columns
    assert "替换了此前的文件（编号2）" in out
    assert "monthly_fact：新增0行，删除0行，变更1行" in out
    assert _flat(f"{CODES[1]}/2016-06 工业总产值(当年价格)：850 → 860") in out

    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert "更正对比" in wb.sheetnames
    rows = [tuple(r) for r in wb["更正对比"].iter_rows(values_only=True)]
    assert rows[0] == ("表", "变化", "关键字段", "列", "原值", "新值")
    assert ("monthly_fact", "变更", f"{CODES[1]}/2016-06", "工业总产值(当年价格)", 850, 860) in rows

    listed = runner.invoke(app, ["files", "list", "--kind", "stats_monthly", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    flat = _flat(listed.output)
    assert "已被替换" in flat and "有效" in flat and "规上工业月报" in flat
    assert "月报-2016-06-更正.csv" in flat

    again = _import(db, a, tmp_path / "again.xlsx")
    assert again.exit_code == 0, again.output  # type: ignore[attr-defined]
    text = _flat(again.output)  # type: ignore[attr-defined]
    assert "被文件3替换" in text and "jingxinfilesrestore2" in text
    assert "已导入过（内容相同）" not in text

    refused = runner.invoke(app, ["files", "restore", "3", "--db", str(db)])
    assert refused.exit_code == 1 and "现为有效文件" in _flat(refused.stderr)

    restored = runner.invoke(app, ["files", "restore", "2", "--actor", "王五", "--db", str(db)])
    assert restored.exit_code == 0, restored.output
    assert "已恢复文件2" in _flat(restored.output)
    assert re.search(r"已更新2016年(1–)?6月的指标", _flat(restored.output))  # refreshed
    assert "工业总产值(当年价格)：860→850" in _flat(restored.output)
    store = Store(db, read_only=True)
    try:
        assert stored_output(store, "2016-06")[CODES[1]] == pytest.approx(850.0)
    finally:
        store.close()
    listed = runner.invoke(app, ["files", "list", "--period", "2016-06", "--db", str(db)])
    lines = [line for line in listed.output.splitlines() if "月报-2016-06" in line]
    assert len(lines) == 2
    assert "有效" in lines[0] and "已被替换" in lines[1] and "王五" not in lines[0]
