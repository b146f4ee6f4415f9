"""Demo department records for the 亩均效益 evaluation, drawn for an already loaded demo city.

For each year (default: the year and the one before) this draws what the departments would
send, consistent with the records of the demo city:

* ``tax_paid`` (tax bureau): monthly, by 征收项目; for above-scale firms each month's total
  equals the month's increase of the statistics form's year-to-date ``taxes``;
* ``land_parcel`` (land bureau): one to three parcels per firm summing to the register's
  ``land_mu``, some of them leased;
* ``emission`` (environment bureau): COD, NH3-N, SO2, NOx for above-scale firms, with some
  firms missing, some reported as blank and a few at zero;
* ``incident`` (safety and environment bureaus): a few, of different severities;
* ``enterprise_annual`` (the compiled 亩均数据采集表): full annual figures for small
  (规下) firms with land ≥ 5 亩, consistent with their tax records and grid electricity,
  and R&D for every firm;
* ``evaluation_history``: classes published for the two years before the evaluation year
  (the bureau's results from before the platform), so consecutive-year rules have something
  to count. A final run of a year on the platform takes precedence over them.

Seeded: the same store, years and seed give the same records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ibis
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from jingxin.store import LoadResult, Scope, Store

__all__ = ["TAX_TYPES", "generate_evaluation_inputs", "load_evaluation_inputs"]

Floats = npt.NDArray[np.float64]

# The demo draws records for the whole city.
_CITY = Scope.city()


def _t(store: Store, name: str) -> ibis.Table:
    return store.table(name, _CITY)


TAX_TYPES = (
    ("增值税", 0.50),
    ("企业所得税", 0.24),
    ("城市维护建设税", 0.035),
    ("教育费附加", 0.015),
    ("地方教育附加", 0.01),
    ("房产税", 0.08),
    ("城镇土地使用税", 0.07),
    ("印花税", 0.05),
)
"""征收项目 drawn for the demo and their typical shares of the total."""

SMALL_LAND_MU = 5.0
_POLLUTANT_PER_TCE = {"cod": 0.004, "nh3n": 0.0004, "so2": 0.006, "nox": 0.005}
_POLLUTANT_BY_DIV = {
    "17": {"cod": 4.0, "nh3n": 3.0},
    "22": {"cod": 3.0},
    "26": {"cod": 2.0, "nh3n": 2.0},
    "30": {"so2": 3.0, "nox": 3.0},
    "31": {"so2": 2.5, "nox": 2.5},
}


def load_evaluation_inputs(
    store: Store, year: int, seed: int, *, years: Sequence[int] | None = None
) -> LoadResult:
    """Draw the evaluation's department records for a demo store and load them.

    Parameters
    ----------
    store
        A store holding a demo city (``jingxin.demo.run.load_demo``).
    year
        The evaluation year; records are drawn for ``years`` (default: ``year − 1`` and
        ``year``, the first only when the store has its monthly records).
    seed
        Random seed.
    """
    tables = generate_evaluation_inputs(store, year, seed, years=years)
    return store.load(
        "demo_evaluation",
        f"演示亩均评价数据（{year}，seed={seed}）",
        tables,
        period=str(year),
    )


def generate_evaluation_inputs(
    store: Store, year: int, seed: int, *, years: Sequence[int] | None = None
) -> dict[str, pa.Table]:
    """The tables :func:`load_evaluation_inputs` loads, without loading them."""
    if years is None:
        f = _t(store, "monthly_fact")
        have = store.run(
            f.filter(f.period.isin([f"{year - 1}-12", f"{year}-12"])).select("period").distinct()
        ).column("period")
        years = sorted(int(p[:4]) for p in have.to_pylist()) or [year]
    e = _t(store, "enterprise")
    ent = store.run(
        e.select("uscc", "industry_code", "land_mu", "flags").order_by("uscc")
    ).to_pydict()
    parcels = _parcels(ent, np.random.default_rng([seed, 1]))
    parts: dict[str, list[pa.Table]] = {
        k: [] for k in ("tax_paid", "land_parcel", "emission", "incident", "enterprise_annual")
    }
    for y in years:
        rng = np.random.default_rng([seed, y])
        parts["land_parcel"].append(_land_table(parcels, y))
        above = _above_taxes(store, y, rng)
        small, small_taxes = _small_annual(store, y, rng)
        parts["tax_paid"] += [above, small_taxes]
        parts["emission"].append(_emissions(store, y, rng))
        parts["incident"].append(_incidents(store, y, rng))
        parts["enterprise_annual"].append(_rd(store, y, rng, small))
    tables = {k: pa.concat_tables(v) for k, v in parts.items()}
    tables["evaluation_history"] = _history(store, year, np.random.default_rng([seed, 2]))
    return tables


def _parcels(ent: dict[str, list[object]], rng: np.random.Generator) -> pa.Table:
    codes, owners, usccs, areas, tenures = [], [], [], [], []
    serial = 0
    for uscc, land in zip(ent["uscc"], ent["land_mu"], strict=True):
        if land is None:
            continue
        total = float(land)  # type: ignore[arg-type]
        k = int(rng.choice([1, 2, 3], p=[0.7, 0.22, 0.08]))
        split = rng.dirichlet(np.full(k, 3.0)) * total
        split = np.round(split, 2)
        split[0] = round(total - float(split[1:].sum()), 2)
        leased = rng.random() < 0.12
        for j, a in enumerate(split):
            serial += 1
            lease = leased and j == k - 1
            codes.append(
                f"ZL{serial:07d}"
                if lease
                else f"浙({2000 + serial % 16:04d})不动产权第{serial:07d}号"
            )
            owners.append(str(uscc))
            usccs.append(str(uscc))
            areas.append(float(a))
            tenures.append("leased" if lease else "owned")
    return pa.table(
        {
            "certificate": codes,
            "owner_name": owners,
            "uscc": usccs,
            "area_mu": areas,
            "tenure": tenures,
        }
    )


def _land_table(parcels: pa.Table, year: int) -> pa.Table:
    return pa.table(
        {
            "certificate": parcels.column("certificate"),
            "year": pa.array([year] * parcels.num_rows, pa.int32()),
            "owner_name": parcels.column("owner_name"),
            "uscc": parcels.column("uscc"),
            "area_mu": parcels.column("area_mu"),
            "tenure": parcels.column("tenure"),
        }
    )


def _split_taxes(
    usccs: list[str], periods: list[str], amounts: Floats, rng: np.random.Generator
) -> pa.Table:
    """Each (uscc, period) amount split over the tax types; the parts sum to the amount."""
    n = len(amounts)
    shares = np.array([s for _, s in TAX_TYPES])
    w = shares[None, :] * rng.lognormal(0, 0.25, (n, len(TAX_TYPES)))
    w /= w.sum(axis=1, keepdims=True)
    parts = np.round(amounts[:, None] * w, 2)
    parts[:, 0] = np.round(amounts - parts[:, 1:].sum(axis=1), 2)  # 增值税 takes the rest
    rows_u, rows_p, rows_t, rows_a = [], [], [], []
    for j, (tax, _) in enumerate(TAX_TYPES):
        keep = parts[:, j] != 0
        idx = np.flatnonzero(keep)
        rows_u += [usccs[i] for i in idx]
        rows_p += [periods[i] for i in idx]
        rows_t += [tax] * len(idx)
        rows_a += parts[idx, j].tolist()
    return pa.table(
        {"uscc": rows_u, "period": rows_p, "tax_type": rows_t, "amount": pa.array(rows_a)}
    )


def _above_taxes(store: Store, year: int, rng: np.random.Generator) -> pa.Table:
    m = _t(store, "monthly_fact")
    f = store.run(
        m.filter(m.period.startswith(f"{year}-"))
        .select("uscc", "period", "taxes")
        .order_by("uscc", "period")
    ).to_pydict()
    usccs: list[str] = f["uscc"]
    ytd = np.array(f["taxes"], dtype=np.float64)
    prev = np.concatenate([[0.0], ytd[:-1]])
    first = np.array([not p.endswith("-01") for p in f["period"]])
    same = np.array([True] + [a == b for a, b in zip(usccs[1:], usccs[:-1], strict=True)])
    month = ytd - np.where(first & same, prev, 0.0)
    return _split_taxes(usccs, f["period"], np.round(month, 2), rng)


def _small_annual(store: Store, year: int, rng: np.random.Generator) -> tuple[pa.Table, pa.Table]:
    """enterprise_annual rows of small firms with land ≥ 5 亩, and their monthly tax records."""
    sc, e, k = _t(store, "enterprise_scale"), _t(store, "enterprise"), _t(store, "electricity")
    small = sc.filter((sc.year == year) & (sc.scale == "below")).join(e, "uscc")
    small = small.filter(small.land_mu >= SMALL_LAND_MU).select("uscc", "industry_code")
    kwh = k.filter(k.period.startswith(f"{year}-")).group_by("uscc").aggregate(kwh=k.kwh.sum())
    joined = small.left_join(kwh, "uscc")
    s = store.run(
        joined.select(joined.uscc, joined.industry_code, kwh=joined.kwh.fill_null(0.0)).order_by(
            "uscc"
        )
    ).to_pydict()
    n = len(s["uscc"])
    kwh = np.array(s["kwh"], dtype=np.float64)
    revenue = np.minimum(kwh * rng.lognormal(np.log(45), 0.5, n), 1950.0)
    revenue = np.round(np.maximum(revenue, 20.0), 1)
    va = np.round(revenue * rng.uniform(0.15, 0.3, n), 1)
    taxes = np.round(revenue * rng.lognormal(np.log(0.035), 0.6, n), 1)
    taxes[rng.random(n) < 0.03] = 0.0  # a few paid nothing (losses, exemptions)
    employees = np.maximum(3, np.round(revenue / rng.uniform(40, 90, n)))
    energy = np.round(kwh * 3.0 * rng.uniform(1.0, 1.3, n), 1)
    rd = np.where(rng.random(n) < 0.25, np.round(revenue * rng.uniform(0.005, 0.03, n), 1), 0.0)
    month_w = rng.dirichlet(np.full(12, 8.0), n)
    monthly = np.round(taxes[:, None] * month_w, 2)
    monthly[:, 11] = np.round(taxes - monthly[:, :11].sum(axis=1), 2)
    usccs = [u for u in s["uscc"] for _ in range(12)]
    periods = [f"{year}-{m:02d}" for _ in range(n) for m in range(1, 13)]
    # The tax bureau's monthly rows; the compiled annual figure is their sum.
    tax_rows = _split_taxes(usccs, periods, monthly.ravel(), rng)
    paid = monthly.sum(axis=1)
    annual = pa.table(
        {
            "uscc": s["uscc"],
            "year": pa.array([year] * n, pa.int32()),
            "land_mu": pa.nulls(n, pa.float64()),
            "taxes": np.round(paid, 2),
            "revenue": revenue,
            "value_added": va,
            "rd_expense": rd,
            "employees": employees,
            "energy_tce": energy,
            "electricity": np.round(kwh, 4),
        }
    )
    return annual, tax_rows


def _rd(store: Store, year: int, rng: np.random.Generator, small: pa.Table) -> pa.Table:
    """R&D for above-scale firms (an annual row with only rd_expense), plus the small rows."""
    m, e = _t(store, "monthly_fact"), _t(store, "enterprise")
    j = m.filter(m.period == f"{year}-12").join(e, "uscc")
    f = store.run(
        j.select(j.uscc, j.revenue, ht=j.flags.contains("high_tech")).order_by("uscc")
    ).to_pydict()
    n = len(f["uscc"])
    revenue = np.array(f["revenue"], dtype=np.float64)
    ht = np.array(f["ht"], dtype=bool)
    has = rng.random(n) < np.where(ht, 0.95, 0.55)
    share = np.where(ht, rng.uniform(0.02, 0.06, n), rng.uniform(0.004, 0.03, n))
    rd = np.where(has, np.round(revenue * share, 1), 0.0)
    null = pa.nulls(n, pa.float64())
    above = pa.table(
        {
            "uscc": f["uscc"],
            "year": pa.array([year] * n, pa.int32()),
            "land_mu": null,
            "taxes": null,
            "revenue": null,
            "value_added": null,
            "rd_expense": rd,
            "employees": null,
            "energy_tce": null,
            "electricity": null,
        }
    )
    return pa.concat_tables([above, small])


def _emissions(store: Store, year: int, rng: np.random.Generator) -> pa.Table:
    m, e = _t(store, "monthly_fact"), _t(store, "enterprise")
    j = m.filter(m.period == f"{year}-12").join(e, "uscc")
    f = store.run(j.select("uscc", "energy", "industry_code").order_by("uscc")).to_pydict()
    rows: dict[str, list[object]] = {
        "uscc": [],
        "year": [],
        "pollutant": [],
        "tonnes": [],
        "permit_no": [],
    }
    for uscc, energy, code in zip(f["uscc"], f["energy"], f["industry_code"], strict=True):
        u = rng.random()
        if u < 0.08:
            continue  # no emission data at all
        blank, zero = u < 0.11, u < 0.13
        mult = _POLLUTANT_BY_DIV.get(str(code)[:2], {})
        for p, per in _POLLUTANT_PER_TCE.items():
            t = float(energy or 0) * per * mult.get(p, 1.0) * rng.lognormal(0, 0.4)
            rows["uscc"].append(uscc)
            rows["year"].append(year)
            rows["pollutant"].append(p)
            rows["tonnes"].append(None if blank else 0.0 if zero else round(t, 3))
            rows["permit_no"].append(f"{uscc}001P")
    return pa.table(
        {
            "uscc": pa.array(rows["uscc"], pa.string()),
            "year": pa.array(rows["year"], pa.int32()),
            "pollutant": pa.array(rows["pollutant"], pa.string()),
            "tonnes": pa.array(rows["tonnes"], pa.float64()),
            "permit_no": pa.array(rows["permit_no"], pa.string()),
        }
    )


def _incidents(store: Store, year: int, rng: np.random.Generator) -> pa.Table:
    sc = _t(store, "enterprise_scale")
    usccs = (
        store.run(sc.filter(sc.year == year).select("uscc").order_by("uscc"))
        .column("uscc")
        .to_pylist()
    )
    n = max(3, len(usccs) // 250)
    idx = sorted(rng.choice(len(usccs), size=n, replace=False).tolist())
    kinds = rng.choice(["safety", "environment", "credit"], size=n, p=[0.5, 0.35, 0.15])
    severity = rng.choice(["重大", "较大", "一般"], size=n, p=[0.2, 0.3, 0.5])
    notes = {"safety": "生产安全事故", "environment": "环境污染事件", "credit": "失信记录"}
    return pa.table(
        {
            "uscc": [usccs[i] for i in idx],
            "occurred": [
                date(year, 1 + int(m), 1 + int(d))
                for m, d in zip(rng.integers(0, 12, n), rng.integers(0, 28, n), strict=True)
            ],
            "kind": kinds.tolist(),
            "severity": severity.tolist(),
            "note": [notes[str(k)] for k in kinds],
        }
    )


def _history(store: Store, year: int, rng: np.random.Generator) -> pa.Table:
    """Classes published for the two years before ``year`` (A 20%, B 40%, C 35%, D 5%)."""
    sc = _t(store, "enterprise_scale")
    usccs = (
        store.run(
            sc.filter((sc.year == year - 1) & (sc.scale == "above")).select("uscc").order_by("uscc")
        )
        .column("uscc")
        .to_pylist()
    )
    n = len(usccs)
    quality = rng.normal(0, 1, n)
    out_u, out_y, out_c = [], [], []
    for back in (2, 1):
        score = quality + rng.normal(0, 0.5, n)
        order = np.argsort(-score, kind="stable")
        pos = np.empty(n)
        pos[order] = (np.arange(n) + 1) / n
        cls = np.select([pos <= 0.2, pos <= 0.6, pos <= 0.95], ["A", "B", "C"], "D")
        out_u += usccs
        out_y += [year - back] * n
        out_c += cls.tolist()
    return pa.table({"uscc": out_u, "year": pa.array(out_y, pa.int32()), "class": out_c})
