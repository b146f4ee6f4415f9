"""The annual work summary (年度工作总结, part 一 主要成效): Markdown, Word and JSON.

Every number in the text comes from ``annual_figures`` — the cube, computed from records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jingxin.indicators.refresh import ensure_fresh
from jingxin.reference import load_groups
from jingxin.reports.annual_tracking import progress_paragraphs, work_paragraphs
from jingxin.reports.charts import bar_chart
from jingxin.reports.document import Chart, Document, Section, Table
from jingxin.reports.figures import annual_figures
from jingxin.reports.phrasing import change, changes, fmt, gap, share_change
from jingxin.reports.word import write_docx
from jingxin.store import Scope, Store, versions

__all__ = ["AnnualFiles", "build_annual", "write_annual"]


@dataclass(frozen=True)
class AnnualFiles:
    """The files written for one year."""

    markdown: Path
    docx: Path
    json: Path
    chart: Path


def _rank(r: int | None) -> str:
    return f"第{r}位" if r is not None else "（无排名）"


def build_annual(f: dict[str, Any], chart: Path) -> Document:
    """The summary as a document, from the computed figures ``f``."""
    m, a, e = f["meta"], f["above_scale"], f["electricity"]["industrial_use"]
    y, city = m["year"], m["city_name"]
    g = f["groups"]
    names = {k: v.name for k, v in load_groups().items()}
    doc = Document(title=f"{city}{y}年工业和信息化工作总结", issuer=f"{city}经济和信息化委员会")

    s1 = Section("一、主要成效")
    s1.paragraphs.append(
        f"1.工业经济平稳增长。{y}年，全市规上工业完成增加值{fmt(a['value_added']['value'])}亿元，"
        f"同比{change(a['value_added']['growth_pct'])}；完成规模以上工业出口交货值"
        f"{fmt(a['export_delivery']['value'])}亿元，同比{change(a['export_delivery']['growth_pct'])}；"
        f"全市工业用电累计{fmt(e['value'])}亿千瓦时，同比{change(e['growth_pct'])}，"
        f"居全省{_rank(e['province_rank_growth'])}，{gap(e['above_province_avg_pp'])}。"
        f"{y}年，规上工业实现利税总额{fmt(a['profit_and_tax']['value'])}亿元，"
        f"{change(a['profit_and_tax']['growth_pct'])}；利润总额{fmt(a['profit']['value'])}亿元，"
        f"{change(a['profit']['growth_pct'])}。"
    )
    trio = ["strategic_emerging", "high_tech", "equipment"]
    if all(k in g for k in trio):
        vals = [g[k]["value_added"] for k in trio]
        s1.paragraphs.append(
            f"2.产业结构持续优化。{y}年，全市{'、'.join(names[k] for k in trio[:2])}、{names[trio[2]]}"
            f"分别完成规上工业增加值{fmt(vals[0]['value'])}亿元、{fmt(vals[1]['value'])}亿元和"
            f"{fmt(vals[2]['value'])}亿元，同比分别{changes([v['growth_pct'] for v in vals])}，分别占规上工业增加值的{fmt(vals[0]['share_pct'])}%、"
            f"{fmt(vals[1]['share_pct'])}%和{fmt(vals[2]['share_pct'])}%，其中{names['high_end_equipment']}"
            f"实现规上工业增加值{fmt(g['high_end_equipment']['value_added']['value'])}亿元，"
            f"{change(g['high_end_equipment']['value_added']['growth_pct'])}；规上{names['information_manufacturing']}"
            f"完成规上工业增加值{fmt(g['information_manufacturing']['value_added']['value'])}亿元，"
            f"同比{change(g['information_manufacturing']['value_added']['growth_pct'])}。"
            f"{names['textile_and_building_materials']}占规上工业比重"
            f"{share_change(g['textile_and_building_materials']['value_added']['share_change_pp'])}。"
        )
    n = f["new_products"]
    s1.paragraphs.append(
        f"3.新旧动能加速转换。{y}年，全市规上工业新产品实现产值{fmt(n['output']['value'])}亿元，"
        f"{change(n['output']['growth_pct'])}，产值率{fmt(n['output_rate_pct'])}%，"
        f"贡献率{fmt(n['contribution_pct'])}%，总量居全省{_rank(n['province_rank_value'])}、"
        f"增幅居全省{_rank(n['province_rank_growth'])}；新增省级工业新产品备案"
        f"{n['provincial_new_product_filings']}项，完成新产品鉴定验收{n['new_product_appraisals']}项，"
        f"备案数列全省{_rank(n['provincial_new_product_filings_rank'])}，省级优秀新产品"
        f"{n['provincial_excellent_new_products']}项、省内首台(套){n['first_of_kind_equipment']}项、"
        f"浙江制造精品{n['zhejiang_made_premium']}项。"
    )
    s1.paragraphs += progress_paragraphs(f, y)
    work = work_paragraphs(f, y)
    s_work = Section("二、重点工作")
    s_work.paragraphs += work
    s2 = Section("三、分县区主要指标" if work else "二、分县区主要指标")
    ct = f["county_table"]
    s2.tables.append(
        Table(
            f"{y}年各县区规上工业增加值和工业用电",
            [
                "县区",
                "规上工业增加值（亿元）",
                "增速（%）",
                "增速位次",
                "占全市比重（%）",
                "工业用电（亿千瓦时）",
                "用电增速（%）",
            ],
            [
                [
                    r["region_name"],
                    fmt(r["value_added"]),
                    fmt(r["growth_pct"]),
                    str(r["rank_growth"]),
                    fmt(r["share_pct"]),
                    fmt(r["electricity"], 2),
                    fmt(r["electricity_growth_pct"]),
                ]
                for r in ct
            ],
        )
    )
    s2.tables.append(
        Table(
            f"{y}年重点产业规上工业增加值",
            ["产业", "增加值（亿元）", "增速（%）", "占规上比重（%）", "比重变化（百分点）"],
            [
                [
                    names[k],
                    fmt(v["value_added"]["value"]),
                    fmt(v["value_added"]["growth_pct"]),
                    fmt(v["value_added"]["share_pct"]),
                    fmt(v["value_added"]["share_change_pp"]),
                ]
                for k, v in g.items()
            ],
        )
    )
    s2.charts.append(Chart(f"图1 {y}年各县区规上工业增加值增速（%）", chart))
    doc.sections += [s1, s_work, s2] if work else [s1, s2]
    return doc


def write_annual(store: Store, year: int, out_dir: Path, scope: Scope) -> AnnualFiles:
    """Compute the figures of ``year`` under ``scope`` and write annual-YEAR.md/.docx/.json
    and the chart into ``out_dir``."""
    ensure_fresh(store, year, prior=True)
    f = annual_figures(store, year, scope)
    f["as_of"] = versions.as_of_sentence(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    ct = f["county_table"]
    chart = bar_chart(
        out_dir / f"annual-{year}-county-growth.png",
        f"{year}年各县区规上工业增加值增速",
        [r["region_name"] for r in ct],
        [r["growth_pct"] for r in ct],
        "%",
        reference=f["above_scale"]["value_added"]["growth_pct"],
        reference_label="全市",
    )
    doc = build_annual(f, chart)
    doc.as_of = f["as_of"]
    md = out_dir / f"annual-{year}.md"
    md.write_text(doc.to_markdown(), encoding="utf-8")
    docx = write_docx(doc, out_dir / f"annual-{year}.docx")
    js = out_dir / f"annual-{year}.json"
    js.write_text(json.dumps(f, ensure_ascii=False, indent=2), encoding="utf-8")
    return AnnualFiles(md, docx, js, chart)
