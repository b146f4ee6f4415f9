"""Department files in: ``import``, ``template``, ``kinds``, ``crosswalk``, ``completeness``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jingxin.cli.common import (
    ActorOpt,
    DbOpt,
    PeriodOpt,
    actor_name,
    console,
    err,
    guarded,
    open_store,
    parse_date,
    refresh_derived,
)
from jingxin.cli.files import print_diff
from jingxin.config import get_settings

__all__ = ["app"]

app = typer.Typer()
crosswalk_app = typer.Typer(
    help="待确认企业的记录：查看建议、确认对应关系后入库。", no_args_is_help=True
)
app.add_typer(crosswalk_app, name="crosswalk")

KindArg = Annotated[
    str, typer.Argument(help="文件类型，如 stats_monthly、electricity、tax（见 jingxin kinds）。")
]

# How many of an import's problems the terminal shows; the report holds all of them.
SHOWN_ISSUES = 20


@app.command("import")
@guarded
def import_(
    kind: KindArg,
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
    actor: ActorOpt = None,
    received: Annotated[
        str | None, typer.Option("--received", help="收到文件的日期 YYYY-MM-DD（默认：现在）。")
    ] = None,
    db: DbOpt = None,
) -> None:
    """导入部门报送的文件：全部校验通过才入库。

    有错误时文件原样退回（数据库不变），写出问题报告，退出码为 2。
    """
    from jingxin.errors import NotFoundError
    from jingxin.ingest import import_file, write_report

    if not file.is_file():
        raise NotFoundError(f"文件 {file} 不存在。")
    settings = get_settings()
    with open_store(db) as store:
        result = import_file(
            store,
            kind,
            file,
            period=period,
            actor=actor_name(actor),
            correction=correction,
            received_at=parse_date(received, "--received") if received else None,
            archive_dir=settings.out_dir / "archive",
        )
        if result.status == "loaded":
            refresh_derived(store)
    target = report or settings.out_dir / f"导入报告-{file.stem}.xlsx"
    if result.status != "repeated":
        write_report(result, target)
    console.print(result.summary())
    if result.diff:
        print_diff(result.diff, result.kind)
    for issue in result.issues[:SHOWN_ISSUES]:
        (err if issue.severity == "error" else console).print("  " + issue.text())
    if len(result.issues) > SHOWN_ISSUES:
        console.print(f"  …… 共 {len(result.issues)} 个问题，详见报告")
    if result.status != "repeated":
        console.print(f"问题报告：{target}（及 {target.with_suffix('.json').name}）")
    if not result.ok:
        raise typer.Exit(2)


@app.command()
@guarded
def template(
    kind: KindArg,
    out: Annotated[Path | None, typer.Option("--out", help="输出 .xlsx 路径。")] = None,
) -> None:
    """写出某类文件的 Excel 填报模板（表头、单位、数据有效性和示例行）。"""
    from jingxin.ingest import get_kind, write_template

    k = get_kind(kind)
    path = write_template(kind, out or get_settings().out_dir / f"模板-{k.label}.xlsx")
    console.print(f"写出 {path}")


@app.command()
@guarded
def kinds() -> None:
    """列出可导入的文件类型。"""
    from jingxin.ingest import KINDS

    table = Table("类型", "名称", "报送单位", "说明")
    for k in KINDS.values():
        table.add_row(k.key, k.label, k.sender, k.doc)
    console.print(table)


@app.command()
@guarded
def completeness(
    period: PeriodOpt,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="文件类型（可多次；默认月报和电量）。")
    ] = None,
    db: DbOpt = None,
) -> None:
    """报送完整性与及时性：哪些企业未报、文件晚了几天。"""
    from jingxin.ingest.completeness import completeness as measure
    from jingxin.store import Scope

    kinds_ = kind or ["stats_monthly", "electricity"]
    with open_store(db, read_only=True) as store:
        results = [measure(store, k, period, Scope.city()) for k in kinds_]
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


@crosswalk_app.command("list")
@guarded
def crosswalk_list(db: DbOpt = None) -> None:
    """列出因无法确定企业而暂存的记录及建议的企业。"""
    from jingxin.ingest.crosswalk import held_rows

    with open_store(db) as store:
        rows = held_rows(store)
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


@crosswalk_app.command("confirm")
@guarded
def crosswalk_confirm(
    name: Annotated[str, typer.Argument(help="文件中的名称（户名、权利人、纳税人名称）。")],
    uscc: Annotated[
        str | None, typer.Option("--uscc", help="对应企业的统一社会信用代码（默认采用建议）。")
    ] = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
) -> None:
    """确认名称对应的企业：记入对照表，并把暂存的记录入库（留痕）。"""
    from jingxin.ingest.crosswalk import confirm

    with open_store(db) as store:
        n = confirm(store, name, uscc, actor_name(actor))
        console.print(f"已确认“{name}”，{n} 行记录入库。")
        refresh_derived(store)
