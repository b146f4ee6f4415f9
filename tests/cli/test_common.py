"""The command line's one error surface (``jingxin/cli/common.py``): a platform error is one
Chinese sentence; a bug is one sentence naming a log file that holds the traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jingxin
from jingxin.cli import app

runner = CliRunner()


def _one_sentence(text: str) -> str:
    """The error as one line: Rich wraps long lines at the terminal width."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines and lines[0].startswith("错误："), text
    return "".join(lines)


def test_an_unexpected_error_is_one_sentence_and_a_log_with_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGXIN_OUT_DIR", str(tmp_path / "out"))
    monkeypatch.setattr("jingxin.ingest.KINDS", None)  # `jingxin kinds` now fails inside
    result = runner.invoke(app, ["kinds"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.output
    sentence = _one_sentence(result.stderr)
    assert "内部出错（AttributeError）" in sentence
    [log] = (tmp_path / "out" / "logs").glob("jingxin-error-*.log")
    assert str(log) in sentence
    text = log.read_text("utf-8")
    assert "Traceback (most recent call last)" in text
    assert "AttributeError: 'NoneType' object has no attribute 'values'" in text
    assert "jingxin/cli/ingest.py" in text.replace(os.sep, "/")


def test_a_platform_error_is_one_sentence_without_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGXIN_OUT_DIR", str(tmp_path / "out"))
    result = runner.invoke(app, ["template", "nope"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "'nope'" in _one_sentence(result.stderr)
    assert not (tmp_path / "out" / "logs").exists()


_HOLDER = """
import sys
from jingxin.store import Store

store = Store(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()  # hold the file until the test closes our stdin
store.close()
"""


def test_info_on_a_store_another_process_holds_names_the_file(tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    env = {**os.environ, "PYTHONPATH": str(Path(jingxin.__file__).parents[1])}
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["info", "--db", str(db)])
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    sentence = _one_sentence(result.stderr)
    assert f"数据库文件 {db} 正被另一个进程占用" in sentence
    assert f"进程号 {holder.pid}" in sentence
