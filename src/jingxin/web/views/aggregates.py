"""The published aggregates: overview, counties and industry structure.

These are the figures the bureau's bulletin publishes — the city's and each county's totals
— so every signed-in user, a county's staff included, sees the same result: they are
computed under ``Scope.city()`` from the cube and the bulletin's figures
(:func:`jingxin.tracking.bulletin.bulletin_data`) and carry no enterprise-level row. A view
on a stale cube refuses with the sentence of :func:`jingxin.indicators.refresh.ensure_fresh`.
"""

from __future__ import annotations

from typing import Any

from jingxin.errors import DataError
from jingxin.indicators.refresh import ensure_fresh
from jingxin.reference import load_groups, region_name
from jingxin.store import Scope, Store
from jingxin.store.versions import as_of_sentence
from jingxin.tracking.bulletin import WARNINGS, bulletin_data, check_period, warning
from jingxin.tracking.catalogue import INVESTMENT, YI
from jingxin.tracking.queries import cube_cells, rows
from jingxin.web.views.charts import bars, lines, r1

__all__ = ["counties", "fresh_period", "industry", "latest_period", "overview", "periods"]

CITY = Scope.city()  # aggregates only: see the module's docstring
MONTHS = [f"{m}月" for m in range(1, 13)]
# The overview's growth lines: cube measures and their labels.
LINE_MEASURES = {
    "value_added": "规上工业增加值",
    "gross_output": "规上工业总产值",
    "electricity": "工业用电量",
}


def periods(store: Store) -> list[str]:
    """Every month the cube has the city's figures for, newest first."""
    c = store.table("cube", CITY)
    c = c.filter((c.region_level == "city") & (c.measure == "value_added") & (c.group_key == "all"))
    return [
        r["period"] for r in rows(store, c.select("period").distinct().order_by(c.period.desc()))
    ]


def latest_period(store: Store) -> str:
    """The newest month with computed figures.

    Raises
    ------
    DataError
        When no month has been computed.
    """
    found = periods(store)
    if not found:
        raise DataError("尚未计算任何月份的指标：请先导入数据并运行 jingxin refresh。")
    return found[0]


def fresh_period(store: Store, period: str | None) -> tuple[str, int]:
    """The period asked for (default: the newest) and its year, refusing a stale cube."""
    p = period or latest_period(store)
    year, _ = check_period(p)
    ensure_fresh(store, year, prior=True)
    return p, year


def _progress_rows(
    b: Any, code: str, thresholds: tuple[float, float, float]
) -> list[dict[str, Any]]:
    """Every target of region ``code`` with its completion against time and its warning."""
    out: list[dict[str, Any]] = []
    labels = {i.indicator: i.label for i in INVESTMENT}
    for ind, part in b.investment.items():
        for r in part:
            if r["region_code"] == code and r.get("target"):
                out.append(
                    {
                        "label": labels.get(ind, ind),
                        "value": r["value"],
                        "target": r["target"],
                        "unit": "亿元",
                        **_gap(r, thresholds),
                    }
                )
    for r in b.projects:
        if r["region_code"] == code and r.get("annual_plan"):
            out.append(
                {
                    "label": "重点项目年度计划投资",
                    "value": r["invested"],
                    "target": r["annual_plan"],
                    "unit": "亿元",
                    **_gap(r, thresholds),
                }
            )
    for r in b.targets:
        if r["region_code"] == code:
            out.append(
                {
                    "label": r["label"],
                    "value": r["value"],
                    "target": r["target"],
                    "unit": "",
                    **_gap(r, thresholds),
                }
            )
    return out


def _gap(r: dict[str, Any], thresholds: tuple[float, float, float]) -> dict[str, Any]:
    w = warning(r.get("gap_pp"), thresholds)
    return {
        "completion_pct": r1(r.get("completion_pct")),
        "gap_pp": r1(r.get("gap_pp")),
        "warning": w,
        "warning_name": WARNINGS.get(w or "", "—"),
    }


def overview(
    store: Store, period: str | None, thresholds: tuple[float, float, float]
) -> dict[str, Any]:
    """The city this month: headline figures year to date, the year's line, target progress."""
    p, year = fresh_period(store, period)
    b = bulletin_data(store, p, CITY)
    city = b.industry[0]
    inv = {k: v[0] for k, v in b.investment.items() if v and v[0]["region_code"] == b.city}
    headline = [
        {
            "label": "规上工业增加值",
            "value": r1(city["value_added"], 2),
            "unit": "亿元",
            "growth_pct": r1(city["value_added_growth_pct"]),
        },
        {
            "label": "规上工业总产值",
            "value": r1(city["gross_output"], 2),
            "unit": "亿元",
            "growth_pct": r1(city["gross_output_growth_pct"]),
        },
        {
            "label": "工业用电量",
            "value": r1(city["electricity"], 2),
            "unit": "亿千瓦时",
            "growth_pct": r1(city["electricity_growth_pct"]),
        },
    ]
    for i in INVESTMENT:
        if i.indicator in inv:
            headline.append(
                {
                    "label": i.label,
                    "value": r1(inv[i.indicator]["value"], 2),
                    "unit": "亿元",
                    "growth_pct": r1(inv[i.indicator]["growth_pct"]),
                }
            )
    cells = rows(
        store,
        cube_cells(store, CITY, region=b.city).filter(
            lambda t: (
                t.measure.isin(list(LINE_MEASURES))
                & t.period.startswith(f"{year}-")
                & (t.period <= p)
            )
        ),
    )
    month: dict[str, dict[int, dict[str, Any]]] = {}
    for c in cells:
        month.setdefault(c["measure"], {})[int(c["period"][5:7])] = c
    months = range(1, 13)
    va = month.get("value_added", {})
    growth = {
        label: [month.get(m, {}).get(i, {}).get("growth_pct") for i in months]
        for m, label in LINE_MEASURES.items()
    }
    level = {
        f"{year}年": [
            va[i]["value"] * YI if i in va and va[i]["value"] is not None else None for i in months
        ],
        f"{year - 1}年同期": [
            va[i]["prior"] * YI if i in va and va[i]["prior"] is not None else None for i in months
        ],
    }
    progress = _progress_rows(b, b.city, thresholds)
    return {
        "period": p,
        "city": {"code": b.city, "name": region_name(b.city)},
        "time_pct": r1(b.time_pct),
        "headline": headline,
        "progress": progress,
        "warnings": WARNINGS,
        "charts": {
            "growth": lines(f"{year} 年 1 月至各月累计增速", MONTHS, growth, "%"),
            "value_added": lines(
                f"规上工业增加值：{year} 年与上年同期（1 月至各月累计）", MONTHS, level, "亿元"
            ),
        },
        "as_of": as_of_sentence(store),
    }


