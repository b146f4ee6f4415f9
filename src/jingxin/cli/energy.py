"""The 用能权 ledger at the terminal: ``energy allocate|transfer|release|reverse|balance|verify``
and trades between enterprises: ``energy apply|approve|refuse|applications``.

Every command takes ``--json`` for machines. A refused movement exits 2 and names its
reason code (the closed list of ``jingxin.store.ledger.REASONS``); ``verify`` exits 1 when
the journal and the balances disagree or the hash chain is broken.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.markup import escape
from rich.table import Table

from jingxin.cli.common import ActorOpt, DbOpt, actor_name, console, guarded, open_store
from jingxin.store.ledger import LedgerError

if TYPE_CHECKING:
    from jingxin.store import Store
    from jingxin.store.ledger import Applied

__all__ = ["app"]

app = typer.Typer()
energy_app = typer.Typer(
    help="用能权账本：确权分配、交易转让、释放、冲正、余额与账本校验。", no_args_is_help=True
)
app.add_typer(energy_app, name="energy")

JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出（供程序读取）。")]
IdOpt = Annotated[str, typer.Option("--id", help="交易编号（由提交方给出，同一编号只执行一次）。")]
TceOpt = Annotated[str, typer.Option("--tce", help="数量，吨标准煤，最多三位小数。")]
MemoOpt = Annotated[str | None, typer.Option("--memo", help="备注。")]


def _emit(value: object) -> None:
    """One JSON document on standard output, for machines."""
    typer.echo(json.dumps(value, ensure_ascii=False, default=str))


def _refused(err: LedgerError, as_json: bool) -> NoReturn:
    """Report a refusal with its reason code and exit 2."""
    if as_json:
        _emit({"ok": False, "reason": err.reason, "message": str(err)})
    else:
        console.print(f"[bold red]未执行[/]（{err.reason}）：{escape(str(err))}")
    raise typer.Exit(2)


def _move(db: Path | None, as_json: bool, run: Callable[[Store], Applied]) -> None:
    """Run one movement against the store and report it (exit 2 when refused)."""
    from jingxin.energy.ledger import account_name

    try:
        with open_store(db) as store:
            done = run(store)
    except LedgerError as err:
        _refused(err, as_json)
    e = done.entry
    if as_json:
        _emit({"ok": True, "replayed": done.replayed, "entry": e.as_dict()})
        return
    said = "已执行过（同一编号、内容相同），未重复执行" if done.replayed else "已执行"
    console.print(
        f"{said}：{escape(e.id)}，{account_name(e.from_account)} → {account_name(e.to_account)}，"
        f"{e.kgce / 1000:g} 吨标准煤（序号 {e.seq}，哈希 {e.hash[:12]}…）。",
        highlight=False,
    )


@energy_app.command("allocate")
@guarded
def allocate_(
    year: Annotated[int, typer.Option("--year", help="确权年度，如 2016。")],
    uscc: Annotated[
        str, typer.Option("--uscc", help="企业统一社会信用代码，或 reserve（政府储备）。")
    ],
    tce: TceOpt,
    entry_id: Annotated[
        str | None, typer.Option("--id", help="交易编号（默认 allocate:年度:账户）。")
    ] = None,
    memo: MemoOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """确权分配：把一个年度的用能权分配给企业（或政府储备）；同一企业同一年度只分配一次。"""
    from jingxin.energy.ledger import allocate

    who = actor_name(actor)
    _move(db, as_json, lambda s: allocate(s, year=year, to=uscc, tce=tce, actor=who, id=entry_id,
                                      memo=memo))  # fmt: skip


@energy_app.command("transfer")
@guarded
def transfer_(
    entry_id: IdOpt,
    source: Annotated[str, typer.Option("--from", help="转出：统一社会信用代码或 reserve。")],
    to: Annotated[str, typer.Option("--to", help="转入：统一社会信用代码或 reserve。")],
    tce: TceOpt,
    price: Annotated[str | None, typer.Option("--price", help="成交价，元/吨标准煤。")] = None,
    memo: MemoOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """执行一笔已批准的转让：企业之间，或企业与政府储备之间（购买、出售）。"""
    from jingxin.energy.ledger import transfer

    who = actor_name(actor)
    _move(db, as_json, lambda s: transfer(s, id=entry_id, source=source, to=to, tce=tce,
                                      price=price, memo=memo, actor=who))  # fmt: skip


@energy_app.command("release")
@guarded
def release_(
    entry_id: IdOpt,
    source: Annotated[str, typer.Option("--from", help="释放用能权的企业（统一社会信用代码）。")],
    tce: TceOpt,
    memo: MemoOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """淘汰落后产能释放的用能权收回政府储备。"""
    from jingxin.energy.ledger import release

    who = actor_name(actor)
    _move(db, as_json, lambda s: release(s, id=entry_id, source=source, tce=tce, memo=memo,
                                     actor=who))  # fmt: skip


@energy_app.command("reverse")
@guarded
def reverse_(
    entry_id: IdOpt,
    of: Annotated[str, typer.Option("--of", help="要冲正的交易编号。")],
    memo: MemoOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """冲正：以一笔方向相反的新记录撤销一笔交易（原记录保留）。"""
    from jingxin.energy.ledger import reverse

    who = actor_name(actor)
    _move(db, as_json, lambda s: reverse(s, id=entry_id, of=of, memo=memo, actor=who))


@energy_app.command("balance")
@guarded
def balance(
    uscc: Annotated[str | None, typer.Option("--uscc", help="只看这家企业。")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """各账户的用能权余额（吨标准煤），从多到少。"""
    from jingxin.energy.ledger import balances
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        found = balances(store, Scope.city(), uscc=uscc)
    if as_json:
        _emit(found)
        return
    if not found:
        console.print("没有用能权账户。" if not uscc else f"企业 {escape(uscc)} 没有用能权账户。")
        return
    table = Table("账户", "名称", "区县", "余额（吨标准煤）", "最近记录序号")
    for b in found:
        table.add_row(b["account"], escape(b["name"]), b["region_name"], f"{b['tce']:,.3f}",
                      str(b["last_seq"]))  # fmt: skip
    console.print(table)


@energy_app.command("verify")
@guarded
def verify_(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """校验账本：哈希链完整，按日志重算的每个余额与余额表一致，借贷平衡，无负余额。"""
    from jingxin.energy.ledger import verify

    with open_store(db, read_only=True) as store:
        check = verify(store)
    if as_json:
        _emit(
            {
                "ok": not check.problems,
                "entries": check.entries,
                "accounts": check.accounts,
                "created_tce": check.created_kgce / 1000,
                "problems": check.problems,
            }
        )
    elif check.problems:
        for p in check.problems:
            console.print(f"[bold red]不一致：[/]{escape(p)}", highlight=False)
    else:
        console.print(
            f"账本一致：{check.entries} 条记录，{check.accounts} 个账户，"
            f"累计确权 {check.created_kgce / 1000:,.3f} 吨标准煤，哈希链完整。"
        )
    if check.problems:
        raise typer.Exit(1)


@energy_app.command("apply")
@guarded
def apply_(
    entry_id: Annotated[str, typer.Option("--id", help="申请编号（同时作为批准后的交易编号）。")],
    source: Annotated[str, typer.Option("--from", help="出让企业（统一社会信用代码）。")],
    to: Annotated[str, typer.Option("--to", help="受让企业（统一社会信用代码）。")],
    tce: TceOpt,
    price: Annotated[str | None, typer.Option("--price", help="成交价，元/吨标准煤。")] = None,
    memo: MemoOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记一份企业之间的用能权转让申请（待审批；批准后才执行转让）。"""
    from jingxin.energy.applications import file_application
    from jingxin.store import Scope

    try:
        with open_store(db) as store:
            app, again = file_application(
                store, Scope.city(), id=entry_id, seller=source, buyer=to, tce=tce,
                price=price, note=memo, actor=actor_name(actor),
            )  # fmt: skip
    except LedgerError as err:
        _refused(err, as_json)
    if as_json:
        _emit({"ok": True, "replayed": again, "application": app})
        return
    said = "已登记过（内容相同）" if again else "已登记"
    console.print(f"{said}转让申请 {escape(app['id'])}：{app['kgce'] / 1000:g} 吨标准煤，待审批。")


