"""Entity resolution: crosswalk first; a row without a usable key is held with a suggestion
found by normalised name, never merged silently."""

from __future__ import annotations

import json
from pathlib import Path

from jingxin.ingest import Reason, Severity, import_file
from jingxin.store import Store
from tests.ingest.helpers import errors
from tests.ingest.make_corpus import ENTERPRISES, write_csv


def test_unknown_account_with_a_matching_name_is_held_with_a_suggestion(
    store: Store, tmp_path: Path
) -> None:
    e0, e1, e2 = ENTERPRISES[:3]
    assert e2.name == "德清示例丝绸（集团）有限责任公司"
    crosswalk = write_csv(
        tmp_path / "对照表.csv",
        [
            ["户号", "户名", "统一社会信用代码"],
            ["3300000001", e0.name, e0.uscc],
            ["3300000002", e0.name + "二厂", e0.uscc],  # two meters, one enterprise
            ["3300000003", e1.name, e1.uscc],
        ],
    )
    cw = import_file(store, "grid_account", crosswalk)
    assert cw.status == "loaded", errors(cw)

    power = write_csv(
        tmp_path / "用电量-2016-06.csv",
        [
            ["户号", "户名", "年月", "用电量(千瓦时)"],
            ["3300000001", e0.name, "2016-06", "100,000"],
            ["3300000002", e0.name, "2016-06", "50000"],
            ["3300000003", e1.name, "2016-06", "２００００"],
            ["3300000009", "德清示例丝绸(集团)有限公司", "2016-06", "70000"],  # not crosswalked
            ["3300000010", "无名小厂", "2016-06", "1000"],
        ],
        "gb18030",
    )
    report = import_file(store, "electricity", power, period="2016-06")
    assert report.status == "loaded", errors(report)
    assert report.unmatched == 2
    held = [i for i in report.issues if i.reason is Reason.UNMATCHED]
    assert [(i.severity, i.row) for i in held] == [(Severity.WARNING, 5), (Severity.WARNING, 6)]
    registered_name = store.enterprises()[e2.uscc][0]  # as stored: NFKC, half-width brackets
    assert e2.uscc in held[0].message and registered_name in held[0].message
    assert "疑似企业" not in held[1].message

    stored = dict(
        store.con.execute("select uscc, kwh from electricity where period = '2016-06'").fetchall()
    )
    assert stored == {e0.uscc: 15.0, e1.uscc: 2.0}  # 万千瓦时; nothing for e2
    rows = store.con.execute(
        "select target, name, suggestion, payload, source_row, resolved_at "
        "from unmatched_row order by source_row"
    ).fetchall()
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in rows] == [
        ("electricity", "德清示例丝绸(集团)有限公司", e2.uscc, 5, None),
        ("electricity", "无名小厂", None, 6, None),
    ]
    payload = json.loads(rows[0][3])
    assert payload["account"] == "3300000009" and payload["period"] == "2016-06"
    assert payload["kwh"] == 7.0
    # nothing was merged into the register or the crosswalk
    assert store.grid_accounts() == {
        "3300000001": e0.uscc,
        "3300000002": e0.uscc,
        "3300000003": e1.uscc,
    }
    assert store.con.execute("select count(*) from enterprise_alias").fetchall() == [(0,)]
