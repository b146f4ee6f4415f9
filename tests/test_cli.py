"""The command line: the demo end to end, the check, and errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingxin.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_demo_end_to_end_writes_reports_and_reproduces_figures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["demo", "--out", str(out), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "167/167 figures reproduced" in result.output
    for name in (
        "annual-2016.md",
        "annual-2016.docx",
        "annual-2016.json",
        "annual-2016-county-growth.png",
    ):
        assert (out / name).stat().st_size > 0
    md = (out / "annual-2016.md").read_text("utf-8")
    assert "全市规上工业完成增加值828.3亿元，同比增长6.2%" in md
    assert "居全省第2位，高于全省平均2.99个百分点" in md
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out / "annual-2016.docx")).paragraphs)
    assert "新产品实现产值1669.8亿元" in text
    data = json.loads((out / "annual-2016.json").read_text("utf-8"))
    assert data["groups"]["equipment"]["value_added"]["share_pct"] == 24.9

    checked = runner.invoke(
        app,
        [
            "check",
            "--targets",
            "src/jingxin/demo/targets/huzhou-2016.toml",
            "--json",
            str(out / "annual-2016.json"),
        ],
    )
    assert checked.exit_code == 0 and "167/167 figures reproduced" in checked.output

    # Report again from the stored data: same JSON.
    again = runner.invoke(
        app,
        [
            "report",
            "annual",
            "--year",
            "2016",
            "--db",
            str(out / "demo.duckdb"),
            "--out",
            str(tmp_path / "again"),
        ],
    )
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "again" / "annual-2016.json").read_text("utf-8")) == data
    info = runner.invoke(app, ["info", "--db", str(out / "demo.duckdb")])
    assert info.exit_code == 0 and "2015、2016" in info.output


def test_check_reports_a_difference(tmp_path: Path) -> None:
    computed = {"meta": {"year": 2016}, "above_scale": {"value_added": {"value": 828.0}}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(computed), "utf-8")
    result = runner.invoke(
        app,
        ["check", "--targets", "src/jingxin/demo/targets/huzhou-2016.toml", "--json", str(path)],
    )
    assert result.exit_code == 1
    assert (
        "figures reproduced" in result.output and "above_scale.value_added.value" in result.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["demo", "--targets", "nope.toml"], "目标文件 nope.toml 不存在", id="missing-targets"
        ),
        pytest.param(
            ["report", "annual", "--year", "2016", "--db", "nope.duckdb"],
            "数据库 nope.duckdb 不存在",
            id="missing-db",
        ),
        pytest.param(["info", "--db", "nope.duckdb"], "不存在", id="info-missing-db"),
    ],
)
def test_errors_are_one_chinese_sentence(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_targets_file_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[meta]\ncity_code = "330500"\n', "utf-8")
    result = runner.invoke(app, ["demo", "--targets", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "meta.city_name" in result.output and "above_scale" in result.output


def test_compute_on_empty_store_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", "--year", "2016", "--db", str(tmp_path / "e.duckdb")])
    assert result.exit_code == 1
    assert "jingxin demo" in result.output
