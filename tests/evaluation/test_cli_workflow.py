"""The workflow sub-commands through the CLI, on a file store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.store import Store
from tests.evaluation.helpers import WORKED_METHOD, worked_store


@pytest.mark.slow
def test_workflow_commands(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    store = worked_store(db)
    uscc = (
        store.arrow("select uscc from enterprise where name = '规上甲四电子有限公司'")
        .column("uscc")[0]
        .as_py()
    )
    store.close()
    run = CliRunner()

    def cli(*args: str) -> str:
        result = run.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        return result.output

    out = tmp_path / "e.xlsx"
    cli("evaluate", "--year", "2016", "--method", str(WORKED_METHOD), "--out", str(out))
    bad = run.invoke(
        app,
        [
            "evaluation",
            "regrade",
            "--run",
            "1",
            "--uscc",
            uscc,
            "--class",
            "A",
            "--reason",
            " ",
            "--db",
            str(db),
        ],
    )
    assert bad.exit_code == 1 and "理由" in bad.output
    cli(
        "evaluation",
        "regrade",
        "--run",
        "1",
        "--uscc",
        uscc,
        "--class",
        "A",
        "--reason",
        "省级专精特新企业",
        "--actor",
        "科长乙",
    )
    cli("evaluation", "notice", "--run", "1", "--days", "7")
    assert "已登记异议 1" in cli(
        "evaluation",
        "object",
        "--run",
        "1",
        "--uscc",
        uscc,
        "--claim",
        "用地面积有误",
        "--evidence",
        "不动产权证",
    )
    cli("evaluation", "decide", "--objection", "1", "--reject", "--decision", "面积无误")
    assert "已定稿" in cli("evaluation", "finalize", "--run", "1")
    again = run.invoke(
        app,
        [
            "evaluation",
            "regrade",
            "--run",
            "1",
            "--uscc",
            uscc,
            "--class",
            "B",
            "--reason",
            "x",
            "--db",
            str(db),
        ],
    )
    assert again.exit_code == 1 and "已定稿" in again.output
    assert "第 2 版草稿" in cli("evaluation", "correct", "--run", "1", "--reason", "更正")
    assert "已定稿" in cli("evaluation", "runs", "--year", "2016")
    cli("evaluation", "export", "--run", "2", "--out", str(tmp_path / "v2.xlsx"))
    assert (tmp_path / "v2.docx").is_file()
    s = Store(db, read_only=True)
    try:
        row = s.arrow(
            "select final_class, initial_class from evaluation_result where run_id = 2 and uscc = ?",
            [uscc],
        ).to_pylist()[0]
        n_audit = (
            s.arrow("select count(*) as n from audit_log where action like 'regrade:%'")
            .column("n")[0]
            .as_py()
        )
    finally:
        s.close()
    assert row == {"final_class": "A", "initial_class": "B"}  # the copy keeps the re-grade
    assert n_audit == 1
