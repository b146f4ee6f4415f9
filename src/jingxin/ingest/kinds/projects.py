"""县区经信局: the project ledger (项目清单, with annual plans; updated by project code,
audited) and the counties' monthly progress of key projects (重点项目进度).

A file replaces the earlier file of its kind and period as a whole; a file that would drop
another county's rows is refused instead (replacement per county is not built yet).
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import (
    REGION,
    USCC,
    built,
    choice,
    file_year,
    fmt,
    prov,
    split_list,
    table,
)
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.vocabulary import PROJECT_CATEGORIES, PROJECT_LISTS
from jingxin.store import Scope

__all__ = ["PROJECT", "PROJECT_PROGRESS"]


def _replaced_rows(ctx: Context, kind: str, period: str | None, tname: str) -> list[dict[str, Any]]:
    """Rows of ``tname`` from the active file this file would replace (same kind and period)."""
    if period is None:
        return []
    old = ctx.store.active_file(kind, period)
    if old is None:
        return []
    rows: list[dict[str, Any]] = ctx.store.file_rows(tname, old).to_pylist()
    return rows


def _guard_other_counties(
    ctx: Context, kind: str, period: str | None, regions_here: set[str], lost: dict[str, str]
) -> None:
    """A file replaces the earlier file of its kind and period as a whole: refuse it when that
    would drop rows of counties this file does not cover (a county's file replacing
    another's), instead of losing them."""
    if period is None:
        return
    gone = sorted({r for r in lost.values() if r not in regions_here})
    if gone:
        from jingxin.reference import region_name

        names = "、".join(region_name(r) for r in gone)
        ctx.issues.error(
            Reason.CONFLICT,
            f"期别 {period} 已有一份文件包含{names}的项目（{len(lost)} 行）；本文件会整体替换它，"
            "这些县区的数据将被删除：请由市经信局汇总各县区后报送，或在更正文件中保留这些行",
            value=period,
        )


_LISTS = {
    **{k: k for k in PROJECT_LISTS},
    **{name: k for k, (name, _) in PROJECT_LISTS.items()},
}


def _build_project(records: list[Record], ctx: Context) -> Built:
    projects, plans = [], []
    regions_here: set[str] = set()
    for rec in records:
        v = rec.values
        pid = str(v["project_id"])
        region = ctx.region(rec, "region")
        category = choice(rec, ctx, "category", PROJECT_CATEGORIES)
        lists = []
        for item in split_list(v.get("lists")):
            key = _LISTS.get(item)
            if key is None:
                ctx.issues.error(
                    Reason.TYPE,
                    "所属清单应为："
                    + "、".join(n for n, _ in PROJECT_LISTS.values())
                    + "（多个用顿号分隔）",
                    **rec.at("lists"),
                    value=item,
                )
                continue
            lists.append(key)
        code = ctx.uscc(rec, "uscc") if v.get("uscc") is not None else None
        if code is not None and not ctx.known(rec, code, "uscc"):
            code = None
        start, end = v.get("planned_start"), v.get("planned_completion")
        if start is not None and end is not None and end < start:
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"计划竣工日期（{end}）不应早于计划开工日期（{start}）",
                **rec.at("planned_completion"),
                value=end,
            )
        if region is None or category is None or not ctx.once("project", (pid,), rec, "project_id"):
            continue
        regions_here.add(region)
        projects.append(
            {
                "project_id": pid,
                "name": v["name"],
                "category": category,
                "lists": lists,
                "region_code": region,
                "uscc": code,
                "planned_total": v.get("planned_total"),
                "introduced": v.get("introduced"),
                "planned_start": start,
                "planned_completion": end,
                **prov(rec),
            }
        )
        if v.get("annual_plan") is not None:
            year = file_year(ctx, rec)
            if year is not None:
                plans.append(
                    {"project_id": pid, "year": year, "annual_plan": v["annual_plan"], **prov(rec)}
                )
    years = {p["year"] for p in plans}
    period = ctx.period or (str(years.pop()) if len(years) == 1 else None)
    lost = {
        r["project_id"]: r["region_code"]
        for r in _replaced_rows(ctx, "project", period, "project")
        if r["project_id"] not in {p["project_id"] for p in projects}
    }
    _guard_other_counties(ctx, "project", period, regions_here, lost)
    tables = {"project": table(projects, "project"), "project_plan": table(plans, "project_plan")}
    return built(tables, upsert=True)