@energy_app.command("approve")
@guarded
def approve_(
    entry_id: Annotated[str, typer.Option("--id", help="申请编号。")],
    memo: Annotated[str | None, typer.Option("--note", help="审批意见。")] = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """批准一份转让申请并执行转让（同一申请只执行一次）。"""
    from jingxin.energy.applications import approve

    who = actor_name(actor)
    _move(db, as_json, lambda s: approve(s, id=entry_id, actor=who, decision=memo))


@energy_app.command("refuse")
@guarded
def refuse_(
    entry_id: Annotated[str, typer.Option("--id", help="申请编号。")],
    memo: Annotated[str, typer.Option("--note", help="不予批准的理由。")],
    actor: ActorOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """不予批准一份转让申请（须说明理由）。"""
    from jingxin.energy.applications import refuse

    try:
        with open_store(db) as store:
            app = refuse(store, id=entry_id, actor=actor_name(actor), decision=memo)
    except LedgerError as err:
        _refused(err, as_json)
    if as_json:
        _emit({"ok": True, "application": app})
    else:
        console.print(f"转让申请 {escape(app['id'])}：不予批准。")


@energy_app.command("applications")
@guarded
def applications_(
    status: Annotated[
        str | None, typer.Option("--status", help="pending（待审批）、approved 或 rejected。")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出转让申请，最新的在前。"""
    from jingxin.energy.applications import applications
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        found = applications(store, Scope.city(), status=status)
    if as_json:
        _emit(found)
        return
    if not found:
        console.print("没有转让申请。")
        return
    table = Table("编号", "出让", "受让", "数量（吨标准煤）", "价格", "状态", "申请人", "申请时间")
    for a in found:
        table.add_row(escape(a["id"]), escape(a["seller"]["name"]), escape(a["buyer"]["name"]),
                      f"{a['tce']:,.3f}", "—" if a["price"] is None else f"{a['price']:g}",
                      a["status_name"], escape(a["applied_by"]), a["applied_at"] or "")  # fmt: skip
    console.print(table)
