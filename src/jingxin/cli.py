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
    from jingxin.reports import compare

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
        for b in result.bulletins:
            console.print(f"  写出 {b.docx}、{b.xlsx.name}")
        ev = result.evaluation
        console.print(f"  写出 {ev.xlsx}（亩均效益评价，及 .csv/.json/.docx）")
        checks = compare(t.raw, json.loads(f.json.read_text("utf-8")))
        ok = sum(c.ok for c in checks)
        console.print(f"{ok}/{len(checks)} figures reproduced（与目标文件逐项比对）")

    _guard(go)


@app.command()
def compute(
    year: YearOpt,
    db: DbOpt = None,
    month: Annotated[
        int | None,
        typer.Option("--month", help="只重算该月（及其后已有数据的月份），用于载入新一个月之后。"),
    ] = None,
) -> None:
    """计算某年各月的指标立方（县区 × 产业 × 指标）并存入数据库。"""
    from jingxin.indicators import compute_cube, refresh_month

    def go() -> None:
        store = _store(db)
        try:
            if month is not None:
                # Incremental (issue #6): only that period's cells (and later electricity YTD).
                table = refresh_month(store, f"{year}-{month:02d}")
                periods = sorted(set(table["period"].to_pylist()))
                console.print(f"已重算 {'、'.join(periods)} 指标 {table.num_rows:,} 项。")
                return
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
    from jingxin.store import Scope

    def go() -> None:
        store = _store(db, read_only=True)
        try:
            files = write_annual(store, year, out or get_settings().out_dir, Scope.city())
        finally:
            store.close()
        for p in (files.markdown, files.docx, files.json):
            console.print(f"写出 {p}")

    _guard(go)


@report_app.command("bulletin")
def report_bulletin(
    period: Annotated[str, typer.Option("--period", help="通报期别 YYYY-MM，如 2016-06。")],
    db: DbOpt = None,
    out: OutOpt = None,
) -> None:
    """写出月度通报：Word、Excel、Markdown 和 JSON（县区排名、时间进度、滞后预警）。"""
    from jingxin.reports.bulletin import write_bulletin
    from jingxin.store import Scope

    def go() -> None:
        store = _store(db, read_only=True)
        try:
            files = write_bulletin(store, period, out or get_settings().out_dir, Scope.city())
        finally:
            store.close()
        for p in (files.markdown, files.docx, files.xlsx, files.json):
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


@app.command("import")
def import_(
    kind: Annotated[str, typer.Argument(help="文件类型，如 stats_monthly、electricity、tax。")],
    file: Annotated[Path, typer.Argument(help="要导入的 .xlsx、.xls 或 CSV 文件。")],
    period: Annotated[
        str | None, typer.Option("--period", help="期别 YYYY-MM 或 YYYY（文件中没有时必填）。")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="问题报告 .xlsx 路径（默认：输出目录下 导入报告-文件名.xlsx）。"
        ),
    ] = None,
    correction: Annotated[
        bool, typer.Option("--correction", help="这是更正文件：允许累计值小于上月。")
    ] = False,
    actor: Annotated[str, typer.Option("--by", help="导入人（记入来源与留痕）。")] = "analyst",
    received: Annotated[
        str | None, typer.Option("--received", help="收到文件的日期 YYYY-MM-DD（默认：现在）。")
    ] = None,
    db: DbOpt = None,
) -> None:
    """导入部门报送的文件：全部校验通过才入库，否则原样退回并写出问题报告。"""
    from jingxin.ingest import import_file, write_report

    def go() -> None:
        if not file.is_file():
            from jingxin.errors import NotFoundError

            raise NotFoundError(f"文件 {file} 不存在。")
        settings = get_settings()
        store = _store(db)
        try:
            result = import_file(
                store,
                kind,
                file,
                period=period,
                actor=actor,
                correction=correction,
                received_at=_date_arg(received, "--received"),
                archive_dir=settings.out_dir / "archive",
            )
        finally:
            store.close()
        target = report or settings.out_dir / f"导入报告-{file.stem}.xlsx"
        if result.status != "repeated":
            write_report(result, target)
        console.print(result.summary())
        for issue in result.issues[:20]:
            (err if issue.severity == "error" else console).print("  " + issue.text())
        if len(result.issues) > 20:
            console.print(f"  …… 共 {len(result.issues)} 个问题，详见报告")
        if result.status != "repeated":
            console.print(f"问题报告：{target}（及 {target.with_suffix('.json').name}）")
        if not result.ok:
            raise typer.Exit(2)

    _guard(go)


