"""The province's other cities as published (for ranks) and counties' reported counts."""

from __future__ import annotations

import numpy as np

__all__ = ["place_around", "split_total"]


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
