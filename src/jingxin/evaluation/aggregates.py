"""Aggregates of an evaluation: by county, industry group and industrial platform.

Per county, group and platform: the number of enterprises evaluated, class counts (final
class; not graded counted apart), 亩均税收 and 亩均增加值 as Σ ÷ Σ land.

For the key industrial platforms (园区) the three monitored indicators, with last year:

* 亩均税收 = Σ taxes ÷ Σ land of the platform's enterprises in scope;
* 区域贡献 = the platform's share of the city's industrial taxes (all enterprises in scope);
* 有效投入 (industrial investment per 亩) is **not computed**: the store holds no
  investment data yet (see docs/evaluation.md).

Last year's figures come from last year's inputs over the same scope rules, so they exist
even when last year was not evaluated on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from jingxin.evaluation.engine import assign_cohorts
from jingxin.evaluation.inputs import build_inputs
from jingxin.evaluation.method import Method
from jingxin.indicators.cube import membership
from jingxin.reference import load_groups, regions
from jingxin.reference.groups import IndustryGroup

__all__ = ["Aggregates", "aggregate"]


@dataclass(frozen=True)
class Aggregates:
    """Summary tables of one evaluation (Arrow, one row per key)."""

    by_cohort: pa.Table
    by_county: pa.Table
    by_group: pa.Table
    by_platform: pa.Table
    platforms: pa.Table


def _summarise(t: ir.Table, keys: list[str], classes: list[str]) -> ir.Table:
    land = t.land_mu.fill_null(0)
    aggs: dict[str, Any] = {
        "n": t.count(),
        "land_mu": land.sum(),
        "taxes": t.taxes.fill_null(0).sum(),
        "value_added": t.value_added.fill_null(0).sum(),
        "ungraded": t.exempt_reason.notnull().sum(),
        "surcharge": t.surcharge.fill_null(0).sum(),
    }
    for c in classes:
        aggs[f"class_{c}"] = (t.final_class == c).sum()
    g = t.group_by(keys).aggregate(**aggs)
    return g.mutate(
        tax_per_mu=g.taxes / g.land_mu.nullif(0), va_per_mu=g.value_added / g.land_mu.nullif(0)
    ).order_by(keys)


def aggregate(
    con: Any,
    results: pa.Table,
    m: Method,
    year: int,
    *,
    groups: dict[str, IndustryGroup] | None = None,
) -> Aggregates:
    """Aggregate one evaluation's results (``Evaluation.results`` or a stored run's)."""
    classes = m.classification.classes
    groups = groups if groups is not None else load_groups()
    r = ibis.memtable(results.select([c for c in results.column_names if c != "explanation"]))
    by_cohort = _summarise(r, ["cohort"], classes).to_pyarrow()
    by_county = _summarise(r, ["region_code"], classes).to_pyarrow()
    names = regions()
    by_county = by_county.add_column(
        1,
        "region_name",
        pa.array(
            [
                names[c].name if c in names else c
                for c in by_county.column("region_code").to_pylist()
            ]
        ),
    )
    ent = con.table("enterprise")
    members = membership(ent.select("uscc", "industry_code", "flags"), groups.values())
    by_group = _summarise(r.join(members, "uscc"), ["group_key"], classes).to_pyarrow()
    group_names = {k: g.name for k, g in groups.items()} | {"all": "全部"}
    by_group = by_group.add_column(
        1,
        "group_name",
        pa.array([group_names.get(k, k) for k in by_group.column("group_key").to_pylist()]),
    )
    by_platform = _summarise(r.filter(r.platform.notnull()), ["platform"], classes).to_pyarrow()
    return Aggregates(by_cohort, by_county, by_group, by_platform, _platforms(con, r, m, year))


def _platform_taxes(t: ir.Table) -> ir.Table:
    city = t.taxes.fill_null(0).sum()
    per = (
        t.filter(t.platform.notnull())
        .group_by("platform")
        .aggregate(taxes=t.taxes.fill_null(0).sum(), land_mu=t.land_mu.fill_null(0).sum())
    )
    per = per.mutate(tax_per_mu=per.taxes / per.land_mu.nullif(0))
    return per.cross_join(t.aggregate(city_taxes=city)).mutate(
        contribution_pct=ibis._.taxes / ibis._.city_taxes.nullif(0) * 100
    )


def _platforms(con: Any, r: ir.Table, m: Method, year: int) -> pa.Table:
    cur = _platform_taxes(r)
    prev_inputs = assign_cohorts(build_inputs(con, year - 1, m.inputs), m)
    prev = _platform_taxes(prev_inputs.filter(prev_inputs.cohort.notnull())).select(
        "platform",
        prior_tax_per_mu="tax_per_mu",
        prior_contribution_pct="contribution_pct",
    )
    t = cur.left_join(prev, "platform").drop("platform_right")
    t = t.mutate(
        tax_per_mu_growth_pct=(t.tax_per_mu / t.prior_tax_per_mu.nullif(0) - 1) * 100,
        contribution_change_pp=t.contribution_pct - t.prior_contribution_pct,
    )
    return t.order_by(ibis.desc("tax_per_mu"), "platform").to_pyarrow()
