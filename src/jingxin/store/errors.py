"""DuckDB's errors as sentences a bureau user can act on.

The store never lets a DuckDB traceback reach a user: opening a file another process holds,
a file that is not a store, a disk that is full or a table that is missing become a
:class:`~jingxin.errors.DataError` whose message says which file, who holds it when DuckDB
says so, and what to do.
"""

from __future__ import annotations

import re

import duckdb

from jingxin.errors import DataError

__all__ = ["opening_error", "translate"]

_LOCK = re.compile(r"Conflicting lock is held in (?P<prog>.+?) \(PID (?P<pid>\d+)\)")


def opening_error(path: str, exc: duckdb.Error) -> DataError:
    """The sentence for a store file that could not be opened."""
    text = str(exc)
    lock = _LOCK.search(text)
    if lock:
        prog = lock.group("prog").rsplit("/", 1)[-1]
        return DataError(
            f"数据库文件 {path} 正被另一个进程占用（{prog}，进程号 {lock.group('pid')}）："
            "同一时间只能有一个进程写入该文件。请等待该进程结束，或先停止它"
            "（例如正在运行的 jingxin serve），再重试；也可以用 --db 指定另一个文件。"
        )
    if "not a valid DuckDB database" in text:
        return DataError(
            f"文件 {path} 不是 jingxin 的数据库文件（DuckDB 格式）：请检查 --db 或 "
            "JINGXIN_DB_PATH 指向的路径。"
        )
    if "No such file or directory" in text or "Permission denied" in text:
        return DataError(
            f"无法打开数据库文件 {path}（路径不存在或没有权限）：请检查 --db 或 "
            "JINGXIN_DB_PATH 指向的文件夹是否存在且可写。"
        )
    return translate(path, exc)


def translate(path: str, exc: duckdb.Error) -> DataError:
    """The sentence for an error raised while reading or writing the store."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, duckdb.CatalogException):
        return DataError(
            f"数据库 {path} 缺少所需的表或列（{text}）：该文件可能来自旧版本或已损坏，"
            "请用可写方式打开一次以升级结构（例如 jingxin refresh --db 该文件）。"
        )
    if isinstance(exc, duckdb.OutOfMemoryException):
        return DataError(f"处理数据库 {path} 时内存不足（{text}）：请关闭其他程序后重试。")
    if isinstance(exc, duckdb.IOException):
        return DataError(
            f"读写数据库文件 {path} 时出错（{text}）：请检查磁盘空间和文件权限后重试。"
        )
    return DataError(f"数据库 {path} 出错：{text}。")
