"""The demo city's records written as the departments would send them, one file per source
and month, in the layouts of ``docs/ingest.md`` — so that the demo loads through ingest.

Forms vary on purpose: platform-style wide CSVs in 千元 (some GBK-encoded), forwarded
workbooks with a title, a unit line, a two-row merged header and a 合计 row in 万元, a
hidden helper sheet and an instructions sheet (both produce warnings), grid exports by
account in kWh with an account crosswalk, and enterprises with two meter accounts.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from jingxin.demo.daily import DailyUse
from jingxin.ingest.kinds import (
    CAPACITY_CASE,
    ELECTRICITY,
    GRID_ACCOUNT,
    METER_DAILY,
    PEER_FIGURE,
    POOL,
    PRICE_INDEX,
    PROJECT,
    PROJECT_PROGRESS,
    REGISTER,
    REPORTED_VALUE,
    STATS_MONTHLY,
    TARGET,
)
from jingxin.ingest.schemas import Kind
from jingxin.reference import region_name
from jingxin.reference.vocabulary import (
    CAPACITY_CASES,
    ENTERPRISE_SCALE,
    ENTERPRISE_STATUS,
    EXIT_REASONS,
    POOL_LEVELS,
    POOLS,
    PROJECT_CATEGORIES,
    PROJECT_LISTS,
    TARGET_BASIS,
)
from jingxin.store.schema import FACT_MEASURES

__all__ = ["DemoFile", "headers", "write_department_files"]

# The statistics form's columns, as declared for ingest: one place for labels and units.
_FORM = {m: STATS_MONTHLY.column(m) for m in FACT_MEASURES}
# The platform names the enterprise 单位详细名称 (an alias of the form's 企业名称).
_PLATFORM_NAME = STATS_MONTHLY.column("name").aliases[0]


def headers(kind: Kind, *keys: str) -> list[str]:
    """The headers a template of ``kind`` writes, for ``keys`` (default: every column but
    the pattern ones), so that demo files use the kinds' own declarations.

    >>> headers(PRICE_INDEX)
    ['行业大类代码', '期别', '价格指数']
    """
    cols = [kind.column(k) for k in keys] if keys else [c for c in kind.columns if not c.pattern]
    return [c.header() for c in cols]


@dataclass(frozen=True)
class DemoFile:
    """A written department file and how to import it."""

    kind: str
    path: Path
    period: str | None
    received: str  # ISO date the sender delivered it


def write_department_files(
    tables: dict[str, pa.Table],
    out: Path,
    year: int,
    seed: int,
    daily: DailyUse | None = None,
) -> list[DemoFile]:
    """Write ``tables`` (the generator's output) as department files under ``out``, in the
    order they must be imported (register and crosswalk before facts); with ``daily``, the
    grid's daily readings too, one file a month."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    files: list[DemoFile] = []
    files += _register(tables, out, year)
    files.append(_price_index(tables["price_index"], out, year))
    files += _accounts_and_power(tables, out, rng, daily)
    files += _stats(tables["monthly_fact"], tables["enterprise"], out, year)
    files.append(
        _simple(
            tables["peer_figure"],
            out / f"全省及各市指标-{year}.csv",
            "peer_figure",
            headers(PEER_FIGURE),
            ["indicator", "region_code", "period", "value", "growth_pct"],
            year,
        )
    )
    files.append(
        _simple(
            tables["reported_value"],
            out / f"县区报送指标-{year}.csv",
            "reported_value",
            headers(REPORTED_VALUE),
            ["indicator", "region_code", "period", "value"],
            year,
        )
    )
    files += _tracking(tables, out, year)
    return files


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str) -> None:
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _num(x: float | None, factor: float = 1.0) -> str:
    if x is None:
        return ""
    v = round(x * factor, 6)
    return str(int(v)) if float(v).is_integer() else repr(v)


def _register(tables: dict[str, pa.Table], out: Path, year: int) -> list[DemoFile]:
    ent = tables["enterprise"].to_pylist()
    scale: dict[int, dict[str, str]] = defaultdict(dict)
    for r in tables["enterprise_scale"].to_pylist():
        scale[r["year"]][r["uscc"]] = ENTERPRISE_SCALE[r["scale"]]
    status: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in tables["enterprise_status"].to_pylist():
        status[r["uscc"]].append(r)
    header = headers(REGISTER)
    files = []
    for y in (year - 1, year):
        rows = []
        for e in ent:
            st = sorted(status[e["uscc"]], key=lambda s: s["valid_from"])
            s = st[0] if y < year else st[-1]
            rows.append(
                [
                    e["uscc"],
                    e["name"],
                    region_name(e["region_code"]),
                    e["industry_code"],
                    e["founded"].isoformat() if e["founded"] else "",
                    _num(e["land_mu"]),
                    e["platform"] or "",
                    "、".join(e["flags"]),
                    y,
                    scale[y].get(e["uscc"], ""),
                    ENTERPRISE_STATUS[s["status"]],
                    s["valid_from"].isoformat(),
                    s["reason"] or "",
                ]
            )
        path = out / f"企业名录-{y}.csv"
        _csv(path, header, rows, "utf-8-sig")
        files.append(DemoFile("register", path, None, f"{y}-01-10"))
    return files


