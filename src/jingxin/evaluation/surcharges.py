"""Differentiated electricity prices (差别化电价): the month's bill list for the grid company.

Each enterprise's surcharge rate (元/千瓦时) is its evaluation's: the method's policy table
applied to its final class and its years in a row in the worst class
(:func:`jingxin.evaluation.engine.surcharge_rate_expr`). The bill for a month is that rate
× the enterprise's electricity that month (stored in 万千瓦时, billed in whole kWh), listed
with the meters (户号) the crosswalk gives it, for every enterprise with a rate above zero.

The evaluation is the latest year evaluated up to the month's year (``year`` to choose
another), its final run — or, while none is final, its latest run, and the list is then a
preview (``preview``), never a bill.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jingxin.errors import InputError, NotFoundError
from jingxin.evaluation.queries import runs
from jingxin.reference import region_name
from jingxin.store import Scope, Store

__all__ = ["SurchargeBills", "surcharge_bills"]

_STATUS = {"draft": "草稿", "notice": "公示中", "final": "已定稿"}


@dataclass(frozen=True)
class SurchargeBills:
    """One month's surcharges, largest first."""

    period: str
    year: int  # the evaluation's data year
    run_id: int
    run_status: str
    preview: bool  # the run is not final: a preview, not a bill
    rows: list[dict[str, Any]]

    @property
    def kwh(self) -> int:
        return sum(r["kwh"] or 0 for r in self.rows)

    @property
    def amount(self) -> float:
        return round(sum(r["amount"] or 0.0 for r in self.rows), 2)

    @property
    def label(self) -> str:
        """What the list is, in a sentence for its title or the console."""
        state = _STATUS.get(self.run_status, self.run_status)
        what = "预览（评价结果尚未定稿，不作为收费依据）" if self.preview else "加价电费清单"
        return f"{self.period} 差别化电价{what}：依据 {self.year} 年度亩均效益评价（批次 {self.run_id}，{state}）"


def _run(store: Store, period: str, year: int | None) -> dict[str, Any]:
    found = [r for r in runs(store).to_pylist() if r["status"] != "superseded"]
    if year is None:
        years = sorted({r["year"] for r in found if r["year"] <= int(period[:4])})
        if not years:
            raise NotFoundError(
                f"{period[:4]} 年及以前尚无亩均效益评价结果：请先运行 jingxin evaluate。"
            )
        year = years[-1]
    of_year = [r for r in found if r["year"] == year]
    if not of_year:
        raise NotFoundError(
            f"{year} 年尚无亩均效益评价结果：请先运行 jingxin evaluate --year {year}。"
        )
    final = [r for r in of_year if r["status"] == "final"]
    return max(final or of_year, key=lambda r: r["version"])


def surcharge_bills(
    store: Store, scope: Scope, period: str, *, year: int | None = None
) -> SurchargeBills:
    """The surcharges of ``period`` (YYYY-MM) in ``scope``."""
    if len(period) != 7 or period[4] != "-" or not (period[:4] + period[5:]).isdigit():
        raise InputError(f"月份 {period!r} 无效：应写作 YYYY-MM，如 2016-12。")
    run = _run(store, period, year)
    res = store.table("evaluation_result", scope)
    res = res.filter((res.run_id == run["id"]) & (res.surcharge_rate > 0))
    e = store.table("electricity", scope)
    e = e.filter(e.period == period).select("uscc", wan_kwh=e.kwh)
    ent = store.table("enterprise", scope).select("uscc", "name", "region_code")
    t = res.select("uscc", "final_class", "consecutive_worst", "surcharge_rate")
    t = t.join(ent, "uscc").left_join(e, "uscc").select(
        "uscc", "name", "region_code", "final_class", "consecutive_worst", "surcharge_rate",
        "wan_kwh",
    )  # fmt: skip
    g = store.table("grid_account", scope)
    meters: dict[str, list[str]] = {}
    for r in store.run(g.select("uscc", "account").order_by("account")).to_pylist():
        meters.setdefault(r["uscc"], []).append(r["account"])
    rows = []
    for r in store.run(t).to_pylist():
        kwh = None if r["wan_kwh"] is None else round(r["wan_kwh"] * 10_000)
        rate = round(float(r["surcharge_rate"]), 4)
        rows.append(
            {
                "uscc": r["uscc"],
                "name": r["name"],
                "region_code": r["region_code"],
                "region_name": region_name(r["region_code"]),
                "meters": "、".join(meters.get(r["uscc"], [])),
                "final_class": r["final_class"],
                "consecutive_worst": r["consecutive_worst"],
                "rate": rate,
                "kwh": kwh,
                "amount": None if kwh is None else round(kwh * rate, 2),
                "note": "本月无用电数据" if kwh is None else "",
            }
        )
    rows.sort(key=lambda r: (-(r["amount"] or 0.0), r["uscc"]))
    return SurchargeBills(
        period, int(run["year"]), int(run["id"]), str(run["status"]), run["status"] != "final", rows
    )
