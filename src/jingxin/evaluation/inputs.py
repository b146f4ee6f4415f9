"""Per-enterprise annual inputs of the evaluation, assembled from the store with Ibis.

One row per enterprise in the year's register (``enterprise_scale``) with:

* the register: county, industry, platform, founding date, flags, scale, status at 31 Dec;
* 实缴税金: Σ ``tax_paid.amount`` paid in the year (optionally only some 征收项目);
* 用地面积: Σ ``land_parcel.area_mu`` for the year (owned and leased), else
  ``enterprise.land_mu``;
* value added, revenue, employees, energy: the statistics form's December year-to-date
  (``monthly_fact``, period ``YYYY-12``), which exists for above-scale enterprises;
* electricity: Σ single-month ``electricity.kwh`` over the year;
* emissions: by pollutant from ``emission``; ``emissions`` sums the method's pollutants and
  is null when none of them was reported;
* a value in ``enterprise_annual`` for the same (uscc, year) takes precedence over the
  derived one: that table is the bureau's compiled 亩均数据采集表.

Everything is an Ibis expression over any backend that holds these tables, as in
``indicators/cube.py``; nothing runs here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from jingxin.evaluation.method import InputRules

__all__ = ["ANNUAL_COLUMNS", "POLLUTANTS", "build_inputs"]

ANNUAL_COLUMNS = (
    "land_mu",
    "taxes",
    "revenue",
    "value_added",
    "rd_expense",
    "employees",
    "energy_tce",
    "electricity",
)
"""The figures ``enterprise_annual`` can give (and override)."""

POLLUTANTS = ("cod", "nh3n", "so2", "nox")
"""Pollutants with their own input column (a method may sum others into ``emissions``)."""


def build_inputs(con: Any, year: int, rules: InputRules | None = None) -> ir.Table:
    """The evaluation inputs of ``year`` as one Ibis expression (one row per enterprise).

    Parameters
    ----------
    con
        An Ibis backend holding the store's tables (``Store.backend(Scope.city())``).
    year
        The evaluation year (the data year, e.g. 2016).
    rules
        Which pollutants and taxes count and which statuses are out of scope.
    """
    rules = rules or InputRules()
    prefix = f"{year}-"
    scale = con.table("enterprise_scale")
    ent = con.table("enterprise")
    base = (
        scale.filter(scale.year == year)
        .select("uscc", "scale")
        .join(
            ent.select(
                "uscc",
                "name",
                "region_code",
                "platform",
                "industry_code",
                "founded",
                "flags",
                reg_land_mu=ent.land_mu,
            ),
            "uscc",
        )
    )

    status = con.table("enterprise_status")
    status = (
        status.filter(status.valid_from <= ibis.date(date(year, 12, 31)))
        .group_by("uscc")
        .aggregate(status=status.status.argmax(status.valid_from))
    )

    tax = con.table("tax_paid")
    tax = tax.filter(tax.period.startswith(prefix))
    if rules.tax_types:
        tax = tax.filter(tax.tax_type.isin(rules.tax_types))
    tax = tax.group_by("uscc").aggregate(tax_sum=tax.amount.sum())

    land = con.table("land_parcel")
    land = (
        land.filter(land.year == year)
        .group_by("uscc")
        .aggregate(
            parcel_mu=land.area_mu.sum(),
            leased_mu=land.area_mu.sum(where=land.tenure == "leased"),
            n_parcels=land.certificate.count(),
        )
    )

    facts = con.table("monthly_fact")
    facts = facts.filter(facts.period == f"{year}-12").select(
        "uscc",
        fact_value_added=facts.value_added,
        fact_revenue=facts.revenue,
        fact_employees=facts.employees,
        fact_energy=facts.energy,
    )

    kwh = con.table("electricity")
    kwh = (
        kwh.filter(kwh.period.startswith(prefix)).group_by("uscc").aggregate(kwh_sum=kwh.kwh.sum())
    )

    em = con.table("emission")
    em = em.filter(em.year == year)
    counted = em.pollutant.isin(rules.pollutants)
    em_aggs: dict[str, Any] = {p: em.tonnes.sum(where=em.pollutant == p) for p in POLLUTANTS}
    em_aggs["em_total"] = em.tonnes.sum(where=counted)
    em_aggs["em_reported"] = em.tonnes.count(where=counted)
    em = em.group_by("uscc").aggregate(**em_aggs)

    annual = con.table("enterprise_annual")
    annual = annual.filter(annual.year == year).select(
        "uscc", **{f"a_{c}": annual[c] for c in ANNUAL_COLUMNS}
    )

    t = (
        base.left_join(status, "uscc")
        .drop("uscc_right")
        .left_join(tax, "uscc")
        .drop("uscc_right")
        .left_join(land, "uscc")
        .drop("uscc_right")
        .left_join(facts, "uscc")
        .drop("uscc_right")
        .left_join(kwh, "uscc")
        .drop("uscc_right")
        .left_join(em, "uscc")
        .drop("uscc_right")
        .left_join(annual, "uscc")
        .drop("uscc_right")
    )
    derived: dict[str, Any] = {
        "land_mu": t.parcel_mu.coalesce(t.reg_land_mu),
        "taxes": t.tax_sum,
        "revenue": t.fact_revenue,
        "value_added": t.fact_value_added,
        "rd_expense": ibis.null("float64"),
        "employees": t.fact_employees,
        "energy_tce": t.fact_energy,
        "electricity": t.kwh_sum,
    }
    values = {c: t[f"a_{c}"].coalesce(derived[c]).cast("float64") for c in ANNUAL_COLUMNS}
    emissions = ibis.cases((t.em_reported > 0, t.em_total), else_=ibis.null("float64"))
    out = t.select(
        "uscc",
        "name",
        "region_code",
        "platform",
        "industry_code",
        "founded",
        "flags",
        "scale",
        status=t.status.fill_null("operating"),
        year=ibis.literal(year, "int32"),
        leased_mu=t.leased_mu,
        **values,
        emissions=emissions.cast("float64"),
        **{p: t[p].cast("float64") for p in POLLUTANTS},
    )
    if rules.exclude_status:
        out = out.filter(~out.status.isin(rules.exclude_status))
    return out
