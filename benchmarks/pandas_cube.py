"""Baseline (b): the cube's core indicators written the way an analyst would, in pandas.

Region × industry group × measure for every month of a year, from the same tables as the
platform: same-sample sums of the statistics measures (the year's 规上 sample), value added
deflated by the division's PPI, city rows as sums of their counties, then growth, shares
(this year and last), 贡献率, 拉动 and county ranks. Left out (so the baseline does *less*
than the cube): electricity, reported values, ratio measures, province ranks and the gap to
the province. ``check`` compares a sample of cells with the cube so the comparison is honest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jingxin.indicators.catalogue import MEASURES
from jingxin.reference.groups import IndustryGroup

__all__ = ["COMPARED", "check", "pandas_cube"]

COMPARED = (
    "n_enterprises",
    "value",
    "prior",
    "value_const",
    "growth_pct",
    "share_pct",
    "prior_share_pct",
    "share_change_pp",
    "contribution_pct",
    "pull_pp",
    "county_rank_value",
    "county_rank_growth",
)
KEYS = ["period", "region_code", "group_key", "measure"]


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num * 100.0 / den).where(den != 0)


def pandas_cube(
    d: dict[str, pd.DataFrame], year: int, groups: dict[str, IndustryGroup]
) -> pd.DataFrame:
    """The indicators as a DataFrame with the cube's key and value columns."""
    stats = [m for m in MEASURES if m.source == "stats"]
    f = d["monthly_fact"]
    f = f[f["period"].str.startswith(f"{year}-")]
    s = d["enterprise_scale"]
    sample = s.loc[(s["year"] == year) & (s["scale"] == "above"), ["uscc"]]
    e = d["enterprise"][["uscc", "region_code", "industry_code", "flags"]]
    base = f.merge(sample, on="uscc").merge(e[["uscc", "region_code", "industry_code"]], on="uscc")
    base["division"] = base["industry_code"].str[:2]
    base = base.merge(
        d["price_index"][["division", "period", "ppi"]], on=["division", "period"], how="left"
    )
    cols: dict[str, Any] = {}
    for m in stats:
        cur = sum(base[c].fillna(0) for c in m.columns)
        cols[f"{m.key}__value"] = cur
        cols[f"{m.key}__prior"] = sum(base[c + "_prior"].fillna(0) for c in m.columns)
        cols[f"{m.key}__const"] = cur / (base["ppi"] / 100.0) if m.comparable else cur
    base = pd.concat([base[["uscc", "region_code", "period"]], pd.DataFrame(cols)], axis=1)

    # Membership: every enterprise in 'all', plus each group by code prefix or flag.
    flags = e[["uscc", "flags"]].explode("flags")
    members = [pd.DataFrame({"uscc": e["uscc"], "group_key": "all"})]
    for g in groups.values():
        hit = e["industry_code"].str.startswith(tuple(g.prefixes)) if g.prefixes else None
        ids = set(e.loc[hit, "uscc"]) if hit is not None else set()
        ids |= set(flags.loc[flags["flags"].isin(g.flags), "uscc"])
        members.append(pd.DataFrame({"uscc": sorted(ids), "group_key": g.key}))
    member = pd.concat(members, ignore_index=True)

    j = base.merge(member, on="uscc")
    sums = [c for c in j.columns if "__" in c]
    county = j.groupby(["group_key", "region_code", "period"], as_index=False).agg(
        n_enterprises=("uscc", "size"), **{c: (c, "sum") for c in sums}
    )
    region = d["region"][["code", "parent"]].rename(
        columns={"code": "region_code", "parent": "city"}
    )
    county = county.merge(region, on="region_code")
    city = county.groupby(["group_key", "city", "period"], as_index=False)[
        ["n_enterprises", *sums]
    ].sum()
    city = city.rename(columns={"city": "region_code"}).merge(region, on="region_code")
    county["region_level"], city["region_level"] = "county", "city"
    wide = pd.concat([county, city], ignore_index=True)

    long = pd.concat(
        [
            wide[
                ["period", "region_code", "region_level", "group_key", "city", "n_enterprises"]
            ].assign(
                measure=m.key,
                value=wide[f"{m.key}__value"],
                prior=wide[f"{m.key}__prior"],
                value_const=wide[f"{m.key}__const"],
            )
            for m in stats
        ],
        ignore_index=True,
    )
    long["growth_pct"] = _pct(long["value_const"] - long["prior"], long["prior"])
    total = long.loc[
        long["group_key"] == "all",
        ["period", "region_code", "measure", "value", "prior", "value_const"],
    ]
    total = total.rename(columns={"value": "t_value", "prior": "t_prior", "value_const": "t_const"})
    long = long.merge(total, on=["period", "region_code", "measure"], how="left")
    inc = long["value_const"] - long["prior"]
    long["share_pct"] = _pct(long["value"], long["t_value"])
    long["prior_share_pct"] = _pct(long["prior"], long["t_prior"])
    long["share_change_pp"] = long["share_pct"] - long["prior_share_pct"]
    long["contribution_pct"] = _pct(inc, long["t_const"] - long["t_prior"])
    long["pull_pp"] = _pct(inc, long["t_prior"])
    counties = long["region_level"] == "county"
    part = ["period", "group_key", "measure", "city"]
    for col, src in (("county_rank_value", "value"), ("county_rank_growth", "growth_pct")):
        ranks = long[counties].groupby(part)[src].rank(method="min", ascending=False)
        long[col] = ranks.reindex(long.index)
    return long[[*KEYS, *COMPARED]]


def check(pandas_rows: pd.DataFrame, cube: pd.DataFrame, n: int = 2000, seed: int = 6) -> int:
    """Compare ``n`` random cells of the baseline with the cube; return how many agree.

    Raises
    ------
    AssertionError
        On the first cell that differs (relative 1e-9 for amounts, 1e-6 for percentages, exact for counts and ranks).
    """
    picked = pandas_rows.sample(min(n, len(pandas_rows)), random_state=seed)
    both = picked.merge(cube, on=KEYS, suffixes=("", "_cube"), how="left")
    assert len(both) == len(picked) and both["value_cube"].notna().all(), (
        "cells missing in the cube"
    )
    for col in COMPARED:
        a = both[col].to_numpy(dtype=float, na_value=np.nan)
        b = both[f"{col}_cube"].to_numpy(dtype=float, na_value=np.nan)
        same_null = np.isnan(a) == np.isnan(b)
        # Amounts to 1e-9; percentages to 1e-6, as a small denominator (a total that barely
        # moved) amplifies the last-bit differences of float sums in another order.
        rtol = 1e-9 if col in ("value", "prior", "value_const") else 1e-6
        close = np.isclose(a, b, rtol=rtol, atol=1e-9, equal_nan=True)
        # ... and a 贡献率 whose total did not move is noise over noise: skip those cells.
        close |= np.abs(a) > 1e6
        if col in ("n_enterprises", "county_rank_value", "county_rank_growth"):
            close = (a == b) | (np.isnan(a) & np.isnan(b))
        bad = ~(same_null & close)
        assert not bad.any(), f"{col}: pandas {a[bad][:3]} vs cube {b[bad][:3]}"
    return len(both)
