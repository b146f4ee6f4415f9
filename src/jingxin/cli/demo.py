"""``jingxin demo``: a generated city, end to end, checked against its targets file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from jingxin.cli.common import OutOpt, console, guarded
from jingxin.config import get_settings

__all__ = ["app"]

app = typer.Typer()


@app.command()
@guarded
def demo(
    targets: Annotated[
        Path | None, typer.Option("--targets", help="目标文件（默认：湖州 2016）。")
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="演示数据库文件（默认：输出目录下 demo.duckdb，每次重建）。"),
    ] = None,
    out: OutOpt = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="随机种子（同一种子生成同样的数据）。")
    ] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="写完报告后退出，不启动网页平台。")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="网页平台端口。", min=1, max=65535)] = 8000,
) -> None:
    """生成演示城市的企业数据，导入、计算并写出年度总结。"""
    from jingxin.demo.run import run_demo
    from jingxin.demo.targets import load_targets
    from jingxin.reports import compare

    settings = get_settings()
    out_dir = out or settings.out_dir
    db_path = db or out_dir / "demo.duckdb"
    t = load_targets(targets)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task("准备", total=None)
        result = run_demo(
            t,
            seed if seed is not None else settings.seed,
            db_path,
            out_dir,
            str(targets or "湖州 2016"),
            lambda s: bar.update(task, description=s),
        )
        bar.update(task, description="完成")
    f = result.files
    console.print(f"已导入 {sum(result.load.rows.values()):,} 行记录 → {db_path}")
    for p in (f.markdown, f.docx, f.json, f.chart):
        console.print(f"  写出 {p}")
    for b in result.bulletins:
        console.print(f"  写出 {b.docx}、{b.xlsx.name}")
    ev = result.evaluation
    console.print(f"  写出 {ev.xlsx}（亩均效益评价，及 .csv/.json/.docx）")
    if (g := result.ledger) is not None:
        console.print(
            f"用能权：{g.allocated} 家重点用能企业确权 {g.allocated_tce:,.0f} 吨标准煤，"
            f"年末成交 {g.trades} 笔（其中向政府储备购买 {g.from_reserve} 笔），"
            f"{g.pending} 份转让申请待审批，"
            f"仍有 {g.short} 家用能超出持有量"
        )
    checks = compare(t.raw, json.loads(f.json.read_text("utf-8")))
    ok = sum(c.ok for c in checks)
    console.print(f"{ok}/{len(checks)} figures reproduced（与目标文件逐项比对）")
    if no_serve:
        return
    from jingxin.cli.web import serve_store
    from jingxin.demo.accounts import DEMO_PASSWORD

    console.print(f"演示账号（密码均为 {DEMO_PASSWORD}，仅限本演示库）：")
    for a in result.accounts:
        console.print(f"  {a.username:<14} {a.label}")
    serve_store(db_path, "127.0.0.1", port)
