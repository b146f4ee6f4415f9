"""Backups of the store, and restoring one: consistent, verified, never half done.

A backup is a folder: DuckDB's ``EXPORT DATABASE`` of the store (``schema.sql``,
``load.sql`` and one Parquet file per table), taken inside one transaction so that it is a
snapshot even while the process keeps writing, and a ``manifest.json`` written last (schema
version, every table's row count, the SHA-256 of every file, the jingxin version, the
time). It is written into a hidden temporary folder beside the destination and renamed into
place at the end, so a killed backup leaves no folder that looks complete and never touches
an earlier one.

:func:`restore` verifies a backup (manifest present and intact, every file's checksum, a
schema version this program knows), imports it into a new temporary store file, checks
every table's row count, upgrades the schema, writes an ``audit_log`` row, and only then
replaces the store file by an atomic rename, keeping the previous file as
``<name>.before-restore-<time>``. Anything wrong before the rename leaves the store file as
it was. See ``docs/operations.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from jingxin import __version__
from jingxin.errors import DataError, InputError, NotFoundError
from jingxin.store.audit import now, write_audit
from jingxin.store.db import Store
from jingxin.store.errors import opening_error, translate
from jingxin.store.schema import SCHEMA_VERSION

__all__ = ["MANIFEST", "BackupResult", "Manifest", "RestoreResult", "backup", "restore", "verify"]

MANIFEST = "manifest.json"
FORMAT = "jingxin-backup/1"
# Seconds to sleep after the data files are written and before the manifest: a hook for the
# test that kills a backup half way (tests/store/test_backup.py); never set in production.
PAUSE_ENV = "JINGXIN_TEST_BACKUP_PAUSE"
_REQUIRED = ("schema.sql", "load.sql")


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, as its ``manifest.json`` states it."""

    schema_version: int
    tables: dict[str, int]  # table → row count
    files: dict[str, str]  # file name in the backup folder → SHA-256
    jingxin_version: str
    created_at: str  # ISO 8601, UTC
    source: str  # the store file's name

    def body(self) -> dict[str, Any]:
        """The manifest's fields as JSON-ready data, with the format tag."""
        return {"format": FORMAT, **asdict(self)}


@dataclass(frozen=True)
class BackupResult:
    """A finished backup: its folder and its manifest."""

    path: Path
    manifest: Manifest

    @property
    def rows(self) -> int:
        """Rows in the backup, over all tables."""
        return sum(self.manifest.tables.values())


@dataclass(frozen=True)
class RestoreResult:
    """A finished restore.

    The caller refreshes derived data (the cube) from here: a restored store's cube is the
    backup's, computed by the program that made it.
    """

    path: Path  # the store file, now holding the backup's data
    backup: Path
    manifest: Manifest
    previous: Path | None  # the store file as it was before, kept beside it
    schema_version: int  # after upgrading the restored data
    restored_at: datetime

    @property
    def rows(self) -> int:
        """Rows restored, over all tables (as the backup held them)."""
        return sum(self.manifest.tables.values())


# -- backup ---------------------------------------------------------------------------------
def backup(store: Store, dest: str | Path) -> BackupResult:
    """Write a consistent backup of ``store`` to the new folder ``dest``.

    Raises
    ------
    InputError
        When ``dest`` exists already (an earlier backup is never overwritten).
    DataError
        When the store cannot be read or the folder cannot be written.
    """
    dest = Path(dest)
    if dest.exists():
        raise InputError(f"备份目录 {dest} 已存在：请指定一个新的目录，已有的备份不会被覆盖。")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.incomplete-", dir=dest.parent))
    except OSError as exc:
        raise DataError(
            f"无法在 {dest.parent} 中写入备份（{exc.strerror}）：请检查路径和权限。"
        ) from exc
    try:
        with store.transaction() as con:  # one snapshot: the files and the counts agree
            con.execute(f"export database {_literal(tmp)} (format parquet)")
            tables = _row_counts(con)
            version = store.schema_version()
        _relative_load(tmp)
        pause = os.environ.get(PAUSE_ENV)
        if pause:
            time.sleep(float(pause))
        files = {p.name: _sha256(p) for p in sorted(tmp.iterdir())}
        manifest = Manifest(
            schema_version=version,
            tables=tables,
            files=files,
            jingxin_version=__version__,
            created_at=now().isoformat(timespec="seconds"),
            source=Path(store.path).name,
        )
        _write_manifest(tmp, manifest)
        tmp.rename(dest)
        _fsync_dir(dest.parent)
    except duckdb.Error as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise translate(store.path, exc) from exc
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DataError(
            f"写入备份 {dest} 时出错（{exc.strerror}）：请检查磁盘空间和权限。"
        ) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BackupResult(dest, manifest)


def _row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
    ]
    return {n: int(con.execute(f'select count(*) from "{n}"').fetchall()[0][0]) for n in names}  # noqa: S608


def _relative_load(folder: Path) -> None:
    """Name the data files in ``load.sql`` relative to the backup folder.

    DuckDB writes the folder's absolute path (here the temporary one) into ``load.sql``;
    without it the backup can be moved or copied to another machine and still imported
    (``IMPORT DATABASE`` reads bare names relative to the folder it is given).
    """
    load = folder / "load.sql"
    quoted = str(folder).replace("'", "''")
    text = load.read_text("utf-8")
    for sep in {os.sep, "/"}:
        text = text.replace(f"'{quoted}{sep}", "'")
    load.write_text(text, "utf-8")


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    body = manifest.body()
    text = json.dumps({**body, "sha256": _digest(body)}, ensure_ascii=False, indent=2)
    for name in manifest.files:
        _fsync(folder / name)
    partial = folder / f"{MANIFEST}.partial"
    partial.write_text(text + "\n", "utf-8")
    _fsync(partial)
    partial.replace(folder / MANIFEST)
    _fsync_dir(folder)


