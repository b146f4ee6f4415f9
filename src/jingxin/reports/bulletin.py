"""The monthly bulletin (月度通报): industrial economy, electricity, investment, key projects,
target progress against time (时间进度) with behind-schedule counties flagged, pool changes.

``bulletin_data`` computes every figure from records (the cube for the statistics and
reported series, the project ledger, the targets table, the pools); ``write_bulletin``
writes it as Word, Markdown, Excel (the pivot layout: counties down, indicators across, the
city first) and JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jingxin.errors import DataError, InputError
from jingxin.reference import region_name
from jingxin.reports.charts import bar_chart
from jingxin.reports.document import Chart, Document, Section, Table
from jingxin.reports.figures import city_of
from jingxin.reports.phrasing import change, fmt
from jingxin.reports.word import write_docx
from jingxin.store import Store
from jingxin.tracking.catalogue import INVESTMENT, POOLS, YI, indicator_label
from jingxin.tracking.projects import elapsed_pct, project_stats
from jingxin.tracking.targets import target_value

__all__ = ["Bulletin", "BulletinFiles", "bulletin_data", "write_bulletin"]


@dataclass
class Bulletin:
    """Every figure of one month's bulletin, as plain rows (units: 亿元, 亿千瓦时, %)."""

    period: str
    city: str
    time_pct: float  # 时间进度: share of the year elapsed
    industry: list[dict[str, Any]] = field(default_factory=list)
    investment: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    projects: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    pools: list[dict[str, Any]] = field(default_factory=list)

    @property
    def behind(self) -> list[str]:
        """Counties behind the elapsed share of the year on any tracked target."""
        names: set[str] = set()
        for rows in self.investment.values():
            names |= {r["region_name"] for r in rows if r.get("behind")}
        names |= {r["region_name"] for r in self.projects if r.get("behind")}
        names |= {r["region_name"] for r in self.targets if r.get("behind")}
        names.discard(region_name(self.city))
        return sorted(names)


@dataclass(frozen=True)
class BulletinFiles:
    markdown: Path
    docx: Path
    xlsx: Path
    json: Path
    chart: Path


def _check_period(period: str) -> tuple[int, int]:
    try:
        y, m = int(period[:4]), int(period[5:7])
        date(y, m, 1)
        if len(period) != 7 or period[4] != "-":
            raise ValueError
    except ValueError:
        raise InputError(f"期别 {period!r} 无效：应为 YYYY-MM，如 2016-06。") from None
    return y, m


