"""What every command shares: the consoles, the options, opening the store, the error guard.

Every command is wrapped in :func:`guarded`, the command line's one error surface:

* a :class:`~jingxin.errors.JingxinError` prints its one Chinese sentence on standard error
  and exits with code 1;
* any other exception (a bug) is the last resort: its full traceback goes to a log file,
  ``<JINGXIN_OUT_DIR>/logs/jingxin-error-<time>.log`` (or, when that folder cannot be
  written, the same name under the platform's application folder, then the temporary
  folder), and one Chinese sentence names that file; exit code 1.

No traceback reaches the user in either case.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from jingxin.config import get_settings
from jingxin.errors import JingxinError, NotFoundError

if TYPE_CHECKING:
    from jingxin.store import Store

__all__ = [
    "ActorOpt",
    "DbOpt",
    "OutOpt",
    "PeriodOpt",
    "UsccOpt",
    "YearOpt",
    "actor_name",
    "console",
    "err",
    "error_log_dirs",
    "guarded",
    "open_store",
    "parse_date",
]

console = Console()
err = Console(stderr=True)

P = ParamSpec("P")
T = TypeVar("T")

# -- options shared by several commands (each defined once) --------------------------------
DbOpt = Annotated[
    Path | None, typer.Option("--db", help="DuckDB 数据库文件（默认取 JINGXIN_DB_PATH）。")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="报告输出目录（默认取 JINGXIN_OUT_DIR）。")
]
YearOpt = Annotated[int, typer.Option("--year", help="数据年度，如 2016。")]
PeriodOpt = Annotated[str, typer.Option("--period", help="期别 YYYY-MM，如 2016-06。")]
ActorOpt = Annotated[
    str | None,
    typer.Option("--actor", "--by", help="操作人（记入来源与审计日志；默认当前系统用户）。"),
]
UsccOpt = Annotated[str, typer.Option("--uscc", help="企业统一社会信用代码。")]


def actor_name(actor: str | None) -> str:
    """The actor recorded for a change: the ``--actor`` given, else the system user.

    Examples
    --------
    >>> actor_name("张三")
    '张三'
    """
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a name
        return "analyst"


def parse_date(text: str, option: str) -> datetime:
    """A date option (``YYYY-MM-DD``, ISO 8601) as a datetime.

    Examples
    --------
    >>> parse_date("2016-12-31", "--entered").date().isoformat()
    '2016-12-31'
    >>> parse_date("31/12/2016", "--entered")
    Traceback (most recent call last):
    ...
    jingxin.errors.InputError: --entered 应为日期 YYYY-MM-DD，如 2016-12-31，收到 '31/12/2016'。
    """
    from jingxin.errors import InputError

    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} 应为日期 YYYY-MM-DD，如 2016-12-31，收到 {text!r}。") from None


@contextmanager
def open_store(db: Path | None, *, read_only: bool = False) -> Iterator[Store]:
    """Open the store at ``db`` (default ``JINGXIN_DB_PATH``) for one command, then close it.

    A reader (``read_only``) refuses a file that does not exist rather than create it.
    """
    from jingxin.store import Store

    path = db or get_settings().db_path
    if read_only and not path.exists():
        raise NotFoundError(f"数据库 {path} 不存在：请先运行 jingxin demo 或导入数据。")
    store = Store(path, read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def guarded(fn: Callable[P, T]) -> Callable[P, T]:
    """Wrap a command so that an error is one Chinese sentence on standard error, exit 1."""

    @wraps(fn)
    def command(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # the framework's own exits and usage errors
        except JingxinError as exc:
            _fail(str(exc))
        except Exception as exc:  # the last resort: a bug, not the user's mistake
            log = _write_error_log(exc)
            _fail(
                f"jingxin 内部出错（{type(exc).__name__}），这不是输入的问题；"
                f"详细信息已写入 {log}，请将该文件发给平台维护人员。"
            )

    return command


def _fail(sentence: str) -> NoReturn:
    err.print(f"[bold red]错误：[/]{escape(sentence)}")
    raise typer.Exit(1)


def error_log_dirs() -> list[Path]:
    """Where the last resort writes its log, in order of preference.

    The configured output folder's ``logs/``, the platform's application folder (e.g.
    ``~/.config/jingxin/logs`` on Linux), then the temporary folder.
    """
    dirs = []
    try:
        dirs.append(get_settings().out_dir / "logs")
    except Exception:  # noqa: S110 - the settings themselves may be what failed
        pass
    dirs.append(Path(typer.get_app_dir("jingxin")) / "logs")
    dirs.append(Path(tempfile.gettempdir()))
    return dirs


def _write_error_log(exc: BaseException) -> Path:
    from jingxin import __version__

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = "".join(
        [
            f"jingxin {__version__}, {datetime.now().isoformat(timespec='seconds')}\n",
            f"command: {' '.join(sys.argv)}\n",
            f"python: {sys.version.split()[0]}, pid {os.getpid()}\n\n",
            *traceback.format_exception(exc),
        ]
    )
    for folder in error_log_dirs():
        path = folder / f"jingxin-error-{stamp}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        except OSError:
            continue
        return path.absolute()
    return Path("（无法写出日志）")  # pragma: no cover - no folder at all is writable


def refresh_derived(store: Store) -> None:
    """Bring the cube up to date after a change of stored inputs, and say what was done.

    A change that cannot be computed yet (a month without its PPI) is not an error of the
    change itself: the change stays stored, the sentence says the figures are out of date
    and reports refuse them until ``jingxin refresh`` succeeds.
    """
    from jingxin.errors import DataError
    from jingxin.indicators import refresh

    try:
        done = refresh(store)
    except DataError as exc:
        err.print(
            f"数据已入库，但指标未能更新：{escape(str(exc))} 补齐后运行 jingxin refresh。",
            highlight=False,
        )
        return
    for r in done:
        months = f"{r.months[0]}–{r.months[-1]} 月" if len(r.months) > 1 else f"{r.months[0]} 月"
        console.print(f"已更新 {r.year} 年 {months}的指标。", highlight=False)
