"""The province's other cities as published (for ranks) and counties' reported counts."""

from __future__ import annotations

import numpy as np

from jingxin.errors import InputError
from jingxin.reference import regions

__all__ = ["place_around", "province_peers", "split_total"]


def place_around(
    rng: np.random.Generator,
    own: float,
    rank: int,
    n: int,
    gap: float,
    spread: float,
    *,
    floor: float | None = None,
) -> list[float]:
    """Values for the ``n - 1`` other cities so that ``own`` ranks ``rank`` (1 = highest).

    Every other value differs from ``own`` by at least ``gap``, so rounding of ``own``
    cannot change its rank.

    Examples
    --------
    >>> vals = place_around(np.random.default_rng(0), 9.6, 2, 11, 0.3, 2.0)
    >>> sum(v > 9.6 for v in vals), len(vals)
    (1, 10)
    """
    above = [own + gap + float(rng.exponential(spread)) for _ in range(rank - 1)]
    below = []
    for _ in range(n - rank):
        v = own - gap - float(rng.exponential(spread))
        if floor is not None and v < floor:
            v = floor + (own - gap - floor) * float(rng.random())
        below.append(v)
    return above + below


def split_total(rng: np.random.Generator, total: int, weights: list[float]) -> list[int]:
    """Split a count into parts in proportion to ``weights`` (multinomial draw).

    Examples
    --------
    >>> sum(split_total(np.random.default_rng(1), 1369, [0.2, 0.3, 0.5]))
    1369
    """
    p = np.array(weights, dtype=float)
    return [int(x) for x in rng.multinomial(total, p / p.sum())]


def province_peers(city_code: str, n_cities: int) -> tuple[str, list[str]]:
    """The province of ``city_code`` and the other ``n_cities - 1`` cities ranked with it."""
    province = regions()[city_code].parent or ""
    others = sorted(
        c
        for c, r in regions().items()
        if r.parent == province
        and r.level != "省"
        and c != city_code
        and len([x for x in regions().values() if x.parent == c]) > 0
    )
    others = [c for c in others if regions()[c].level.endswith("市")][: n_cities - 1]
    if len(others) != n_cities - 1:
        raise InputError(f"全省应有 {n_cities} 个市参与排名，参考表中只找到 {len(others) + 1} 个。")
    return province, others
