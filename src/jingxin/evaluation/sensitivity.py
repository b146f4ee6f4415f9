"""Sensitivity check before publishing: how many enterprises change class when weights and
benchmarks move within bounds (the composite-indicator handbook's robustness test).

Two kinds of scenario, each compared with the unperturbed initial classes (vetoes and
re-grades do not depend on weights, so they are left out):

* one at a time: each indicator's weight, then its benchmark, up and down by the bound;
* random: every weight and benchmark drawn uniformly within the bounds at once (seeded).

A benchmark is moved through its value (``fixed``) or its multiplier ``k`` (the others).
The inputs are read once and re-scored for every scenario.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis

from jingxin.errors import InputError
from jingxin.evaluation.engine import _prior_inputs, score_inputs
from jingxin.evaluation.inputs import build_inputs
from jingxin.evaluation.method import Cohort, Indicator, LoadedMethod, Method

__all__ = ["Bounds", "Scenario", "SensitivityReport", "perturb", "sensitivity"]


@dataclass(frozen=True)
class Bounds:
    """Relative bounds: 0.1 moves a weight or benchmark by up to ±10 %."""

    weights: float = 0.1
    benchmarks: float = 0.1

    def __post_init__(self) -> None:
        for name, v in (("权重", self.weights), ("基准值", self.benchmarks)):
            if not 0 <= v < 1:
                raise InputError(f"{name}扰动幅度应在 0 到 1 之间（不含 1），实际为 {v!r}。")


@dataclass(frozen=True)
class Scenario:
    """One perturbation and the enterprises whose class changed under it."""

    label: str
    changed: int
    usccs: tuple[str, ...]


@dataclass
class SensitivityReport:
    """Scenarios, and per enterprise the classes it took across them."""

    year: int
    graded: int
    scenarios: list[Scenario]
    base: dict[str, str]
    names: dict[str, str]
    seen: dict[str, set[str]] = field(default_factory=dict)

    @property
    def unstable(self) -> list[str]:
        """Enterprises whose class changed in at least one scenario, sorted."""
        return sorted(u for u, s in self.seen.items() if s - {self.base[u]})

    def write_csv(self, path: Path) -> Path:
        """The unstable enterprises: code, name, base class, classes seen, times changed."""
        times: dict[str, int] = defaultdict(int)
        for s in self.scenarios:
            for u in s.usccs:
                times[u] += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(["统一社会信用代码", "企业名称", "初评等级", "扰动后出现的等级", "变化次数"])
            for u in self.unstable:
                name = self.names[u]
                name = "'" + name if name.startswith(("=", "+", "-", "@")) else name
                w.writerow([u, name, self.base[u], "、".join(sorted(self.seen[u])), times[u]])
        return path


def perturb(
    m: Method,
    weight: dict[tuple[str, str], float] | None = None,
    benchmark: dict[tuple[str, str], float] | None = None,
) -> Method:
    """A copy of ``m`` with weights and benchmarks multiplied by factors per (cohort, key)."""
    weight, benchmark = weight or {}, benchmark or {}

    def ind(c: Cohort, i: Indicator) -> Indicator:
        key = (c.key, i.key)
        b = i.benchmark
        f = benchmark.get(key, 1.0)
        if b.mode == "fixed" and b.value is not None:
            b = b.model_copy(update={"value": b.value * f})
        else:
            b = b.model_copy(update={"k": b.k * f})
        return i.model_copy(update={"weight": i.weight * weight.get(key, 1.0), "benchmark": b})

    cohorts = [
        c.model_copy(update={"indicators": [ind(c, i) for i in c.indicators]}) for c in m.cohorts
    ]
    return m.model_copy(update={"cohorts": cohorts})


def sensitivity(
    con: Any,
    year: int,
    method: LoadedMethod,
    bounds: Bounds,
    *,
    runs: int = 20,
    seed: int = 1,
    one_at_a_time: bool = True,
) -> SensitivityReport:
    """Run the scenarios and count class changes against the unperturbed evaluation."""
    m = method.method
    inputs = ibis.memtable(build_inputs(con, year, m.inputs).to_pyarrow())
    prior_expr = _prior_inputs(con, year, m)
    prior = ibis.memtable(prior_expr.to_pyarrow()) if prior_expr is not None else None

    def classes(mm: Method) -> dict[str, str]:
        lm = LoadedMethod(mm, method.text, method.source)
        ev = score_inputs(con, year, lm, inputs, prior, explain_results=False)
        cols = ev.results.select(["uscc", "initial_class"]).to_pydict()
        return {u: c for u, c in zip(cols["uscc"], cols["initial_class"], strict=True) if c}

    base = classes(m)
    names_t = inputs.select("uscc", "name").to_pyarrow().to_pydict()
    names = dict(zip(names_t["uscc"], names_t["name"], strict=True))
    report = SensitivityReport(year, len(base), [], base, names, {u: {c} for u, c in base.items()})

    def record(label: str, mm: Method) -> None:
        got = classes(mm)
        changed = tuple(sorted(u for u, c in base.items() if got.get(u, c) != c))
        for u in changed:
            report.seen[u].add(got[u])
        report.scenarios.append(Scenario(label, len(changed), changed))

    keys = [(c, i) for c in m.cohorts for i in c.indicators]
    if one_at_a_time:
        for c, i in keys:
            for sign, word in ((1, "上调"), (-1, "下调")):
                if bounds.weights:
                    f = 1 + sign * bounds.weights
                    record(
                        f"{c.name}·{i.name} 权重{word}{bounds.weights:.0%}",
                        perturb(m, weight={(c.key, i.key): f}),
                    )
                if bounds.benchmarks:
                    f = 1 + sign * bounds.benchmarks
                    record(
                        f"{c.name}·{i.name} 基准值{word}{bounds.benchmarks:.0%}",
                        perturb(m, benchmark={(c.key, i.key): f}),
                    )
    rng = random.Random(seed)
    for n in range(runs):
        w = {(c.key, i.key): 1 + rng.uniform(-bounds.weights, bounds.weights) for c, i in keys}
        b = {
            (c.key, i.key): 1 + rng.uniform(-bounds.benchmarks, bounds.benchmarks) for c, i in keys
        }
        record(f"随机扰动 {n + 1}", perturb(m, weight=w, benchmark=b))
    return report