def _date_arg(text: str | None, option: str) -> Any:
    from datetime import datetime

    from jingxin.errors import InputError

    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} 应为日期 YYYY-MM-DD，收到 {text!r}。") from None


@app.command()
def template(
    kind: Annotated[str, typer.Argument(help="文件类型，如 stats_monthly。")],
    out: Annotated[Path | None, typer.Option("--out", help="输出 .xlsx 路径。")] = None,
) -> None:
    """写出某类文件的 Excel 填报模板（表头、单位、数据有效性和示例行）。"""
    from jingxin.ingest import get_kind, write_template

    def go() -> None:
        k = get_kind(kind)
        path = write_template(kind, out or get_settings().out_dir / f"模板-{k.label}.xlsx")
        console.print(f"写出 {path}")

    _guard(go)


crosswalk_app = typer.Typer(
    help="待确认企业的记录：查看建议、确认对应关系后入库。", no_args_is_help=True
)
app.add_typer(crosswalk_app, name="crosswalk")


@crosswalk_app.command("list")
def crosswalk_list(db: DbOpt = None) -> None:
    """列出因无法确定企业而暂存的记录及建议的企业。"""
    from jingxin.ingest.crosswalk import held_rows

    def go() -> None:
        store = _store(db)
        try:
            rows = held_rows(store)
        finally:
            store.close()
        table = Table("文件", "行", "名称", "目标表", "建议企业")
        for r in rows:
            table.add_row(
                r["file_name"],
                str(r["source_row"]),
                r["name"],
                r["target"],
                r["suggestion"] or "（无）",
            )
        console.print(table if rows else "没有待确认的记录。")

    _guard(go)


@crosswalk_app.command("confirm")
def crosswalk_confirm(
    name: Annotated[str, typer.Argument(help="文件中的名称（户名、权利人、纳税人名称）。")],
    uscc: Annotated[
        str | None, typer.Option("--uscc", help="对应企业的统一社会信用代码（默认采用建议）。")
    ] = None,
    actor: Annotated[str, typer.Option("--by", help="确认人（记入留痕）。")] = "analyst",
    db: DbOpt = None,
) -> None:
    """确认名称对应的企业：记入对照表，并把暂存的记录入库（留痕）。"""
    from jingxin.ingest.crosswalk import confirm

    def go() -> None:
        store = _store(db)
        try:
            n = confirm(store, name, uscc, actor)
        finally:
            store.close()
        console.print(f"已确认“{name}”，{n} 行记录入库。")

    _guard(go)


@app.command()
def completeness(
    period: Annotated[str, typer.Option("--period", help="期别 YYYY-MM。")],
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="文件类型（可多次；默认月报和电量）。")
    ] = None,
    db: DbOpt = None,
) -> None:
    """报送完整性与及时性：哪些企业未报、文件晚了几天。"""
    from jingxin.ingest.completeness import completeness as measure

    def go() -> None:
        store = _store(db, read_only=True)
        try:
            results = [
                measure(store, k, period) for k in (kind or ["stats_monthly", "electricity"])
            ]
        finally:
            store.close()
        table = Table(
            "类型", "应报", "已报", "报送率", "截止日", "收到日", "逾期天数", "未报（按县区）"
        )
        for c in results:
            miss = "；".join(
                f"{county} {len(v)} 家" for county, v in sorted(c.missing_by_county.items())
            )
            table.add_row(
                c.kind,
                str(c.expected),
                str(c.reported),
                f"{c.rate:.1f}%",
                str(c.due),
                str(c.received or "未收到"),
                "—" if c.days_late is None else str(c.days_late),
                miss or "无",
            )
        console.print(table)

    _guard(go)


@app.command()
def kinds() -> None:
    """列出可导入的文件类型。"""
    from jingxin.ingest import KINDS

    table = Table("类型", "名称", "报送单位", "说明")
    for k in KINDS.values():
        table.add_row(k.key, k.label, k.sender, k.doc)
    console.print(table)


# -- 亩均效益综合评价 (issue #3): commands live in jingxin/evaluation/commands.py -------------
from jingxin.evaluation.commands import evaluate, evaluation_app  # noqa: E402

app.command("evaluate")(evaluate)
app.add_typer(evaluation_app, name="evaluation")

# -- 企业名单规则 (issue #5): commands live in jingxin/tracking/commands.py ---------------------
from jingxin.tracking.commands import pools_app  # noqa: E402

app.add_typer(pools_app, name="pools")


def main() -> None:  # pragma: no cover - console entry for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
