"""What every part of the demo's tracking generator shares: the city being drawn, the rows
it collects, and small drawing helpers (``demo/tracking.py``, ``demo/projects.py``,
``demo/pools.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from jingxin.demo.peers import split_total
from jingxin.errors import InputError
from jingxin.tracking.catalogue import YI

__all__ = [
    "WAN",
    "City",
    "Rows",
    "day",
    "decimals",
    "get",
    "month_end",
    "nice_target",
    "pick",
    "split",
]

WAN = 1 / YI  # 亿 → 万


def get(raw: dict[str, Any], path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def nice_target(value: float, pct: float, decimals: int) -> float:
    """The roundest target that gives ``value / target`` = ``pct`` % at ``decimals``.

    >>> nice_target(1372, 120.99, 2)
    1134.0
    >>> nice_target(678.03, 103.4, 1)
    656.0
    """
    exact = value / pct * 100
    for step in (1000, 500, 100, 50, 10, 5, 1, 0.5, 0.1, 0.01, 0.001):
        t = round(exact / step) * step
        if t > 0 and round(value / t * 100, decimals) == round(pct, decimals):
            return float(t)
    return exact


def decimals(x: float) -> int:
    s = repr(float(x))
    return len(s.split(".")[1].rstrip("0")) if "." in s else 0


class Rows:
    def __init__(self) -> None:
        self.reported: list[tuple[str, str, str, float]] = []
        self.peers: list[tuple[str, str, str, float | None, float | None]] = []
        self.targets: list[tuple[str, str, int, str, float]] = []
        # (indicator, county) → the year's value of a figure the capacity ledger's cases carry
        self.cases: dict[tuple[str, str], float] = {}


@dataclass(frozen=True)
class City:
    """What every part of the generator reads: the targets, where rows go, the random
    stream, and the city with its counties and the province's other cities."""

    raw: dict[str, Any]
    rows: Rows
    rng: np.random.Generator
    city: str
    year: int
    counties: list[str]
    shares: list[float]
    others: list[str]
    province: str
    tables: dict[str, pa.Table]
    restricted: tuple[str, ...] = ()  # the restriction list the generator's electricity carries


def split(rng: np.random.Generator, total: float, shares: list[float], count: bool) -> list[float]:
    if count:
        return [float(v) for v in split_total(rng, int(round(total)), shares)]
    w = np.array(shares) * rng.uniform(0.7, 1.3, len(shares))
    parts = (w / w.sum() * total).tolist()
    parts[-1] = total - sum(parts[:-1])
    return [float(p) for p in parts]


def pick(rng: np.random.Generator, pool: list[str], k: int) -> list[str]:
    if k > len(pool):
        raise InputError(f"演示城市的企业不足 {k} 家，无法生成。")
    return [pool[i] for i in rng.choice(len(pool), size=k, replace=False)]


def day(rng: np.random.Generator, year: int, lo: int = 1, hi: int = 12) -> date:
    start = date(year, lo, 1)
    end = date(year, hi, 28)
    return start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def month_end(period: str) -> date:
    y, m = int(period[:4]), int(period[5:7])
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
