"""Annual targets for the city and their decomposition to the counties."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jingxin.store import Scope, Store
from jingxin.tracking.queries import rows, targets_of

__all__ = [
    "DecompositionGap",
    "YearTargets",
    "check_decomposition",
    "completion_pct",
    "target_value",
    "targets",
]


def completion_pct(done: float | None, target: float | None) -> float | None:
    """How much of a target is done, in percent; none without a value or a target.

    Examples
    --------
    >>> completion_pct(37.0, 50.0), completion_pct(37.0, 0.0), completion_pct(None, 50.0)
    (74.0, None, None)
    """
    return None if done is None or not target else done / target * 100


@dataclass(frozen=True)
class YearTargets:
    """The targets of one year, read once for many lookups.

    Examples
    --------
    >>> t = YearTargets(2016, {("robots", "330502", "value"): 100.0})
    >>> t.get("robots", "330502"), t.get("robots", "330503")
    (100.0, None)
    """

    year: int
    values: Mapping[tuple[str, str, str], float]  # (indicator, region, basis) → value

    def get(
        self, indicator: str, region: str, basis: str = "value", suffix: str | None = None
    ) -> float | None:
        """The target of ``indicator`` (``indicator:suffix`` when given) for a region."""
        key = f"{indicator}:{suffix}" if suffix else indicator
        return self.values.get((key, region, basis))


def targets(store: Store, year: int, scope: Scope) -> YearTargets:
    """Every target of ``year``."""
    found = rows(store, targets_of(store, year, scope))
    return YearTargets(
        year, {(r["indicator"], r["region_code"], r["basis"]): float(r["value"]) for r in found}
    )


def target_value(
    store: Store,
    indicator: str,
    region: str,
    year: int,
    scope: Scope,
    basis: str = "value",
    suffix: str | None = None,
) -> float | None:
    """The target of ``indicator`` (``indicator:suffix`` when given) for a region and year."""
    return targets(store, year, scope).get(indicator, region, basis, suffix)


@dataclass(frozen=True)
class DecompositionGap:
    """An additive target whose county parts do not add up to the city's."""

    indicator: str
    year: int
    city: float
    counties: float


def check_decomposition(
    store: Store,
    city: str,
    year: int,
    additive: set[str],
    scope: Scope,
    tolerance: float = 1e-6,
) -> list[DecompositionGap]:
    """Additive targets whose counties' values do not sum to the city's target.

    Indicators not in ``additive`` (growth rates, rates, indices) are not checked: a county
    growth target need not average to the city's.
    """
    t = targets_of(store, year, scope)
    r = store.table("region", scope)
    parts = t.filter(t.basis == "value").join(
        r.filter(r.parent == city).select(region_code=r.code), "region_code"
    )
    whole = t.filter((t.basis == "value") & (t.region_code == city)).select(
        "indicator", city=t.value
    )
    summed = parts.group_by("indicator").aggregate(counties=parts.value.sum())
    found = rows(store, summed.join(whole, "indicator").order_by("indicator"))
    return [
        DecompositionGap(r["indicator"], year, r["city"], r["counties"])
        for r in found
        if r["indicator"] in additive
        and abs(r["city"] - r["counties"]) > tolerance * max(1.0, abs(r["city"]))
    ]
