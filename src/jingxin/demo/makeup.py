"""The demo's list of enterprises able to make up output in the fourth quarter, drawn the
way the bureau draws it: by the make-up rule on the restricted enterprises' daily readings
(:func:`jingxin.energy.restriction.makeup_candidates`), the day before the list is issued.
"""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa

from jingxin.energy.restriction import makeup_candidates
from jingxin.store import Scope, Store
from jingxin.store.catalog import load_schema

__all__ = ["MAKEUP_POOL", "designate_makeup"]

MAKEUP_POOL = "q4_increase"
RESTRICTED_POOL = "g20_restricted"


def designate_makeup(store: Store, issued: date, actor: str) -> int:
    """Enter the candidates found on the day before ``issued`` into the 四季度可增产企业
    pool (entered on ``issued``); the number entered."""
    got = makeup_candidates(store, Scope.city(), RESTRICTED_POOL, as_of=issued - timedelta(1))
    rows = [
        {
            "pool": MAKEUP_POOL,
            "uscc": r["uscc"],
            "entered": issued,
            "level": None,
            "reason": f"用电测算：富余产能 {r['spare_pct']:.0f}%（排名第 {r['rank']} 位）",
            "exited": None,
            "exit_reason": None,
            "source_row": i + 1,
            "source_sheet": None,
        }
        for i, r in enumerate(got.candidates)
    ]
    if rows:
        store.load(
            "demo",
            f"四季度可增产企业（{issued:%Y-%m-%d}，由日用电量测算）",
            {"pool_member": pa.Table.from_pylist(rows, schema=_schema())},
            period=str(issued.year),
            actor=actor,
        )
    return len(rows)


def _schema() -> pa.Schema:
    s = load_schema("pool_member")
    return pa.schema([f for f in s if f.name != "source_file_id"])
