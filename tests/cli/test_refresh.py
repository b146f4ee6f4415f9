"""Stale figures are refused, ``jingxin refresh`` brings them up to date (issue #11)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.store import Store
from tests.indicators.cells import tiny_tables

runner = CliRunner()


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    store.load("test", "all", {k: v for k, v in tiny_tables().items() if k != "region"})
    store.close()
    return path


def test_a_report_on_stale_figures_is_refused_until_refresh(tmp_path: Path) -> None:
    db = str(_db(tmp_path))
    out = str(tmp_path / "out")
    refused = runner.invoke(
        app, ["report", "bulletin", "--period", "2016-09", "--db", db, "--out", out]
    )
    assert refused.exit_code == 1
    text = "".join(refused.stderr.split())
    assert "尚未计算" in text and "jingxinrefresh" in text
    assert not (tmp_path / "out" / "bulletin-2016-09.md").exists()

    done = runner.invoke(app, ["refresh", "--db", db])
    assert done.exit_code == 0, done.output
    assert "已更新 2016 年 1–12 月的指标" in done.stdout
    again = runner.invoke(app, ["refresh", "--db", db])
    assert "无需更新" in again.stdout
    info = runner.invoke(app, ["info", "--db", db])
    assert "数据截至" in info.stdout and "不是最新" not in info.stdout