# -- verify ---------------------------------------------------------------------------------
def verify(source: str | Path) -> Manifest:
    """Check a backup folder and return its manifest.

    Raises
    ------
    NotFoundError
        When ``source`` is not a folder.
    DataError
        When the manifest is missing, damaged or modified, a file is missing or its
        checksum differs, or the backup's schema is newer than this program's.
    """
    source = Path(source)
    if not source.is_dir():
        raise NotFoundError(f"备份目录 {source} 不存在：请检查路径。")
    path = source / MANIFEST
    if not path.is_file():
        raise DataError(
            f"备份 {source} 没有清单文件 {MANIFEST}：该备份不完整（可能在备份过程中被中断），"
            "不能用于恢复，数据库未作改动。"
        )
    manifest = _read_manifest(source, path)
    for name, sha in manifest.files.items():
        file = source / name
        if not file.is_file():
            raise DataError(
                f"备份 {source} 缺少文件 {name}：该备份不完整，不能用于恢复，数据库未作改动。"
            )
        if _sha256(file) != sha:
            raise DataError(
                f"备份 {source} 中的文件 {name} 与清单记录的校验值不符（已损坏或被截断）："
                "不能用于恢复，数据库未作改动。"
            )
    if manifest.schema_version > SCHEMA_VERSION:
        raise DataError(
            f"备份 {source} 的结构版本为 {manifest.schema_version}，高于本程序支持的 "
            f"{SCHEMA_VERSION}：请先升级 jingxin 再恢复，数据库未作改动。"
        )
    return manifest


def _read_manifest(source: Path, path: Path) -> Manifest:
    damaged = DataError(
        f"备份 {source} 的清单文件 {MANIFEST} 已损坏或被改动：不能用于恢复，数据库未作改动。"
    )
    try:
        data = json.loads(path.read_text("utf-8"))
        stated = data.pop("sha256")
        if data.pop("format") != FORMAT or stated != _digest({"format": FORMAT, **data}):
            raise damaged
        manifest = Manifest(
            schema_version=int(data["schema_version"]),
            tables={str(k): int(v) for k, v in data["tables"].items()},
            files={str(k): str(v) for k, v in data["files"].items()},
            jingxin_version=str(data["jingxin_version"]),
            created_at=str(data["created_at"]),
            source=str(data["source"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise damaged from None
    names = set(manifest.files)
    if any(Path(n).name != n or n.startswith(".") for n in names) or not names.issuperset(
        _REQUIRED
    ):
        raise damaged
    return manifest


# -- restore --------------------------------------------------------------------------------
def restore(source: str | Path, db: str | Path, *, actor: str) -> RestoreResult:
    """Replace the store file ``db`` with the backup in ``source``, or change nothing.

    Raises
    ------
    DataError
        When the backup fails verification (:func:`verify`) or its import, a table's row
        count differs from the manifest, or another process holds ``db``.
    """
    source, db = Path(source), Path(db)
    manifest = verify(source)
    db.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    previous = (
        _free_name(db.with_name(f"{db.name}.before-restore-{stamp}")) if db.exists() else None
    )
    tmp = db.with_name(f".{db.name}.restoring-{os.getpid()}-{time.time_ns()}")
    try:
        _import(source, tmp, manifest)
        store = Store(tmp)  # upgrades a backup of an older schema
        version = store.schema_version()
        at = now()
        write_audit(
            store.con,
            actor,
            "restore: 从备份恢复数据库",
            "store",
            {"backup": str(source.resolve())},
            {"previous": previous.name if previous else None},
            {k: v for k, v in manifest.body().items() if k not in ("files", "format")},
        )
        store.con.execute("checkpoint")
        store.close()
        _swap(tmp, db, previous)
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return RestoreResult(db, source, manifest, previous, version, at)


def _import(source: Path, tmp: Path, manifest: Manifest) -> None:
    """Import the backup into the new file ``tmp`` and check its row counts."""
    con = duckdb.connect(str(tmp))
    try:
        try:
            con.execute(f"import database {_literal(source.resolve())}")
            found = _row_counts(con)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DataError(
                f"导入备份 {source} 失败（{first}）：备份已损坏，不能用于恢复，数据库未作改动。"
            ) from exc
        for name in sorted(set(manifest.tables) | set(found)):
            want, got = manifest.tables.get(name), found.get(name)
            if want != got:
                raise DataError(
                    f"备份 {source} 导入后表 {name} 有 {got} 行，与清单记录的 {want} 行不符："
                    "备份已损坏，不能用于恢复，数据库未作改动。"
                )
    finally:
        con.close()


def _swap(tmp: Path, db: Path, previous: Path | None) -> None:
    """Put ``tmp`` in place of ``db``, keeping the old file as ``previous``."""
    if previous is not None:
        _check_not_held(db)
        try:
            os.link(db, previous)  # the old file stays under its new name, at no cost
        except OSError:
            shutil.copy2(db, previous)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():  # left by a crash: it belongs to the old file
            wal.replace(previous.with_name(previous.name + ".wal"))
    tmp.replace(db)  # atomic: the store file is the old one or the new one, never neither
    _fsync_dir(db.parent)


def _check_not_held(db: Path) -> None:
    """Refuse when another process has the store open (it would keep the old file)."""
    try:
        duckdb.connect(str(db)).close()
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise opening_error(str(db), exc) from exc
        # A damaged store file is what a restore is for: it is kept as the previous file.


def _free_name(path: Path) -> Path:
    n, candidate = 1, path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


# -- helpers --------------------------------------------------------------------------------
def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _digest(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
