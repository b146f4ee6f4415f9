"""The demo city's evaluation inputs, and its 2016 evaluation with the workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jingxin.demo.evaluation import generate_evaluation_inputs, load_evaluation_inputs
from jingxin.demo.targets import Targets
from jingxin.evaluation import aggregate, evaluate, load_method
from jingxin.reports.evaluation import RunMeta, write_outputs
from jingxin.store import Store, table_sha256
from tests.conftest import build_demo_store


@pytest.mark.slow
def test_demo_evaluates_2016_and_writes_the_workbook(
    tmp_path: Path, huzhou_targets: Targets
) -> None:
    store: Store = build_demo_store(tmp_path / "demo.duckdb", huzhou_targets)
    first = generate_evaluation_inputs(store, 2016, 7)
    assert table_sha256(first) == table_sha256(generate_evaluation_inputs(store, 2016, 7))
    load_evaluation_inputs(store, 2016, 7)
    # Tax records add up to the statistics form's year-to-date taxes, month by month.
    gap = (
        store.arrow(
            "select max(abs(t.amount - m.taxes)) as gap from (select uscc, sum(amount) as amount "
            "from tax_paid where period <= '2016-06' and period like '2016-%' group by uscc) t "
            "join monthly_fact m on m.uscc = t.uscc and m.period = '2016-06'"
        )
        .column("gap")[0]
        .as_py()
    )
    assert gap < 1e-6
    # Parcels add up to the register's land; small firms' compiled taxes to their records.
    land_gap = (
        store.arrow(
            "select max(abs(p.mu - e.land_mu)) as gap from (select uscc, sum(area_mu) as mu "
            "from land_parcel where year = 2016 group by uscc) p join enterprise e using (uscc)"
        )
        .column("gap")[0]
        .as_py()
    )
    assert land_gap < 1e-6
    small_gap = (
        store.arrow(
            "select max(abs(a.taxes - t.amount)) as gap from enterprise_annual a join "
            "(select uscc, sum(amount) as amount from tax_paid where period like '2016-%' "
            "group by uscc) t using (uscc) where a.year = 2016 and a.revenue is not null"
        )
        .column("gap")[0]
        .as_py()
    )
    assert small_gap < 1e-6
    method = load_method("default")
    ev = evaluate(store.ibis, 2016, method)
    n_above = (
        store.arrow(
            "select count(*) as n from enterprise_scale where year = 2016 and scale = 'above'"
        )
        .column("n")[0]
        .as_py()
    )
    cohorts = ev.results.column("cohort").to_pylist()
    assert cohorts.count("above") == n_above  # every above-scale firm of the year
    graded = [
        c
        for c, r in zip(ev.results.column("initial_class").to_pylist(), cohorts, strict=True)
        if r == "above" and c
    ]
    assert abs(graded.count("A") / len(graded) - 0.20) < 0.005
    agg = aggregate(store.ibis, ev.results, method.method, 2016)
    meta = RunMeta(2016, None, None, "草稿", method.method.name, method.sha256, ev.inputs_sha256)
    files = write_outputs(
        tmp_path / "out" / "评价-2016.xlsx", ev.results, ev.items, method.method, meta, agg
    )
    wb = load_workbook(files.xlsx, read_only=True)
    assert wb.sheetnames == [
        "汇总",
        "规上工业企业",
        "规下工业企业（用地5亩及以上）",
        "异议",
        "调档",
    ]
    assert wb["规上工业企业"].max_row == n_above + 1
    assert files.docx.stat().st_size > 10_000
    store.close()
