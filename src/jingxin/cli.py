"""The ``jingxin`` command line. Errors are one Chinese sentence, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from jingxin.config import get_settings
from jingxin.errors import JingxinError

app = typer.Typer(
    help="经信：工业经济监测、企业评价与报告平台。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
report_app = typer.Typer(help="生成报告。", no_args_is_help=True)
app.add_typer(report_app, name="report")
console = Console()
err = Console(stderr=True)

T = TypeVar("T")

DbOpt = Annotated[
    Path | None, typer.Option("--db", help="DuckDB 数据库文件（默认取 JINGXIN_DB_PATH）。")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="报告输出目录（默认取 JINGXIN_OUT_DIR）。")
]
YearOpt = Annotated[int, typer.Option("--year", help="报告年度，如 2016。")]


def _guard(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except JingxinError as exc:
        err.print(f"[bold red]错误：[/]{exc}")
        raise typer.Exit(1) from None


def _store(db: Path | None, read_only: bool = False) -> Any:
    from jingxin.store import Store

    path = db or get_settings().db_path
    if read_only and not path.exists():
        from jingxin.errors import NotFoundError

        raise NotFoundError(f"数据库 {path} 不存在：请先运行 jingxin demo 或导入数据。")
    return Store(path, read_only=read_only)


@app.command()
def demo(
    targets: Annotated[
        Path | None, typer.Option("--targets", help="目标文件（默认：湖州 2016）。")
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="演示数据库文件（默认：输出目录下 demo.duckdb，每次重建）。"),
    ] = None,
    out: OutOpt = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="随机种子（同一种子生成同样的数据）。")
    ] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="写完报告后退出（网页看板尚未提供，目前总是如此）。")
    ] = False,
) -> None:
    """生成演示城市的企业数据，导入、计算并写出年度总结。"""
    from jingxin.demo.run import run_demo
    from jingxin.demo.targets import load_targets
    from jingxin.reports import SPINE_TABLES, compare

    settings = get_settings()
    out_dir = out or settings.out_dir
    db_path = db or out_dir / "demo.duckdb"

    def go() -> None:
        t = load_targets(targets)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as bar:
            task = bar.add_task("准备", total=None)
            result = run_demo(
                t,
                seed if seed is not None else settings.seed,
                db_path,
                out_dir,
                str(targets or "湖州 2016"),
                lambda s: bar.update(task, description=s),
            )
            bar.update(task, description="完成")
        f = result.files
        console.print(f"已导入 {sum(result.load.rows.values()):,} 行记录 → {db_path}")
        for p in (f.markdown, f.docx, f.json, f.chart):
            console.print(f"  写出 {p}")
        checks = compare(t.raw, json.loads(f.json.read_text("utf-8")), SPINE_TABLES)
        ok = sum(c.ok for c in checks)
        console.print(f"{ok}/{len(checks)} figures reproduced（与目标文件逐项比对）")

    _guard(go)


@app.command()
def compute(year: YearOpt, db: DbOpt = None) -> None:
    """计算某年各月的指标立方（县区 × 产业 × 指标）并存入数据库。"""
    from jingxin.indicators import compute_cube

    def go() -> None:
        store = _store(db)
        try:
            table = compute_cube(store, year)
            console.print(f"已计算 {year} 年指标 {table.num_rows:,} 项。")
            # Last year's cube holds the figures published then (上年公布数): keep it fresh.
            prev = store.con.execute(
                "select count(*) from monthly_fact where period like ?", [f"{year - 1}-%"]
            ).fetchall()[0][0]
            if prev:
                compute_cube(store, year - 1)
                console.print(f"已同时计算 {year - 1} 年指标（上年公布数所需）。")
        finally:
            store.close()

    _guard(go)


@report_app.command("annual")
def report_annual(year: YearOpt, db: DbOpt = None, out: OutOpt = None) -> None:
    """写出年度总结：Markdown、Word 和 JSON。"""
    from jingxin.reports import write_annual

    def go() -> None:
        store = _store(db, read_only=True)
        try:
            files = write_annual(store, year, out or get_settings().out_dir)
        finally:
            store.close()
        for p in (files.markdown, files.docx, files.json):
            console.print(f"写出 {p}")

    _guard(go)


@app.command()
def check(
    targets: Annotated[Path, typer.Option("--targets", help="目标文件。")],
    computed: Annotated[
        Path, typer.Option("--json", help="年度总结 JSON（jingxin report annual 的输出）。")
    ],
    show_all: Annotated[
        bool, typer.Option("--all", help="列出每一项，而不仅是不一致的项。")
    ] = False,
) -> None:
    """将计算结果与目标文件逐项比对，打印 N/N figures reproduced。"""
    from jingxin.demo.targets import load_targets
    from jingxin.errors import InputError
    from jingxin.reports import compare

    def go() -> None:
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

    _guard(go)


@app.command()
def info(db: DbOpt = None) -> None:
    """显示数据库概况：结构版本、各表行数、来源文件。"""

    def go() -> None:
        store = _store(db, read_only=True)
        try:
            console.print(f"数据库 {store.path}，结构版本 {store.schema_version()}")
            table = Table("表", "行数")
            for name in (
                "enterprise",
                "monthly_fact",
                "electricity",
                "price_index",
                "peer_figure",
                "reported_value",
                "cube",
                "source_file",
                "audit_log",
            ):
                n = store.con.execute(f"select count(*) from {name}").fetchall()[0]  # noqa: S608
                table.add_row(name, f"{n[0]:,}" if n else "0")
            console.print(table)
            years = store.con.execute(
                "select distinct substr(period, 1, 4) from cube order by 1"
            ).fetchall()
            console.print("已计算年度：" + ("、".join(y[0] for y in years) or "无"))
        finally:
            store.close()

    _guard(go)


def main() -> None:  # pragma: no cover - console entry for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