PROJECT = Kind(
    "project",
    "项目清单",
    "县区经信局",
    (
        Column(
            "project_id",
            "项目代码",
            ("项目编号", "项目编码", "备案代码"),
            type="code",
            required=True,
        ),
        Column("name", "项目名称", ("项目", "名称"), required=True),
        Column(
            "category",
            "项目类别",
            ("类别", "项目类型"),
            required=True,
            choices=tuple(PROJECT_CATEGORIES.values()),
        ),
        Column("lists", "所属清单", ("清单", "所属计划"), note="如 三百计划，多个用顿号分隔"),
        REGION,
        Column("uscc", "统一社会信用代码", USCC.aliases, type="uscc", note="项目业主，已知时填写"),
        Column(
            "planned_total",
            "总投资",
            ("计划总投资", "项目总投资"),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
        ),
        Column("introduced", "引进/备案日期", ("引进日期", "备案日期", "签约日期"), type="date"),
        Column("planned_start", "计划开工日期", ("计划开工时间",), type="date"),
        Column("planned_completion", "计划竣工日期", ("计划竣工时间",), type="date"),
        Column("year", "年度", ("计划年度",), type="year"),
        Column(
            "annual_plan",
            "年度计划投资",
            ("本年计划投资", "年度计划"),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
        ),
    ),
    _build_project,
    tables=("project", "project_plan"),
    period="year",
    example={
        "project_id": "2016-330502-34-03-000001",
        "name": "年产 10 万吨高档面料技改项目",
        "category": "机器换人/技改",
        "lists": "三百计划",
        "region": "吴兴区",
        "uscc": "91330502MA2B00000N",
        "planned_total": 12000,
        "introduced": "2015-11-20",
        "planned_start": "2016-03-01",
        "planned_completion": "2017-06-30",
        "year": 2016,
        "annual_plan": 5000,
    },
    doc="县区报送的项目清单及年度计划投资：按项目代码新增或更新（留痕）。",
)


def _build_progress(records: list[Record], ctx: Context) -> Built:
    project = ctx.store.table("project", Scope.city())  # ingest is the city's
    known = {
        r["project_id"]: r
        for r in ctx.store.run(project.select("project_id", "region_code")).to_pylist()
    }
    rows = []
    for rec in records:
        v = rec.values
        pid = str(v["project_id"])
        if pid not in known:
            ctx.issues.error(
                Reason.UNKNOWN_ENTERPRISE,
                "项目不在项目清单中：请先导入项目清单（jingxin import project）或核对项目代码",
                **rec.at("project_id"),
                value=pid,
            )
            continue
        period = v.get("period") or (ctx.period if ctx.period and len(ctx.period) == 7 else None)
        if period is None:
            ctx.issues.error(
                Reason.REQUIRED,
                "缺少期别：请填写期别列（如 2016-06），或导入时用 --period 指定",
                **rec.at(),
            )
            continue
        if ctx.period and len(ctx.period) == 7 and period != ctx.period:
            ctx.issues.error(
                Reason.PERIOD,
                f"本行期别 {period} 与文件期别 {ctx.period} 不符",
                **rec.at("period"),
                value=period,
            )
            continue
        ytd = v.get("ytd_invested")
        for month, value in rec.series.get("ytd_by_month", {}).items():
            if value is None:
                continue
            if int(month) != int(period[5:]):
                ctx.issues.error(
                    Reason.PERIOD,
                    f"列名中的月份（1-{int(month)}月）与期别 {period} 不符",
                    **rec.at(),
                    value=value,
                )
            ytd = value if ytd is None else ytd
        if ytd is None:
            ctx.issues.error(
                Reason.REQUIRED,
                "缺少 1-N月完成投资",
                **rec.at("ytd_invested"),
            )
            continue
        start, end = v.get("actual_start"), v.get("actual_completion")
        if start is not None and end is not None and end < start:
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"实际竣工日期（{end}）不应早于实际开工日期（{start}）",
                **rec.at("actual_completion"),
                value=end,
            )
            continue
        if not ctx.once("project_progress", (pid, period), rec, "project_id"):
            continue
        rows.append(
            {
                "project_id": pid,
                "period": period,
                "ytd_invested": ytd,
                "actual_start": start,
                "actual_completion": end,
                "note": v.get("note"),
                **prov(rec),
            }
        )
    periods = {r["period"] for r in rows}
    file_period = ctx.period or (next(iter(periods)) if len(periods) == 1 else None)
    here = {r["project_id"] for r in rows}
    lost = {
        r["project_id"]: known.get(r["project_id"], {}).get("region_code", "")
        for r in _replaced_rows(ctx, "project_progress", file_period, "project_progress")
        if r["project_id"] not in here
    }
    _guard_other_counties(
        ctx, "project_progress", file_period, {known[p]["region_code"] for p in here}, lost
    )
    _check_progress(ctx, rows)
    return built({"project_progress": table(rows, "project_progress")})