def _pct(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b * 100


def bulletin_data(store: Store, period: str) -> Bulletin:
    """Compute the bulletin of ``period`` (YYYY-MM) from the store.

    Raises
    ------
    DataError
        When the cube of the period's year has not been computed.
    """
    year, _ = _check_period(period)
    city = city_of(store)
    cells = store.arrow(
        "select * from cube where period = ? and group_key = 'all'", [period]
    ).to_pylist()
    if not cells:
        raise DataError(f"尚未计算 {period} 的指标：请先运行 jingxin compute --year {year}。")
    cube = {(c["region_code"], c["measure"]): c for c in cells}
    counties = sorted({c["region_code"] for c in cells if c["region_level"] == "county"})
    order = [city, *counties]
    b = Bulletin(period, city, elapsed_pct(period))

    for code in order:
        va, go = cube.get((code, "value_added")), cube.get((code, "gross_output"))
        el = cube.get((code, "electricity"))
        city_va = cube.get((city, "value_added"))
        b.industry.append(
            {
                "region_code": code,
                "region_name": region_name(code),
                "value_added": va["value"] * YI if va else None,
                "value_added_growth_pct": va["growth_pct"] if va else None,
                "value_added_rank": va["county_rank_growth"] if va and code != city else None,
                "share_pct": _pct(va["value"], city_va["value"]) if va and city_va else None,
                "gross_output": go["value"] * YI if go else None,
                "gross_output_growth_pct": go["growth_pct"] if go else None,
                "electricity": el["value"] * YI if el else None,
                "electricity_growth_pct": el["growth_pct"] if el else None,
                "electricity_rank": el["county_rank_growth"] if el and code != city else None,
            }
        )

    for inv in INVESTMENT:
        rows = []
        for code in order:
            cell = cube.get((code, inv.indicator))
            if cell is None:
                continue
            target = target_value(store, inv.indicator, code, year)
            done = _pct(cell["value"], target)
            rows.append(
                {
                    "region_code": code,
                    "region_name": region_name(code),
                    "value": cell["value"] * YI,
                    "growth_pct": cell["growth_pct"],
                    "rank_growth": cell["county_rank_growth"] if code != city else None,
                    "target": target * YI if target else None,
                    "completion_pct": done,
                    "gap_pp": done - b.time_pct if done is not None else None,
                    "behind": done is not None and done < b.time_pct,
                }
            )
        if rows:
            b.investment[inv.indicator] = rows

    for code in order:
        s = project_stats(
            store, year, period=period, region=None if code == city else code, planned_only=True
        )
        if not s["n"]:
            continue
        done = s["completion_pct"]
        b.projects.append(
            {
                "region_code": code,
                "region_name": region_name(code),
                "projects": s["n"],
                "under_construction": s["under_construction"],
                "started": s["started"],
                "completed": s["completed"],
                "invested": s["invested"] * YI,
                "annual_plan": s["annual_plan"] * YI,
                "completion_pct": done,
                "gap_pp": done - b.time_pct if done is not None else None,
                "behind": done is not None and done < b.time_pct,
            }
        )

    decomposed = (
        store.arrow(
            "select distinct t.indicator from target t join region r on r.code = t.region_code "
            "where t.year = ? and r.parent = ? and t.basis = 'value' order by 1",
            [year, city],
        )
        .column("indicator")
        .to_pylist()
    )
    for ind in decomposed:
        if (city, ind) not in cube or ind in {i.indicator for i in INVESTMENT}:
            continue  # no monthly value for it (annual counts), or shown above
        for code in order:
            cell = cube.get((code, ind))
            target = target_value(store, ind, code, year)
            if cell is None or not target:
                continue
            done = _pct(cell["value"], target)
            b.targets.append(
                {
                    "indicator": ind,
                    "label": indicator_label(ind),
                    "region_code": code,
                    "region_name": region_name(code),
                    "value": cell["value"],
                    "target": target,
                    "completion_pct": done,
                    "gap_pp": done - b.time_pct if done is not None else None,
                    "behind": done is not None and done < b.time_pct,
                }
            )

    first = date(year, int(period[5:7]), 1)
    last = _month_end(period)
    labels = {p.key: p.label for p in POOLS}
    changes = store.arrow(
        "select pool, count(*) filter (where entered between ? and ?) as entered, "
        "count(*) filter (where exited between ? and ?) as exited from pool_member group by pool",
        [first, last, first, last],
    ).to_pylist()
    for c in sorted(changes, key=lambda r: str(r["pool"])):
        if c["entered"] or c["exited"]:
            b.pools.append(
                {
                    "pool": c["pool"],
                    "label": labels.get(c["pool"], c["pool"]),
                    "entered": int(c["entered"]),
                    "exited": int(c["exited"]),
                }
            )
    return b


def _month_end(period: str) -> date:
    from calendar import monthrange

    y, m = int(period[:4]), int(period[5:7])
    return date(y, m, monthrange(y, m)[1])


_INV_LABEL = {i.indicator: i.label for i in INVESTMENT}


def build_bulletin(b: Bulletin, chart: Path) -> Document:
    """The bulletin as a document."""
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
    return doc


def _rank(r: int | None) -> str:
    return "—" if r is None else str(r)


def _vs_time(gap: float | None) -> str:
    if gap is None:
        return "无年度目标"
    if gap >= 0:
        return f"超时间进度{fmt(gap)}个百分点"
    return f"落后时间进度{fmt(-gap)}个百分点"


def write_bulletin(store: Store, period: str, out_dir: Path) -> BulletinFiles:
    """Compute the bulletin of ``period`` and write bulletin-PERIOD.md/.docx/.xlsx/.json."""
    from jingxin.reports.bulletin_excel import write_bulletin_xlsx

    b = bulletin_data(store, period)
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
    doc = build_bulletin(b, chart)
    md = out_dir / f"bulletin-{period}.md"
    md.write_text(doc.to_markdown(), encoding="utf-8")
    docx = write_docx(doc, out_dir / f"bulletin-{period}.docx")
    xlsx = write_bulletin_xlsx(b, out_dir / f"bulletin-{period}.xlsx")
    js = out_dir / f"bulletin-{period}.json"
    js.write_text(
        json.dumps(asdict(b) | {"behind": b.behind}, ensure_ascii=False, indent=2, default=str),
        encoding="utf-8",
    )
    return BulletinFiles(md, docx, xlsx, js, chart)
