"""ECharts options built on the server: each chart of a page is a dict in the page's result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jingxin.reference.clock import beijing

__all__ = ["bars", "beijing", "choropleth", "lines", "r1"]

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
PALETTE = ["#c23531", "#2f4554", "#61a0a8", "#d48265", "#91c7ae", "#749f83", "#ca8622"]


def r1(x: float | None, digits: int = 1) -> float | None:
    """``x`` rounded for display (``None`` stays ``None``).

    >>> r1(6.2000103), r1(None), r1(828.29985, 2)
    (6.2, None, 828.3)
    """
    return None if x is None else round(float(x), digits)


def _base(title: str, unit: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "left": "left", "textStyle": {"fontSize": 15}},
        "color": PALETTE,
        "textStyle": {"fontFamily": FONT},
        "tooltip": {"trigger": "axis", "valueFormatter": None},
        "grid": {"left": 50, "right": 60, "top": 60, "bottom": 40, "containLabel": True},
        "yAxis": {"type": "value", "name": unit},
        "legend": {"top": 28},
    }


def lines(
    title: str, categories: Sequence[str], series: Mapping[str, Sequence[float | None]], unit: str
) -> dict[str, Any]:
    """A line chart: one line per series over ``categories``."""
    opt = _base(title, unit)
    opt["xAxis"] = {"type": "category", "data": list(categories), "boundaryGap": False}
    opt["series"] = [
        {"name": name, "type": "line", "data": [r1(v) for v in data], "connectNulls": False}
        for name, data in series.items()
    ]
    return opt


def bars(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    unit: str,
    *,
    mark: float | None = None,
) -> dict[str, Any]:
    """A bar chart, with an optional horizontal mark line (e.g. the city's growth)."""
    opt = _base(title, unit)
    opt["xAxis"] = {"type": "category", "data": list(categories), "axisLabel": {"interval": 0}}
    opt["series"] = [
        {"name": name, "type": "bar", "data": [r1(v) for v in data]}
        for name, data in series.items()
    ]
    if mark is not None and opt["series"]:
        opt["series"][0]["markLine"] = {
            "symbol": "none",
            "data": [{"yAxis": r1(mark), "name": "全市"}],
            "label": {"formatter": "全市 {c}"},
        }
    return opt


def choropleth(
    title: str, map_name: str, values: Mapping[str, float | None], unit: str
) -> dict[str, Any]:
    """A map of areas coloured by value (``values`` by area name, as the map's features are
    named); the map's geometry is registered in the browser under ``map_name``."""
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    return {
        "title": {"text": title, "left": "left", "textStyle": {"fontSize": 15}},
        "textStyle": {"fontFamily": FONT},
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}" + unit},
        "visualMap": {
            "type": "continuous",
            "min": r1(low),
            "max": r1(high if high > low else low + 1),
            "text": ["高", "低"],
            "left": "left",
            "bottom": 10,
            "inRange": {"color": ["#dbe7f3", "#1f5f99"]},
        },
        "series": [
            {
                "type": "map",
                "map": map_name,
                "roam": False,
                "label": {
                    "show": True,
                    "formatter": "{b}\n{c}" + unit,
                    "color": "#1b1b1b",
                    "textBorderColor": "#fff",
                    "textBorderWidth": 2,
                },
                "data": [{"name": k, "value": r1(v)} for k, v in values.items()],
            }
        ],
    }
