"""What the bureau tracks besides the statistics forms, declared once: reported indicators,
fixed-asset investment, project categories and lists, enterprise pools.

Each entry names where its figure sits in the annual summary (the targets file's key path),
so that the demo generator writes records for it and the report computes it back from
records through the same declaration.
"""

from __future__ import annotations

from dataclasses import dataclass

# The code lists live in one place (reference/vocabulary.py); tracking code imports them here.
from jingxin.reference.vocabulary import (
    EXIT_REASONS,
    POOL_LEVELS,
    POOLS,
    PROJECT_CATEGORIES,
    PROJECT_LISTS,
    Pool,
)

__all__ = [
    "EXIT_REASONS",
    "INVESTMENT",
    "POOL_LEVELS",
    "POOLS",
    "PROJECT_CATEGORIES",
    "PROJECT_LISTS",
    "REPORTED",
    "Investment",
    "Pool",
    "Reported",
    "additive_targets",
    "is_additive_target",
]

YI = 1e-4  # 万 → 亿


@dataclass(frozen=True)
class Reported:
    """A count or amount the counties (or the city) report, year to date.

    ``fields`` are the published parts: ``value``, ``growth_pct`` (against last year's same
    period), ``target`` and ``completion_pct`` (against the ``target`` table),
    ``province_rank`` (among the province's cities, from ``peer_figure``), ``unit`` (a
    constant) and ``year`` (the data year, for figures published a year late). A figure with
    only ``value`` is published as a bare number at ``path``.
    """

    path: str
    indicator: str
    label: str
    unit: str
    fields: tuple[str, ...] = ("value",)
    scale: float = 1.0  # stored unit → published unit
    decimals: int | None = None  # None: an integer count
    additive: bool = True  # counties' values add up to the city's; else the city reports
    years_back: int = 0  # published for the year before the summary's year
    nested: bool = False  # published as ``{value = …}`` even when value is the only field

    @property
    def bare(self) -> bool:
        return self.fields == ("value",) and not self.nested


@dataclass(frozen=True)
class Investment:
    """Fixed-asset investment (统计局 固定资产投资) by county and month, year to date, 万元."""

    path: str
    indicator: str
    label: str
    fields: tuple[str, ...]


_C = "个"
REPORTED: tuple[Reported, ...] = (
    Reported(
        "information_economy.investment",
        "investment_information_economy",
        "信息经济投资",
        "万元",
        ("value",),
        YI,
        1,
        nested=True,
    ),
    Reported(
        "information_economy.provincial_key_enterprises",
        "provincial_key_electronics",
        "入围省电子信息产业重点企业",
        "家",
    ),
    Reported("innovation.leading_talents", "leading_talents", "引进领军人才", "人", nested=True),
    Reported(
        "innovation.leading_talents.national_thousand_talents",
        "national_thousand_talents",
        "国家“千人计划”人才",
        "人",
    ),
    Reported(
        "innovation.leading_talents.provincial_thousand_talents",
        "provincial_thousand_talents",
        "省“千人计划”人才",
        "人",
    ),
    Reported(
        "innovation.smart_manufacturing_pilot_projects",
        "smart_manufacturing_pilots",
        "区县重点企业智能制造示范试点项目",
        "项",
    ),
    Reported(
        "innovation.provincial_smart_manufacturing_demonstrations",
        "provincial_smart_manufacturing_demos",
        "省级智能制造示范项目",
        "项",
    ),
    Reported(
        "innovation.single_champion_applicants",
        "single_champion_applicants",
        "申报制造业单项冠军企业",
        "家",
    ),
    Reported(
        "informatization.demonstration_counties",
        "integration_demo_counties",
        "省级两化深度融合示范试点区域",
        _C,
    ),
    Reported(
        "informatization.development_index",
        "informatization_development_index",
        "信息化发展指数",
        "",
        ("value", "province_rank", "year"),
        1.0,
        3,
        False,
        1,
    ),
    Reported(
        "informatization.integration_index",
        "integration_index",
        "两化融合发展指数",
        "",
        ("value", "province_rank", "year"),
        1.0,
        2,
        False,
        1,
    ),
    Reported("informatization.key_projects", "integration_key_projects", "两化融合重点项目", "项"),
    Reported("informatization.cio_trained", "cio_trained", "培训企业信息主管", "人"),
    Reported(
        "informatization.pilot_enterprises",
        "integration_pilot_enterprises",
        "两化融合试点企业",
        "家",
    ),
    Reported(
        "green.backward_capacity.enterprises",
        "backward_capacity_enterprises",
        "淘汰落后产能企业",
        "家",
    ),
    Reported(
        "green.backward_capacity.energy_freed",
        "backward_capacity_energy",
        "淘汰落后产能腾出用能",
        "万吨标准煤",
        ("value", "target", "completion_pct"),
        1.0,
        1,
    ),
    Reported(
        "green.small_scattered.enterprises",
        "small_scattered_cases",
        "“低小散”整治企业",
        "家",
        ("value", "target", "completion_pct"),
    ),
    Reported(
        "green.photovoltaic.capacity_mw", "photovoltaic_mw", "光伏装机", "兆瓦", ("value", "target")
    ),
    Reported(
        "projects.robots.units",
        "robots",
        "推广工业机器人",
        "台",
        ("value", "target", "completion_pct"),
    ),
    Reported("projects.robots.application_projects", "robot_projects", "机器人应用项目", "项"),
    Reported(
        "infrastructure.base_stations",
        "base_stations",
        "新建及改建铁塔基站",
        _C,
        ("value", "completion_pct"),
    ),
    Reported("infrastructure.wifi_sites", "wifi_sites", "无线局域网建设点位", _C),
    Reported(
        "infrastructure.wifi_access_points",
        "wifi_access_points",
        "无线接入点(AP)",
        _C,
        ("value", "completion_pct"),
    ),
    Reported("infrastructure.ev_charging_piles", "ev_charging_piles", "电动汽车充电桩", _C),
    Reported(
        "building_materials.cement_output",
        "cement_output",
        "水泥产量",
        "万吨",
        ("value", "unit", "growth_pct"),
        1.0,
        0,
    ),
    Reported(
        "building_materials.bulk_cement",
        "bulk_cement",
        "散装水泥供应量",
        "万吨",
        ("value", "unit"),
        1.0,
        0,
    ),
    Reported(
        "building_materials.ready_mixed_concrete",
        "ready_mixed_concrete",
        "预拌混凝土",
        "万立方米",
        ("value", "unit", "growth_pct"),
        1.0,
        0,
    ),
    Reported(
        "building_materials.ready_mixed_mortar",
        "ready_mixed_mortar",
        "预拌砂浆",
        "万吨",
        ("value", "unit", "growth_pct"),
        1.0,
        1,
    ),
    Reported("building_materials.clay_kilns_closed", "clay_kilns_closed", "关停粘土砖瓦窑", "座"),
    Reported(
        "stable_growth.bulletins_issued", "bulletins_issued", "活动信息简报", "期", additive=False
    ),
    Reported("energy.energy_inspections", "energy_inspections", "节能监察单位", "家"),
    Reported(
        "energy.burden_reduction",
        "burden_reduction",
        "减轻企业负担",
        "万元",
        ("value",),
        YI,
        None,
        False,
    ),
)

