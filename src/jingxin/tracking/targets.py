"""Annual targets for the city and their decomposition to the counties."""

from __future__ import annotations

from dataclasses import dataclass

from jingxin.store import Store

__all__ = ["DecompositionGap", "check_decomposition", "target_value"]


def target_value(
    store: Store,
    indicator: str,
    region: str,
    year: int,
    basis: str = "value",
    suffix: str | None = None,
) -> float | None:
    """The target of ``indicator`` (``indicator:suffix`` when given) for a region and year."""
    key = f"{indicator}:{suffix}" if suffix else indicator
    rows = store.arrow(
        "select value from target where indicator = ? and region_code = ? and year = ? "
        "and basis = ?",
        [key, region, year, basis],
    ).to_pylist()
    return float(rows[0]["value"]) if rows else None


@dataclass(frozen=True)
class DecompositionGap:
    """An additive target whose county parts do not add up to the city's."""

    indicator: str
    year: int
    city: float
    counties: float


def check_decomposition(
    store: Store, city: str, year: int, additive: set[str], tolerance: float = 1e-6
) -> list[DecompositionGap]:
    """Additive targets whose counties' values do not sum to the city's target.

    Indicators not in ``additive`` (growth rates, rates, indices) are not checked: a county
    growth target need not average to the city's.
    """
    rows = store.arrow(
        """
        select t.indicator, c.value as city, sum(t.value) as counties
        from target t join region r on r.code = t.region_code and r.parent = ?
        join target c on c.indicator = t.indicator and c.year = t.year and c.basis = t.basis
             and c.region_code = ?
        where t.year = ? and t.basis = 'value'
        group by t.indicator, c.value
        """,
        [city, city, year],
    ).to_pylist()
    return [
        DecompositionGap(r["indicator"], year, r["city"], r["counties"])
        for r in rows
        if r["indicator"] in additive
        and abs(r["city"] - r["counties"]) > tolerance * max(1.0, abs(r["city"]))
    ]