def _price_index(t: pa.Table, out: Path, year: int) -> DemoFile:
    path = out / f"价格指数-{year - 1}-{year}.csv"
    _csv(
        path,
        headers(PRICE_INDEX),
        ([r["division"], r["period"], _num(r["ppi"])] for r in t.to_pylist()),
        "utf-8",
    )
    return DemoFile("price_index", path, None, f"{year + 1}-01-20")


def _accounts_and_power(
    tables: dict[str, pa.Table], out: Path, rng: random.Random, daily: DailyUse | None
) -> list[DemoFile]:
    names = {r["uscc"]: r["name"] for r in tables["enterprise"].to_pylist()}
    usccs = sorted(names)
    accounts: dict[str, list[str]] = {}
    for i, code in enumerate(usccs):
        n = 2 if rng.random() < 0.08 else 1  # some enterprises have two meters
        accounts[code] = [f"33{(i * 7919 + k * 104729) % 10**8:08d}{k}" for k in range(n)]
    crosswalk = out / "用电户号对照表.csv"
    _csv(
        crosswalk,
        headers(GRID_ACCOUNT),
        ([a, _grid_name(names[c], rng), c] for c in usccs for a in accounts[c]),
        "utf-8-sig",
    )
    files = [DemoFile("grid_account", crosswalk, None, "2015-01-05")]
    by_period: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in tables["electricity"].to_pylist():
        by_period[r["period"]].append((r["uscc"], r["kwh"]))
    for period in sorted(by_period):
        compact = period.replace("-", "")
        path = out / f"用电量-{period}.csv"
        rows = []
        for code, kwh in by_period[period]:
            acc = accounts[code]
            kwh_total = round(kwh * 1e4)  # 万千瓦时 → 千瓦时, whole kWh as the grid bills
            first = kwh_total if len(acc) == 1 else round(kwh_total * 0.6)
            parts = [first] if len(acc) == 1 else [first, kwh_total - first]
            for a, part in zip(acc, parts, strict=True):
                rows.append(
                    [a, _grid_name(names[code], rng), "第二产业", "普通工业", "交流10kV", part]
                )
        # The grid's export: account, name, three columns ingest ignores, and 电量YYYYMM.
        by_month = ELECTRICITY.column("kwh_by_month").label.replace("YYYYMM", compact)
        _csv(
            path,
            [*headers(ELECTRICITY, "account", "account_name"), *_GRID_EXTRA, by_month],
            rows,
            "gb18030" if int(period[5:]) % 3 == 0 else "utf-8",
        )
        files.append(DemoFile("electricity", path, period, _due(period, 8)))
    if daily is not None:
        order = tables["enterprise"].column("uscc").to_pylist()  # the generator's order
        files += _daily_power(daily, order, accounts, names, out)
    return files


def _daily_power(
    daily: DailyUse,
    order: list[str],
    accounts: dict[str, list[str]],
    names: dict[str, str],
    out: Path,
) -> list[DemoFile]:
    """The grid's daily export, one CSV a month: 户号, 户名, 日期, 日用电量 in whole kWh,
    an enterprise's two meters splitting its use 60/40 as in the monthly bills."""
    meter, owner, share = [], [], []
    for i, code in enumerate(order):
        acc = accounts[code]
        for a, part in zip(acc, [1.0] if len(acc) == 1 else [0.6, 0.4], strict=True):
            meter.append(a)
            owner.append(i)
            share.append(part)
    who = np.array(owner)
    header = headers(METER_DAILY, "account", "account_name", "day", "kwh")
    files = []
    for month, days in daily.days.items():
        kwh = np.round(daily.kwh[month][who] * np.array(share)[:, None] * 1e4)
        n = len(days)
        table = pa.table(
            {
                header[0]: pa.array(np.repeat(meter, n)),
                header[1]: pa.array(np.repeat([names[order[i]] for i in owner], n)),
                header[2]: pa.array(np.tile([d.isoformat() for d in days], len(meter))),
                header[3]: pa.array(kwh.ravel().astype(np.int64)),
            }
        )
        path = out / f"日用电量-{month}.csv"
        pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
        files.append(DemoFile("meter_daily", path, month, _due(month, 3)))
    return files


_GRID_EXTRA = ("产业类别", "用电类别", "电压等级")


