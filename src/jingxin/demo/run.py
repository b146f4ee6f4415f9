"""The demo end to end: generate records, load them, compute the cube, write the reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from jingxin.demo.accounts import DemoAccount, create_demo_accounts
from jingxin.demo.energy import DemoLedger, run_demo_ledger
from jingxin.demo.generator import generate
from jingxin.demo.makeup import designate_makeup
from jingxin.demo.targets import Targets
from jingxin.errors import DataError, InputError
from jingxin.indicators import compute_cube
from jingxin.reports import AnnualFiles, write_annual
from jingxin.reports.bulletin import BulletinFiles, write_bulletin
from jingxin.reports.evaluation import EvaluationFiles
from jingxin.store import LoadResult, Scope, Store

__all__ = ["DemoResult", "load_demo", "run_demo"]

Step = Callable[[str], None]
DEMO_ACTOR = "demo"  # loaded_by of every demo file: a store with other loads is not the demo's


@dataclass(frozen=True)
class DemoResult:
    """What the demo made."""

    load: LoadResult
    files: AnnualFiles
    bulletins: list[BulletinFiles]
    evaluation: EvaluationFiles
    accounts: list[DemoAccount] = field(default_factory=list)
    ledger: DemoLedger | None = None


def load_demo(
    store: Store,
    targets: Targets,
    seed: int,
    source: str,
    *,
    files_dir: Path | None = None,
    step: Step = lambda _: None,
) -> LoadResult:
    """Generate the demo city and load it into ``store`` (which must hold no other data).

    With ``files_dir`` the records are written there as department files (one per source
    and month) and imported through :mod:`jingxin.ingest`, as a bureau's would be; any
    rejected file stops the demo with its first problems. Without it the generated tables
    are loaded directly (a faster path for calibration tests).
    """
    if store.has_foreign_data():
        raise InputError(
            f"数据库 {store.path} 已有正式导入的数据，演示数据不能写入其中：请用 --db 指定另一个文件。"
        )
    city = generate(targets, seed)
    year = targets.meta.year
    if files_dir is None:
        tables = dict(city.tables)
        if city.daily is not None:  # one meter an enterprise, read directly
            tables.update(city.daily.tables(city.tables["enterprise"]))
        loaded = store.load(
            "demo", f"演示数据（{source}，seed={seed}）", tables, period=str(year), actor=DEMO_ACTOR
        )
        if city.daily is not None:
            designate_makeup(store, date(year, 10, 10), DEMO_ACTOR)
        return loaded
    from jingxin.demo.files import write_department_files
    from jingxin.ingest import import_file

    step("写出部门报送文件")
    files = write_department_files(city.tables, files_dir, targets.meta.year, seed, city.daily)
    rows: dict[str, int] = {}
    last = 0
    for i, f in enumerate(files, start=1):
        step(f"导入部门文件 {i}/{len(files)}：{f.path.name}")
        report = import_file(
            store,
            f.kind,
            f.path,
            period=f.period,
            actor=DEMO_ACTOR,
            received_at=datetime.fromisoformat(f.received),
        )
        if not report.ok:
            problems = "；".join(x.text() for x in report.issues if x.severity == "error")
            raise DataError(f"演示文件 {f.path.name} 未能导入：{problems[:500]}")
        for t, n in report.rows.items():
            rows[t] = rows.get(t, 0) + n
        last = report.file_id or last
    written = {t for f in files for t in KIND_TABLES.get(f.kind, ())}
    rest = {t: v for t, v in city.tables.items() if t not in written}
    if rest:
        step("导入项目、目标和名单")
        extra = store.load(
            "demo",
            f"演示数据（{source}，seed={seed}）",
            rest,
            period=str(year),
            actor=DEMO_ACTOR,
        )
        for t, n in extra.rows.items():
            rows[t] = rows.get(t, 0) + n
    if city.daily is not None:  # no restriction list: nobody is found
        step("由日用电量测算四季度可增产企业")
        rows["pool_member"] = rows.get("pool_member", 0) + designate_makeup(
            store, date(year, 10, 10), DEMO_ACTOR
        )
    return LoadResult(last, rows, repeated=False)


# The store tables each kind of department file fills (what the demo's files cover).
KIND_TABLES: dict[str, tuple[str, ...]] = {
    "register": ("enterprise", "enterprise_scale", "enterprise_status"),
    "stats_monthly": ("monthly_fact",),
    "electricity": ("electricity",),
    "grid_account": ("grid_account",),
    "meter_daily": ("meter_daily",),
    "price_index": ("price_index",),
    "peer_figure": ("peer_figure",),
    "reported_value": ("reported_value",),
    "project": ("project", "project_plan"),
    "project_progress": ("project_progress",),
    "target": ("target",),
    "pool": ("pool_member",),
    "capacity_case": ("capacity_case",),
}


def run_demo(
    targets: Targets, seed: int, db: Path, out: Path, source: str, step: Step = lambda _: None
) -> DemoResult:
    """Make a fresh demo store at ``db`` and write the annual summary into ``out``."""
    if db.exists():
        probe = Store(db)
        try:
            other = probe.has_foreign_data()
        finally:
            probe.close()
        if other:
            raise InputError(
                f"数据库 {db} 已有正式导入的数据，演示不会覆盖它：请用 --db 指定另一个文件。"
            )
        db.unlink()
        Path(f"{db}.wal").unlink(missing_ok=True)
    store = Store(db)
    try:
        step("生成并导入演示数据")
        loaded = load_demo(store, targets, seed, source, files_dir=out / "部门文件", step=step)
        year = targets.meta.year
        step(f"计算 {year - 1}、{year} 年指标")
        compute_cube(store, year - 1)
        compute_cube(store, year)
        step("用能权确权与年末交易")
        ledger = run_demo_ledger(store, year, seed, actor=DEMO_ACTOR)
        # The evaluation's department files come first, so that every report's 数据截至
        # names the last file the demo loaded.
        step("亩均效益综合评价")
        evaluation = evaluate_demo(store, year, seed, out)
        step("撰写年度总结")
        files = write_annual(store, year, out, Scope.city())
        step("撰写月度通报")
        bulletins = [write_bulletin(store, f"{year}-{m:02d}", out, Scope.city()) for m in (6, 12)]
        accounts = create_demo_accounts(store)
    finally:
        store.close()
    return DemoResult(loaded, files, bulletins, evaluation, accounts, ledger)


def evaluate_demo(store: Store, year: int, seed: int, out: Path) -> EvaluationFiles:
    """Draw the demo's evaluation inputs, deliver them as department files through ingest
    (tax, land, emission, incident, 亩均数据采集表), evaluate ``year`` with the default method
    as a draft, and write its workbook, CSV, JSON and Word summary into ``out``."""
    from jingxin.demo.evaluation import generate_evaluation_inputs
    from jingxin.demo.evaluation_files import write_evaluation_files
    from jingxin.evaluation.engine import evaluate
    from jingxin.evaluation.method import load_method
    from jingxin.evaluation.workflow import save_run
    from jingxin.ingest import import_file
    from jingxin.reports.evaluation import write_run

    tables = generate_evaluation_inputs(store, year, seed)
    names = {code: name for code, (name, _) in store.enterprises().items()}
    for f in write_evaluation_files(tables, names, out / "部门文件"):
        report = import_file(
            store,
            f.kind,
            f.path,
            period=f.period,
            actor=DEMO_ACTOR,
            received_at=datetime.fromisoformat(f.received),
        )
        if not report.ok:
            problems = "；".join(x.text() for x in report.issues if x.severity == "error")
            raise DataError(f"演示文件 {f.path.name} 未能导入：{problems[:500]}")
    # Classes published before the platform existed: no department sends these.
    store.load(
        "demo_evaluation",
        f"演示往年评价结果（seed={seed}）",
        {"evaluation_history": tables["evaluation_history"]},
        period=str(year),
        actor=DEMO_ACTOR,
    )
    result = evaluate(store.backend(Scope.city()), year, load_method("default"))
    run = save_run(store, result, actor=DEMO_ACTOR, note="演示数据")
    files, _ = write_run(store, run, out / f"evaluation-{year}.xlsx", Scope.city())
    return files
