"""Backup and restore (``store/backup.py``, ``jingxin backup``/``restore``).

A round trip keeps every row; a damaged, truncated or unfinished backup is refused with one
sentence and the store file is left byte for byte as it was; a backup killed half way
leaves the store and the earlier backup usable.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jingxin
from jingxin.cli import app
from jingxin.errors import DataError, InputError
from jingxin.store import SCHEMA_VERSION, Store
from jingxin.store.backup import MANIFEST, PAUSE_ENV, backup, restore, verify

FIXTURES = Path(__file__).parents[1] / "data" / "stores"
runner = CliRunner()


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A store file of the current schema with a few rows (the newest fixture, restored)."""
    return restore(FIXTURES / f"v{SCHEMA_VERSION}", tmp_path / "store.duckdb", actor="测试").path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_sentence(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines and lines[0].startswith("错误："), text
    return "".join(lines)


def _counts(store: Store) -> dict[str, int]:
    return {
        t: store.arrow(f'select count(*) as n from "{t}"').column("n")[0].as_py()  # noqa: S608
        for t in store.columns()
    }


def test_a_round_trip_of_the_demo_store_keeps_every_row(demo_store: Store, tmp_path: Path) -> None:
    done = backup(demo_store, tmp_path / "backup")
    assert json.loads((done.path / MANIFEST).read_text("utf-8"))["schema_version"] == SCHEMA_VERSION
    restored = restore(done.path, tmp_path / "restored.duckdb", actor="张三")
    assert restored.previous is None
    store = Store(restored.path, read_only=True)
    try:
        counts = _counts(store)
        assert counts.pop("audit_log") == _counts(demo_store)["audit_log"] + 1
        assert counts == {k: v for k, v in _counts(demo_store).items() if k != "audit_log"}
        assert counts == {k: v for k, v in done.manifest.tables.items() if k != "audit_log"}
        probe = (
            "select sum(value) as v, count(*) as n from cube where measure = 'value_added';"
            "select uscc, name, flags from enterprise order by uscc limit 3"
        )
        for sql in probe.split(";"):
            assert store.arrow(sql).to_pylist() == demo_store.arrow(sql).to_pylist()
        [audit] = store.arrow(
            "select actor, action, row_key from audit_log where table_name = 'store'"
        ).to_pylist()
        assert audit["actor"] == "张三" and audit["action"].startswith("restore")
        assert str(done.path) in audit["row_key"]
    finally:
        store.close()


def test_restore_replaces_the_store_and_keeps_the_previous_file(
    small_store: Path, tmp_path: Path
) -> None:
    store = Store(small_store)
    first = backup(store, tmp_path / "b1")
    store.correct(
        "enterprise", {"uscc": "91330502MA28C1XJ7K"}, {"land_mu": 99.0}, actor="李四", reason="试"
    )
    store.close()
    old = _sha(small_store)

    done = restore(first.path, small_store, actor="王五")
    assert done.previous is not None and done.previous.name.startswith(
        "store.duckdb.before-restore-"
    )
    assert _sha(done.previous) == old
    store = Store(small_store, read_only=True)
    land = store.arrow("select land_mu from enterprise where uscc = '91330502MA28C1XJ7K'")
    assert land.to_pylist() == [{"land_mu": 30.5}]
    store.close()


def test_an_existing_folder_is_never_overwritten(small_store: Path, tmp_path: Path) -> None:
    (tmp_path / "b1").mkdir()
    store = Store(small_store, read_only=True)
    with pytest.raises(InputError, match="已存在"):
        backup(store, tmp_path / "b1")
    store.close()
    assert list((tmp_path / "b1").iterdir()) == []


def _cut(folder: Path) -> None:
    data = folder / "monthly_fact.parquet"
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])


def _drop_manifest(folder: Path) -> None:
    (folder / MANIFEST).unlink()


def _edit_manifest(folder: Path) -> None:
    path = folder / MANIFEST
    path.write_text(path.read_text("utf-8").replace('"monthly_fact": 3', '"monthly_fact": 4'))


def _edit_manifest_consistently(folder: Path) -> None:
    """A row count changed and the manifest's own hash made to match: the import catches it."""
    from jingxin.store.backup import FORMAT, _digest

    path = folder / MANIFEST
    data = json.loads(path.read_text("utf-8"))
    data["tables"]["monthly_fact"] = 4
    body = {k: v for k, v in data.items() if k != "sha256"}
    path.write_text(json.dumps({**body, "format": FORMAT, "sha256": _digest(body)}), "utf-8")


def _delete_a_file(folder: Path) -> None:
    (folder / "enterprise.parquet").unlink()


def _newer_schema(folder: Path) -> None:
    from jingxin.store.backup import _digest

    path = folder / MANIFEST
    data = json.loads(path.read_text("utf-8"))
    data["schema_version"] = SCHEMA_VERSION + 1
    body = {k: v for k, v in data.items() if k != "sha256"}
    path.write_text(json.dumps({**body, "sha256": _digest(body)}), "utf-8")


