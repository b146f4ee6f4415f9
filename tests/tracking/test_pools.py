"""Enterprise pools: counts across year boundaries, the rules' proposals on hand-made data
(just below and just above each threshold), confirmation and exit with audit, alerts, the
``pool`` ingest kind and the ``jingxin pools`` commands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.errors import InputError, NotFoundError
from jingxin.ingest import Reason
from jingxin.store import Scope, Store
from jingxin.tracking.pool_rules import (
    KeyEnergyUser,
    SmallToAbove,
    Zombie,
    alerts,
    confirm,
    exit_member,
    propose,
)
from jingxin.tracking.pools import pool_counts
from tests.tracking.helpers import CODES, errors, load, registered, run_import, write_csv

E0, E1, E2, E3, E4 = CODES


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = registered(tmp_path)
    yield s
    s.close()


def _member(pool: str, uscc: str, entered: date, **kw: Any) -> dict[str, Any]:
    return {"pool": pool, "uscc": uscc, "entered": entered, **kw}


# -- pool_counts ---------------------------------------------------------------------------------
def test_pool_counts_across_year_boundaries(store: Store) -> None:
    load(
        store,
        "pools",
        {
            "pool_member": [
                _member(
                    "small_to_above",
                    E0,
                    date(2015, 6, 1),
                    exited=date(2016, 6, 30),
                    exit_reason="graduated",
                ),
                _member("small_to_above", E1, date(2016, 12, 31)),
                _member(
                    "small_to_above",
                    E2,
                    date(2016, 1, 1),
                    exited=date(2016, 12, 31),
                    exit_reason="no_longer_eligible",
                ),
                _member("tech_centre", E3, date(2016, 3, 1), level="national"),
                _member(
                    "tech_centre",
                    E4,
                    date(2015, 12, 31),
                    level="provincial",
                    exited=date(2017, 1, 1),
                    exit_reason="revoked",
                ),
            ]
        },
    )
    y15, y16, y17 = (
        pool_counts(store, 2015, Scope.city()),
        pool_counts(store, 2016, Scope.city()),
        pool_counts(store, 2017, Scope.city()),
    )
    s15, s16, s17 = y15["small_to_above"], y16["small_to_above"], y17["small_to_above"]
    assert (s15["entered"], s15["active"], s15["ever"], s15["exited_by_reason"]) == (1, 1, 1, {})
    # Entered on 31 December counts in that year; exited on 31 December is no longer active.
    assert (s16["entered"], s16["active"], s16["ever"]) == (2, 1, 3)
    assert s16["exited_by_reason"] == {"graduated": 1, "no_longer_eligible": 1}
    assert (s17["entered"], s17["active"], s17["ever"], s17["exited_by_reason"]) == (0, 1, 3, {})
    t15, t16, t17 = y15["tech_centre"], y16["tech_centre"], y17["tech_centre"]
    assert t15["entered_by_level"] == {"provincial": 1}
    assert (t16["entered"], t16["entered_by_level"], t16["active"]) == (1, {"national": 1}, 2)
    assert (t17["active"], t17["ever"], t17["exited_by_reason"]) == (1, 2, {"revoked": 1})
    assert y16["zombie"] == {
        "entered": 0,
        "entered_by_level": {},
        "exited_by_reason": {},
        "active": 0,
        "ever": 0,
    }


# -- rules ---------------------------------------------------------------------------------------
def _small_to_above_data(store: Store) -> None:
    scale = [(E0, "below"), (E1, "below"), (E2, "below"), (E3, "above"), (E4, "below")]
    revenue = {  # 2016, 2015 (万元); the threshold is 2000, 70% of it 1400
        E0: (1400.0, 1300.0),  # exactly 70% and growing: proposed
        E1: (1399.9, 1000.0),  # just below 70%
        E2: (1900.0, 1950.0),  # near the threshold but shrinking
        E3: (2500.0, 1800.0),  # already above scale
        E4: (1500.0, None),  # no 2015 figure: growth unknown
    }
    annual = []
    for code, (now, before) in revenue.items():
        annual.append({"uscc": code, "year": 2016, "revenue": now})
        if before is not None:
            annual.append({"uscc": code, "year": 2015, "revenue": before})
    load(
        store,
        "small",
        {
            "enterprise_scale": [{"uscc": c, "year": 2016, "scale": s} for c, s in scale],
            "enterprise_annual": annual,
        },
    )


def test_small_to_above_proposals_at_the_thresholds(store: Store) -> None:
    _small_to_above_data(store)
    found = propose(store, "small_to_above", 2016, Scope.city())
    assert [p.uscc for p in found] == [E0]
    p = found[0]
    assert p.pool == "small_to_above" and p.year == 2016 and p.name
    assert "1,400.0 万元" in p.evidence and "70.0%" in p.evidence and "增长 7.7%" in p.evidence
    # A lower share (60%: 1200 万元) takes in the one just below 70% as well.
    assert [p.uscc for p in propose(store, SmallToAbove(share=0.6), 2016, Scope.city())] == sorted(
        [E0, E1]
    )
    # Nothing for a year without revenue figures.
    assert propose(store, "small_to_above", 2015, Scope.city()) == []


def _zombie_data(store: Store) -> None:
    profits = {  # December year-to-date profit, 2015 and 2016 (万元)
        E0: (-10.0, -5.0),
        E1: (-10.0, -5.0),
        E2: (3.0, -5.0),
        E3: (-1.0, -1.0),
    }
    power = {  # electricity, 2015 and 2016 (万千瓦时, summed over months)
        E0: (100.0, 9.9),  # below 10% of last year: a zombie
        E1: (100.0, 10.0),  # exactly 10%: not below
        E2: (100.0, 1.0),  # collapsed, but profitable in 2015
        E3: (None, 0.0),  # no 2015 use to compare with
    }
    facts, kwh = [], []
    for code, (p15, p16) in profits.items():
        facts.append({"uscc": code, "period": "2015-12", "profit": p15})
        facts.append({"uscc": code, "period": "2016-12", "profit": p16})
        facts.append({"uscc": code, "period": "2016-06", "profit": 99.0})  # not December
    for code, (k15, k16) in power.items():
        for year, total in ((2015, k15), (2016, k16)):
            if total is not None:
                kwh += [
                    {"uscc": code, "period": f"{year}-{m:02d}", "kwh": total / 4}
                    for m in (1, 4, 7, 10)
                ]
    load(store, "zombie", {"monthly_fact": facts, "electricity": kwh})


def test_zombie_proposals(store: Store) -> None:
    _zombie_data(store)
    found = propose(store, "zombie", 2016, Scope.city())
    assert [p.uscc for p in found] == [E0]
    assert "2015 年利润 -10.0 万元" in found[0].evidence and "9.9%" in found[0].evidence
    # One year of losses is enough when configured so: E2 joins.
    assert [p.uscc for p in propose(store, Zombie(loss_years=1), 2016, Scope.city())] == sorted(
        [E0, E2]
    )
    # A looser electricity share (10.5%) takes E1 too.
    assert [
        p.uscc for p in propose(store, Zombie(power_share=0.105), 2016, Scope.city())
    ] == sorted([E0, E1])
    # Three years of losses cannot be judged without 2014's December report.
    assert propose(store, Zombie(loss_years=3), 2016, Scope.city()) == []
    with pytest.raises(InputError):
        propose(store, Zombie(loss_years=0), 2016, Scope.city())


def _energy_data(store: Store, threshold: float | None, *, with_facts: bool = True) -> None:
    facts = [
        {"uscc": E0, "period": "2016-12", "energy": 3000.0},
        {"uscc": E1, "period": "2016-12", "energy": 2999.9},
        {"uscc": E2, "period": "2016-12", "energy": 6000.0},
        {"uscc": E3, "period": "2016-11", "energy": 9000.0},  # not the year's total
    ]
    tables: dict[str, list[dict[str, Any]]] = {"monthly_fact": facts} if with_facts else {}
    if threshold is not None:
        tables["target"] = [
            {
                "indicator": "key_energy_user_threshold_tce",
                "region_code": "330500",
                "year": 2016,
                "basis": "value",
                "value": threshold,
            }
        ]
    load(store, "energy", tables)


def test_key_energy_users_against_the_years_threshold(store: Store) -> None:
    _energy_data(store, 3000.0)
    assert KeyEnergyUser().threshold(store, 2016, Scope.city()) == 3000.0
    assert [p.uscc for p in propose(store, "key_energy_user", 2016, Scope.city())] == sorted(
        [E0, E2]
    )
    assert (
        "门槛 3,000.0 吨标准煤" in propose(store, "key_energy_user", 2016, Scope.city())[0].evidence
    )


def test_key_energy_users_default_threshold(store: Store) -> None:
    _energy_data(store, None)
    assert KeyEnergyUser().threshold(store, 2016, Scope.city()) == 5000.0
    assert [p.uscc for p in propose(store, "key_energy_user", 2016, Scope.city())] == [E2]


def test_unknown_rule(store: Store) -> None:
    with pytest.raises(NotFoundError, match="small_to_above"):
        propose(store, "golden", 2016, Scope.city())


# -- confirm, exit, alerts -----------------------------------------------------------------------
def test_confirm_stores_the_member_with_audit_and_provenance(store: Store) -> None:
    _small_to_above_data(store)
    confirm(store, "small_to_above", E0, date(2016, 12, 31), "analyst", "营业收入接近规上标准")
    rows = store.con.execute(
        "select pool, uscc, entered, level, reason, exited, source_file_id from pool_member"
    ).fetchall()
    assert rows[0][:6] == (
        "small_to_above",
        E0,
        date(2016, 12, 31),
        None,
        "营业收入接近规上标准",
        None,
    )
    kind, by = store.con.execute(
        "select kind, loaded_by from source_file where id = ?", [rows[0][6]]
    ).fetchall()[0]
    assert (kind, by) == ("pool_confirm", "analyst")
    audit = store.con.execute(
        "select actor, action, table_name, row_key::varchar from audit_log"
    ).fetchall()
    assert len(audit) == 1
    assert audit[0][0] == "analyst" and audit[0][1].startswith("confirm") and E0 in audit[0][3]
    # Confirmed: no longer proposed.
    assert propose(store, "small_to_above", 2016, Scope.city()) == []
    assert pool_counts(store, 2016, Scope.city())["small_to_above"]["active"] == 1


def test_confirm_refuses_what_does_not_fit(store: Store) -> None:
    confirm(store, "企业技术中心", E1, date(2016, 5, 1), "analyst", "认定", level="国家级")
    assert store.con.execute("select pool, level from pool_member").fetchall() == [
        ("tech_centre", "national")
    ]
    with pytest.raises(InputError, match="不能重复列入"):
        confirm(store, "tech_centre", E1, date(2016, 9, 1), "analyst", "认定", level="省级")
    with pytest.raises(InputError, match="企业名录"):
        confirm(store, "zombie", "91330502MA2B00000N", date(2016, 5, 1), "a", "连续亏损")
    with pytest.raises(InputError, match="级别"):
        confirm(store, "zombie", E2, date(2016, 5, 1), "a", "连续亏损", level="国家级")
    with pytest.raises(NotFoundError, match="未知的名单"):
        confirm(store, "no_such_pool", E2, date(2016, 5, 1), "a", "x")
    with pytest.raises(InputError, match="原因"):
        confirm(store, "zombie", E2, date(2016, 5, 1), "a", " ")
    assert store.con.execute("select count(*) from pool_member").fetchall() == [(1,)]


def test_exit_member_is_audited(store: Store) -> None:
    confirm(store, "zombie", E2, date(2015, 5, 1), "analyst", "连续亏损")
    with pytest.raises(InputError, match="早于"):
        exit_member(store, "zombie", E2, date(2015, 1, 1), "analyst", "已处置")
    exit_member(store, "zombie", E2, date(2016, 8, 1), "analyst", "已处置")
    assert store.con.execute("select exited, exit_reason from pool_member").fetchall() == [
        (date(2016, 8, 1), "disposed")
    ]
    action = store.con.execute(
        "select action from audit_log where action like 'correct%'"
    ).fetchall()
    assert action == [("correct: 退出名单 zombie（已处置）",)]
    assert pool_counts(store, 2016, Scope.city())["zombie"]["exited_by_reason"] == {"disposed": 1}
    with pytest.raises(InputError, match="不在名单"):
        exit_member(store, "zombie", E2, date(2016, 9, 1), "analyst", "已处置")
    # Re-entering after the exit is allowed.
    confirm(store, "zombie", E2, date(2016, 10, 1), "analyst", "再次符合")
    assert pool_counts(store, 2016, Scope.city())["zombie"]["active"] == 1


def test_alerts(store: Store) -> None:
    _small_to_above_data(store)
    _zombie_data(store)
    _energy_data(store, 3000.0, with_facts=False)
    for code, tce in ((E1, 2999.9), (E2, 6000.0)):  # on the zombie data's December rows
        store.con.execute(
            "update monthly_fact set energy = ? where uscc = ? and period = '2016-12'", [tce, code]
        )
    members = [
        _member("small_to_above", E0, date(2016, 1, 1)),  # still meets
        _member("small_to_above", E3, date(2015, 1, 1)),  # now above scale
        _member("small_to_above", E2, date(2015, 1, 1), exited=date(2016, 3, 1)),  # gone
        _member("zombie", E1, date(2015, 1, 1)),  # its power did not fall below 10%
        _member("zombie", E0, date(2015, 1, 1), exited=date(2016, 3, 1), exit_reason="disposed"),
        _member("key_energy_user", E1, date(2015, 1, 1)),  # 2999.9 < 3000
        _member("key_energy_user", E2, date(2015, 1, 1)),  # fine
    ]
    load(store, "members", {"pool_member": members})
    found = {(a.pool, a.uscc): a for a in alerts(store, 2016, Scope.city())}
    assert set(found) == {
        ("small_to_above", E3),
        ("zombie", E1),
        ("zombie", E0),
        ("key_energy_user", E1),
    }
    assert "规模以上" in found[("small_to_above", E3)].message
    assert "再次符合" in found[("zombie", E0)].message
    assert found[("zombie", E0)].exited == date(2016, 3, 1)
    assert "不再符合" in found[("key_energy_user", E1)].message
    # A former zombie that is back in the archive is not alerted as an exit.
    confirm(store, "zombie", E0, date(2016, 11, 1), "analyst", "再次符合")
    assert ("zombie", E0) not in {(a.pool, a.uscc) for a in alerts(store, 2016, Scope.city())}


# -- the ingest kind ------------------------------------------------------------------------------
HEADER = [
    "名单",
    "统一社会信用代码",
    "企业名称",
    "列入日期",
    "级别",
    "列入原因",
    "退出日期",
    "退出原因",
]


def test_pool_file_loads_and_updates(store: Store, tmp_path: Path) -> None:
    rows = [
        ["“小升规”培育企业", E0, "", "2016-03-01", "", "营业收入接近规上标准", "", ""],
        ["tech_centre", E1, "", "2016年5月8日", "省级", "认定", "", ""],
        ["“僵尸企业”档案", E2, "", "2015-04-01", "", "连续亏损", "2016-09-30", "已处置"],
        ["zombie", E3, "", "2015-04-01", "", "连续亏损", "2016-10-30", "兼并重组"],
    ]
    report = run_import(store, "pool", write_csv(tmp_path / "名单.csv", HEADER, rows))
    assert report.status == "loaded", errors(report)
    assert report.issues == [] and report.rows == {"pool_member": 4}
    stored = store.con.execute(
        "select pool, uscc, level, exit_reason from pool_member order by pool, uscc"
    ).fetchall()
    assert stored == [
        ("small_to_above", E0, None, None),
        ("tech_centre", E1, "provincial", None),
        ("zombie", E2, None, "disposed"),
        ("zombie", E3, None, "兼并重组"),  # another reason is kept as written
    ]
    # The list sent again with an exit: the member is updated, the change audited.
    rows[0][6:8] = ["2016-12-20", "已升规"]
    report = run_import(store, "pool", write_csv(tmp_path / "名单-2.csv", HEADER, rows))
    assert report.status == "loaded", errors(report)
    assert store.con.execute(
        "select exited, exit_reason from pool_member where uscc = ?", [E0]
    ).fetchall() == [(date(2016, 12, 20), "graduated")]
    assert store.con.execute(
        "select count(*) from audit_log where table_name = 'pool_member'"
    ).fetchall() == [(1,)]
    assert store.con.execute("select count(*) from pool_member").fetchall() == [(4,)]


def test_bad_pool_rows_are_rejected(store: Store, tmp_path: Path) -> None:
    rows = [
        ["金鸡企业", E0, "", "2016-03-01", "", "", "", ""],  # no such pool
        ["zombie", E1, "", "2016-03-01", "国家级", "", "", ""],  # zombies have no level
        ["zombie", E2, "", "2016-03-01", "", "", "2016-02-01", "已处置"],  # exits before entry
        ["zombie", E3, "", "2016-03-01", "", "", "", "已处置"],  # a reason without a date
        ["zombie", "91330502MA2B00000N", "", "2016-03-01", "", "", "", ""],  # not registered
        ["zombie", "91330502MA2B00000X", "", "2016-03-01", "", "", "", ""],  # bad check digit
        ["zombie", E4, "", "", "", "", "", ""],  # no entry date
        ["golden_bull", E4, "", "2016-03-01", "", "", "", ""],
        ["“金牛”企业", E4, "", "2016-03-01", "", "", "", ""],  # the same, twice
    ]
    report = run_import(store, "pool", write_csv(tmp_path / "名单.csv", HEADER, rows))
    assert report.status == "rejected"
    assert sorted((i.row or 0, i.reason.value) for i in report.issues) == [
        (2, Reason.TYPE.value),
        (3, Reason.TYPE.value),
        (4, Reason.CROSS_FIELD.value),
        (5, Reason.CROSS_FIELD.value),
        (6, Reason.UNKNOWN_ENTERPRISE.value),
        (7, Reason.USCC.value),
        (8, Reason.REQUIRED.value),
        (10, Reason.DUPLICATE.value),
    ], errors(report)
    assert store.con.execute("select count(*) from pool_member").fetchall() == [(0,)]


# -- CLI -----------------------------------------------------------------------------------------
def test_pools_commands(store: Store, tmp_path: Path) -> None:
    _small_to_above_data(store)
    store.close()
    db = str(tmp_path / "t.duckdb")
    runner = CliRunner()
    out = runner.invoke(
        app, ["pools", "propose", "--rule", "small_to_above", "--year", "2016", "--db", db]
    )
    assert out.exit_code == 0, out.output
    assert E0 in out.output and "提出 1 家" in out.output
    out = runner.invoke(
        app,
        [
            "pools",
            "confirm",
            "--pool",
            "small_to_above",
            "--uscc",
            E0,
            "--entered",
            "2016-12-31",
            "--reason",
            "营业收入接近规上标准",
            "--actor",
            "analyst",
            "--db",
            db,
        ],
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(
        app, ["pools", "propose", "--rule", "small_to_above", "--year", "2016", "--db", db]
    )
    assert "提出 0 家" in out.output
    out = runner.invoke(
        app,
        [
            "pools",
            "exit",
            "--pool",
            "small_to_above",
            "--uscc",
            E0,
            "--exited",
            "2016-13-01",
            "--reason",
            "已升规",
            "--db",
            db,
        ],
    )
    assert out.exit_code == 1 and "日期" in out.output
    out = runner.invoke(
        app,
        ["pools", "propose", "--rule", "zombie", "--share", "0.5", "--year", "2016", "--db", db],
    )
    assert out.exit_code == 1 and "--share" in out.output
    out = runner.invoke(app, ["pools", "alerts", "--year", "2016", "--db", db])
    assert out.exit_code == 0, out.output
    assert "共 0 条" in out.output
