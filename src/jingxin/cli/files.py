"""The department files held: ``files list`` and ``files restore`` (undo a correction)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from jingxin.cli.common import (
    ActorOpt,
    DbOpt,
    actor_name,
    console,
    guarded,
    open_store,
    refresh_derived,
)
from jingxin.config import get_settings

if TYPE_CHECKING:
    from jingxin.ingest.diff import TableDiff

__all__ = ["app", "print_diff"]

app = typer.Typer()
files_app = typer.Typer(
    help="已导入的部门文件：查看有效与已被替换的文件，恢复被错误更正替换的文件。",
    no_args_is_help=True,
)
app.add_typer(files_app, name="files")

STATUS = {"active": "有效", "superseded": "已被替换"}


def print_diff(diff: Mapping[str, TableDiff], kind: str) -> None:
    """Print what a replacement changed: counts per table and a few values before → after."""
    from jingxin.ingest import KINDS
    from jingxin.ingest.diff import column_labels, diff_lines

    k = KINDS.get(kind)
    for line in diff_lines(diff, column_labels(k) if k else {}):
        console.print(escape(line), highlight=False)


@files_app.command("list")
@guarded
def list_(
    kind: Annotated[
        str | None, typer.Option("--kind", help="文件类型（见 jingxin kinds）。")
    ] = None,
    period: Annotated[str | None, typer.Option("--period", help="期别 YYYY-MM 或 YYYY。")] = None,
    db: DbOpt = None,
) -> None:
    """列出已导入的文件：有效的和已被更正文件替换的，谁在何时导入，被哪个文件替换。"""
    from jingxin.ingest import KINDS
    from jingxin.ingest.sources import source_files

    with open_store(db, read_only=True) as store:
        files = source_files(store, kind=kind, period=period)
    if not files:
        console.print("没有符合条件的文件。")
        return
    table = Table("编号", "类型", "期别", "文件名", "行数", "状态", "导入人", "导入时间", "替换为")
    for f in files:
        k = KINDS.get(f.kind)
        table.add_row(
            str(f.id),
            k.label if k else f.kind,
            f.period or "—",
            escape(f.name),
            str(f.rows),
            STATUS.get(f.status, f.status),
            escape(f.loaded_by),
            f.loaded_at.strftime("%Y-%m-%d %H:%M"),
            "—" if f.superseded_by is None else str(f.superseded_by),
        )
    console.print(table)


@files_app.command("restore")
@guarded
def restore(
    file_id: Annotated[int, typer.Argument(help="要恢复的文件编号（见 jingxin files list）。")],
    actor: ActorOpt = None,
    db: DbOpt = None,
) -> None:
    """恢复一个已被替换的文件：其数据从存档的原始文件重新入库，替换它的文件改为已被替换（留痕）。"""
    from jingxin.ingest.restore import restore_file

    with open_store(db) as store:
        done = restore_file(
            store,
            file_id,
            archive_dir=get_settings().out_dir / "archive",
            actor=actor_name(actor),
        )
        console.print(escape(done.summary()), highlight=False)
        print_diff(done.diff, done.kind)
        for issue in done.warnings:
            console.print("  " + escape(issue.text()), highlight=False)
        refresh_derived(store)
