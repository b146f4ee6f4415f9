"""The annual summary's paragraphs on investment, 两化融合, green development and the year's
key work (三百计划, 大好高, pools, infrastructure, building materials, county rankings,
stable growth, energy). Each paragraph is written only when its figures were computed.
"""

from __future__ import annotations

from typing import Any

from jingxin.reference import region_name
from jingxin.reports.phrasing import change, fmt

__all__ = ["progress_paragraphs", "work_paragraphs"]


def _g(f: dict[str, Any], path: str) -> Any:
    node: Any = f
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node or node[part] is None:
            return None
        node = node[part]
    return node


def _n(x: Any) -> str:
    return str(int(x)) if x is not None else "—"


def progress_paragraphs(f: dict[str, Any], y: int) -> list[str]:
    """Part 一, items 4–6: investment, 两化融合, green development."""
    out: list[str] = []
    ind, tr, eq = (
        _g(f, f"investment.{k}") for k in ("industrial", "technical_renovation", "equipment")
    )
    if ind and tr:
        text = (
            f"4.发展后劲不断增强。{y}年，全市完成工业投资{fmt(ind['value'], 2)}亿元，"
            f"完成年度目标的{fmt(ind.get('target_completion_pct'))}%，{change(ind['growth_pct'])}，"
            f"总量居全省第{_n(ind.get('province_rank_value'))}位，增幅居全省第"
            f"{_n(ind.get('province_rank_growth'))}位"
        )
        if ind.get("province_rank_growth_change"):
            text += f"，比上年前移{_n(ind['province_rank_growth_change'])}位"
        if ind.get("above_province_avg_pp") is not None:
            text += f"，高于全省平均{fmt(ind['above_province_avg_pp'])}个百分点"
        text += (
            f"；完成技术改造投资{fmt(tr['value'], 2)}亿元，{change(tr['growth_pct'])}，"
            f"高于省下达的目标任务{fmt(tr.get('province_target_growth_pct'), 0)}%，"
            f"完成年度目标的{fmt(tr.get('target_completion_pct'))}%，增幅居全省第"
            f"{_n(tr.get('province_rank_growth'))}位"
        )
        if tr.get("province_rank_growth_change"):
            text += f"，比上年前移{_n(tr['province_rank_growth_change'])}位"
        if eq:
            text += f"；完成装备制造业投资{fmt(eq['value'], 2)}亿元，{change(eq['growth_pct'])}"
        info = _g(f, "information_economy.investment.value")
        if info is not None:
            text += f"；信息经济产业投资{fmt(info)}亿元"
        out.append(text + "。")
    inf = _g(f, "informatization")
    if inf:
        dev, itg = inf.get("development_index") or {}, inf.get("integration_index") or {}
        out.append(
            f"5.两化融合深入推进。全市{_n(inf.get('demonstration_counties'))}个区县列入省级两化深度融合"
            f"示范试点区域；{dev.get('year', y - 1)}年信息化发展指数{fmt(dev.get('value'), 3)}，"
            f"居全省第{_n(dev.get('province_rank'))}位；两化融合发展指数{fmt(itg.get('value'), 2)}，"
            f"居全省第{_n(itg.get('province_rank'))}位。实施两化融合重点项目"
            f"{_n(inf.get('key_projects'))}项，新增两化融合管理体系贯标试点企业"
            f"{_n(inf.get('management_system_pilots_new'))}家（累计"
            f"{_n(inf.get('management_system_pilots_total'))}家），培训企业信息主管"
            f"{_n(inf.get('cio_trained'))}人，两化融合试点企业达{_n(inf.get('pilot_enterprises'))}家。"
        )
    green = _g(f, "green")
    if green:
        bc, ss = green.get("backward_capacity") or {}, green.get("small_scattered") or {}
        pv = green.get("photovoltaic") or {}
        ef = bc.get("energy_freed") or {}
        en = ss.get("enterprises") or {}
        cap = pv.get("capacity_mw") or {}
        out.append(
            f"6.绿色发展成效明显。全年淘汰落后产能企业{_n(bc.get('enterprises'))}家，腾出用能"
            f"{fmt(ef.get('value'))}万吨标准煤，完成年度目标（{fmt(ef.get('target'))}万吨）的"
            f"{fmt(ef.get('completion_pct'), 0)}%；整治“低小散”企业{_n(en.get('value'))}家，"
            f"完成年度目标（{_n(en.get('target'))}家）的{fmt(en.get('completion_pct'))}%；"
            f"新增光伏装机{_n(cap.get('value'))}兆瓦，目标{_n(cap.get('target'))}兆瓦。"
        )
    return out