INVESTMENT: tuple[Investment, ...] = (
    Investment(
        "investment.industrial",
        "investment_industrial",
        "工业投资",
        (
            "value",
            "target_completion_pct",
            "growth_pct",
            "province_rank_value",
            "province_rank_growth",
            "province_rank_growth_change",
            "above_province_avg_pp",
        ),
    ),
    Investment(
        "investment.technical_renovation",
        "investment_technical_renovation",
        "技术改造投资",
        (
            "value",
            "growth_pct",
            "province_target_growth_pct",
            "target_completion_pct",
            "province_rank_growth",
            "province_rank_growth_change",
        ),
    ),
    Investment(
        "investment.equipment", "investment_equipment", "装备制造业投资", ("value", "growth_pct")
    ),
)


def additive_targets() -> frozenset[str]:
    """Target indicators whose county values add up to the city's: additive reported
    indicators, fixed-asset investment and the cube's summed measures (not its ratios).
    ``projects:<list>`` investment targets are additive too (see :func:`is_additive_target`).

    >>> "investment_industrial" in additive_targets(), "bulletins_issued" in additive_targets()
    (True, False)
    """
    from jingxin.indicators.catalogue import MEASURES

    return frozenset(
        {r.indicator for r in REPORTED if r.additive}
        | {i.indicator for i in INVESTMENT}
        | {m.key for m in MEASURES}
    )


def is_additive_target(indicator: str) -> bool:
    """Whether the counties' ``value`` targets of ``indicator`` must sum to the city's.

    >>> is_additive_target("projects:three_hundred"), is_additive_target("new_product_rate")
    (True, False)
    >>> is_additive_target("projects:three_hundred:start_rate")
    False
    """
    if indicator.startswith("projects:"):
        return indicator.count(":") == 1
    return indicator in additive_targets()


def indicator_label(key: str) -> str:
    """The Chinese name of a measure, reported indicator or investment indicator."""
    from jingxin.indicators.catalogue import MEASURES, RATIOS

    names = {r.indicator: r.label for r in REPORTED}
    names |= {i.indicator: i.label for i in INVESTMENT}
    names |= {m.key: m.label for m in MEASURES} | {r.key: r.label for r in RATIOS}
    return names.get(key, key)
