"""The computation layer: a catalogue of measures and the indicator cube built with Ibis."""

from __future__ import annotations

from jingxin.indicators.catalogue import MEASURES, RATIOS, Measure, Ratio, measure
from jingxin.indicators.compute import compute_cube, compute_year, read_cube, refresh_month
from jingxin.indicators.cube import CUBE_COLUMNS, build_cube, membership, periods_of
from jingxin.indicators.refresh import ensure_fresh, refresh, stale_years

__all__ = [
    "CUBE_COLUMNS",
    "MEASURES",
    "RATIOS",
    "Measure",
    "Ratio",
    "build_cube",
    "compute_cube",
    "compute_year",
    "ensure_fresh",
    "measure",
    "membership",
    "periods_of",
    "read_cube",
    "refresh",
    "refresh_month",
    "stale_years",
]
