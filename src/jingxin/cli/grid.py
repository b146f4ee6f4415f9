"""The economy read from the grid at the terminal: ``energy resumption|restriction|makeup``,
and the grid company's differentiated-price bill list, ``energy surcharges``.

Commands of the ``energy`` group (registered on it from here): 节后复工复产 day by day, a
restriction list's electricity and output lost, the enterprises able to make it up, and
the month's surcharges by evaluation class.
Each takes ``--json`` for machines and reads the city's whole data (an analyst's view).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from jingxin.cli.common import DbOpt, OutOpt, console, guarded, open_store, parse_date
from jingxin.cli.energy import JsonOpt, _emit, energy_app

__all__ = ["makeup", "restriction", "resumption_", "surcharges"]

PoolOpt = Annotated[
    str, typer.Option("--pool", help="限产名单（企业名单的代码），默认 G20 峰会期间停限产企业。")
]


def _day(text: str, option: str) -> date:
    return parse_date(text, option).date()


def _n(v: float | None, fmt: str = ",.1f") -> str:
    return "—" if v is None else format(v, fmt)


@energy_app.command("resumption")
@guarded
def resumption_(
    start: Annotated[str, typer.Option("--from", help="开始日期 YYYY-MM-DD。")],
    end: Annotated[str, typer.Option("--to", help="结束日期 YYYY-MM-DD。")],
    baseline: Annotated[
        str | None, typer.Option("--baseline-month", help="基期月份 YYYY-MM，默认上年 12 月。")
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="复工判定：当日用电超过基期日均的比例。")
    ] = 0.3,
    by: Annotated[
        str,
        typer.Option("--by", help="分组：county（区县）、division（行业大类）或 county_division。"),
    ] = "county",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """节后复工率、复产率（按日，全市及分区县或分行业），由日用电量测算。"""
    from jingxin.energy.resumption import resumption
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        got = resumption(
            store,
            Scope.city(),
            _day(start, "--from"),
            _day(end, "--to"),
            baseline_month=baseline,
            threshold=threshold,
            by=by,  # type: ignore[arg-type]
        )
    if as_json:
        _emit({"baseline_month": got.baseline_month, "threshold": got.threshold,
               "enterprises": got.enterprises, "rows": got.rows})  # fmt: skip
        return
    if not got.rows:
        console.print("所选日期没有日用电量数据（或基期月份没有用电）。")
        return
    console.print(
        f"基期 {got.baseline_month} 日均用电；当日用电超过基期日均 {got.threshold:.0%} 计为复工；"
        f"有基期用电的企业 {got.enterprises:,} 家。",
        highlight=False,
    )
    table = Table("日期", "范围", "企业数", "复工企业", "复工率%", "复产率%")
    for r in got.rows:
        where = (
            "全市"
            if r["level"] == "all"
            else " ".join(x for x in (r["region_name"], r["division_name"]) if x)
        )
        table.add_row(str(r["day"]), escape(where), f"{r['enterprises']:,}", f"{r['resumed']:,}",
                      f"{r['work_pct']:.1f}", _n(r["production_pct"]))  # fmt: skip
    console.print(table)


@energy_app.command("restriction")
@guarded
def restriction(
    pool: PoolOpt = "g20_restricted",
    baseline_days: Annotated[
        int, typer.Option("--baseline-days", help="基期：限产开始前的天数。")
    ] = 30,
    limit: Annotated[int, typer.Option("--limit", help="列出的企业数（0 为全部）。")] = 20,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """限产影响：名单内企业限产期间少用的电量和据此估算的产值损失。"""
    from jingxin.energy.restriction import restriction_effect
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        eff = restriction_effect(store, Scope.city(), pool, baseline_days=baseline_days)
    if as_json:
        _emit({"pool": eff.pool, "kwh_lost": eff.kwh_lost, "output_lost": eff.output_lost,
               "rows": eff.rows})  # fmt: skip
        return
    if not eff.rows:
        console.print("名单中没有企业，或限产期间没有日用电量数据。")
        return
    console.print(
        f"名单 {len(eff.rows):,} 家；限产期间少用电 {eff.kwh_lost:,.1f} 万千瓦时，"
        f"估算产值损失 {eff.output_lost:,.1f} 万元。",
        highlight=False,
    )
    _rows_table(
        (
            "企业名称",
            "区县",
            "限产起止",
            "基期日均(万千瓦时)",
            "压减%",
            "少用电(万千瓦时)",
            "产值损失(万元)",
        ),  # fmt: skip
        [
            (
                r["name"],
                r["region_name"],
                f"{r['start']}～{r['end']}",
                _n(r["baseline_kwh"], ",.3f"),
                _n(r["cut_pct"]),
                _n(r["kwh_lost"]),
                _n(r["output_lost"]),
            )  # fmt: skip
            for r in eff.rows
        ],
        limit,
    )


@energy_app.command("makeup")
@guarded
def makeup(
    pool: PoolOpt = "g20_restricted",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="测算日 YYYY-MM-DD，默认限产结束后第五周（不晚于最近有读数的一天）。"
        ),
    ] = None,
    min_spare: Annotated[
        float, typer.Option("--min-spare", help="富余产能占峰值的最低百分比。")
    ] = 20.0,
    limit: Annotated[int, typer.Option("--limit", help="列出的企业数（0 为全部）。")] = 20,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """可增产企业：限产结束后用电低于近期峰值、有富余产能的企业，按可增产值排序。"""
    from jingxin.energy.restriction import makeup_candidates
    from jingxin.store import Scope

    with open_store(db, read_only=True) as store:
        got = makeup_candidates(
            store,
            Scope.city(),
            pool,
            as_of=_day(as_of, "--as-of") if as_of else None,
            min_spare_pct=min_spare,
        )
    if as_json:
        _emit({"pool": got.pool, "as_of": got.as_of, "candidates": got.candidates})
        return
    found = got.candidates
    console.print(
        f"测算日 {got.as_of}：名单 {len(got.rows):,} 家中 {len(found):,} 家富余产能不低于峰值的 "
        f"{min_spare:g}%。",
        highlight=False,
    )
    _rows_table(
        ("排名", "企业名称", "区县", "峰值日均", "近期日均", "富余%", "可增产值(万元/日)"),
        [
            (
                str(r["rank"]),
                r["name"],
                r["region_name"],
                _n(r["peak_kwh"], ",.3f"),
                _n(r["current_kwh"], ",.3f"),
                _n(r["spare_pct"]),
                _n(r["output_per_day"]),
            )  # fmt: skip
            for r in found
        ],
        limit,
    )


def _rows_table(head: tuple[str, ...], rows: list[tuple[Any, ...]], limit: int) -> None:
    table = Table(*head)
    for r in rows[: limit or None]:
        table.add_row(*(escape(str(c)) for c in r))
    console.print(table)
    if limit and len(rows) > limit:
        console.print(f"（另有 {len(rows) - limit:,} 家未列出；--limit 0 列出全部，或用 --json）")


@energy_app.command("surcharges")
@guarded
def surcharges(
    period: Annotated[str, typer.Option("--period", help="计费月份 YYYY-MM。")],
    year: Annotated[
        int | None, typer.Option("--year", help="依据的评价年度，默认该月所在年度及以前最近一次。")
    ] = None,
    db: DbOpt = None,
    out: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """差别化电价：按亩均效益评价类别，写出当月加价电费清单（Excel 和 CSV，供供电公司）。"""
    from jingxin.config import get_settings
    from jingxin.evaluation.surcharges import surcharge_bills
    from jingxin.reports.surcharges import write_surcharges
    from jingxin.store import Scope
    from jingxin.store.versions import as_of_sentence

    with open_store(db, read_only=True) as store:
        bills = surcharge_bills(store, Scope.city(), period, year=year)
        note = as_of_sentence(store)
    files = write_surcharges(bills, out or get_settings().out_dir, note)
    if as_json:
        _emit({"period": bills.period, "year": bills.year, "run_id": bills.run_id,
               "preview": bills.preview, "kwh": bills.kwh, "amount": bills.amount,
               "rows": bills.rows, "xlsx": str(files.xlsx), "csv": str(files.csv)})  # fmt: skip
        return
    console.print(bills.label, highlight=False)
    console.print(
        f"{len(bills.rows):,} 家企业，当月用电 {bills.kwh:,} 千瓦时，加价金额 {bills.amount:,.2f} 元。",
        highlight=False,
    )
    for p in (files.xlsx, files.csv):
        console.print(f"写出 {p}")
