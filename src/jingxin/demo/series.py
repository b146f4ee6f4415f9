"""Monthly shapes: Spring Festival seasonality, year-to-date fractions, and PPI by division."""

from __future__ import annotations

import calendar

import numpy as np
import numpy.typing as npt

from jingxin.reference.calendar import SPRING_FESTIVAL

__all__ = [
    "SPRING_FESTIVAL",
    "SPRING_FESTIVAL_MONTH",
    "month_base",
    "month_weights",
    "ppi_ytd",
    "ytd_fractions",
]

SPRING_FESTIVAL_MONTH = {y: d.month for y, d in SPRING_FESTIVAL.items()}


def month_base(year: int, dip: float = 0.55) -> npt.NDArray[np.float64]:
    """The months' shares before noise, each in proportion to its days: the Spring
    Festival month at ``dip``, the month after it and the month before a February festival
    a little lower, the year-end push.

    >>> [round(float(x), 2) for x in month_base(2016)[:3]], round(float(month_base(2016)[11]), 2)
    ([0.94, 0.52, 0.97], 1.14)
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
    days = np.array([calendar.monthrange(year, m)[1] for m in range(1, 13)], dtype=float)
    out: npt.NDArray[np.float64] = base * days / days.mean()  # a month's share follows its days
    return out


def month_weights(
    rng: np.random.Generator, n: int, year: int, dip: float = 0.55
) -> npt.NDArray[np.float64]:
    """Per-enterprise single-month weights (n × 12): seasonality times noise, rows sum to 1.

    The Spring Festival month runs at ``dip`` of a normal month, the month after it ramps
    up, and December carries the year-end push.
    """
    base = month_base(year, dip)
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
