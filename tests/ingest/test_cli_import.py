"""``jingxin import``: exit 0 when loaded or repeated, 2 when rejected, reports written."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jingxin.cli import app
from tests.ingest.helpers import dump, file_sha256

runner = CliRunner()


@pytest.fixture(autouse=True)
def _out_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGXIN_OUT_DIR", str(tmp_path / "out"))  # the raw-file archive


def _import(store_path: Path, file: Path, report: Path, *extra: str) -> object:
    args = ["import", "stats_monthly", str(file), "--period", "2016-06"]
    return runner.invoke(app, [*args, "--report", str(report), "--db", str(store_path), *extra])


def test_good_file_exits_0_and_archives_it(
    corpus: dict[str, Path], store_path: Path, tmp_path: Path
) -> None:
    report = tmp_path / "rep" / "ok.xlsx"
    result = _import(store_path, corpus["gbk-千元.csv"], report)
    assert result.exit_code == 0, result.output
    assert "已导入" in result.output
    js = json.loads(report.with_suffix(".json").read_text("utf-8"))
    assert js["status"] == "loaded" and js["rows"] == {"monthly_fact": 5}
    archived = list((tmp_path / "out" / "archive").iterdir())
    assert [p.read_bytes() for p in archived] == [corpus["gbk-千元.csv"].read_bytes()]

    again = _import(store_path, corpus["gbk-千元.csv"], tmp_path / "again.xlsx")
    assert again.exit_code == 0, again.output
    assert "已导入过" in again.output


def test_rejected_file_exits_2_and_writes_both_reports(
    corpus: dict[str, Path], store_path: Path, tmp_path: Path
) -> None:
    before = file_sha256(store_path)
    report = tmp_path / "rep" / "bad.xlsx"
    result = _import(store_path, corpus["增加值大于总产值.csv"], report)
    assert result.exit_code == 2, result.output
    assert "未导入" in result.output and "不应大于" in result.output
    assert file_sha256(store_path) == before
    js = json.loads(report.with_suffix(".json").read_text("utf-8"))
    assert js["status"] == "rejected"
    assert [(i["reason"], i["row"], i["severity"]) for i in js["issues"]] == [
        ("cross_field", 5, "error")
    ]
    assert "第 5 行" in js["issues"][0]["text"]
    wb = openpyxl.load_workbook(report)
    try:
        assert wb.sheetnames[0] == "导入结果"
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        assert ("结果", "未导入") in [r[:2] for r in rows]
        assert any(r[1] == "cross_field" and r[3] == 5 for r in rows)
    finally:
        wb.close()


def test_unsafe_file_exits_2_and_leaves_the_store(
    corpus: dict[str, Path], store_path: Path, tmp_path: Path
) -> None:
    from jingxin.store import Store

    s = Store(store_path)
    before = dump(s)
    s.close()
    result = _import(store_path, corpus["压缩炸弹.xlsx"], tmp_path / "bomb.xlsx")
    assert result.exit_code == 2, result.output
    js = json.loads((tmp_path / "bomb.json").read_text("utf-8"))
    assert [i["reason"] for i in js["issues"]] == ["unsafe"]
    s = Store(store_path)
    try:
        assert dump(s) == before
    finally:
        s.close()
    assert not (tmp_path / "out" / "archive").exists()


def test_missing_file_and_unknown_kind_exit_1_without_traceback(
    store_path: Path, tmp_path: Path
) -> None:
    missing = runner.invoke(app, ["import", "stats_monthly", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "不存在" in missing.output
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", "utf-8")
    unknown = runner.invoke(app, ["import", "no_such_kind", str(f), "--db", str(store_path)])
    assert unknown.exit_code == 1 and "未知的文件类型" in unknown.output
    assert "Traceback" not in unknown.output
