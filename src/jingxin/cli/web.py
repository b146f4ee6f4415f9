"""``jingxin serve`` (the web platform) and ``jingxin users`` (its accounts)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jingxin.cli.common import ActorOpt, DbOpt, actor_name, console, err, guarded, open_store
from jingxin.config import get_settings
from jingxin.errors import InputError, NotFoundError

__all__ = ["app", "serve_store"]

app = typer.Typer()
users = typer.Typer(help="网页平台的用户：新增、列出、停用、重置密码。", no_args_is_help=True)
app.add_typer(users, name="users")

HostOpt = Annotated[str, typer.Option("--host", help="监听地址（默认只在本机 127.0.0.1）。")]
PortOpt = Annotated[int, typer.Option("--port", help="端口。", min=1, max=65535)]


def serve_store(db_path: Path, host: str, port: int) -> None:
    """Serve the web platform over the store at ``db_path`` until interrupted."""
    import uvicorn

    from jingxin.web.app import create_app, echarts_installed
    from jingxin.web.platform import Platform

    if not db_path.exists():
        raise NotFoundError(f"数据库 {db_path} 不存在：请先运行 jingxin demo 或导入数据。")
    settings = get_settings()
    platform = Platform(db_path, settings)
    if not echarts_installed():
        err.print(
            "提示：图表脚本 Apache ECharts 未安装，网页中的图表将无法显示：请运行 bash scripts/setup.sh。"
        )
    console.print(f"经信平台已启动：http://{host}:{port}/ （按 Ctrl+C 停止）")
    try:
        uvicorn.run(
            create_app(platform), host=host, port=port, log_level="warning", access_log=False
        )
    finally:
        platform.close()


@app.command()
@guarded
def serve(db: DbOpt = None, host: HostOpt = "127.0.0.1", port: PortOpt = 8000) -> None:
    """启动网页平台（看板、企业画像与 API）；一个进程独占数据库文件。"""
    serve_store(db or get_settings().db_path, host, port)


def _password(stdin: bool) -> str:
    if stdin:
        value = sys.stdin.readline().rstrip("\n")
    else:
        value = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    if not value:
        raise InputError("没有读到密码：请用 --password-stdin 从标准输入给出，或按提示输入。")
    return value


@users.command("add")
@guarded
def users_add(
    username: Annotated[str, typer.Argument(help="用户名。")],
    role: Annotated[str, typer.Option("--role", help="角色：admin、analyst、county、leader。")],
    region: Annotated[str | None, typer.Option("--region", help="区县用户所属区县代码。")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码。")
    ] = False,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """新增用户（密码以 argon2 散列保存）。"""
    from jingxin.store.users import add_user

    password = _password(password_stdin)
    with open_store(db) as store:
        user = add_user(store, username, role, password, actor_name(actor), region)
    console.print(
        f"已新增用户 {user.username}（{user.role_name}{'，' + user.region_code if user.region_code else ''}）。"
    )


@users.command("list")
@guarded
def users_list(db: DbOpt = None) -> None:
    """列出用户。"""
    from jingxin.store.users import list_users

    with open_store(db) as store:
        found = list_users(store)
    table = Table("用户名", "角色", "区县", "状态")
    for u in found:
        table.add_row(
            u.username, u.role_name, u.region_code or "", "已停用" if u.disabled else "启用"
        )
    console.print(table)


@users.command("disable")
@guarded
def users_disable(
    username: Annotated[str, typer.Argument(help="用户名。")],
    enable: Annotated[bool, typer.Option("--enable", help="重新启用。")] = False,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """停用用户（其登录会话随即失效）；--enable 重新启用。"""
    from jingxin.store.users import set_disabled

    with open_store(db) as store:
        set_disabled(store, username, not enable, actor_name(actor))
    console.print(f"用户 {username} 已{'启用' if enable else '停用'}。")


@users.command("reset-password")
@guarded
def users_reset(
    username: Annotated[str, typer.Argument(help="用户名。")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取新密码。")
    ] = False,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """重置密码（该用户的登录会话全部失效）。"""
    from jingxin.store.users import reset_password

    password = _password(password_stdin)
    with open_store(db) as store:
        reset_password(store, username, password, actor_name(actor))
    console.print(f"用户 {username} 的密码已重置。")
