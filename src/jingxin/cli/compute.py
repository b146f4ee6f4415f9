"""The cube and what is written from it: ``compute``, ``report``, ``check`` and ``info``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jingxin.cli.common import (
    DbOpt,
    OutOpt,
    PeriodOpt,
    YearOpt,
    console,
    guarded,
    open_store,
    refresh_derived,
)
from jingxin.config import get_settings

__all__ = ["INFO_TABLES", "app"]

app = typer.Typer()
report_app = typer.Typer(help="生成报告。", no_args_is_help=True)
app.add_typer(report_app, name="report")

# The tables ``jingxin info`` counts, in the order it lists them.
INFO_TABLES = (
    "enterprise",
    "monthly_fact",
    "electricity",
    "price_index",
    "peer_figure",
    "reported_value",
    "cube",
    "source_file",
    "audit_log",
)


@app.command()
@guarded
def compute(
    year: YearOpt,
    db: DbOpt = None,
    month: Annotated[
        int | None,
        typer.Option("--month", help="只重算该月（及其后已有数据的月份），用于载入新一个月之后。"),
    ] = None,
) -> None:
    """计算某年各月的指标立方（县区 × 产业 × 指标）并存入数据库。

    数据库中有上年记录时一并重算上年（年度总结的上年公布数取自上年的指标立方）。
    """
    from jingxin.indicators import compute_year, refresh_month

    with open_store(db) as store:
        if month is not None:
            # Incremental (issue #6): only that period's cells (and later electricity YTD).
            table = refresh_month(store, f"{year}-{month:02d}")
            periods = sorted(set(table["period"].to_pylist()))
            console.print(f"已重算 {'、'.join(periods)} 指标 {table.num_rows:,} 项。")
            return
        for done, cube in compute_year(store, year):
            why = "" if done == year else "（上年公布数所需）"
            console.print(f"已计算 {done} 年指标 {cube.num_rows:,} 项{why}。")


@app.command()
@guarded
def refresh(db: DbOpt = None) -> None:
    """更新过期的指标：只重算导入、更正之后受影响的年份和月份（通常导入时已自动完成）。"""
    from jingxin.indicators import stale_years

    with open_store(db) as store:
        if not stale_years(store):
            console.print("指标均为最新，无需更新。")
            return
        refresh_derived(store)


@report_app.command("annual")
@guarded
def report_annual(year: YearOpt, db: DbOpt = None, out: OutOpt = None) -> None:
    """写出年度总结：Markdown、Word 和 JSON。"""
    from jingxin.reports import write_annual
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        files = write_annual(store, year, out or get_settings().out_dir, Scope.city())
    for p in (files.markdown, files.docx, files.json):
        console.print(f"写出 {p}")


@report_app.command("bulletin")
@guarded
def report_bulletin(period: PeriodOpt, db: DbOpt = None, out: OutOpt = None) -> None:
    """写出月度通报：Word、Excel、Markdown 和 JSON（县区排名、时间进度、滞后预警）。"""
    from jingxin.reports.bulletin import write_bulletin
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        files = write_bulletin(store, period, out or get_settings().out_dir, Scope.city())
    for p in (files.markdown, files.docx, files.xlsx, files.json):
        console.print(f"写出 {p}")


@app.command()
@guarded
def check(
    targets: Annotated[Path, typer.Option("--targets", help="目标文件。")],
    computed: Annotated[
        Path, typer.Option("--json", help="年度总结 JSON（jingxin report annual 的输出）。")
    ],
    show_all: Annotated[
        bool, typer.Option("--all", help="列出每一项，而不仅是不一致的项。")
    ] = False,
) -> None:
    """将计算结果与目标文件逐项比对，打印 N/N figures reproduced。

    有不一致的项时退出码为 1。
    """
    from jingxin.demo.targets import load_targets
    from jingxin.errors import InputError
    from jingxin.reports import compare

    t = load_targets(targets)
    if not computed.is_file():
        raise InputError(f"文件 {computed} 不存在：请先运行 jingxin report annual。")
    checks = compare(t.raw, json.loads(computed.read_text("utf-8")))
    table = Table("指标", "目标", "计算", "结果")
    for c in checks:
        if show_all or not c.ok:
            table.add_row(c.path, str(c.target), str(c.computed), "✓" if c.ok else "✗")
    if table.rows:
        console.print(table)
    ok = sum(c.ok for c in checks)
    console.print(f"{ok}/{len(checks)} figures reproduced")
    if ok != len(checks):
        raise typer.Exit(1)


@app.command()
@guarded
def info(db: DbOpt = None) -> None:
    """显示数据库概况：结构版本、各表行数、已计算年度、数据截至。"""
    from jingxin.indicators import stale_years
    from jingxin.store import Scope, versions

    city = Scope.city()
    with open_store(db, read_only=True) as store:
        console.print(f"数据库 {store.path}，结构版本 {store.schema_version()}")
        table = Table("表", "行数")
        for name in INFO_TABLES:
            table.add_row(name, f"{store.scalar(store.table(name, city).count()):,}")
        cube = store.table("cube", city)
        years = store.run(cube.select(year=cube.period.substr(0, 4)).distinct().order_by("year"))
        stale = stale_years(store)
        as_of = versions.as_of_sentence(store)
    console.print(table)
    console.print("已计算年度：" + ("、".join(years["year"].to_pylist()) or "无"))
    console.print(as_of, highlight=False)
    for s in stale:
        console.print(f"{s.year} 年的指标不是最新的：请运行 jingxin refresh。", highlight=False)
