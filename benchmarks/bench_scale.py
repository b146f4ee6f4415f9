"""Scale benchmark (issue #6): the cube at city, province and country size, beside baselines.

    python benchmarks/bench_scale.py                          # city and province
    python benchmarks/bench_scale.py --sizes city,province,country
    python benchmarks/bench_scale.py --country --spark        # add the cube on Spark (local)

For each size, in one process and from the same Parquet files (``scale_data.py``):

* (a) the platform's computation layer: ``build_cube`` on a DuckDB store holding the
  tables, the full year (the latest of the three), executed to Arrow;
* rebuild: ``compute_cube``, that is (a) and then replacing the year's rows of the store's
  ``cube`` table;
* incremental: the store first lacks the year's December; after loading it,
  ``refresh_month(store, "YYYY-12")`` (computing and writing), against the rebuild;
* (b) pandas: the same indicators written with groupby/merge (``pandas_cube.py``; it covers
  the statistics measures only, so it does less than the cube), on DataFrames already in
  memory; a sample of its cells is checked against the cube;
* (c) the floor: one DuckDB aggregate reading the year's fact columns once, joined to the
  register for the county, with no indicator logic;
* optionally the same ``build_cube`` on Spark in local mode, reading the Parquet files.

Peak memory is the process's peak resident set (VmHWM) during each step, reset before it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from pandas_cube import check, pandas_cube
from scale_data import SIZES, TABLES, YEARS, ensure

from jingxin.indicators import build_cube, compute_cube, read_cube, refresh_month
from jingxin.indicators.cube import CUBE_INPUTS
from jingxin.reference.groups import load_groups
from jingxin.store import FACT_MEASURES, Store
from jingxin.store.engines import connect_parquet

YEAR = YEARS[-1]
LAST = f"{YEAR}-12"
MONTHLY = ("monthly_fact", "electricity", "price_index", "peer_figure")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak RSS MiB during the call, result)."""
    _reset_peak()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, _peak_mib(), out


def load_store(folder: Path, path: Path, *, without: str | None = None) -> Store:
    """A store file with every table of ``folder``; rows of period ``without`` left out.

    A bulk load with DuckDB's Parquet reader under one provenance row (``Store.load`` would
    hash every row first; the cube does not read provenance).
    """
    store = Store(path)
    con = store.con
    con.execute(
        "insert into source_file (id, kind, name, sha256, rows, loaded_at, loaded_by) "
        "values (1, 'bench', 'scale', 'x', 0, now(), 'bench')"
    )
    for t in TABLES:
        file = str(folder / f"{t}.parquet")
        if t == "region":
            con.execute(
                f"insert into region select * from read_parquet('{file}') "  # noqa: S608
                "where code not in (select code from region)"
            )
            continue
        cols = ", ".join(pq.read_schema(file).names)
        where = f"where period <> '{without}'" if without and t in MONTHLY else ""
        con.execute(
            f"insert into {t} ({cols}, source_file_id, source_row) "  # noqa: S608
            f"select {cols}, 1, 0 from read_parquet('{file}') {where}"
        )
    con.execute("checkpoint")
    return store


def add_month(store: Store, folder: Path, period: str) -> None:
    """Load one month's rows (facts, electricity, PPI, peers) into the store."""
    for t in MONTHLY:
        file = str(folder / f"{t}.parquet")
        cols = ", ".join(pq.read_schema(file).names)
        store.con.execute(
            f"insert into {t} ({cols}, source_file_id, source_row) "  # noqa: S608
            f"select {cols}, 1, 0 from read_parquet('{file}') where period = '{period}'"
        )


def floor_query(store: Store) -> Any:
    sums = ", ".join(f"sum({m}), sum({m}_prior)" for m in FACT_MEASURES)
    return store.con.execute(
        f"select e.region_code, f.period, {sums} from monthly_fact f "  # noqa: S608
        f"join enterprise e using (uscc) where f.period like '{YEAR}-%' group by all"
    ).fetchall()


