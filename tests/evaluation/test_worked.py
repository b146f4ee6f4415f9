"""The worked example (tests/data/evaluation), computed by hand from the published formulas.

Hand computation (规上, fixed 亩均税收 benchmark 10 with cap 1.5 × 50 = 75; 单位排放增加值
benchmark = this year's graded mean (100+60+40+40+20+40)/6 = 50; 单位增加值能耗 is "lower
is better" against last year's mean (0.5+1.0+1.5+1.0)/4 = 1.0, score (2 − v/1) × 20):

    甲一 20→75 (capped) + 100/50×30=60 + (2−0.5)×20=30 = 165   rank 1 → A
    甲二 10→50          + 60→36          + 0.5→30          = 116   rank 2 → A (2/8 = 25 %,
                                                                    inclusive); 失信 → B
    甲三 5→25           + 40→24          + 1.0→20          = 69    rank 3 → B
    甲四 5→25           + 40→24          + 1.0→20          = 69    rank 3 (tie) → B
    甲五 5.8→29         + no emissions → cohort mean (60+36+24+24+12+24)/6 = 30
                                         + 1.5→10          = 69    rank 3 (tie; 5th by
                                                                    position) → B
    甲八 0→0            + 40→24          + 0.7→26          = 50    rank 6 → C (6/8 = 75 %,
                                                                    inclusive); 重大安全事故 → D
    甲七 1→5            + 20→12          + 1.0→20          = 37    rank 7 → D; D in 2015 → 2nd
                                                                    year: 0.30 元/kWh × 40
    甲六 1→5            + emissions 0 (zero denominator) → 30 + 2.5→−10 floored 0 = 35
                                                                    rank 8 → D; D in 2014 and
                                                                    2015 → 3rd year: 0.50 × 100
    乙一 utility (44), 乙二 founded 2015 (< 3 years): scored, not graded, managed as B.
    乙三 land 0: 亩均税收 missing under not_evaluable → not graded, no class.

规下 (land ≥ 5; 丙四 with 4 亩 is out of scope): 亩均税收 against the best (4), 单位电耗
税收 against 0.25; classes by score ≥ 100 / 50 / 30 (inclusive):

    丙一 4→50 + 0.4→80 = 130 → A;  丙二 2→25 + 0.125→25 = 50 → B;  丙三 1→12.5 + kWh 0 → 0
    = 12.5 → D (0.10 元/kWh × 0 万千瓦时 = 0).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.errors import DataError
from jingxin.evaluation import evaluate, load_method
from jingxin.store import Store
from tests.evaluation.helpers import DATA, WORKED_METHOD, expected, worked_store


def _num(s: str) -> float | None:
    return float(s) if s else None


def _check(rows: list[dict[str, object]]) -> None:
    want = expected()
    got = {str(r["name"]): r for r in rows}
    assert set(got) == set(want), "scope: 丙四 (4 亩) out, everyone else in"
    for name, w in want.items():
        r = got[name]
        assert r["total_score"] == pytest.approx(float(w["综合得分"]), abs=1e-6), name
        assert r["rank"] == (int(w["排名"]) if w["排名"] else None), name
        assert r["initial_class"] == (w["初评等级"] or None), name
        assert r["final_class"] == (w["最终等级"] or None), name
        assert r["consecutive_worst"] == int(w["连续D类年数"]), name
        assert r["surcharge_rate"] == pytest.approx(float(w["差别电价加价(元/千瓦时)"])), name
        assert (r["surcharge"] or 0) == pytest.approx(float(w["加价金额(万元)"])), name


@pytest.fixture(scope="module")
def worked() -> Store:
    return worked_store()


def test_worked_example_unit(worked: Store) -> None:
    ev = evaluate(worked.ibis, 2016, load_method(WORKED_METHOD))
    _check(ev.results.to_pylist())


def test_missing_and_zero_denominators_are_explained(worked: Store) -> None:
    ev = evaluate(worked.ibis, 2016, load_method(WORKED_METHOD))
    rows = {r["name"]: r for r in ev.results.to_pylist()}
    notes = {
        (rows_name, it["indicator"]): it["note"]
        for it in ev.items.to_pylist()
        for rows_name in [next(n for n, r in rows.items() if r["uscc"] == it["uscc"])]
    }
    assert notes[("规上甲五化工有限公司", "va_per_emission")] == "cohort_mean"  # not reported
    assert notes[("规上甲六印染有限公司", "va_per_emission")] == "cohort_mean"  # reported 0
    assert notes[("规下丙三木业有限公司", "tax_per_kwh")] == "zero"  # no electricity
    assert notes[("规上甲一机械有限公司", "va_per_emission")] is None
    assert rows["=规上乙三租赁有限公司"]["exempt_reason"] == "data_missing"
    assert rows["规上乙一热电有限公司"]["exempt_reason"] == "utility"
    assert rows["规上乙二新材料有限公司"]["exempt_reason"] == "startup"
    assert "平均得分30.00分" in rows["规上甲五化工有限公司"]["explanation"]
    assert "严重失信" in rows["规上甲二纺织有限公司"]["explanation"]
    assert "已连续3年为D类" in rows["规上甲六印染有限公司"]["explanation"]
    assert "计50.00万元" in rows["规上甲六印染有限公司"]["explanation"]


def test_prev_mean_without_last_year_is_a_clear_error(worked: Store) -> None:
    with pytest.raises(DataError, match="单位增加值能耗.*无法确定基准值"):
        evaluate(worked.ibis, 2015, load_method(WORKED_METHOD))


@pytest.mark.slow
def test_worked_example_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "worked.duckdb"
    worked_store(db).close()
    out = tmp_path / "out" / "评价-2016.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            "--year",
            "2016",
            "--method",
            str(WORKED_METHOD),
            "--out",
            str(out),
            "--db",
            str(db),
            "--actor",
            "tester",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "第 1 版" in result.output
    store = Store(db, read_only=True)
    try:
        rows = store.arrow("select * from evaluation_result where run_id = 1").to_pylist()
        run = store.arrow("select * from evaluation_run").to_pylist()[0]
    finally:
        store.close()
    _check(rows)
    method = load_method(WORKED_METHOD)
    assert run["method_sha256"] == method.sha256
    assert run["method_text"] == WORKED_METHOD.read_text(encoding="utf-8")
    assert run["status"] == "draft" and run["created_by"] == "tester"
    for suffix in (".xlsx", ".csv", ".json", ".docx"):
        assert out.with_suffix(suffix).is_file()
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "规上工业企业", "规下工业企业", "异议", "调档"]
    ws = wb["规上工业企业"]
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    assert head[:3] == ["序号", "统一社会信用代码", "企业名称"]
    names = [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)]
    assert "'=规上乙三租赁有限公司" in names  # formula injection neutralised
    final_col = head.index("最终等级") + 1
    row_d = names.index("规上甲六印染有限公司") + 2
    assert ws.cell(row=row_d, column=final_col).value == "D"
    assert ws.cell(row=row_d, column=final_col).fill.fgColor.rgb.endswith("FFC7CE")
    csv_text = out.with_suffix(".csv").read_text(encoding="utf-8-sig")
    assert "'=规上乙三租赁有限公司" in csv_text


def test_cli_bad_method_is_one_chinese_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (DATA / "worked.toml").read_text("utf-8").replace("weight = 50", "weight = -5", 1), "utf-8"
    )
    result = CliRunner().invoke(
        app,
        ["evaluate", "--year", "2016", "--method", str(bad), "--db", str(tmp_path / "x.duckdb")],
    )
    assert result.exit_code == 1
    # Rich wraps long lines at the terminal width: read the sentence without the breaks.
    text = result.output.replace("\n", "")
    assert "bad.toml" in text and "cohorts.0.indicators.0.weight" in text
    assert "Traceback" not in result.output