DAMAGES = [
    pytest.param(_cut, "校验值不符", id="truncated-file"),
    pytest.param(_drop_manifest, "没有清单文件", id="no-manifest"),
    pytest.param(_edit_manifest, "已损坏或被改动", id="modified-manifest"),
    pytest.param(_edit_manifest_consistently, "行不符", id="row-count-differs"),
    pytest.param(_delete_a_file, "缺少文件", id="missing-file"),
    pytest.param(_newer_schema, "高于本程序", id="newer-schema"),
]


@pytest.mark.parametrize(("damage", "says"), DAMAGES)
def test_a_damaged_backup_is_refused_and_the_store_is_untouched(
    small_store: Path, tmp_path: Path, damage: object, says: str
) -> None:
    store = Store(small_store, read_only=True)
    done = backup(store, tmp_path / "b1")
    store.close()
    damage(done.path)  # type: ignore[operator]
    before = _sha(small_store)
    result = runner.invoke(app, ["restore", str(done.path), "--db", str(small_store)])
    assert result.exit_code == 1
    sentence = _one_sentence(result.stderr)
    assert says in sentence and "数据库未作改动" in sentence
    assert _sha(small_store) == before
    assert sorted(p.name for p in small_store.parent.iterdir() if p.name.startswith(".")) == []
    assert not list(small_store.parent.glob("*.before-restore-*"))


def test_a_killed_backup_leaves_the_store_and_the_earlier_backup_usable(
    small_store: Path, tmp_path: Path
) -> None:
    store = Store(small_store, read_only=True)
    first = backup(store, tmp_path / "b1")
    store.close()
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(jingxin.__file__).parents[1]),
        PAUSE_ENV: "60",
    }
    cmd = [sys.executable, "-m", "jingxin.cli", "backup", "--to", str(tmp_path / "b2")]
    with subprocess.Popen(  # noqa: S603 - our own command line
        [*cmd, "--db", str(small_store)], env=env, stderr=subprocess.PIPE
    ) as proc:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".b2.incomplete-*/load.sql")):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the backup never started writing"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not (tmp_path / "b2").exists()
    [partial] = tmp_path.glob(".b2.incomplete-*")
    assert not (partial / MANIFEST).exists()
    with pytest.raises(DataError, match="不完整"):
        verify(partial)
    assert verify(first.path).tables == first.manifest.tables
    done = restore(first.path, small_store, actor="测试")
    store = Store(done.path)
    assert store.arrow("select count(*) as n from enterprise").to_pylist() == [{"n": 2}]
    store.close()


def test_cli_backup_and_restore(small_store: Path, tmp_path: Path) -> None:
    to = tmp_path / "备份" / "2017-01-15"
    result = runner.invoke(app, ["backup", "--to", str(to), "--db", str(small_store)])
    assert result.exit_code == 0, result.output
    assert "已备份数据库" in result.stdout and (to / MANIFEST).is_file()

    again = runner.invoke(app, ["backup", "--to", str(to), "--db", str(small_store)])
    assert again.exit_code == 1
    assert "已存在" in _one_sentence(again.stderr)

    result = runner.invoke(app, ["restore", str(to), "--db", str(small_store), "--actor", "赵六"])
    assert result.exit_code == 0, result.output
    assert "已从备份" in result.stdout and "原文件保留为" in result.stdout

    missing = runner.invoke(app, ["restore", str(tmp_path / "nowhere"), "--db", str(small_store)])
    assert missing.exit_code == 1
    assert "不存在" in _one_sentence(missing.stderr)


def test_cli_backup_of_a_missing_store_is_one_sentence(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["backup", "--to", str(tmp_path / "b"), "--db", str(tmp_path / "none.duckdb")]
    )
    assert result.exit_code == 1
    assert "不存在" in _one_sentence(result.stderr)
    assert not (tmp_path / "none.duckdb").exists()


def test_restore_refuses_a_store_another_process_holds(small_store: Path, tmp_path: Path) -> None:
    store = Store(small_store, read_only=True)
    first = backup(store, tmp_path / "b1")
    store.close()
    env = {**os.environ, "PYTHONPATH": str(Path(jingxin.__file__).parents[1])}
    hold = (
        "import sys; from jingxin.store import Store; s = Store(sys.argv[1]); "
        "print('ready', flush=True); sys.stdin.read()"
    )
    with subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", hold, str(small_store)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = _sha(small_store)
        result = runner.invoke(app, ["restore", str(first.path), "--db", str(small_store)])
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    assert result.exit_code == 1
    assert "正被另一个进程占用" in _one_sentence(result.stderr)
    assert _sha(small_store) == before
    assert not list(small_store.parent.glob("*.before-restore-*"))
