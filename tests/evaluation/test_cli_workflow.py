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
    noticed = cli("evaluation", "notice", "--run", "1", "--days", "7", "--out", str(tmp_path))
    assert "evaluation-2016-v1-notice.xlsx" in noticed
    assert (tmp_path / "evaluation-2016-v1-notice.docx").is_file()
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
    listed = cli("evaluation", "objections", "--status", "不成立")
    assert "不成立" in listed and "共 1 件" in listed and "批次 1（2016 年第 1 版" in listed
    assert "共 0 件" in cli("evaluation", "objections", "--run", "1", "--status", "待处理")
    early = run.invoke(app, ["evaluation", "finalize", "--run", "1", "--db", str(db)])
    assert early.exit_code == 1 and "公示期内不能定稿" in early.output
    assert "已定稿" in cli(
        "evaluation", "finalize", "--run", "1", "--force", "--reason", "市政府要求提前公布"
    )
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


@pytest.mark.slow
def test_decide_on_a_vetoed_firm_and_the_export_sheets(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db = tmp_path / "w.duckdb"
    store = worked_store(db)
    uscc = (
        store.arrow("select uscc from enterprise where name = '规上甲八塑料有限公司'")
        .column("uscc")[0]
        .as_py()
    )
    store.close()
    run = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = run.invoke(app, [*args, "--db", str(db)])
        return result.exit_code, result.output

    invoke(
        "evaluate",
        "--year",
        "2016",
        "--method",
        str(WORKED_METHOD),
        "--out",
        str(tmp_path / "e.xlsx"),
    )
    invoke("evaluation", "notice", "--run", "1", "--out", str(tmp_path))
    invoke(
        "evaluation",
        "object",
        "--run",
        "1",
        "--uscc",
        uscc,
        "--claim",
        "事故等级有误",
        "--evidence",
        "复函",
    )
    decide = (
        "evaluation",
        "decide",
        "--objection",
        "1",
        "--upheld",
        "--decision",
        "一般事故",
        "--new-class",
        "C",
    )
    code, out = invoke(*decide)
    assert code == 1 and "--lift-veto" in out and "发生较大及以上安全生产事故" in out
    code, out = invoke(*decide, "--lift-veto")
    assert code == 0, out
    assert "已解除该企业的一票否决（发生较大及以上安全生产事故）" in out
    code, out = invoke("evaluation", "export", "--run", "1", "--out", str(tmp_path / "x.xlsx"))
    assert code == 0, out
    wb = load_workbook(tmp_path / "x.xlsx")
    objections = list(wb["异议"].values)
    assert objections[0][:3] == ("异议编号", "统一社会信用代码", "企业名称")
    assert objections[1][:3] == (1, uscc, "规上甲八塑料有限公司")
    assert objections[1][8:10] == ("成立", "一般事故")
    regrades = list(wb["调档"].values)
    assert regrades[0][4:8] == ("调档前等级", "调档后等级", "理由", "异议编号")
    assert regrades[1][4:8] == (
        "D",
        "C",
        "异议成立：一般事故；解除一票否决（发生较大及以上安全生产事故）",
        1,
    )
