"""Synthetic data at the scale of a city, a province and the country, as Parquet (issue #6).

    python benchmarks/scale_data.py --sizes city,province,country

Each size is a set of Parquet files, one per store table, shaped like the statistics
bureau's monthly returns over three years (``YEARS``):

* ``enterprise``: the register. Counties weighted by a heavy-tailed draw; 4-digit GB/T 4754
  classes (小类) of mining, manufacturing and utilities, Zipf-weighted; product flags for the
  flag-defined groups (战略性新兴, 高新技术, 高端装备).
* ``enterprise_scale``: ``above`` for every year an enterprise is active, ``below`` for a few
  (whose forms are in the facts anyway, as happens), entrants and exits every year.
* ``monthly_fact``: year-to-date (1–M月累计) values with the same enterprise's prior-year
  values (``*_prior``), lognormal firm sizes (a few giants, many small firms), a monthly
  shape (Spring Festival dip, year-end push), some enterprises closing mid-year, a few
  missing (NULL) cells, negative profits. Rows come month by month, as they are loaded.
* ``electricity``: single-month 万千瓦时 of every active user, a few months missing.
* ``price_index``: year-to-date PPI by division and month.
* ``peer_figure``: published figures of the province and of Zhejiang cities not computed.
* ``reported_value``: counties' year-to-date counts of provincial new-product filings.
* ``region``: the GB/T 2260 table of the store (Zhejiang, from ``jingxin.reference``); the
  country size adds 30 synthetic provinces of 10 cities × 8 counties with GB/T 2260-style codes.

Sizes: ``tiny`` (300 enterprises, for the tests); ``city`` ≈ 5,000 enterprises in 湖州市's five counties; ``province`` ≈ 50,000 in
Zhejiang's 90 counties; ``country`` ≈ 400,000 in about 2,500 counties; ``province-city``
≈ 50,000 in 湖州市's five counties (``bench_web.py``: the web platform serves one city). Everything is drawn
with NumPy from one seed per size, so the same size gives the same files; they are cached
under ``benchmarks/.data/<size>/`` (gitignored) and rebuilt when the generator version changes.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from jingxin.reference import industries, regions
from jingxin.reference.tables import INDUSTRY_EDITION
from jingxin.store.schema import FACT_MEASURES

__all__ = ["SIZES", "TABLES", "YEARS", "Size", "ensure", "generate"]

VERSION = 3  # bump when the generated data changes, to rebuild caches
YEARS = (2014, 2015, 2016)
DATA_DIR = Path(__file__).parent / ".data"
TABLES = (
    "region",
    "enterprise",
    "enterprise_scale",
    "monthly_fact",
    "electricity",
    "price_index",
    "peer_figure",
    "reported_value",
    "capacity_case",
)
PROVINCE = "330000"
HUZHOU = "330500"
# Monthly shape of single-month output: Spring Festival dip, year-end push.
MONTH_WEIGHTS = np.array([0.80, 0.62, 1.00, 1.00, 1.03, 1.07, 1.00, 0.98, 1.05, 1.04, 1.10, 1.31])
FLAGS = {"strategic_emerging": 0.15, "high_tech": 0.12, "high_end_equipment": 0.05}
# Other provinces of the synthetic country: GB/T 2260 province prefixes.
OTHER_PROVINCES = (
    "11 12 13 14 15 21 22 23 31 32 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"
).split()


@dataclass(frozen=True)
class Size:
    """A data set size: how many enterprises (active in the last year), where, and its seed."""

    name: str
    enterprises: int
    scope: str  # "city" (Huzhou), "province" (Zhejiang) or "country"
    seed: int


SIZES = {
    "tiny": Size("tiny", 300, "city", 6_000),  # the tests' size (Spark parity, refresh)
    "city": Size("city", 5_000, "city", 6_001),
    "province": Size("province", 50_000, "province", 6_002),
    "country": Size("country", 400_000, "country", 6_003),
    # A province's count in one city's counties: the web platform serves one city.
    "province-city": Size("province-city", 50_000, "city", 6_004),
}


def _region_table(scope: str) -> pa.Table:
    rows = [(r.code, r.name, r.level, r.parent) for r in regions().values()]
    if scope == "country":
        for p in OTHER_PROVINCES:
            rows.append((f"{p}0000", f"模拟省{p}", "省", None))
            for c in range(1, 11):
                city = f"{p}{c:02d}00"
                rows.append((city, f"模拟市{city}", "地级市", f"{p}0000"))
                rows += [
                    (f"{p}{c:02d}{k:02d}", f"模拟县{p}{c:02d}{k:02d}", "县", city)
                    for k in range(1, 9)
                ]
    code, name, level, parent = zip(*rows, strict=True)
    return pa.table({"code": code, "name": name, "level": level, "parent": parent})


def _counties(region: pa.Table, scope: str) -> list[str]:
    parent = dict(zip(region["code"].to_pylist(), region["parent"].to_pylist(), strict=True))
    level = dict(zip(region["code"].to_pylist(), region["level"].to_pylist(), strict=True))
    out = []
    for code, lv in level.items():
        if lv in ("省", "地级市"):
            continue
        if scope == "city" and parent[code] != HUZHOU:
            continue
        out.append(code)
    return sorted(out)


def _industry_codes() -> list[str]:
    """4-digit classes of mining (06–12), manufacturing (13–43) and utilities (44–46)."""
    return sorted(k for k, v in industries().items() if v.level == "小类" and 6 <= int(k[:2]) <= 46)


def _list_array(rows: list[list[str]]) -> pa.Array:
    return pa.array(rows, pa.list_(pa.string()))


def generate(size: Size) -> dict[str, pa.Table]:
    """Draw the tables of one size (Arrow, store column types)."""
    rng = np.random.default_rng(size.seed)
    region = _region_table(size.scope)
    counties = np.array(_counties(region, size.scope))
    codes = np.array(_industry_codes())
    # Entrants and exits: ~8% of each year's enterprises are new, ~6% leave.
    total = int(size.enterprises * 1.22)
    entry = rng.choice(
        np.array([YEARS[0] - 1, YEARS[1], YEARS[2]]), size=total, p=[0.84, 0.08, 0.08]
    )
    exit_ = np.where(
        rng.random(total) < 0.06, YEARS[1], np.where(rng.random(total) < 0.06, YEARS[2], 9999)
    )
    exit_ = np.maximum(exit_, entry + 1)
    county_w = rng.lognormal(0, 0.8, len(counties))
    county = rng.choice(counties, size=total, p=county_w / county_w.sum())
    code_w = 1.0 / np.arange(1, len(codes) + 1) ** 0.9
    industry = rng.permutation(codes)[rng.choice(len(codes), size=total, p=code_w / code_w.sum())]
    seq = pa.array(np.arange(total), pa.int64()).cast(pa.string())
    uscc = pc.binary_join_element_wise("91", pa.array(county), pc.utf8_lpad(seq, 9, "0"), "X", "")
    flag_draw = {f: rng.random(total) < p for f, p in FLAGS.items()}
    flags = [[f for f in FLAGS if flag_draw[f][i]] for i in range(total)]
    enterprise = pa.table(
        {
            "uscc": uscc,
            "name": pc.binary_join_element_wise("示例企业", seq, "有限公司", ""),
            "region_code": pa.array(county),
            "platform": pa.nulls(total, pa.string()),
            "industry_code": pa.array(industry),
            "industry_edition": pa.array([INDUSTRY_EDITION] * total),
            "founded": pa.nulls(total, pa.date32()),
            "land_mu": rng.lognormal(3.5, 1.0, total).round(1),
            "flags": _list_array(flags),
        }
    )
    # Annual gross output in 万元: lognormal, a heavy right tail (a few giants).
    level = {YEARS[0] - 1: rng.lognormal(8.6, 1.3, total)}
    for y in YEARS:
        level[y] = level[y - 1] * (1 + rng.normal(0.06, 0.15, total)).clip(0.3, 3.0)
    ratios = {
        "sales_output": rng.uniform(0.93, 1.0, total),
        "export_delivery": np.where(rng.random(total) < 0.55, 0.0, rng.beta(2, 3, total)),
        "new_product_output": np.where(rng.random(total) < 0.4, 0.0, rng.uniform(0.1, 0.6, total)),
        "value_added": rng.uniform(0.18, 0.32, total),
        "revenue": rng.uniform(0.95, 1.1, total),
        "profit": rng.normal(0.06, 0.05, total),
        "taxes": rng.uniform(0.02, 0.05, total),
        "energy": rng.lognormal(-2.5, 0.8, total),  # 吨标准煤 per 万元
    }
    productivity = rng.lognormal(3.8, 0.5, total)  # 万元 of output per person and year
    kwh_intensity = rng.lognormal(-3.0, 0.8, total)  # 万千瓦时 per 万元
    facts, scale, power = [], [], []
    for y in YEARS:
        active = np.flatnonzero((entry <= y) & (exit_ > y))
        n = len(active)
        below = rng.random(n) < 0.03
        scale.append(
            pa.table(
                {
                    "uscc": uscc.take(pa.array(active)),
                    "year": pa.array(np.full(n, y, np.int32)),
                    "scale": pa.array(np.where(below, "below", "above")),
                }
            )
        )
        # Some close mid-year: no returns after their last month.
        last = np.where(rng.random(n) < 0.02, rng.integers(1, 12, n), 12)
        cur, prev = level[y][active], level[y - 1][active]
        noise = rng.lognormal(0, 0.08, (n, 12))
        ytd = np.cumsum(noise * MONTH_WEIGHTS, axis=1) / MONTH_WEIGHTS.sum()
        noise_p = rng.lognormal(0, 0.08, (n, 12))
        ytd_p = np.cumsum(noise_p * MONTH_WEIGHTS, axis=1) / MONTH_WEIGHTS.sum()
        for mo in range(1, 13):
            rows = np.flatnonzero(last >= mo)
            go, go_p = cur[rows] * ytd[rows, mo - 1], prev[rows] * ytd_p[rows, mo - 1]
            cols: dict[str, pa.Array] = {
                "uscc": uscc.take(pa.array(active[rows])),
                "period": pa.array(np.full(len(rows), f"{y}-{mo:02d}")),
            }
            for m in FACT_MEASURES:
                if m == "gross_output":
                    v, p = go, go_p
                elif m == "employees":  # average persons, not cumulative
                    v = cur[rows] / productivity[active[rows]]
                    p = prev[rows] / productivity[active[rows]]
                    v, p = v.round(), p.round()
                else:
                    r = ratios[m][active[rows]]
                    v, p = go * r, go_p * r * rng.uniform(0.97, 1.03, len(rows))
                missing = rng.random(len(rows)) < 0.002
                cols[m] = pa.array(v.round(1), mask=missing)
                cols[f"{m}_prior"] = pa.array(p.round(1), mask=missing)
            facts.append(pa.table(cols))
        # Electricity: single-month use of every active user (above and below scale).
        month = cur[:, None] * (noise * MONTH_WEIGHTS / MONTH_WEIGHTS.sum())
        kwh = month * kwh_intensity[active][:, None]
        for mo in range(1, 13):
            rows = np.flatnonzero((last >= mo) & (rng.random(n) > 0.01))
            power.append(
                pa.table(
                    {
                        "uscc": uscc.take(pa.array(active[rows])),
                        "period": pa.array(np.full(len(rows), f"{y}-{mo:02d}")),
                        "kwh": pa.array(kwh[rows, mo - 1].round(2)),
                    }
                )
            )
    divisions = sorted({c[:2] for c in codes})
    ppi_rows: dict[str, list[object]] = {"division": [], "period": [], "ppi": []}
    for d in divisions:
        for y in YEARS:
            annual = rng.normal(100.0, 3.0)
            for mo in range(1, 13):
                ppi_rows["division"].append(d)
                ppi_rows["period"].append(f"{y}-{mo:02d}")
                v = 100 + (annual - 100) * (0.5 + 0.5 * mo / 12) + rng.normal(0, 0.3)
                ppi_rows["ppi"].append(round(float(v), 1))
    price_index = pa.table(ppi_rows, schema=_SCHEMAS["price_index"])
    return {
        "region": region,
        "enterprise": enterprise,
        "enterprise_scale": pa.concat_tables(scale),
        "monthly_fact": pa.concat_tables(facts),
        "electricity": pa.concat_tables(power),
        "price_index": price_index,
        "peer_figure": _peers(size, rng),
        "reported_value": _reported(counties, rng),
        "capacity_case": _cases(counties, np.random.default_rng(size.seed + 1)),
    }


_SCHEMAS = {
    "price_index": pa.schema(
        [("division", pa.string()), ("period", pa.string()), ("ppi", pa.float64())]
    ),
    "peer_figure": pa.schema(
        [
            ("indicator", pa.string()),
            ("region_code", pa.string()),
            ("period", pa.string()),
            ("value", pa.float64()),
            ("growth_pct", pa.float64()),
        ]
    ),
    "reported_value": pa.schema(
        [
            ("indicator", pa.string()),
            ("region_code", pa.string()),
            ("period", pa.string()),
            ("value", pa.float64()),
        ]
    ),
    "capacity_case": pa.schema(
        [
            ("case_id", pa.string()),
            ("kind", pa.string()),
            ("name", pa.string()),
            ("uscc", pa.string()),
            ("region_code", pa.string()),
            ("closed_on", pa.date32()),
            ("capacity", pa.string()),
            ("energy_freed", pa.float64()),
            ("measure", pa.string()),
        ]
    ),
}


def _peers(size: Size, rng: np.random.Generator) -> pa.Table:
    """Published figures: the province's growth, and other Zhejiang cities for a city run."""
    cities = [r.code for r in regions().values() if r.level == "地级市"]
    others = [c for c in cities if c != HUZHOU] if size.scope == "city" else []
    rows: dict[str, list[object]] = {k: [] for k in _SCHEMAS["peer_figure"].names}
    for y in YEARS:
        for mo in range(1, 13):
            for ind in ("value_added", "gross_output", "equipment:value_added"):
                for code in [PROVINCE, *others]:
                    rows["indicator"].append(ind)
                    rows["region_code"].append(code)
                    rows["period"].append(f"{y}-{mo:02d}")
                    rows["value"].append(float(rng.lognormal(14, 0.5)) * mo / 12)
                    rows["growth_pct"].append(round(float(rng.normal(7, 2)), 1))
    return pa.table(rows, schema=_SCHEMAS["peer_figure"])


