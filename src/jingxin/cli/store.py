"""``jingxin backup`` and ``jingxin restore``: the store's backups (``docs/operations.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jingxin.cli.common import (
    ActorOpt,
    DbOpt,
    actor_name,
    console,
    guarded,
    open_store,
    refresh_derived,
)

__all__ = ["app"]

app = typer.Typer()


@app.command("backup")
@guarded
def backup_cmd(
    to: Annotated[
        Path,
        typer.Option("--to", help="备份目录（须为新目录，写完后才出现，已有备份不会被覆盖）。"),
    ],
    db: DbOpt = None,
) -> None:
    """备份数据库：一致的快照、各表行数和每个文件的校验值（清单 manifest.json 最后写入）。"""
    from jingxin.store.backup import backup

    with open_store(db, read_only=True) as store:
        done = backup(store, to)
    m = done.manifest
    console.print(
        f"已备份数据库 {store.path} 到 {done.path}：结构版本 {m.schema_version}，"
        f"{len(m.tables)} 张表共 {done.rows} 行，{len(m.files)} 个文件。"
    )


@app.command("restore")
@guarded
def restore_cmd(
    source: Annotated[Path, typer.Argument(help="备份目录（jingxin backup --to 写出的目录）。")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """从备份恢复数据库：先校验清单与文件、导入新文件并核对行数，全部通过后才替换数据库文件。"""
    from jingxin.config import get_settings
    from jingxin.store.backup import restore

    done = restore(source, db or get_settings().db_path, actor=actor_name(actor))
    kept = f"原文件保留为 {done.previous}" if done.previous else "此前没有数据库文件"
    console.print(
        f"已从备份 {done.backup}（{done.manifest.created_at} UTC）恢复数据库 {done.path}："
        f"{len(done.manifest.tables)} 张表共 {done.rows} 行，结构版本 {done.schema_version}；"
        f"{kept}。"
    )
    # A backup of an older schema has no data versions yet: its cube is recomputed here.
    with open_store(done.path) as store:
        refresh_derived(store)
