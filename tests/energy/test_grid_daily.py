"""The economy read from daily electricity, against calculations made by hand.

Four enterprises in two counties, five meters (one the crosswalk does not know); every
expected figure below is worked out in the comments from the readings, not by the code.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.energy.restriction import makeup_candidates, restriction_effect
from jingxin.energy.resumption import resumption
from jingxin.errors import InputError
from jingxin.store import Scope, Store
from tests.factories import COUNTIES, Dataset, table

A, B = COUNTIES[0], COUNTIES[1]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _store(
    readings: list[tuple[str, date, float]],
    pool: list[tuple[int, date, date]] = (),
    path: Path | None = None,
):
    d = Dataset()
    firms = [d.firm(1, A, "1711"), d.firm(2, A, "3011"), d.firm(3, B, "2614"), d.firm(4, B, "3130")]
    for code, go, kwh in ((firms[0], 700.0, 70.0), (firms[1], 1400.0, 140.0)):
        d.fact(code, "2016-07", gross_output=go)
        d.kwh(code, "2016-07", kwh)  # the year's electricity to July: one month's row
    if path is None:
        store = d.store()
    else:  # a file, for the command line
        store = Store(path)
        store.load("test", "hand-made", {n: table(n, r) for n, r in d.rows.items() if r})
    accounts = {"m1a": firms[0], "m1b": firms[0], "m2": firms[1], "m3": firms[2], "m4": firms[3]}
    tables = {
        "grid_account": pa.table(
            {
                "account": list(accounts),
                "account_name": [f"户{a}" for a in accounts],
                "uscc": list(accounts.values()),
                "source_row": list(range(2, 7)),
            }
        ),
        "meter_daily": pa.table(
            {
                "account": [r[0] for r in readings],
                "day": pa.array([r[1] for r in readings], pa.date32()),
                "kwh": [float(r[2]) for r in readings],
                "source_row": list(range(2, len(readings) + 2)),
            }
        ),
    }
    if pool:
        tables["pool_member"] = pa.table(
            {
                "pool": ["g20_restricted"] * len(pool),
                "uscc": [firms[i - 1] for i, _, _ in pool],
                "entered": pa.array([p[1] for p in pool], pa.date32()),
                "exited": pa.array([p[2] for p in pool], pa.date32()),
                "source_row": list(range(2, len(pool) + 2)),
            }
        )
    store.load("test", "grid", tables)
    return store, firms


DEC = _days(date(2015, 12, 1), date(2015, 12, 31))


def _festival_readings() -> list[tuple[str, date, float]]:
    r: list[tuple[str, date, float]] = []
    r += [("m1a", d, 10.0) for d in DEC]
    r += [("m1b", d, 5.0) for d in DEC[:10]]  # the second meter read on 10 days only
    r += [("m2", d, 20.0) for d in DEC]
    r += [("m3", d, 8.0) for d in DEC]
    r += [("ghost", d, 99.0) for d in DEC]  # no enterprise known: never counted
    f15, f16 = date(2016, 2, 15), date(2016, 2, 16)
    r += [("m1a", f15, 3.0), ("m1b", f15, 1.0), ("m2", f15, 5.0), ("m4", f15, 100.0)]
    r += [("m1a", f16, 12.0), ("m2", f16, 7.0), ("m3", f16, 2.5), ("ghost", f16, 1.0)]
    return r


def test_resumption_by_hand() -> None:
    store, _ = _store(_festival_readings())
    got = resumption(store, Scope.city(), date(2016, 2, 15), date(2016, 2, 16))
    # Baselines (December, days with readings): firm 1 = (10 days × 15 + 21 days × 10) / 31
    # = 360/31; firm 2 = 20; firm 3 = 8; firm 4 has none and is in neither count.
    b1 = 360 / 31
    city = {r["day"]: r for r in got.city()}
    assert got.baseline_month == "2015-12" and got.enterprises == 3
    # 15 Feb: firm 1 uses 4 > 0.3 × 11.61 = 3.48 (resumed); firm 2 5 < 6; firm 3 no reading.
    d15 = city[date(2016, 2, 15)]
    assert (d15["enterprises"], d15["resumed"]) == (3, 1)
    assert d15["work_pct"] == pytest.approx(100 / 3)
    assert d15["production_pct"] == pytest.approx(100 * (4 + 5) / (b1 + 20 + 8))
    # 16 Feb: 12 > 3.48, 7 > 6, 2.5 > 2.4: all three.
    d16 = city[date(2016, 2, 16)]
    assert d16["resumed"] == 3 and d16["work_pct"] == pytest.approx(100.0)
    assert d16["production_pct"] == pytest.approx(100 * (12 + 7 + 2.5) / (b1 + 28))
    county = {(r["day"], r["region_code"]): r for r in got.rows if r["level"] == "region_code"}
    assert county[(date(2016, 2, 15), A)]["resumed"] == 1
    assert county[(date(2016, 2, 15), A)]["enterprises"] == 2
    assert (date(2016, 2, 15), B) not in county  # nobody in B read that day (firm 4: no base)
    assert county[(date(2016, 2, 16), B)]["production_pct"] == pytest.approx(100 * 2.5 / 8)


def test_resumption_threshold_division_and_scope() -> None:
    store, _ = _store(_festival_readings())
    half = resumption(store, Scope.city(), date(2016, 2, 16), date(2016, 2, 16), threshold=0.5)
    # at 50 %: firm 1 12 > 5.81, firm 2 7 < 10, firm 3 2.5 < 4
    assert half.city()[0]["resumed"] == 1
    div = resumption(store, Scope.city(), date(2016, 2, 16), date(2016, 2, 16), by="division")
    names = {r["division"]: r["division_name"] for r in div.rows if r["level"] == "division"}
    assert names == {"17": "纺织业", "30": "非金属矿物制品业", "26": "化学原料和化学制品制造业"}
    own = resumption(store, Scope.of(B), date(2016, 2, 15), date(2016, 2, 16))
    assert own.enterprises == 1  # county B sees firm 3 only (and not the unknown meter)
    assert [r["resumed"] for r in own.city()] == [1]
    assert {r["region_code"] for r in own.rows} == {None, B}
    with pytest.raises(InputError):
        resumption(store, Scope.city(), date(2016, 2, 16), date(2016, 2, 15))


def _restriction_readings() -> list[tuple[str, date, float]]:
    window = _days(date(2016, 8, 24), date(2016, 9, 6))
    before = _days(date(2016, 7, 25), date(2016, 8, 23))
    after = _days(date(2016, 9, 7), date(2016, 10, 31))
    peak = set(_days(date(2016, 8, 1), date(2016, 8, 7)))
    r: list[tuple[str, date, float]] = []
    r += [("m1a", d, 10.0) for d in before] + [("m1a", d, 4.0) for d in window]
    r += [("m1a", d, 10.0) for d in after]
    r += [("m2", d, 30.0 if d in peak else 20.0) for d in before]
    r += [("m2", d, 0.0) for d in window] + [("m2", d, 14.0) for d in after]
    r += [("m3", d, 8.0) for d in before + window + after]  # not on the list
    return r


def test_restriction_effect_by_hand() -> None:
    pool = [(1, date(2016, 8, 24), date(2016, 9, 6)), (2, date(2016, 8, 24), date(2016, 9, 6))]
    store, firms = _store(_restriction_readings(), pool)
    eff = restriction_effect(store, Scope.city())
    rows = {r["uscc"]: r for r in eff.rows}
    assert set(rows) == {firms[0], firms[1]}
    # firm 1: baseline 10 (30 days before 24 Aug), 14 days at 4: lost 14 × 6 = 84 万千瓦时;
    # output per electricity 700 / 70 = 10 万元 → 840 万元.
    assert rows[firms[0]]["baseline_kwh"] == pytest.approx(10)
    assert rows[firms[0]]["kwh_lost"] == pytest.approx(84)
    assert rows[firms[0]]["output_lost"] == pytest.approx(840)
    assert rows[firms[0]]["cut_pct"] == pytest.approx(60)
    # firm 2: baseline (7 × 30 + 23 × 20) / 30 = 670/30; stopped 14 days: lost 14 × 670/30.
    b2 = 670 / 30
    assert rows[firms[1]]["kwh_lost"] == pytest.approx(14 * b2)
    assert rows[firms[1]]["output_lost"] == pytest.approx(140 * b2)
    assert eff.rows[0]["uscc"] == firms[1]  # largest output lost first
    assert eff.output_lost == pytest.approx(840 + 140 * b2)
    assert restriction_effect(store, Scope.of(B)).rows == []  # none of B's on the list


def test_makeup_candidates_by_hand() -> None:
    pool = [(1, date(2016, 8, 24), date(2016, 9, 6)), (2, date(2016, 8, 24), date(2016, 9, 6))]
    store, firms = _store(_restriction_readings(), pool)
    got = makeup_candidates(store, Scope.city(), as_of=date(2016, 10, 31))
    rows = {r["uscc"]: r for r in got.rows}
    # firm 2: peak = the week 1–7 Aug at 30; now 14 a day: spare 16 (53 %), 160 万元 a day.
    assert rows[firms[1]]["peak_kwh"] == pytest.approx(30)
    assert rows[firms[1]]["spare_kwh"] == pytest.approx(16)
    assert rows[firms[1]]["spare_pct"] == pytest.approx(160 / 3)
    assert rows[firms[1]]["output_per_day"] == pytest.approx(160)
    # firm 1: back at its peak of 10: no room.
    assert rows[firms[0]]["spare_kwh"] == pytest.approx(0)
    assert [r["uscc"] for r in got.candidates] == [firms[1]]
    assert got.candidates[0]["rank"] == 1
    # a stricter rule leaves nobody; the default as_of is the last day with readings
    assert makeup_candidates(store, Scope.city(), min_spare_pct=60).candidates == []
    # the default day: five weeks after the window (6 Sep + 35 days), readings reaching it
    assert makeup_candidates(store, Scope.city()).as_of == date(2016, 10, 11)


def test_unknown_list_and_empty_list() -> None:
    store, _ = _store(_festival_readings())
    with pytest.raises(InputError, match="没有名单"):
        restriction_effect(store, Scope.city(), "g20")
    assert restriction_effect(store, Scope.city()).rows == []
    assert makeup_candidates(store, Scope.city()).rows == []


def test_command_line(tmp_path: Path) -> None:
    pool = [(2, date(2016, 8, 24), date(2016, 9, 6))]
    store, firms = _store(_restriction_readings() + _festival_readings(), pool, tmp_path / "g.db")
    store.close()
    db = ["--db", str(tmp_path / "g.db")]
    run = CliRunner().invoke
    r = run(app, ["energy", "resumption", "--from", "2016-02-15", "--to", "2016-02-16", *db])
    assert r.exit_code == 0, r.output
    assert "复工率" in r.output and "全市" in r.output
    r = run(app, ["energy", "resumption", "--from", "2016-02-16", "--to", "2016-02-16",
                  "--json", *db])  # fmt: skip
    assert json.loads(r.output)["rows"][0]["resumed"] == 3
    r = run(app, ["energy", "makeup", "--as-of", "2016-10-31", "--json", *db])
    got = json.loads(r.output)["candidates"]
    assert [(c["uscc"], c["rank"]) for c in got] == [(firms[1], 1)]
    r = run(app, ["energy", "restriction", *db])
    assert r.exit_code == 0 and "名单 1 家" in r.output
    r = run(app, ["energy", "restriction", "--pool", "nope", *db])
    assert r.exit_code != 0 and "没有名单" in r.output
