"""CLI commands under ``jingxin pools``: rules propose members, an analyst confirms, members
exit, and alerts list members whose data crossed their pool's rule.

Registered at the end of ``jingxin/cli.py``. Errors become one Chinese sentence and exit
code 1 (``cli._guard``).
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

__all__ = ["pools_app"]

pools_app = typer.Typer(
    help="企业名单：按规则提出候选企业、确认列入、退出，以及数据越线提醒。", no_args_is_help=True
)

DbOpt = Annotated[
    Path | None, typer.Option("--db", help="DuckDB 数据库文件（默认取 JINGXIN_DB_PATH）。")
]
YearOpt = Annotated[int, typer.Option("--year", help="数据年度，如 2016。")]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="操作人（记入审计日志，默认当前系统用户）。")
]
PoolOpt = Annotated[str, typer.Option("--pool", help="名单代码或名称，如 small_to_above。")]
UsccOpt = Annotated[str, typer.Option("--uscc", help="企业统一社会信用代码。")]


def _cli() -> Any:
    from jingxin import cli  # late: cli imports this module at its end

    return cli


def _date(text: str) -> date:
    from jingxin.errors import InputError
    from jingxin.ingest.cells import CellError, parse_date

    try:
        d = parse_date(text)
    except CellError:
        d = None
    if d is None:
        raise InputError(f"日期 {text!r} 无效：应为 YYYY-MM-DD，如 2016-12-31。")
    return d


@pools_app.command("propose")
def propose_cmd(
    rule: Annotated[
        str, typer.Option("--rule", help="规则：small_to_above、zombie 或 key_energy_user。")
    ],
    year: YearOpt,
    share: Annotated[
        float | None, typer.Option("--share", help="小升规：营业收入达规上标准的比例，默认 0.7。")
    ] = None,
    loss_years: Annotated[
        int | None, typer.Option("--loss-years", help="僵尸企业：连续亏损年数，默认 2。")
    ] = None,
    power_share: Annotated[
        float | None,
        typer.Option("--power-share", help="僵尸企业：用电量低于上年的比例，默认 0.1。"),
    ] = None,
    db: DbOpt = None,
) -> None:
    """按规则列出某年符合条件、尚未列入名单的企业及依据。"""
    from jingxin.errors import InputError
    from jingxin.store import Scope
    from jingxin.tracking.pool_rules import SmallToAbove, Zombie, get_rule, propose

    cli = _cli()

    def go() -> None:
        r = get_rule(rule)
        if share is not None:
            if not isinstance(r, SmallToAbove) or not 0 < share <= 1:
                raise InputError("--share 只用于 small_to_above，应在 0 到 1 之间。")
            r = SmallToAbove(share=share)
        if loss_years is not None or power_share is not None:
            if not isinstance(r, Zombie):
                raise InputError("--loss-years、--power-share 只用于 zombie 规则。")
            r = Zombie(
                loss_years=loss_years if loss_years is not None else r.loss_years,
                power_share=power_share if power_share is not None else r.power_share,
            )
        store = cli._store(db, read_only=True)
        try:
            found = propose(store, r, year, Scope.city())
        finally:
            store.close()
        table = Table("统一社会信用代码", "企业名称", "依据")
        for p in found:
            table.add_row(p.uscc, p.name, p.evidence)
        cli.console.print(table)
        cli.console.print(
            f"{year} 年按规则 {rule} 提出 {len(found)} 家候选企业；"
            "确认列入请用 jingxin pools confirm。"
        )

    cli._guard(go)


@pools_app.command("confirm")
def confirm_cmd(
    pool: PoolOpt,
    uscc: UsccOpt,
    entered: Annotated[str, typer.Option("--entered", help="列入日期，如 2016-12-31。")],
    reason: Annotated[str, typer.Option("--reason", help="列入原因（规则依据或决定）。")],
    level: Annotated[
        str | None, typer.Option("--level", help="级别（国家级、省级、市级），有级别的名单填写。")
    ] = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
) -> None:
    """确认把企业列入名单（记入审计日志）。"""
    from jingxin.tracking.pool_rules import confirm

    cli = _cli()

    def go() -> None:
        store = cli._store(db)
        try:
            confirm(
                store,
                pool,
                uscc,
                _date(entered),
                actor or getpass.getuser(),
                reason,
                level=level,
            )
        finally:
            store.close()
        cli.console.print(f"已将企业 {uscc} 列入名单 {pool}（{entered} 起）。")

    cli._guard(go)


@pools_app.command("exit")
def exit_cmd(
    pool: PoolOpt,
    uscc: UsccOpt,
    exited: Annotated[str, typer.Option("--exited", help="退出日期，如 2016-12-31。")],
    reason: Annotated[
        str, typer.Option("--reason", help="退出原因，如 已处置、已升规、不再符合条件。")
    ],
    actor: ActorOpt = None,
    db: DbOpt = None,
) -> None:
    """记录企业退出名单（记入审计日志）。"""
    from jingxin.tracking.pool_rules import exit_member

    cli = _cli()

    def go() -> None:
        store = cli._store(db)
        try:
            exit_member(store, pool, uscc, _date(exited), actor or getpass.getuser(), reason)
        finally:
            store.close()
        cli.console.print(f"已记录企业 {uscc} 于 {exited} 退出名单 {pool}。")

    cli._guard(go)


@pools_app.command("alerts")
def alerts_cmd(year: YearOpt, db: DbOpt = None) -> None:
    """列出数据已越过名单规则的成员（及再次符合僵尸企业条件的已退出企业）。"""
    from jingxin.store import Scope
    from jingxin.tracking.pool_rules import alerts

    cli = _cli()

    def go() -> None:
        store = cli._store(db, read_only=True)
        try:
            found = alerts(store, year, Scope.city())
        finally:
            store.close()
        table = Table("名单", "统一社会信用代码", "企业名称", "列入日期", "提醒")
        for a in found:
            table.add_row(a.pool, a.uscc, a.name, str(a.entered), a.message)
        cli.console.print(table)
        cli.console.print(f"{year} 年共 {len(found)} 条名单提醒。")

    cli._guard(go)