def _check_progress(ctx: Context, rows: list[dict[str, Any]]) -> None:
    """1-N月 never decreases within a year (against the stored reports of other months,
    a late report included) unless the file is a correction; completion never precedes the
    start reported earlier."""
    if not rows:
        return
    years = sorted({r["period"][:4] for r in rows})
    t = ctx.store.table("project_progress", Scope.city())
    within = (t.period >= f"{years[0]}-01") & (t.period <= f"{years[-1]}-12")
    stored = ctx.store.run(
        t.filter(within).select("project_id", "period", "ytd_invested", "actual_start")
    ).to_pylist()
    by: dict[str, list[dict[str, Any]]] = {}
    for s in stored:
        by.setdefault(s["project_id"], []).append(s)
    for r in rows:
        own = [s for s in by.get(r["project_id"], []) if s["period"][:4] == r["period"][:4]]
        before = [s for s in own if s["period"] < r["period"]]
        after = [s for s in own if s["period"] > r["period"]]
        where = {
            "sheet": r["source_sheet"],
            "row": r["source_row"],
            "column": "1-N月完成投资",
            "value": r["ytd_invested"],
        }
        problems = []
        if before:
            prev = max(before, key=lambda s: s["period"])
            if r["ytd_invested"] < prev["ytd_invested"] - 1e-6:
                problems.append(
                    f"1-N月完成投资（{fmt(r['ytd_invested'])} 万元）小于已报送的 "
                    f"{prev['period']} 累计（{fmt(prev['ytd_invested'])} 万元）"
                )
        if after:
            nxt = min(after, key=lambda s: s["period"])
            if r["ytd_invested"] > nxt["ytd_invested"] + 1e-6:
                problems.append(
                    f"1-N月完成投资（{fmt(r['ytd_invested'])} 万元）大于已报送的 "
                    f"{nxt['period']} 累计（{fmt(nxt['ytd_invested'])} 万元）"
                )
        for msg in problems:
            if ctx.correction:
                ctx.issues.warn(Reason.DECREASING, msg + "：已按更正处理", **where)
            else:
                ctx.issues.error(
                    Reason.DECREASING, msg + "：如为更正，请导入时加 --correction", **where
                )
        starts = [s["actual_start"] for s in before if s["actual_start"] is not None]
        end = r["actual_completion"]
        if end is not None and r["actual_start"] is None and starts and end < min(starts):
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"实际竣工日期（{end}）不应早于此前报送的实际开工日期（{min(starts)}）",
                sheet=r["source_sheet"],
                row=r["source_row"],
                column="实际竣工日期",
                value=end,
            )


PROJECT_PROGRESS = Kind(
    "project_progress",
    "重点项目进度",
    "县区经信局",
    (
        PROJECT.column("project_id"),
        Column("name", "项目名称", ("项目", "名称")),
        Column("period", "期别", ("年月", "报告期"), type="period"),
        Column(
            "ytd_invested",
            "1-N月完成投资",
            ("1-本月完成投资", "年初至报告期累计完成投资", "本年累计完成投资", "累计完成投资"),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
        ),
        Column(
            "ytd_by_month",
            "1-M月完成投资",
            (),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
            pattern=r"1[-—–～~至到](\d{1,2})月(?:累计)?完成投资",
        ),
        Column("actual_start", "实际开工日期", ("开工日期", "实际开工时间"), type="date"),
        Column("actual_completion", "实际竣工日期", ("竣工日期", "实际竣工时间"), type="date"),
        Column("note", "形象进度", ("进展情况", "备注")),
    ),
    _build_progress,
    tables=("project_progress",),
    at_least_one_of=("ytd_invested", "ytd_by_month"),
    example={
        "project_id": "2016-330502-34-03-000001",
        "name": "年产 10 万吨高档面料技改项目",
        "period": "2016-06",
        "ytd_invested": 2350,
        "actual_start": "2016-03-15",
        "note": "主体厂房结顶",
    },
    doc="县区每月报送的重点项目 1-N月累计完成投资与开工、竣工情况；同一期别的更正文件整体替换原文件。",
)
