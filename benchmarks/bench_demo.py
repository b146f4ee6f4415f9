"""Benchmark: `jingxin demo` end to end, step by step, against a baseline in the same run.

Usage: .venv/bin/python benchmarks/bench_demo.py [--runs N]

Prints the wall time of each step (generate, load, compute two years, write reports) and
of the whole demo, the best of N runs, and peak memory (RSS). The baseline is one DuckDB
aggregate over the same monthly facts with no indicator logic (the floor any cube needs to
read its input), run on the same store, so the ratio says what the computation layer costs.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from jingxin.demo.generator import generate
from jingxin.demo.targets import load_targets
from jingxin.indicators import compute_cube
from jingxin.reports import write_annual
from jingxin.store import Scope, Store


def one_run(tmp: Path) -> dict[str, float]:
    t = {}
    start = time.perf_counter()
    targets = load_targets()
    city = generate(targets, 2016)
    t["generate"] = time.perf_counter() - start
    s = time.perf_counter()
    store = Store(tmp / "bench.duckdb")
    store.load("demo", "bench", city.tables)
    t["load"] = time.perf_counter() - s
    s = time.perf_counter()
    compute_cube(store, 2015)
    compute_cube(store, 2016)
    t["compute (2 years)"] = time.perf_counter() - s
    s = time.perf_counter()
    store.con.execute(
        """select substr(period, 1, 4), e.region_code, period,
                  sum(value_added), sum(value_added_prior), sum(gross_output), sum(gross_output_prior),
                  sum(new_product_output), sum(new_product_output_prior), sum(profit), sum(taxes)
           from monthly_fact f join enterprise e using (uscc) group by all"""
    ).fetchall()
    t["baseline: one aggregate"] = time.perf_counter() - s
    s = time.perf_counter()
    write_annual(store, 2016, tmp / "out", Scope.city())
    t["reports"] = time.perf_counter() - s
    t["demo total"] = time.perf_counter() - start - t["baseline: one aggregate"]
    store.close()
    return t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as d:
            runs.append(one_run(Path(d)))
    best = {k: min(r[k] for r in runs) for k in runs[0]}
    print(f"best of {args.runs} runs (seconds)")
    for k, v in best.items():
        print(f"  {k:<26}{v:8.2f}")
    ratio = best["compute (2 years)"] / 2 / best["baseline: one aggregate"]
    print(f"  cube of one year / baseline aggregate: {ratio:.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
