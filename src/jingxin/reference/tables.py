"""Regions and industries, read once from the CSV files in ``data/``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jingxin.errors import NotFoundError

__all__ = ["Industry", "Region", "industries", "region_name", "regions"]

INDUSTRY_EDITION = "GB/T 4754-2017"


@dataclass(frozen=True)
class Region:
    """A GB/T 2260 administrative division."""

    code: str
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Industry:
    """A GB/T 4754-2017 class (门类, 大类, 中类 or 小类)."""

    code: str
    name: str
    level: str
    parent: str | None


def _rows(name: str) -> list[dict[str, str]]:
    text = files("jingxin.reference").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def regions() -> dict[str, Region]:
    """All regions of the province: the province, its cities and their counties.

    Examples
    --------
    >>> regions()["330522"].name
    '长兴县'
    >>> regions()["330522"].parent
    '330500'
    """
    out: dict[str, Region] = {}
    for fname in ("provinces.csv", "zhejiang_cities.csv", "zhejiang_counties.csv"):
        for r in _rows(fname):
            out[r["code"]] = Region(r["code"], r["name"], r["level"], r["parent"] or None)
    return out


def region_name(code: str) -> str:
    """The name of region ``code``; raises NotFoundError naming the code.

    Examples
    --------
    >>> region_name("330500")
    '湖州市'
    """
    try:
        return regions()[code].name
    except KeyError:
        raise NotFoundError(f"未知的行政区划代码 {code!r}：请使用 GB/T 2260 六位代码。") from None


@cache
def industries() -> dict[str, Industry]:
    """GB/T 4754-2017 classes keyed by code.

    Examples
    --------
    >>> industries()["3841"].name
    '锂离子电池制造'
    """
    return {
        r["code"]: Industry(r["code"], r["name"], r["level"], r["parent"] or None)
        for r in _rows("gbt4754_2017.csv")
    }
