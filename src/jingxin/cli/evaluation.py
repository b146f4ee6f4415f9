"""``jingxin evaluate`` and the workflow under ``jingxin evaluation`` (亩均效益, issue #3).

The steps: notice (with the 公示名单), objections and their list, regrading, final version,
corrections, a sensitivity test.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from jingxin.cli.common import (
    ActorOpt,
    DbOpt,
    OutOpt,
    UsccOpt,
    actor_name,
    console,
    err,
    guarded,
    open_store,
)

if TYPE_CHECKING:
    from jingxin.store import Store

__all__ = ["app"]

app = typer.Typer()
evaluation_app = typer.Typer(
    help="亩均效益综合评价的公示、异议、调档、定稿和更正。", no_args_is_help=True
)
app.add_typer(evaluation_app, name="evaluation")

RunOpt = Annotated[int, typer.Option("--run", help="评价批次编号（见 jingxin evaluation runs）。")]
EvalYearOpt = Annotated[int, typer.Option("--year", help="评价年度（数据年度），如 2016。")]
MethodOpt = Annotated[
    str,
    typer.Option("--method", help="评价办法 TOML 文件，或预设名称（如 default、huangyan-2022）。"),
]


def _write(store: Store, run: Any, out: Path) -> Any:
    from jingxin.reports.evaluation import write_run
    from jingxin.store import Scope

    return write_run(store, run, out, Scope.city())


def _written(files: Any) -> str:
    return "\n".join(f"写出 {p}" for p in (files.xlsx, files.csv, files.json, files.docx))


@app.command()
@guarded
def evaluate(
    year: EvalYearOpt,
    method: MethodOpt = "default",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Excel 输出文件（同名 .csv/.json/.docx 一并写出）。"),
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="本版说明。")] = None,
) -> None:
    """按评价办法评价企业亩均效益，保存为草稿版本并写出 Excel、CSV、JSON 和 Word。"""
    from jingxin.config import get_settings
    from jingxin.evaluation.engine import evaluate as run_evaluation
    from jingxin.evaluation.method import load_method
    from jingxin.evaluation.workflow import save_run
    from jingxin.store import Scope

    loaded = load_method(method)
    with open_store(db) as store:
        ev = run_evaluation(store.backend(Scope.city()), year, loaded)
        run = save_run(store, ev, actor=actor_name(actor), note=note)
        target = out or get_settings().out_dir / f"evaluation-{year}-v{run.version}.xlsx"
        files, agg = _write(store, run, target)
    classes = loaded.method.classification.classes
    table = Table("评价对象", "企业数", *[f"{c}类" for c in classes], "不定等级")
    names = {c.key: c.name for c in loaded.method.cohorts}
    for r in agg.by_cohort.to_pylist():
        table.add_row(
            names.get(r["cohort"], r["cohort"]),
            f"{r['n']:,}",
            *[f"{r[f'class_{c}']:,}" for c in classes],
            f"{r['ungraded']:,}",
        )
    console.print(table)
    console.print(
        f"已保存 {year} 年评价第 {run.version} 版（批次 {run.id}，草稿），"
        f"评价办法校验值 {run.method_sha256[:12]}。"
    )
    console.print("  " + _written(files).replace("\n", "\n  "))


@evaluation_app.command("runs")
@guarded
def runs(
    year: Annotated[int | None, typer.Option("--year", help="只看某年。")] = None,
    db: DbOpt = None,
) -> None:
    """列出评价批次：年度、版本、状态、评价办法。"""
    from jingxin.evaluation.workflow import list_runs

    with open_store(db) as store:
        rows = list_runs(store, year)
    table = Table("批次", "年度", "版本", "状态", "评价办法", "校验值", "更正自")
    for r in rows:
        table.add_row(
            str(r.id),
            str(r.year),
            str(r.version),
            r.status_zh,
            r.method_name,
            r.method_sha256[:12],
            str(r.corrects or ""),
        )
    console.print(table)


@evaluation_app.command("notice")
@guarded
def notice(
    run: RunOpt,
    days: Annotated[int, typer.Option("--days", help="公示天数。")] = 7,
    out: OutOpt = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """将草稿公示，接受企业异议，并写出公示名单（Excel 和 Word）。"""
    from jingxin.config import get_settings
    from jingxin.evaluation.workflow import start_notice
    from jingxin.reports.evaluation_notice import write_notice
    from jingxin.store import Scope

    with open_store(db) as store:
        r = start_notice(store, run, actor=actor_name(actor), days=days)
        files = write_notice(store, r, out or get_settings().out_dir, Scope.city())
    console.print(f"批次 {r.id} 已公示，公示期 {r.notice_start} 至 {r.notice_until}。")
    # soft_wrap: a path is printed whole, never broken across lines.
    console.print(f"  写出公示名单 {files.xlsx}\n  写出公示名单 {files.docx}", soft_wrap=True)


@evaluation_app.command("objections")
@guarded
def objections(
    run: Annotated[
        int | None,
        typer.Option("--run", help="评价批次编号（默认：最新年度的最新版本）。"),
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="只看某一状态：待处理、成立或不成立。")
    ] = None,
    db: DbOpt = None,
) -> None:
    """列出某一批次的异议及处理状态（默认最新年度的最新版本）；详情见 export 的异议表。"""
    from jingxin.evaluation.workflow import get_run, list_runs
    from jingxin.evaluation.workflow import objections as list_objections
    from jingxin.reports.evaluation_log import local_time
    from jingxin.store import Scope

    with open_store(db) as store:
        if run is None:
            runs_ = list_runs(store)
            if not runs_:
                console.print("尚无评价批次：请先运行 jingxin evaluate。")
                return
            r = runs_[0]
        else:
            r = get_run(store, run)
        rows = list_objections(store, r.id, Scope.city(), status)
    what = f"（{status}）" if status else ""
    console.print(f"批次 {r.id}（{r.year} 年第 {r.version} 版，{r.status_zh}）的异议{what}：")
    # What fits a terminal; the export workbook's sheet 异议 has every column.
    table = Table("编号", "企业名称", "异议事项", "状态", "处理意见", "处理人", "处理时间")
    for o in rows:
        table.add_row(
            str(o["id"]),
            str(o["name"] or o["uscc"]),
            str(o["claim"]),
            str(o["status_zh"]),
            str(o["decision"] or ""),
            str(o["decided_by"] or ""),
            local_time(o["decided_at"]),
        )
    console.print(table)
    console.print(f"共 {len(rows)} 件。")


@evaluation_app.command("object")
@guarded
def object_(
    run: RunOpt,
    uscc: Annotated[str, typer.Option("--uscc", help="提出异议的企业的统一社会信用代码。")],
    claim: Annotated[str, typer.Option("--claim", help="异议事项。")],
    evidence: Annotated[str, typer.Option("--evidence", help="证明材料（文件名或编号）。")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """登记企业在公示期内提出的异议及证明材料。"""
    from jingxin.evaluation.workflow import file_objection

    with open_store(db) as store:
        oid = file_objection(
            store, run, uscc, claim=claim, evidence=evidence, actor=actor_name(actor)
        )
    console.print(f"已登记异议 {oid}。")


@evaluation_app.command("decide")
@guarded
def decide(
    objection: Annotated[int, typer.Option("--objection", help="异议编号。")],
    decision: Annotated[str, typer.Option("--decision", help="处理意见。")],
    uphold: Annotated[
        bool,
        typer.Option(
            "--uphold/--reject",
            "--upheld/--rejected",
            help="异议成立（--uphold）或不成立（--reject）。",
        ),
    ],
    to_class: Annotated[
        str | None, typer.Option("--class", "--new-class", help="异议成立时调整后的等级。")
    ] = None,
    lift_veto: Annotated[
        bool | None,
        typer.Option(
            "--lift-veto/--keep-veto",
            help="企业有否决事项（如安全生产事故）时必选：解除否决，按 --class 定级；"
            "或保留否决，在 --class 的等级上执行否决。",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """处理异议；异议成立时可同时调整等级（记入调档和审计日志）。"""
    from jingxin.evaluation.workflow import VetoChoice, decide_objection

    veto: VetoChoice | None = None if lift_veto is None else ("lift" if lift_veto else "keep")
    with open_store(db) as store:
        change = decide_objection(
            store,
            objection,
            upheld=uphold,
            decision=decision,
            actor=actor_name(actor),
            new_class=to_class,
            veto=veto,
        )
    console.print(f"异议 {objection} 已处理：{'成立' if uphold else '不成立'}。")
    if change is not None:
        console.print(f"已将 {change.uscc} 由 {change.from_class} 类调整为 {change.to_class} 类。")
    if change is not None and change.veto_decision == "lift":
        err.print(f"注意：已解除该企业的一票否决（{change.veto}），已记入调档记录和审计日志。")


@evaluation_app.command("regrade")
@guarded
def regrade(
    run: RunOpt,
    uscc: UsccOpt,
    to_class: Annotated[str, typer.Option("--class", help="调整后的等级。")],
    reason: Annotated[str, typer.Option("--reason", help="调档理由（必填，记入审计日志）。")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """手动调档：须写明理由，记入审计日志。"""
    from jingxin.evaluation.workflow import regrade as do_regrade

    with open_store(db) as store:
        do_regrade(store, run, uscc, to_class, reason=reason, actor=actor_name(actor))
    console.print(f"已将 {uscc} 调整为 {to_class} 类。")


@evaluation_app.command("finalize")
@guarded
def finalize(
    run: RunOpt,
    force: Annotated[
        bool, typer.Option("--force", help="公示期未满时强制定稿（须同时写明 --reason）。")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="强制定稿的理由（记入审计日志）。")
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """公示期满、异议处理完毕后定稿；定稿后不可修改。"""
    from jingxin.evaluation.workflow import finalize as do_finalize

    with open_store(db) as store:
        r = do_finalize(store, run, actor=actor_name(actor), force=force, reason=reason)
    console.print(f"{r.year} 年评价第 {r.version} 版（批次 {r.id}）已定稿。")


@evaluation_app.command("correct")
@guarded
def correct(
    run: RunOpt,
    reason: Annotated[str, typer.Option("--reason", help="更正理由。")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """更正已定稿的结果：复制为新的草稿版本（原定稿不变）。"""
    from jingxin.evaluation.workflow import correct_run

    with open_store(db) as store:
        r = correct_run(store, run, reason=reason, actor=actor_name(actor))
    console.print(f"已生成 {r.year} 年第 {r.version} 版草稿（批次 {r.id}），更正自批次 {run}。")


@evaluation_app.command("export")
@guarded
def export(
    run: RunOpt,
    out: Annotated[Path, typer.Option("--out", help="Excel 输出文件。")],
    db: DbOpt = None,
) -> None:
    """写出某一批次（含调档后的等级）的 Excel、CSV、JSON 和 Word。"""
    from jingxin.evaluation.workflow import get_run

    with open_store(db) as store:
        files, _ = _write(store, get_run(store, run), out)
    console.print(_written(files))


@evaluation_app.command("sensitivity")
@guarded
def sensitivity(
    year: EvalYearOpt,
    method: MethodOpt = "default",
    weights: Annotated[
        float, typer.Option("--weights", help="权重扰动幅度（如 0.1 表示 ±10%）。")
    ] = 0.1,
    benchmarks: Annotated[
        float, typer.Option("--benchmarks", help="基准值扰动幅度（如 0.1 表示 ±10%）。")
    ] = 0.1,
    runs_: Annotated[int, typer.Option("--runs", help="随机扰动次数。")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="随机种子。")] = 1,
    out: Annotated[Path | None, typer.Option("--out", help="变动企业清单 CSV（可选）。")] = None,
    db: DbOpt = None,
) -> None:
    """发布前的敏感性检验：扰动权重和基准值，统计等级变化的企业。"""
    from jingxin.evaluation.method import load_method
    from jingxin.evaluation.sensitivity import Bounds
    from jingxin.evaluation.sensitivity import sensitivity as run_sensitivity
    from jingxin.store import Scope

    loaded = load_method(method)
    with open_store(db) as store:
        report = run_sensitivity(
            store.backend(Scope.city()),
            year,
            loaded,
            Bounds(weights, benchmarks),
            runs=runs_,
            seed=seed,
        )
    table = Table("扰动", "等级变化企业数", "占比")
    for s in report.scenarios:
        table.add_row(s.label, f"{s.changed:,}", f"{s.changed / max(report.graded, 1):.1%}")
    console.print(table)
    console.print(
        f"参评企业 {report.graded:,} 家，至少在一次扰动中等级变化的 {len(report.unstable):,} 家。"
    )
    if out is not None:
        console.print(f"写出 {report.write_csv(out)}")
