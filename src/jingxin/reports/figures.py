"""The annual summary's figures: declared once, read from the cube, keyed like the targets file.

Each ``Figure`` names the cube cell it comes from (measure, group, column, period offset)
and how it is published (unit scale and decimals). ``annual_figures`` returns a nested
dict with the same keys as the targets file, holding the computed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jingxin.errors import DataError
from jingxin.reference import load_groups, region_name, regions
from jingxin.store import Scope, Store
from jingxin.tracking.queries import city_of, cube_cells, enterprise_regions, rows

__all__ = ["FIGURES", "Figure", "annual_figures", "city_of", "county_table"]

YI = 1e-4  # 万 → 亿


@dataclass(frozen=True)
class Figure:
    """One published figure and the cube cell behind it."""

    path: str
    measure: str
    column: str = "value"
    group: str = "all"
    scale: float = 1.0
    decimals: int | None = 1  # None: an integer (ranks, counts)
    years_back: int = 0


def _vg(path: str, measure: str, group: str = "all") -> list[Figure]:
    return [
        Figure(f"{path}.value", measure, "value", group, YI),
        Figure(f"{path}.growth_pct", measure, "growth_pct", group),
    ]


def _group_figures() -> list[Figure]:
    out: list[Figure] = []
    for key in load_groups():
        p = f"groups.{key}.value_added"
        out += _vg(p, "value_added", key)
        out.append(Figure(f"{p}.share_pct", "value_added", "share_pct", key))
        out.append(Figure(f"{p}.share_change_pp", "value_added", "share_change_pp", key))
    return out


FIGURES: tuple[Figure, ...] = (
    *_vg("above_scale.value_added", "value_added"),
    *_vg("above_scale.export_delivery", "export_delivery"),
    *_vg("above_scale.profit_and_tax", "profit_and_tax"),
    *_vg("above_scale.profit", "profit"),
    Figure(
        "above_scale.previous_year_published.value_added", "value_added", scale=YI, years_back=1
    ),
    *_vg("electricity.industrial_use", "electricity"),
    Figure(
        "electricity.industrial_use.province_rank_growth",
        "electricity",
        "province_rank_growth",
        decimals=None,
    ),
    Figure(
        "electricity.industrial_use.above_province_avg_pp",
        "electricity",
        "above_province_pp",
        decimals=2,
    ),
    *_group_figures(),
    *_vg("new_products.output", "new_product_output"),
    Figure("new_products.output_rate_pct", "new_product_rate"),
    Figure("new_products.contribution_pct", "new_product_rate", "contribution_pct"),
    Figure(
        "new_products.province_rank_value",
        "new_product_output",
        "province_rank_value",
        decimals=None,
    ),
    Figure(
        "new_products.province_rank_growth",
        "new_product_output",
        "province_rank_growth",
        decimals=None,
    ),
    Figure(
        "new_products.provincial_new_product_filings",
        "provincial_new_product_filings",
        decimals=None,
    ),
    Figure(
        "new_products.provincial_new_product_filings_rank",
        "provincial_new_product_filings",
        "province_rank_value",
        decimals=None,
    ),
    Figure("new_products.new_product_appraisals", "new_product_appraisals", decimals=None),
    Figure(
        "new_products.provincial_excellent_new_products",
        "provincial_excellent_new_products",
        decimals=None,
    ),
    Figure("new_products.first_of_kind_equipment", "first_of_kind_equipment", decimals=None),
    Figure("new_products.zhejiang_made_premium", "zhejiang_made_premium", decimals=None),
)


def _publish(value: Any, fig: Figure) -> Any:
    if value is None:
        return None
    if fig.decimals is None:
        return int(round(float(value) * fig.scale))
    return round(float(value) * fig.scale, fig.decimals) + 0.0  # no -0.0


def _set(out: dict[str, Any], path: str, value: Any) -> None:
    *heads, last = path.split(".")
    node = out
    for h in heads:
        node = node.setdefault(h, {})
    node[last] = value


def annual_figures(store: Store, year: int, scope: Scope) -> dict[str, Any]:
    """Every figure of the annual summary for ``year``, computed from the stored cube.

    Raises
    ------
    DataError
        When the cube of the year has not been computed.
    """
    city = city_of(store, scope)
    cells = rows(
        store,
        cube_cells(store, scope, periods=[f"{year}-12", f"{year - 1}-12"], region=city, group=None),
    )
    if not any(c["period"] == f"{year}-12" for c in cells):
        raise DataError(f"尚未计算 {year} 年的指标：请先运行 jingxin compute --year {year}。")
    index = {(c["period"], c["group_key"], c["measure"]): c for c in cells}
    counties = [r["region_code"] for r in rows(store, enterprise_regions(store, scope))]
    province = regions()[city].parent or ""
    out: dict[str, Any] = {
        "meta": {
            "city_code": city,
            "city_name": region_name(city),
            "province_name": region_name(province),
            "province_cities": sum(
                1 for r in regions().values() if r.parent == province and r.level == "地级市"
            ),
            "year": year,
            "counties": counties,
        }
    }
    for fig in FIGURES:
        cell = index.get((f"{year - fig.years_back}-12", fig.group, fig.measure))
        _set(out, fig.path, _publish(cell[fig.column], fig) if cell else None)
    from jingxin.tracking.figures import tracking_figures

    _merge(out, tracking_figures(store, city, year, scope))
    out["county_table"] = county_table(store, year, scope)
    return out


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for k, v in other.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v


def county_table(store: Store, year: int, scope: Scope) -> list[dict[str, Any]]:
    """By county: 规上工业增加值 (亿元), growth, rank, share of the city; 工业用电 and growth."""
    cells = rows(store, cube_cells(store, scope, periods=[f"{year}-12"]))
    kwh = {c["region_code"]: c for c in cells if c["measure"] == "electricity"}
    va = [c for c in cells if c["measure"] == "value_added" and c["region_level"] == "county"]
    out = []
    for v in sorted(va, key=lambda c: str(c["region_code"])):
        e = kwh.get(v["region_code"], {})
        out.append(
            {
                "region_code": v["region_code"],
                "region_name": region_name(v["region_code"]),
                "value_added": round(v["value"] * YI, 1),
                "growth_pct": round(v["growth_pct"], 1),
                "rank_growth": v["county_rank_growth"],
                "share_pct": round(v["share_of_city_pct"], 1),
                "electricity": _rounded(e.get("value"), YI, 2),
                "electricity_growth_pct": _rounded(e.get("growth_pct"), 1.0, 1),
                "electricity_rank_growth": e.get("county_rank_growth"),
            }
        )
    return out


def _rounded(x: float | None, scale: float, decimals: int) -> float | None:
    return None if x is None else round(x * scale, decimals)
