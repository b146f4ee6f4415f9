"""The monthly bulletin's figures against independent calculations on the stored records."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from jingxin.errors import InputError
from jingxin.reports.bulletin import write_bulletin
from jingxin.store import Scope, Store
from jingxin.tracking.bulletin import bulletin_data

PERIODS = ("2016-06", "2016-12")
CITY = Scope.city()


def _by_county(store: Store, sql: str, params: list[object]) -> dict[str, float]:
    return {r[0]: float(r[1]) for r in store.con.execute(sql, params).fetchall()}


@pytest.mark.parametrize("period", PERIODS)
def test_industry_matches_the_records(demo_store: Store, period: str) -> None:
    b = bulletin_data(demo_store, period, CITY)
    va = _by_county(
        demo_store,
        """select e.region_code, sum(f.value_added) from monthly_fact f
           join enterprise e using (uscc)
           join enterprise_scale s on s.uscc = f.uscc and s.year = 2016 and s.scale = 'above'
           where f.period = ? group by 1""",
        [period],
    )
    kwh = _by_county(
        demo_store,
        """select e.region_code, sum(x.kwh) from electricity x join enterprise e using (uscc)
           where x.period between '2016-01' and ? group by 1""",
        [period],
    )
    rows = {r["region_code"]: r for r in b.industry}
    city = b.industry[0]
    assert city["region_code"] == "330500"
    assert set(rows) - {"330500"} == set(va)
    for code, value in va.items():
        assert rows[code]["value_added"] == pytest.approx(value * 1e-4, rel=1e-9)
        assert rows[code]["electricity"] == pytest.approx(kwh[code] * 1e-4, rel=1e-9)
        assert rows[code]["share_pct"] == pytest.approx(value / sum(va.values()) * 100)
    assert city["value_added"] == pytest.approx(sum(va.values()) * 1e-4, rel=1e-9)
    # Ranks among counties by growth: 1 is the fastest.
    counties = b.industry[1:]
    by_growth = sorted(counties, key=lambda r: -r["value_added_growth_pct"])
    assert [r["value_added_rank"] for r in by_growth] == list(range(1, len(counties) + 1))


@pytest.mark.parametrize("period", PERIODS)
def test_investment_against_targets_and_time(demo_store: Store, period: str) -> None:
    b = bulletin_data(demo_store, period, CITY)
    month = int(period[5:])
    assert b.time_pct == pytest.approx(month / 12 * 100)
    rows = b.investment["investment_industrial"]
    values = _by_county(
        demo_store,
        "select region_code, value from reported_value where indicator = ? and period = ?",
        ["investment_industrial", period],
    )
    targets = _by_county(
        demo_store,
        "select region_code, value from target where indicator = ? and year = 2016",
        ["investment_industrial"],
    )
    for r in rows[1:]:
        code = r["region_code"]
        assert r["value"] == pytest.approx(values[code] * 1e-4)
        done = values[code] / targets[code] * 100
        assert r["completion_pct"] == pytest.approx(done)
        assert r["gap_pp"] == pytest.approx(done - month / 12 * 100)
        assert r["behind"] is (done < month / 12 * 100)
    assert rows[0]["value"] == pytest.approx(sum(values.values()) * 1e-4)
    behind = {r["region_name"] for r in rows[1:] if r["behind"]}
    assert behind <= set(b.behind)


@pytest.mark.parametrize("period", PERIODS)
def test_projects_match_the_ledger(demo_store: Store, period: str) -> None:
    b = bulletin_data(demo_store, period, CITY)
    latest = demo_store.con.execute(
        """select p.region_code, sum(g.ytd_invested), count(distinct p.project_id)
           from project p join project_plan pl on pl.project_id = p.project_id and pl.year = 2016
           left join (select * from project_progress where period between '2016-01' and ?
                      qualify row_number() over (partition by project_id order by period desc) = 1)
                g on g.project_id = p.project_id
           group by 1""",
        [period],
    ).fetchall()
    plans = _by_county(
        demo_store,
        """select p.region_code, sum(pl.annual_plan) from project p
           join project_plan pl on pl.project_id = p.project_id and pl.year = 2016 group by 1""",
        [],
    )
    rows = {r["region_code"]: r for r in b.projects}
    for code, invested, n in latest:
        assert rows[code]["projects"] == n
        assert rows[code]["invested"] == pytest.approx((invested or 0) * 1e-4)
        assert rows[code]["annual_plan"] == pytest.approx(plans[code] * 1e-4)
    started = demo_store.con.execute(
        """select count(*) from (select project_id, min(actual_start) s from project_progress
           where period <= ? and actual_start is not null group by 1)
           join project_plan using (project_id) where year(s) = 2016 and year = 2016""",
        [period],
    ).fetchall()[0][0]
    assert b.projects[0]["started"] == started


def test_pool_changes_in_the_month(demo_store: Store) -> None:
    b = bulletin_data(demo_store, "2016-08", CITY)
    g20 = next(p for p in b.pools if p["pool"] == "g20_restricted")
    expected = demo_store.con.execute(
        "select count(*) from pool_member where pool = 'g20_restricted' "
        "and entered between '2016-08-01' and '2016-08-31'"
    ).fetchall()[0][0]
    assert g20["entered"] == expected > 0
    sept = bulletin_data(demo_store, "2016-09", CITY)
    assert next(p for p in sept.pools if p["pool"] == "g20_restricted")["exited"] == expected


def test_files_word_and_excel(demo_store: Store, tmp_path: Path) -> None:
    files = write_bulletin(demo_store, "2016-06", tmp_path, CITY)
    b = bulletin_data(demo_store, "2016-06", CITY)
    doc = DocxDocument(str(files.docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "1-6月工业经济运行" in text
    assert "时间进度50.0%" in text
    wb = load_workbook(files.xlsx)
    assert wb.sheetnames[:2] == ["工业经济", "工业投资"]
    ws = wb["工业经济"]
    assert ws["A2"].value == "地区" and ws["B2"].value == "规上工业增加值"
    assert ws["A4"].value == "湖州市"
    assert ws["B4"].value == pytest.approx(b.industry[0]["value_added"])
    assert ws.freeze_panes == "B4"
    inv = wb["工业投资"]
    flags = [inv.cell(row=r, column=8).value for r in range(4, 4 + 6)]
    assert flags == [
        "滞后" if r["behind"] else "正常" for r in b.investment["investment_industrial"]
    ]


@pytest.mark.parametrize("bad", ["2016-13", "2016/06", "201606", "abcd-ef"])
def test_bad_period_is_refused(demo_store: Store, bad: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM"):
        bulletin_data(demo_store, bad, CITY)
