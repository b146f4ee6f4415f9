"""The monthly bulletin (月度通报) laid out: Word, Markdown, Excel and JSON.

Its figures come from :func:`jingxin.tracking.bulletin.bulletin_data` (every figure has its
computing place there or in the cube); this module only words, tables and writes them.
``write_bulletin`` writes the Markdown and Word document, the Excel workbook (the pivot
layout of ``bulletin_excel``: counties down, indicators across, the city first) and JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from jingxin.energy.month import CAPACITY_MEASURES, EnergyMonth, energy_month
from jingxin.indicators.refresh import ensure_fresh
from jingxin.reference import region_name
from jingxin.reports.charts import bar_chart
from jingxin.reports.document import Chart, Document, Section, Table
from jingxin.reports.phrasing import change, fmt
from jingxin.reports.word import write_docx
from jingxin.store import Scope, Store, versions
from jingxin.tracking.bulletin import Bulletin, bulletin_data
from jingxin.tracking.catalogue import INVESTMENT

__all__ = ["BulletinFiles", "build_bulletin", "write_bulletin"]


@dataclass(frozen=True)
class BulletinFiles:
    """The files of one bulletin."""

    markdown: Path
    docx: Path
    xlsx: Path
    json: Path
    chart: Path


_INV_LABEL = {i.indicator: i.label for i in INVESTMENT}


def build_bulletin(b: Bulletin, chart: Path, energy: EnergyMonth | None = None) -> Document:
    """The bulletin as a document (with its energy section when ``energy`` is given)."""
    y, m = int(b.period[:4]), int(b.period[5:7])
    city = region_name(b.city)
    doc = Document(
        title=f"{city}{y}年1-{m}月工业经济运行和重点工作推进情况通报",
        issuer=f"{city}经济和信息化委员会",
    )
    head = b.industry[0]
    s1 = Section("一、工业经济运行")
    s1.paragraphs.append(
        f"1-{m}月，全市规上工业增加值{fmt(head['value_added'])}亿元，"
        f"同比{change(head['value_added_growth_pct'])}；规上工业总产值{fmt(head['gross_output'])}亿元，"
        f"{change(head['gross_output_growth_pct'])}；工业用电{fmt(head['electricity'], 2)}亿千瓦时，"
        f"{change(head['electricity_growth_pct'])}。时间进度{fmt(b.time_pct)}%。"
    )
    s1.tables.append(
        Table(
            f"表1 1-{m}月各县区规上工业增加值和工业用电",
            [
                "地区",
                "增加值（亿元）",
                "增速（%）",
                "位次",
                "占全市（%）",
                "用电（亿千瓦时）",
                "增速（%）",
                "位次",
            ],
            [
                [
                    r["region_name"],
                    fmt(r["value_added"]),
                    fmt(r["value_added_growth_pct"]),
                    _rank(r["value_added_rank"]),
                    fmt(r["share_pct"]),
                    fmt(r["electricity"], 2),
                    fmt(r["electricity_growth_pct"]),
                    _rank(r["electricity_rank"]),
                ]
                for r in b.industry
            ],
        )
    )
    s1.charts.append(Chart(f"图1 1-{m}月各县区规上工业增加值增速（%）", chart))
    s2 = Section("二、工业投资")
    for ind, rows in b.investment.items():
        c = rows[0]
        s2.paragraphs.append(
            f"1-{m}月，全市{_INV_LABEL[ind]}{fmt(c['value'], 2)}亿元，{change(c['growth_pct'])}，"
            f"完成年度目标的{fmt(c['completion_pct'])}%，{_vs_time(c['gap_pp'])}。"
        )
        s2.tables.append(
            Table(
                f"表 1-{m}月各县区{_INV_LABEL[ind]}",
                [
                    "地区",
                    "完成（亿元）",
                    "增速（%）",
                    "增速位次",
                    "年度目标（亿元）",
                    "完成率（%）",
                    "与时间进度（百分点）",
                    "进度",
                ],
                [
                    [
                        r["region_name"],
                        fmt(r["value"], 2),
                        fmt(r["growth_pct"]),
                        _rank(r["rank_growth"]),
                        fmt(r["target"], 2),
                        fmt(r["completion_pct"]),
                        fmt(r["gap_pp"]),
                        "滞后" if r["behind"] else "正常",
                    ]
                    for r in rows
                ],
            )
        )
    s3 = Section("三、重点项目")
    if b.projects:
        c = b.projects[0]
        s3.paragraphs.append(
            f"全市列入年度计划的重点项目{c['projects']}个，在建{c['under_construction']}个，当年新开工"
            f"{c['started']}个、竣工{c['completed']}个；1-{m}月完成投资{fmt(c['invested'])}亿元，"
            f"占年度计划的{fmt(c['completion_pct'])}%，{_vs_time(c['gap_pp'])}。"
        )
        s3.tables.append(
            Table(
                f"表 1-{m}月各县区重点项目推进情况",
                [
                    "地区",
                    "项目数",
                    "在建",
                    "新开工",
                    "竣工",
                    "完成投资（亿元）",
                    "年度计划（亿元）",
                    "完成率（%）",
                    "与时间进度（百分点）",
                    "进度",
                ],
                [
                    [
                        r["region_name"],
                        str(r["projects"]),
                        str(r["under_construction"]),
                        str(r["started"]),
                        str(r["completed"]),
                        fmt(r["invested"]),
                        fmt(r["annual_plan"]),
                        fmt(r["completion_pct"]),
                        fmt(r["gap_pp"]),
                        "滞后" if r["behind"] else "正常",
                    ]
                    for r in b.projects
                ],
            )
        )
    s4 = Section("四、目标任务进度")
    behind = b.behind
    s4.paragraphs.append(
        "按时间进度，"
        + (
            "、".join(behind) + "有指标进度滞后，请加快推进。"
            if behind
            else "各县区各项指标均达到时间进度。"
        )
    )
    if b.targets:
        s4.tables.append(
            Table(
                f"表 1-{m}月分解目标完成情况",
                ["指标", "地区", "完成", "年度目标", "完成率（%）", "与时间进度（百分点）", "进度"],
                [
                    [
                        r["label"],
                        r["region_name"],
                        fmt(r["value"]),
                        fmt(r["target"]),
                        fmt(r["completion_pct"]),
                        fmt(r["gap_pp"]),
                        "滞后" if r["behind"] else "正常",
                    ]
                    for r in b.targets
                ],
            )
        )
    s5 = Section("五、企业名单变化")
    if b.pools:
        s5.paragraphs.append(
            "；".join(f"{p['label']}新列入{p['entered']}家、退出{p['exited']}家" for p in b.pools)
            + "。"
        )
    else:
        s5.paragraphs.append("本月各类企业名单无变化。")
    doc.sections += [s1, s2, s3, s4, s5]
    if energy is not None:
        doc.sections.append(_energy_section(energy, m))
    return doc


def _energy_section(e: EnergyMonth, m: int) -> Section:
    """六、节能降耗与用能权: what the month's energy figures say, in sentences."""
    s = Section("六、节能降耗与用能权")
    c = e.capacity
    n, tce, ss = (c.get(k) for k in CAPACITY_MEASURES)
    if n or ss:
        s.paragraphs.append(
            f"1-{m}月，淘汰落后产能企业{fmt(n or 0, 0)}家，腾出用能{fmt((tce or 0) * 10_000, 0)}吨标准煤；"
            f"整治“低小散”企业（作坊）{fmt(ss or 0, 0)}家（据各县区整治台账逐家汇总）。"
        )
    if (r := e.resumption) is not None:
        s.paragraphs.append(
            f"节后复工复产（据供电公司日用电量测算）：截至{r['day'].month}月{r['day'].day}日"
            f"（春节后第{r['days_after']}天），{fmt(r['enterprises'], 0)}家有基期用电的企业中"
            f"复工率{fmt(r['work_pct'])}%，复产率{fmt(r['production_pct'])}%（以上年12月日均用电为基期）。"
        )
    if (x := e.restriction) is not None:
        s.paragraphs.append(
            f"G20峰会期间停限产企业{fmt(x['enterprises'], 0)}家，限产期间少用电"
            f"{fmt(x['kwh_lost'], 0)}万千瓦时，按各企业限产前单位电量产值估算影响产值"
            f"{fmt(x['output_lost'] / 10_000, 2)}亿元。"
        )
    if (k := e.makeup) is not None:
        s.paragraphs.append(
            f"据{k['as_of'].month}月{k['as_of'].day}日用电测算，{fmt(k['members'], 0)}家停限产企业中"
            f"{fmt(k['candidates'], 0)}家用电仍低于限产前峰值两成以上，具备四季度增产条件。"
        )
    if (g := e.rights) is not None:
        s.paragraphs.append(
            f"用能权：{g['year']}年确权{fmt(g['allocated'], 0)}家、{fmt(g['allocated_tce'], 0)}吨标准煤；"
            f"账本累计成交{fmt(g['trades'], 0)}笔、{fmt(g['traded_tce'], 0)}吨标准煤，"
            f"其中政府储备出售{fmt(g['from_reserve'], 0)}笔（账本现状）。"
        )
    if not s.paragraphs:
        s.paragraphs.append("本月无节能降耗和用能权方面的新数据。")
    return s