def counties(
    store: Store, period: str | None, thresholds: tuple[float, float, float]
) -> dict[str, Any]:
    """Every county this month: the industrial economy, investment, ranks, warnings, map."""
    p, _ = fresh_period(store, period)
    b = bulletin_data(store, p, CITY)
    inv = {r["region_code"]: r for r in b.investment.get("investment_industrial", [])}
    table = []
    for r in b.industry:
        i = inv.get(r["region_code"], {})
        table.append(
            {
                "region_code": r["region_code"],
                "region_name": r["region_name"],
                "is_city": r["region_code"] == b.city,
                "value_added": r1(r["value_added"], 2),
                "value_added_growth_pct": r1(r["value_added_growth_pct"]),
                "value_added_rank": r["value_added_rank"],
                "share_pct": r1(r["share_pct"]),
                "electricity": r1(r["electricity"], 2),
                "electricity_growth_pct": r1(r["electricity_growth_pct"]),
                "electricity_rank": r["electricity_rank"],
                "investment": r1(i.get("value"), 2),
                "investment_growth_pct": r1(i.get("growth_pct")),
                "investment_rank": i.get("rank_growth"),
                "investment_completion_pct": r1(i.get("completion_pct")),
                "investment_warning": warning(i.get("gap_pp"), thresholds),
            }
        )
    county_rows = [r for r in table if not r["is_city"]]
    names = [r["region_name"] for r in county_rows]
    city_growth = table[0]["value_added_growth_pct"] if table else None
    return {
        "period": p,
        "time_pct": r1(b.time_pct),
        "table": table,
        "behind": b.behind,
        "warnings": WARNINGS,
        "tiles": [
            {
                "code": r["region_code"],
                "name": r["region_name"],
                "growth_pct": r["value_added_growth_pct"],
                "above_city": None
                if city_growth is None or r["value_added_growth_pct"] is None
                else r["value_added_growth_pct"] >= city_growth,
            }
            for r in county_rows
        ],
        "charts": {
            "value_added_growth": bars(
                "各区县规上工业增加值累计增速",
                names,
                {"增加值增速": [r["value_added_growth_pct"] for r in county_rows]},
                "%",
                mark=city_growth,
            ),
            "investment_growth": bars(
                "各区县工业投资累计增速",
                names,
                {"工业投资增速": [r["investment_growth_pct"] for r in county_rows]},
                "%",
                mark=table[0]["investment_growth_pct"] if table else None,
            ),
        },
        "as_of": as_of_sentence(store),
    }


def industry(store: Store, period: str | None) -> dict[str, Any]:
    """Industry groups this month: value added, growth, share and its change, 贡献率, 拉动."""
    p, _ = fresh_period(store, period)
    groups = load_groups()
    c = store.table("cube", CITY)
    cells = rows(
        store,
        c.filter(
            (c.period == p)
            & (c.region_level == "city")
            & (c.measure == "value_added")
            & (c.group_key != "all")
        ),
    )
    table = sorted(
        (
            {
                "group_key": r["group_key"],
                "group_name": groups[r["group_key"]].name
                if r["group_key"] in groups
                else r["group_key"],
                "n_enterprises": r["n_enterprises"],
                "value_added": r1((r["value"] or 0) * 1e-4, 2),
                "growth_pct": r1(r["growth_pct"]),
                "share_pct": r1(r["share_pct"]),
                "share_change_pp": r1(r["share_change_pp"], 2),
                "contribution_pct": r1(r["contribution_pct"]),
                "pull_pp": r1(r["pull_pp"], 2),
            }
            for r in cells
        ),
        key=lambda r: -(r["value_added"] or 0),
    )
    names = [r["group_name"] for r in table]
    return {
        "period": p,
        "table": table,
        "charts": {
            "share": bars(
                "各产业增加值占规上工业比重", names, {"比重": [r["share_pct"] for r in table]}, "%"
            ),
            "pull": bars(
                "各产业拉动规上工业增加值增长",
                names,
                {"拉动": [r["pull_pp"] for r in table]},
                "百分点",
            ),
        },
        "as_of": as_of_sentence(store),
    }
