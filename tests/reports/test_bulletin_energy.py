"""The bulletin's energy section (六、节能降耗与用能权), on the demo's records: each sentence
says what the records say, month by month, and a county's bulletin keeps to the county."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from jingxin.reports.bulletin import write_bulletin
from jingxin.store import Scope, Store

CITY = Scope.city()


def _energy(store: Store, period: str, folder: Path, scope: Scope = CITY) -> tuple[str, dict]:
    files = write_bulletin(store, period, folder, scope)
    md = files.markdown.read_text("utf-8")
    return md[md.index("六、节能降耗与用能权") :], json.loads(files.json.read_text("utf-8"))[
        "energy"
    ]


def test_capacity_is_the_ledgers_count(demo_store: Store, tmp_path: Path) -> None:
    text, e = _energy(demo_store, "2016-12", tmp_path)
    got = demo_store.arrow(
        "select kind, count(*) as n, sum(energy_freed) as tce from capacity_case "
        "where closed_on <= DATE '2016-12-31' group by kind order by kind"
    ).to_pylist()
    backward, workshops = got
    assert f"淘汰落后产能企业{backward['n']}家" in text
    assert f"腾出用能{round(backward['tce']):,}吨标准煤".replace(",", "") in text.replace(",", "")
    assert f"整治“低小散”企业（作坊）{workshops['n']}家" in text
    assert e["capacity"]["backward_capacity_enterprises"] == backward["n"]
    # the year's ledger, as the bureau's summary gives it: 133 enterprises, 2,618 workshops
    assert (backward["n"], workshops["n"]) == (133, 2618)
    assert "用能权：2016年确权" in text and e["resumption"] is None


def test_the_months_of_the_festival_and_the_restriction(demo_store: Store, tmp_path: Path) -> None:
    feb, e = _energy(demo_store, "2016-02", tmp_path / "feb")
    assert "截至2月29日（春节后第21天）" in feb
    assert e["resumption"]["work_pct"] > 90 and 80 < e["resumption"]["production_pct"] < 110
    sep, e = _energy(demo_store, "2016-09", tmp_path / "sep")
    assert "G20峰会期间停限产企业792家" in sep and e["restriction"]["output_lost"] > 0
    assert e["makeup"] is None
    octo, e = _energy(demo_store, "2016-10", tmp_path / "oct")
    assert "据10月11日用电测算，792家停限产企业中91家" in octo
    assert e["makeup"]["as_of"] == str(date(2016, 10, 11))
    jun, e = _energy(demo_store, "2016-06", tmp_path / "jun")
    assert e["resumption"] is None and e["restriction"] is None and e["makeup"] is None


def test_a_countys_bulletin_keeps_to_the_county(demo_store: Store, tmp_path: Path) -> None:
    county = "330522"
    text, e = _energy(demo_store, "2016-12", tmp_path, Scope.of(county))
    n = demo_store.arrow(
        "select count(*) as n from capacity_case where kind = 'backward' and region_code = ?",
        [county],
    )["n"][0].as_py()
    assert f"淘汰落后产能企业{n}家" in text and n < 133
    assert e["rights"] is None and "用能权：" not in text  # the journal is the city's
