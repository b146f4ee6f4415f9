"""Reference data shipped with the package: regions (GB/T 2260), industries (GB/T 4754-2017)
and industry groups (configuration). See ``data/SOURCE.md`` for where each table came from."""

from __future__ import annotations

from jingxin.reference.groups import IndustryGroup, load_groups
from jingxin.reference.tables import Industry, Region, industries, region_name, regions

__all__ = [
    "Industry",
    "IndustryGroup",
    "Region",
    "industries",
    "load_groups",
    "region_name",
    "regions",
]