def run_size(name: str, runs: int, spark: bool, tmp: Path) -> dict[str, Any]:
    folder = ensure(name)
    groups = load_groups()
    r: dict[str, Any] = {"size": name}
    store = load_store(folder, tmp / f"{name}.duckdb", without=LAST)
    r["enterprises"] = store.con.execute(
        f"select count(*) from enterprise_scale where year = {YEAR} and scale = 'above'"  # noqa: S608
    ).fetchall()[0][0]
    compute_cube(store, YEAR)  # the cube as it stood before December
    add_month(store, folder, LAST)
    r["fact_rows"] = store.con.execute(
        f"select count(*) from monthly_fact where period like '{YEAR}-%'"  # noqa: S608
    ).fetchall()[0][0]
    r["refresh_s"], r["refresh_mib"], _ = timed(lambda: refresh_month(store, LAST))
    after_refresh = read_cube(store, YEAR)
    best: tuple[float, float, Any] | None = None
    for _ in range(runs):
        t = timed(lambda: build_cube(store.ibis, YEAR, groups).to_pyarrow())
        best = t if best is None or t[0] < best[0] else best
    assert best is not None
    r["cube_s"], r["cube_mib"], cube = best
    r["cube_rows"] = cube.num_rows
    r["full_s"] = timed(lambda: compute_cube(store, YEAR))[0]
    assert read_cube(store, YEAR).equals(after_refresh) or _close(
        read_cube(store, YEAR), after_refresh
    )
    r["floor_s"] = min(timed(lambda: floor_query(store))[0] for _ in range(runs))
    store.close()

    frames = {t: pq.read_table(folder / f"{t}.parquet").to_pandas() for t in TABLES}
    best = None
    for _ in range(max(1, runs - 1)):
        t = timed(lambda: pandas_cube(frames, YEAR, groups))
        best = t if best is None or t[0] < best[0] else best
    assert best is not None
    r["pandas_s"], r["pandas_mib"], pdf = best
    r["checked"] = check(pdf, cube.to_pandas())

    if spark:
        paths = {t: folder / f"{t}.parquet" for t in CUBE_INPUTS}
        con = connect_parquet("spark", dict(paths))
        build_cube(con, YEAR, groups, [1]).to_pyarrow()  # warm the JVM
        r["spark_s"], _, _ = timed(lambda: build_cube(con, YEAR, groups).to_pyarrow())
    return r


def _close(a: Any, b: Any) -> bool:
    """The same cells: keys, counts and amounts (relative 1e-9).

    DuckDB does not fix the order of float additions, so sums differ in the last bits
    between two runs; percentages derived from a difference of nearly equal sums (a 贡献率
    when the total did not move) amplify that without bound, so only their inputs are
    compared here; the tests compare every cell of smaller cubes.
    """
    cols = ["period", "region_code", "group_key", "measure", "n_enterprises", "value", "prior"]
    pa_ = a.to_pandas()[cols].sort_values(cols[:4]).reset_index(drop=True)
    pb = b.to_pandas()[cols].sort_values(cols[:4]).reset_index(drop=True)
    pd.testing.assert_frame_equal(pa_, pb, check_exact=False, rtol=1e-9)
    return True


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'size':<9}{'enterpr.':>9}{'fact rows':>11}{'cube rows':>10}{'(a) cube':>10}"
        f"{'(b) pandas':>11}{'(c) floor':>10}{'a/b':>7}{'a/c':>7}{'rebuild':>9}{'month':>8}{'m/rebuild':>10}"
        f"{'RSS a':>9}{'RSS b':>9}"
    )
    if any("spark_s" in r for r in rows):
        head += f"{'spark':>9}"
    print(head)
    for r in rows:
        line = (
            f"{r['size']:<9}{r['enterprises']:>9,}{r['fact_rows']:>11,}{r['cube_rows']:>10,}"
            f"{r['cube_s']:>9.2f}s{r['pandas_s']:>10.2f}s{r['floor_s']:>9.2f}s"
            f"{r['cube_s'] / r['pandas_s']:>7.2f}{r['cube_s'] / r['floor_s']:>7.1f}"
            f"{r['full_s']:>8.2f}s{r['refresh_s']:>7.2f}s{r['refresh_s'] / r['full_s']:>10.0%}"
            f"{r['cube_mib']:>6.0f}MiB{r['pandas_mib']:>6.0f}MiB"
        )
        if "spark_s" in r:
            line += f"{r['spark_s']:>8.1f}s"
        print(line)
    print(
        "(a) build_cube on the DuckDB store to Arrow, full year; rebuild = compute_cube (a, "
        "then Store.replace of the year's rows); (b) pandas groupby/merge, same indicators "
        "(statistics measures only), checked on "
        f"{rows[0]['checked']:,} cells per size; (c) one aggregate over the same columns; month = "
        "refresh_month after loading December; RSS = peak resident memory during the step."
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--sizes", default="city,province", help="comma-separated: city,province,country"
    )
    p.add_argument("--country", action="store_true", help="add the country size")
    p.add_argument("--runs", type=int, default=2, help="best of N runs (country: 1)")
    p.add_argument("--spark", action="store_true", help="also time build_cube on Spark local")
    args = p.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    if args.country and "country" not in sizes:
        sizes.append("country")
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        p.error(f"unknown size {unknown!r}; choose from {sorted(SIZES)}")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for s in sizes:
            runs = 1 if s == "country" else args.runs
            rows.append(run_size(s, runs, args.spark, Path(d)))
            print(f"  done: {s}", flush=True)
    print_table(rows)


if __name__ == "__main__":
    main()