def _grid_name(name: str, rng: random.Random) -> str:
    return name.replace("有限公司", "有限责任公司") if rng.random() < 0.1 else name


def _due(period: str, day: int) -> str:
    y, m = int(period[:4]), int(period[5:])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y:04d}-{m:02d}-{day:02d}"


def _stats(facts: pa.Table, ent: pa.Table, out: Path, year: int) -> list[DemoFile]:
    names = {r["uscc"]: r["name"] for r in ent.to_pylist()}
    by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in facts.to_pylist():
        by_period[r["period"]].append(r)
    files = []
    for period in sorted(by_period):
        rows = by_period[period]
        month = int(period[5:])
        if month in (6, 12):
            path = out / f"规上工业月报-{period}.xlsx"
            _stats_workbook(path, rows, names, period)
        else:
            path = out / f"规上工业月报-{period}.csv"
            header = headers(STATS_MONTHLY, "uscc")
            header += [_PLATFORM_NAME, *headers(STATS_MONTHLY, "year", "month")]
            for m in FACT_MEASURES:
                header += [_FORM[m].header(), STATS_MONTHLY.column(f"{m}_prior").header()]
            body = []
            for r in rows:
                line = [r["uscc"], names[r["uscc"]], period[:4], str(month)]
                for m in FACT_MEASURES:
                    f = 10.0 if _FORM[m].dim == "money" else 1.0  # 万元 → the form's 千元
                    line += [_num(r[m], f), _num(r[f"{m}_prior"], f)]
                body.append(line)
            _csv(path, header, body, "gb18030" if month % 2 else "utf-8-sig")
        files.append(DemoFile("stats_monthly", path, period, _due(period, 16)))
    return files


def _stats_workbook(
    path: Path, rows: list[dict[str, Any]], names: dict[str, str], period: str
) -> None:
    """The forwarded form: title, unit line, two-row merged header in 万元, 合计 at the bottom,
    an instructions sheet and a hidden helper sheet."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    info = wb.create_sheet("填表说明")
    info.append(["本表由统计局联网直报平台导出，金额单位万元。"])
    ws = wb.create_sheet("月报")
    month = int(period[5:])
    ws.append([f"{period[:4]}年1-{month}月规模以上工业企业主要指标"])
    ws.append(["单位：万元"])
    top: list[Any] = [*headers(STATS_MONTHLY, "uscc"), _PLATFORM_NAME]
    sub: list[Any] = [None, None]
    for m in FACT_MEASURES:
        col = _FORM[m]
        label = col.label + ("" if col.dim == "money" else f"({col.unit})")
        top += [label, None]
        sub += [f"1-{month}月", f"上年同期1-{month}月"]
    ws.append(top)
    ws.append(sub)
    totals = dict.fromkeys([f"{m}{s}" for m in FACT_MEASURES for s in ("", "_prior")], 0.0)
    for r in rows:
        line: list[Any] = [r["uscc"], names[r["uscc"]]]
        for m in FACT_MEASURES:
            for s in ("", "_prior"):
                v = r[f"{m}{s}"]
                line.append(v)
                totals[f"{m}{s}"] += v or 0.0
        ws.append(line)
    ws.append(
        [
            "合 计",
            None,
            *(round(totals[f"{m}{s}"], 4) for m in FACT_MEASURES for s in ("", "_prior")),
        ]
    )
    ws.append(["制表人：", None, "审核人："])
    helper = wb.create_sheet("辅助计算")
    helper.sheet_state = "hidden"
    helper.append(["临时", 1])
    wb.save(path)


def _simple(
    t: pa.Table, path: Path, kind: str, header: list[str], cols: list[str], year: int
) -> DemoFile:
    _csv(path, header, ([_cell(r[c]) for c in cols] for r in t.to_pylist()), "utf-8-sig")
    return DemoFile(kind, path, None, f"{year + 1}-01-25")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    return _num(v) if isinstance(v, float) else str(v)


# -- projects, progress, targets and pools (issue #5) ---------------------------------------------
def _tracking(tables: dict[str, pa.Table], out: Path, year: int) -> list[DemoFile]:
    """The project list (before its progress reports), one progress file per month, the
    targets of each year and the pool lists — only those the generator made."""
    files: list[DemoFile] = []
    if "project" in tables:
        files += _projects(tables["project"], tables.get("project_plan"), out)
    if "project_progress" in tables:
        files += _progress(tables["project_progress"], out)
    if "target" in tables:
        files += _targets(tables["target"], out)
    if "pool_member" in tables:
        files.append(_pool_members(tables["pool_member"], out, year))
    if "capacity_case" in tables:
        files.append(_capacity(tables["capacity_case"], out, year))
    return files


def _capacity(cases: pa.Table, out: Path, year: int) -> DemoFile:
    """The counties' capacity ledgers, gathered by the city into one file of the year."""
    path = out / f"淘汰落后产能和低小散整治台账-{year}.csv"
    keys = [c.key for c in CAPACITY_CASE.columns]

    def cell(r: dict[str, Any], k: str) -> str:
        if k == "kind":
            return CAPACITY_CASES[r["kind"]]
        if k == "region":
            return region_name(r["region_code"])
        return _exact(r[k])

    rows = ([cell(r, k) for k in keys] for r in cases.to_pylist())
    _csv(path, headers(CAPACITY_CASE), rows, "utf-8-sig")
    return DemoFile("capacity_case", path, str(year), f"{year + 1}-01-15")