def work_paragraphs(f: dict[str, Any], y: int) -> list[str]:
    """The figures of part 二: the year's key work."""
    out: list[str] = []
    ranks = _g(f, "county_strength_rank")
    if ranks:
        parts = []
        for code, r in ranks.items():
            s = f"{region_name(code)}居第{_n(r.get('rank'))}位"
            if r.get("gained"):
                s += f"（前移{_n(r['gained'])}位）"
            parts.append(s)
        out.append(
            f"1.工业强县建设。在全省{y - 1}年度工业强县综合评价中，" + "，".join(parts) + "。"
        )
    sg = _g(f, "stable_growth")
    if sg:
        out.append(
            f"2.稳增长。G20峰会期间涉及停限产企业{_n(sg.get('g20_restricted_enterprises'))}家，"
            f"梳理四季度可增产企业{_n(sg.get('q4_increase_candidates'))}家；"
            f"{_n(sg.get('transformation_indicators'))}项工业转型升级主要指标分解到区县，"
            f"编发活动信息简报{_n(sg.get('bulletins_issued'))}期。"
        )
    th = _g(f, "projects.three_hundred")
    if th:
        lists = {
            "emerging": "新兴产业",
            "robot_replacement": "“机器换人”",
            "smart_manufacturing": "“智能制造”",
        }
        parts = []
        for k, label in lists.items():
            p = th.get(k)
            if p:
                parts.append(
                    f"百项{label}重点项目在建{_n(p.get('under_construction'))}个、"
                    f"新开工{_n(p.get('started'))}个、竣工{_n(p.get('completed'))}个，"
                    f"完成投资{fmt(p.get('invested'))}亿元"
                )
        out.append(
            f"3.“三百计划”。年度计划投资{fmt(th.get('annual_investment_target'))}亿元，全年完成"
            f"{fmt(th.get('invested'))}亿元，完成率{fmt(th.get('completion_pct'))}%（开工率目标"
            f"{_n(th.get('start_rate_target_pct'))}%、竣工率目标{_n(th.get('completion_rate_target_pct'))}%）；"
            + "；".join(parts)
            + "。"
        )
    bgh, zl, rb = (_g(f, f"projects.{k}") for k in ("big_good_high", "zero_land", "robots"))
    if bgh or zl or rb:
        text = "4.项目推进。"
        if bgh:
            text += (
                f"引进工业“大好高”项目{_n(bgh.get('introduced'))}个，开工{_n(bgh.get('started'))}个"
                f"（其中当年引进当年开工{_n(bgh.get('started_of_introduced'))}个），竣工"
                f"{_n(bgh.get('completed'))}个，完成投资{fmt(bgh.get('invested'), 2)}亿元；"
            )
        if zl:
            text += (
                f"“零土地”技改项目备案{_n(zl.get('filings'))}个，计划总投资"
                f"{fmt(zl.get('planned_investment'))}亿元；"
            )
        if rb:
            u = rb.get("units") or {}
            text += (
                f"推广工业机器人{_n(u.get('value'))}台，完成目标（{_n(u.get('target'))}台）的"
                f"{fmt(u.get('completion_pct'), 0)}%，实施机器人应用项目"
                f"{_n(rb.get('application_projects'))}项。"
            )
        out.append(text.rstrip("；") + ("" if text.endswith("。") else "。"))
    pools = _g(f, "pools")
    if pools:
        z = pools.get("zombie_disposed") or {}
        out.append(
            f"5.企业培育。新增省级“三名”培育试点企业{_n(pools.get('three_famous_pilots_new'))}家，"
            f"“小升规”培育企业{_n(pools.get('small_to_above_scale_candidates'))}家，“隐形冠军”培育库"
            f"{_n(pools.get('hidden_champion_candidates'))}家；新认定“金象”企业"
            f"{_n(pools.get('golden_elephant_new'))}家、“金牛”企业{_n(pools.get('golden_bull_new'))}家，"
            f"培育企业{_n(pools.get('golden_cultivation'))}家。建立“僵尸企业”档案"
            f"{_n(pools.get('zombie_archive'))}家，处置{_n(z.get('value'))}家，完成目标的"
            f"{fmt(z.get('completion_pct'), 0)}%。"
        )
    inf = _g(f, "infrastructure")
    if inf:
        bs, ap = inf.get("base_stations") or {}, inf.get("wifi_access_points") or {}
        out.append(
            f"6.信息基础设施。监测重点工业平台{_n(inf.get('key_industrial_platforms'))}个；新建及改建"
            f"铁塔基站{_n(bs.get('value'))}个，完成年度任务的{fmt(bs.get('completion_pct'), 2)}%；"
            f"建设无线局域网点位{_n(inf.get('wifi_sites'))}个、接入点{_n(ap.get('value'))}个"
            f"（完成{fmt(ap.get('completion_pct'))}%）；建成电动汽车充电桩"
            f"{_n(inf.get('ev_charging_piles'))}个。"
        )
    bm = _g(f, "building_materials")
    if bm:
        c, b = bm.get("cement_output") or {}, bm.get("bulk_cement") or {}
        rc, rm = bm.get("ready_mixed_concrete") or {}, bm.get("ready_mixed_mortar") or {}
        out.append(
            f"7.建材行业。全年水泥产量{fmt(c.get('value'), 0)}{c.get('unit', '')}，"
            f"{change(c.get('growth_pct'), 2)}；供应散装水泥{fmt(b.get('value'), 0)}{b.get('unit', '')}，"
            f"散装率{fmt(b.get('rate_pct'), 2)}%；预拌混凝土{fmt(rc.get('value'), 0)}{rc.get('unit', '')}，"
            f"{change(rc.get('growth_pct'), 2)}；预拌砂浆{fmt(rm.get('value'))}{rm.get('unit', '')}，"
            f"{change(rm.get('growth_pct'))}；关停粘土砖瓦窑{_n(bm.get('clay_kilns_closed'))}座。"
        )
    en = _g(f, "energy")
    if en:
        out.append(
            f"8.节能降耗与减负。对{_n(en.get('energy_inspections'))}家单位开展节能监察，实施市重点节能技改"
            f"项目{_n(en.get('key_energy_saving_projects'))}个，年耗能"
            f"{_n(en.get('key_energy_user_threshold_tce'))}吨标煤以上的重点用能企业纳入监管；"
            f"全年减轻企业负担{fmt(en.get('burden_reduction'), 0)}亿元。"
        )
    return out
