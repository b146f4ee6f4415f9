"""Calibration helpers: fit generated values to published totals without losing their shape.

``rake`` scales values so that sums over (possibly overlapping) subsets hit their targets:
cyclic multiplicative projections, which converge whenever the targets are consistent.
``capped_fit`` finds one multiplier for shares that are capped (new-product output never
exceeds gross output), by bisection.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from jingxin.errors import InputError

__all__ = ["Constraint", "capped_fit", "fit_signed", "rake"]

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Constraint = tuple[str, Mask, float]


def rake(
    values: Floats, constraints: Sequence[Constraint], *, tol: float = 1e-13, max_iter: int = 5000
) -> Floats:
    """Scale ``values`` so that each constraint's masked sum equals its target.

    Examples
    --------
    >>> v = np.array([1.0, 1.0, 1.0])
    >>> out = rake(v, [("all", np.array([True, True, True]), 6.0),
    ...                ("first two", np.array([True, True, False]), 5.0)])
    >>> [round(float(x), 6) for x in out]
    [2.5, 2.5, 1.0]
    """
    v = values.astype(np.float64).copy()
    for name, mask, target in constraints:
        if target <= 0 or not mask.any():
            raise InputError(f"无法校准“{name}”：目标值 {target!r} 须为正且须有企业属于该分组。")
    worst = np.inf
    for _ in range(max_iter):
        worst = 0.0
        for _name, mask, target in constraints:
            s = float(v[mask].sum())
            f = target / s
            v[mask] *= f
            worst = max(worst, abs(f - 1.0))
        if worst < tol:
            return v
    names = "、".join(c[0] for c in constraints)
    raise InputError(f"目标值相互矛盾，无法同时满足：{names}（最大偏差 {worst:.2e}）。")


def capped_fit(base: Floats, share: Floats, target: float, cap: float = 0.95) -> Floats:
    """``base * min(cap, k * share)`` with k chosen so that the sum equals ``target``.

    Examples
    --------
    >>> out = capped_fit(np.array([10.0, 10.0]), np.array([0.1, 0.5]), 6.0)
    >>> round(float(out.sum()), 9)
    6.0
    """
    ceiling = float((base * cap * (share > 0)).sum())
    if not 0 < target < ceiling:
        raise InputError(
            f"目标值 {target:.1f} 超出可达范围（0 到 {ceiling:.1f}）：请检查目标文件。"
        )
    lo, hi = 0.0, 1.0
    while float((base * np.minimum(cap, hi * share)).sum()) < target:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if float((base * np.minimum(cap, mid * share)).sum()) < target:
            lo = mid
        else:
            hi = mid
    out = base * np.minimum(cap, hi * share)
    return out * (target / float(out.sum()))


def fit_signed(values: Floats, target: float) -> Floats:
    """Scale the positive values so that the sum (losses included) equals ``target``.

    Examples
    --------
    >>> fit_signed(np.array([4.0, -1.0, 1.0]), 9.0).tolist()
    [8.0, -1.0, 2.0]
    """
    pos = values > 0
    p, n = float(values[pos].sum()), float(values[~pos].sum())
    if p <= 0 or target <= n:
        raise InputError(
            f"无法校准利润类目标值 {target:.1f}：盈利企业合计为 {p:.1f}，亏损合计为 {n:.1f}。"
        )
    out = values.copy()
    out[pos] *= (target - n) / p
    return out