def _reported(counties: np.ndarray, rng: np.random.Generator) -> pa.Table:
    """Counts that counties report each month (year to date), e.g. new-product filings."""
    rows: dict[str, list[object]] = {k: [] for k in _SCHEMAS["reported_value"].names}
    base = rng.integers(5, 60, len(counties))
    for y in YEARS:
        for mo in range(1, 13):
            for c, b in zip(counties, base, strict=True):
                rows["indicator"].append("provincial_new_product_filings")
                rows["region_code"].append(str(c))
                rows["period"].append(f"{y}-{mo:02d}")
                rows["value"].append(float(round(b * mo / 12 * rng.uniform(0.8, 1.3))))
    return pa.table(rows, schema=_SCHEMAS["reported_value"])


def _cases(counties: np.ndarray, rng: np.random.Generator) -> pa.Table:
    """The capacity ledger: a few cases of eliminated capacity and "低小散" workshops a year
    in every county but the last."""
    rows: list[dict[str, object]] = []
    for y in YEARS:
        for c in counties[:-1]:
            for i in range(int(rng.integers(1, 8))):
                backward = bool(rng.random() < 0.4)
                rows.append(
                    {
                        "case_id": f"{c}-{y}-{i}",
                        "kind": "backward" if backward else "small_scattered",
                        "name": f"作坊{c}{y}{i}",
                        "uscc": None,
                        "region_code": str(c),
                        "closed_on": date(y, int(rng.integers(1, 13)), int(rng.integers(1, 29))),
                        "capacity": None,
                        "energy_freed": float(rng.integers(100, 5000)) if backward else None,
                        "measure": None,
                    }
                )
    return pa.Table.from_pylist(rows, schema=_SCHEMAS["capacity_case"])


def ensure(name: str, base: Path = DATA_DIR) -> Path:
    """The folder of Parquet files of size ``name``, generated unless cached."""
    size = SIZES[name]
    folder = base / name
    meta = folder / "meta.json"
    want = {
        "version": VERSION,
        "size": size.name,
        "enterprises": size.enterprises,
        "seed": size.seed,
    }
    if meta.is_file() and json.loads(meta.read_text("utf-8")) == want:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for name_, t in generate(size).items():
        pq.write_table(t, folder / f"{name_}.parquet", row_group_size=256 * 1024)
    meta.write_text(json.dumps(want), "utf-8")
    return folder


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="city,province")
    args = p.parse_args()
    for name in args.sizes.split(","):
        start = time.perf_counter()
        folder = ensure(name)
        rows = {t: pq.ParquetFile(folder / f"{t}.parquet").metadata.num_rows for t in TABLES}
        print(f"{name}: {time.perf_counter() - start:.1f}s  {rows}")


if __name__ == "__main__":
    main()
