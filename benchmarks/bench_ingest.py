"""Ingest throughput: one month of 规上 statistics for N enterprises, from CSV and from .xlsx.

    python benchmarks/bench_ingest.py [--n 50000]

Prints rows per second for each format, beside the floor: DuckDB's own CSV reader loading
the same file into a table with no validation (what the validation and provenance cost).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from jingxin import uscc
from jingxin.demo.files import headers
from jingxin.ingest import import_file
from jingxin.ingest.kinds import REGISTER, STATS_MONTHLY
from jingxin.reference.vocabulary import ENTERPRISE_SCALE
from jingxin.store import Store
from jingxin.store.schema import FACT_MEASURES

COUNTIES = ("330502", "330503", "330521", "330522", "330523")


def make_files(n: int, base: Path) -> tuple[Path, Path, Path]:
    rng = random.Random(50_000)
    codes = sorted({uscc.make(rng.choice(COUNTIES), rng) for _ in range(n)})
    register = base / "register.csv"
    with register.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(headers(REGISTER, "uscc", "name", "region", "industry", "year", "scale"))
        above = ENTERPRISE_SCALE["above"]
        for i, c in enumerate(codes):
            w.writerow([c, f"示例企业{i:06d}有限公司", rng.choice(COUNTIES), "1713", 2016, above])
    # The platform's export: 单位详细名称 is an alias of the form's 企业名称.
    header = headers(STATS_MONTHLY, "uscc")
    header += [STATS_MONTHLY.column("name").aliases[0], *headers(STATS_MONTHLY, "year", "month")]
    for m in FACT_MEASURES:
        header += [STATS_MONTHLY.column(m).header(), STATS_MONTHLY.column(f"{m}_prior").header()]
    rows = []
    for i, c in enumerate(codes):
        go = rng.lognormvariate(9, 1.2)
        line: list[object] = [c, f"示例企业{i:06d}有限公司", 2016, 6]
        for m in FACT_MEASURES:
            v = go * (0.2 if m == "value_added" else 0.5 if m != "gross_output" else 1.0)
            line += [round(v, 1), round(v * 0.93, 1)]
        rows.append(line)
    stats_csv = base / "stats.csv"
    with stats_csv.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("月报")
    ws.append(header)
    for r in rows:
        ws.append(r)
    stats_xlsx = base / "stats.xlsx"
    wb.save(stats_xlsx)
    return register, stats_csv, stats_xlsx


def timed_import(base: Path, register: Path, data: Path, n: int) -> tuple[float, int]:
    db = base / f"{data.suffix[1:]}.duckdb"
    store = Store(db)
    try:
        r = import_file(store, "register", register)
        assert r.ok, r.summary()
        t0 = time.perf_counter()
        r = import_file(store, "stats_monthly", data, period="2016-06")
        dt = time.perf_counter() - t0
        assert r.ok, r.summary() + " " + "; ".join(i.text() for i in r.issues[:3])
        return dt, r.rows["monthly_fact"]
    finally:
        store.close()


def floor(data: Path) -> float:
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"create table t as select * from read_csv('{data}', all_varchar=true)")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50_000)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        register, stats_csv, stats_xlsx = make_files(n, base)
        print(f"生成 {n:,} 家企业的文件：{time.perf_counter() - t0:.1f} s")
        results = []
        for data in (stats_csv, stats_xlsx):
            dt, rows = timed_import(base, register, data, n)
            results.append((data.suffix, dt, rows))
        base_dt = floor(stats_csv)
        print(f"{'格式':<8}{'行数':>10}{'秒':>10}{'行/秒':>12}{'对底线倍数':>12}")
        for suffix, dt, rows in results:
            print(f"{suffix:<8}{rows:>10,}{dt:>10.2f}{rows / dt:>12,.0f}{dt / base_dt:>12.1f}")
        print(
            f"{'floor':<8}{n:>10,}{base_dt:>10.2f}{n / base_dt:>12,.0f}{1.0:>12.1f}"
            "  (DuckDB read_csv, no validation)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"峰值内存 {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
