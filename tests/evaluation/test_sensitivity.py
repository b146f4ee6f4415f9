"""Sensitivity check on the worked example."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingxin.errors import InputError
from jingxin.evaluation import Bounds, load_method, sensitivity
from jingxin.evaluation.sensitivity import perturb
from tests.evaluation.helpers import WORKED_METHOD, worked_store


@pytest.mark.slow
def test_no_perturbation_changes_nothing() -> None:
    store = worked_store()
    report = sensitivity(store.ibis, 2016, load_method(WORKED_METHOD), Bounds(0, 0), runs=2)
    assert report.graded == 11  # 8 规上 + 3 规下
    assert all(s.changed == 0 for s in report.scenarios) and report.unstable == []


@pytest.mark.slow
def test_large_perturbations_move_the_tie_and_are_listed(tmp_path: Path) -> None:
    store = worked_store()
    report = sensitivity(store.ibis, 2016, load_method(WORKED_METHOD), Bounds(0.5, 0), runs=1)
    # 甲三/甲四/甲五 tie at 69 on different items: any weight change breaks the tie.
    assert report.unstable and set(report.unstable) <= set(report.base)
    labels = [s.label for s in report.scenarios]
    assert "规上工业企业·亩均税收 权重上调50%" in labels
    out = report.write_csv(tmp_path / "s.csv")
    assert "统一社会信用代码" in out.read_text("utf-8-sig")


def test_perturb_and_bounds() -> None:
    m = load_method(WORKED_METHOD).method
    p = perturb(m, weight={("above", "tax_per_mu"): 2.0}, benchmark={("below", "tax_per_kwh"): 0.5})
    assert p.cohorts[0].indicators[0].weight == 100
    assert p.cohorts[1].indicators[1].benchmark.value == pytest.approx(0.125)
    with pytest.raises(InputError, match="扰动幅度"):
        Bounds(1.5, 0)
