"""Monthly shapes: Spring Festival seasonality, year-to-date fractions, and PPI by division."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

__all__ = ["SPRING_FESTIVAL", "SPRING_FESTIVAL_MONTH", "month_weights", "ppi_ytd", "ytd_fractions"]

# The Spring Festival (春节, the first day of the lunar year): production dips around it.
SPRING_FESTIVAL = {
    2010: date(2010, 2, 14),
    2011: date(2011, 2, 3),
    2012: date(2012, 1, 23),
    2013: date(2013, 2, 10),
    2014: date(2014, 1, 31),
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}
SPRING_FESTIVAL_MONTH = {y: d.month for y, d in SPRING_FESTIVAL.items()}


def month_weights(
    rng: np.random.Generator, n: int, year: int, dip: float = 0.55
) -> npt.NDArray[np.float64]:
    """Per-enterprise single-month weights (n × 12): seasonality times noise, rows sum to 1.

    The Spring Festival month runs at ``dip`` of a normal month, the month after it ramps
    up, and December carries the year-end push.
    """
    base = np.ones(12)
    sf = SPRING_FESTIVAL_MONTH.get(year, 2) - 1
    base[sf] = dip
    if sf + 1 < 12:
        base[sf + 1] *= 0.95
    if sf == 1:
        base[0] *= 0.92
    base[11] *= 1.12
    base[10] *= 1.04
    w = base[None, :] * rng.lognormal(0.0, 0.06, (n, 12))
    out: npt.NDArray[np.float64] = w / w.sum(axis=1, keepdims=True)
    return out


def ytd_fractions(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Cumulative year-to-date fractions; the last column is exactly 1.

    Examples
    --------
    >>> ytd_fractions(np.array([[0.25, 0.25, 0.5]])).tolist()
    [[0.25, 0.5, 1.0]]
    """
    f = np.cumsum(weights, axis=1)
    f[:, -1] = 1.0
    return f


def ppi_ytd(
    rng: np.random.Generator, divisions: list[str], level: float = 98.6
) -> dict[str, list[float]]:
    """Year-to-date PPI (same period last year = 100) for each division, months 1..12.

    Rounded to one decimal, as published.
    """
    out = {}
    for d in divisions:
        spread = {"31": 2.5, "32": 2.5, "25": 3.0, "26": 1.5, "28": 1.8}.get(d, 1.0)
        dec = level + rng.normal(0.0, 1.0) * spread
        drift = rng.normal(0.25, 0.12)
        path = [dec - (12 - m) * drift * 0.5 + rng.normal(0, 0.15) for m in range(1, 13)]
        path[-1] = dec
        out[d] = [round(float(x), 1) for x in path]
    return out
