"""``jingxin pools`` (issue #5): enterprise pools.

Rules propose members, an analyst confirms, members exit, and alerts list members whose
data crossed their pool's rule.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from jingxin.cli.common import (
    ActorOpt,
    DbOpt,
    UsccOpt,
    YearOpt,
    actor_name,
    console,
    guarded,
    open_store,
    parse_date,
)

__all__ = ["app"]

app = typer.Typer()
pools_app = typer.Typer(
    help="企业名单：按规则提出候选、确认列入、退出、越线提醒。", no_args_is_help=True
)
app.add_typer(pools_app, name="pools")

PoolOpt = Annotated[str, typer.Option("--pool", help="名单代码或名称，如 small_to_above。")]


@pools_app.command("propose")
@guarded
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
    with open_store(db, read_only=True) as store:
        found = propose(store, r, year, Scope.city())
    table = Table("统一社会信用代码", "企业名称", "依据")
    for p in found:
        table.add_row(p.uscc, p.name, p.evidence)
    console.print(table)
    console.print(
        f"{year} 年按规则 {rule} 提出 {len(found)} 家候选企业；确认列入请用 jingxin pools confirm。"
    )


@pools_app.command("confirm")
@guarded
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

    day = parse_date(entered, "--entered").date()
    with open_store(db) as store:
        confirm(store, pool, uscc, day, actor_name(actor), reason, level=level)
    console.print(f"已将企业 {uscc} 列入名单 {pool}（{entered} 起）。")


@pools_app.command("exit")
@guarded
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

    day = parse_date(exited, "--exited").date()
    with open_store(db) as store:
        exit_member(store, pool, uscc, day, actor_name(actor), reason)
    console.print(f"已记录企业 {uscc} 于 {exited} 退出名单 {pool}。")


@pools_app.command("alerts")
@guarded
def alerts_cmd(year: YearOpt, db: DbOpt = None) -> None:
    """列出数据已越过名单规则的成员（及再次符合僵尸企业条件的已退出企业）。"""
    from jingxin.store import Scope
    from jingxin.tracking.pool_rules import alerts

    with open_store(db, read_only=True) as store:
        found = alerts(store, year, Scope.city())
    table = Table("名单", "统一社会信用代码", "企业名称", "列入日期", "提醒")
    for a in found:
        table.add_row(a.pool, a.uscc, a.name, str(a.entered), a.message)
    console.print(table)
    console.print(f"{year} 年共 {len(found)} 条名单提醒。")