def _exact(x: Any) -> str:
    """A cell that parses back to the same value (floats at full precision)."""
    if x is None:
        return ""
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return x.isoformat() if hasattr(x, "isoformat") else str(x)


def _projects(project: pa.Table, plan: pa.Table | None, out: Path) -> list[DemoFile]:
    plans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in plan.to_pylist() if plan is not None else []:
        plans[r["project_id"]].append(r)
    lists = {k: v[0] for k, v in PROJECT_LISTS.items()}
    by_year: dict[int, list[list[str]]] = defaultdict(list)
    for p in project.to_pylist():
        for pl in plans.get(p["project_id"]) or [{"year": None, "annual_plan": None}]:
            y = pl["year"] or (p["planned_start"] or p["introduced"]).year
            by_year[y].append(
                [
                    p["project_id"],
                    p["name"],
                    PROJECT_CATEGORIES[p["category"]],
                    "、".join(lists[x] for x in p["lists"]),
                    region_name(p["region_code"]),
                    p["uscc"] or "",
                    _exact(p["planned_total"]),
                    _exact(p["introduced"]),
                    _exact(p["planned_start"]),
                    _exact(p["planned_completion"]),
                    str(y),
                    _exact(pl["annual_plan"]),
                ]
            )
    header = headers(PROJECT)
    files = []
    for y in sorted(by_year):
        path = out / f"项目清单-{y}.csv"
        _csv(path, header, by_year[y], "utf-8-sig")
        files.append(DemoFile("project", path, None, f"{y}-02-15"))
    return files


def _progress(progress: pa.Table, out: Path) -> list[DemoFile]:
    by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in progress.to_pylist():
        by_period[r["period"]].append(r)
    files = []
    ytd = PROJECT_PROGRESS.column("ytd_by_month")
    for period in sorted(by_period):
        month = int(period[5:])
        path = out / f"重点项目进度-{period}.csv"
        _csv(
            path,
            [
                *headers(PROJECT_PROGRESS, "project_id"),
                f"{ytd.label.replace('M', str(month))}({ytd.unit})",  # 1-6月完成投资(万元)
                *headers(PROJECT_PROGRESS, "actual_start", "actual_completion", "note"),
            ],
            (
                [
                    r["project_id"],
                    _exact(r["ytd_invested"]),
                    _exact(r["actual_start"]),
                    _exact(r["actual_completion"]),
                    r["note"] or "",
                ]
                for r in by_period[period]
            ),
            "gb18030" if month % 4 == 0 else "utf-8-sig",
        )
        files.append(DemoFile("project_progress", path, period, _due(period, 10)))
    return files


def _targets(target: pa.Table, out: Path) -> list[DemoFile]:
    by_year: dict[int, list[list[str]]] = defaultdict(list)
    for r in target.to_pylist():
        by_year[r["year"]].append(
            [
                r["indicator"],
                r["region_code"],
                str(r["year"]),
                TARGET_BASIS[r["basis"]],
                _exact(r["value"]),
            ]
        )
    files = []
    for y in sorted(by_year):
        path = out / f"年度目标-{y}.csv"
        _csv(path, headers(TARGET), by_year[y], "utf-8-sig")
        files.append(DemoFile("target", path, str(y), f"{y}-02-01"))
    return files


def _pool_members(members: pa.Table, out: Path, year: int) -> DemoFile:
    labels = {p.key: p.label for p in POOLS}
    path = out / f"企业名单-{year}.csv"
    _csv(
        path,
        headers(POOL, "pool", "uscc", "entered", "level", "reason", "exited", "exit_reason"),
        (
            [
                labels[m["pool"]],
                m["uscc"],
                _exact(m["entered"]),
                POOL_LEVELS.get(m["level"], "") if m["level"] else "",
                m["reason"] or "",
                _exact(m["exited"]),
                EXIT_REASONS.get(m["exit_reason"], m["exit_reason"]) if m["exit_reason"] else "",
            ]
            for m in members.to_pylist()
        ),
        "utf-8-sig",
    )
    return DemoFile("pool", path, None, f"{year + 1}-01-15")
