"""Resumption rates from daily meter readings at a province's size.

    python benchmarks/bench_grid.py                       # 400,000 meters
    python benchmarks/bench_grid.py --meters 50000        # a quicker look

Builds a store (cached under ``benchmarks/.data/grid/``) of 350,000 enterprises in five
counties and 30 industry divisions with ``--meters`` meters (one or two an enterprise),
December's daily readings (the baseline) and a quarter's (January to March): 91 days,
about 36 million readings at 400,000 meters. Then times, by county × division:

* one day of readings turned into 复工率 and 复产率 (``energy.resumption``), and
* the whole quarter, day by day;

each against the floor: one hand-written DuckDB query that computes the same cells from
the same tables (read once, same output rows). Best of ``--repeat`` runs (the first reads
the file from disk; later ones find it in DuckDB's buffer). Prints seconds and the ratio.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from jingxin.energy.resumption import resumption
from jingxin.store import Scope, Store

DATA = Path(__file__).parent / ".data" / "grid"
COUNTIES = ("330502", "330503", "330521", "330522", "330523")
DIVISIONS = [f"{d:02d}" for d in range(13, 43)]

FLOOR = """
with ent as (
  select g.account, g.uscc, e.region_code, substr(e.industry_code, 1, 2) as division
  from grid_account g join enterprise e using (uscc)
), base as (
  select ent.uscc, sum(m.kwh) / 31 as baseline
  from meter_daily m join ent using (account)
  where m.day between DATE '2015-12-01' and DATE '2015-12-31'
  group by 1 having sum(m.kwh) > 0
), firm as (
  select distinct uscc, region_code, division from ent
), den as (
  select region_code, division, count(*) as n, sum(baseline) as b
  from base join firm using (uscc) group by 1, 2
), days as (
  select ent.uscc, m.day, sum(m.kwh) as kwh from meter_daily m join ent using (account)
  where m.day between ? and ? group by 1, 2
)
select d.day, f.region_code, f.division,
       sum(case when d.kwh > 0.3 * b.baseline then 1 else 0 end) * 100.0 / any_value(den.n),
       sum(d.kwh) * 100.0 / any_value(den.b)
from days d join base b using (uscc) join firm f using (uscc)
join den on den.region_code = f.region_code and den.division = f.division
group by 1, 2, 3
"""


def build(path: Path, meters: int) -> None:
    firms = int(meters * 0.875)
    store = Store(path)
    con = store.con
    con.execute(
        "insert into source_file (id, kind, name, sha256, period, rows, loaded_at, loaded_by,"
        " status) values (1, 'bench', 'bench', 'bench', null, 0, now(), 'bench', 'active')"
    )
    con.execute(
        f"""insert into enterprise (uscc, name, region_code, industry_code, industry_edition,
            flags, source_file_id, source_row)
        select printf('91330500%010d', i), '企业' || i,
               list_extract({list(COUNTIES)}, ((i // 7) % 5) + 1),
               list_extract({DIVISIONS}, (i % 30) + 1) || '11', 'GB/T 4754-2017', [], 1, i
        from range({firms}) t(i)"""
    )
    con.execute(
        f"""insert into grid_account (account, account_name, uscc, source_file_id, source_row)
        select printf('33%09d', i), '户' || i, printf('91330500%010d', i % {firms}), 1, i
        from range({meters}) t(i)"""
    )
    for first, last in (("2015-12-01", "2015-12-31"), ("2016-01-01", "2016-03-31")):
        con.execute(
            f"""insert into meter_daily (account, day, kwh, source_file_id, source_row)
            select printf('33%09d', i), d::date,
                   (0.1 + (hash(i) % 1000) / 1000.0)
                   * (case when d between DATE '2016-02-04' and DATE '2016-02-13'
                           then (hash(i, d) % 100) / 100.0 else 1 end),
                   1, 0
            from range({meters}) t(i),
                 range(DATE '{first}', DATE '{last}' + 1, INTERVAL 1 DAY) s(d)"""
        )
    store.close()


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meters", type=int, default=400_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"grid-{args.meters}.duckdb"
    if not path.exists():
        t, _ = timed(lambda: build(path, args.meters))
        print(f"built {path.name} in {t:.1f} s")
    store = Store(path, read_only=True)
    n = store.arrow("select count(*) as n from meter_daily")["n"][0].as_py()
    print(f"{args.meters:,} meters, {n:,} readings; 2 cores; best of {args.repeat}")
    print(f"{'step':<28}{'jingxin s':>11}{'floor s':>10}{'ratio':>8}{'cells':>9}")
    cases = (
        ("one day (15 Feb)", date(2016, 2, 15), date(2016, 2, 15)),
        ("a quarter (Jan-Mar)", date(2016, 1, 1), date(2016, 3, 31)),
    )
    for label, first, last in cases:
        ours = min(
            timed(
                lambda first=first, last=last: resumption(
                    store, Scope.city(), first, last, by="county_division"
                )
            )
            for _ in range(args.repeat)
        )
        floor = min(
            timed(lambda first=first, last=last: store.arrow(FLOOR, [first, last]))
            for _ in range(args.repeat)
        )
        cells = sum(1 for r in ours[1].rows if r["level"] != "all")
        assert cells == floor[1].num_rows, (cells, floor[1].num_rows)
        print(f"{label:<28}{ours[0]:>11.2f}{floor[0]:>10.2f}{ours[0] / floor[0]:>8.2f}{cells:>9,}")
    store.close()


if __name__ == "__main__":
    main()