def _rank(r: int | None) -> str:
    return "—" if r is None else str(r)


def _vs_time(gap: float | None) -> str:
    if gap is None:
        return "无年度目标"
    if gap >= 0:
        return f"超时间进度{fmt(gap)}个百分点"
    return f"落后时间进度{fmt(-gap)}个百分点"


def write_bulletin(store: Store, period: str, out_dir: Path, scope: Scope) -> BulletinFiles:
    """Compute the bulletin of ``period`` under ``scope`` and write
    bulletin-PERIOD.md/.docx/.xlsx/.json and its chart into ``out_dir``."""
    from jingxin.reports.bulletin_excel import write_bulletin_xlsx

    ensure_fresh(store, int(period[:4]))
    b = bulletin_data(store, period, scope)
    as_of = versions.as_of_sentence(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    counties = b.industry[1:]
    chart = bar_chart(
        out_dir / f"bulletin-{period}-county-growth.png",
        f"1-{int(period[5:7])}月各县区规上工业增加值增速",
        [r["region_name"] for r in counties],
        [r["value_added_growth_pct"] for r in counties],
        "%",
        reference=b.industry[0]["value_added_growth_pct"],
        reference_label="全市",
    )
    region = b.city if scope.is_city else sorted(scope.regions or ())[0]
    energy = energy_month(store, scope, period, region)
    doc = build_bulletin(b, chart, energy)
    doc.as_of = as_of
    md = out_dir / f"bulletin-{period}.md"
    md.write_text(doc.to_markdown(), encoding="utf-8")
    docx = write_docx(doc, out_dir / f"bulletin-{period}.docx")
    xlsx = write_bulletin_xlsx(b, out_dir / f"bulletin-{period}.xlsx")
    js = out_dir / f"bulletin-{period}.json"
    js.write_text(
        json.dumps(
            asdict(b) | {"behind": b.behind, "energy": asdict(energy), "as_of": as_of},
            ensure_ascii=False,
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    return BulletinFiles(md, docx, xlsx, js, chart)
