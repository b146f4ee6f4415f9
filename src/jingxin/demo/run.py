"""The demo end to end: generate records, load them, compute the cube, write the reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jingxin.demo.generator import generate
from jingxin.demo.targets import Targets
from jingxin.errors import InputError
from jingxin.indicators import compute_cube
from jingxin.reports import AnnualFiles, write_annual
from jingxin.store import LoadResult, Store

__all__ = ["DemoResult", "load_demo", "run_demo"]

Step = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    """What the demo made."""

    load: LoadResult
    files: AnnualFiles


def load_demo(store: Store, targets: Targets, seed: int, source: str) -> LoadResult:
    """Generate the demo city and load it into ``store`` (which must hold no other data)."""
    other = store.con.execute("select count(*) from source_file where kind <> 'demo'").fetchall()[0]
    if other and other[0]:
        raise InputError(
            f"数据库 {store.path} 已有正式导入的数据，演示数据不能写入其中：请用 --db 指定另一个文件。"
        )
    city = generate(targets, seed)
    return store.load(
        "demo", f"演示数据（{source}，seed={seed}）", city.tables, period=str(targets.meta.year)
    )


def run_demo(
    targets: Targets, seed: int, db: Path, out: Path, source: str, step: Step = lambda _: None
) -> DemoResult:
    """Make a fresh demo store at ``db`` and write the annual summary into ``out``."""
    if db.exists():
        probe = Store(db)
        try:
            other = probe.con.execute(
                "select count(*) from source_file where kind <> 'demo'"
            ).fetchall()[0]
        finally:
            probe.close()
        if other and other[0]:
            raise InputError(
                f"数据库 {db} 已有正式导入的数据，演示不会覆盖它：请用 --db 指定另一个文件。"
            )
        db.unlink()
        Path(f"{db}.wal").unlink(missing_ok=True)
    store = Store(db)
    try:
        step("生成并导入演示数据")
        loaded = load_demo(store, targets, seed, source)
        year = targets.meta.year
        step(f"计算 {year - 1}、{year} 年指标")
        compute_cube(store, year - 1)
        compute_cube(store, year)
        step("撰写年度总结")
        files = write_annual(store, year, out)
    finally:
        store.close()
    return DemoResult(loaded, files)
