"""Workflow: draft → notice → objections → final; re-grades audited; finals immutable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jingxin.errors import InputError
from jingxin.evaluation import (
    correct_run,
    decide_objection,
    evaluate,
    file_objection,
    finalize,
    get_run,
    load_method,
    read_results,
    regrade,
    save_run,
    start_notice,
)
from jingxin.evaluation.method import LoadedMethod, parse_method
from jingxin.store import Scope, Store
from tests.evaluation.helpers import WORKED_METHOD, worked_store


def _uscc(store: Store, run_id: int, name: str) -> str:
    rows = store.arrow(
        "select uscc from evaluation_result where run_id = ? and name = ?", [run_id, name]
    )
    return str(rows.column("uscc")[0].as_py())


def _row(store: Store, run_id: int, uscc: str) -> dict[str, object]:
    return dict(
        store.arrow(
            "select * from evaluation_result where run_id = ? and uscc = ?", [run_id, uscc]
        ).to_pylist()[0]
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = worked_store(tmp_path / "wf.duckdb")
    yield s
    s.close()


def _draft(store: Store) -> int:
    ev = evaluate(store.ibis, 2016, load_method(WORKED_METHOD))
    return save_run(store, ev, actor="科员甲").id


@pytest.mark.slow
def test_regrade_needs_a_reason_and_is_audited(store: Store) -> None:
    run = _draft(store)
    a1 = _uscc(store, run, "规上甲一机械有限公司")
    with pytest.raises(InputError, match="理由"):
        regrade(store, run, a1, "D", reason="  ", actor="科员甲")
    with pytest.raises(InputError, match="不在评价办法的等级"):
        regrade(store, run, a1, "E", reason="测试", actor="科员甲")
    before_log = store.arrow("select count(*) as n from audit_log").column("n")[0].as_py()
    regrade(store, run, a1, "D", reason="核查发现虚报税收", actor="科长乙")
    row = _row(store, run, a1)
    assert row["initial_class"] == "A" and row["final_class"] == "D"
    # History: D in 2014 but A in 2015, so this is the first D year in a row: 0.10 × 300.
    assert row["consecutive_worst"] == 1
    assert row["surcharge"] == pytest.approx(30.0)
    assert "经调档，由A类（优先发展类）调整为D类（落后整治类），理由：核查发现虚报税收。" in str(
        row["explanation"]
    )
    log = store.arrow("select * from audit_log order by logged_at").to_pylist()
    assert len(log) == before_log + 1
    entry = log[-1]
    assert entry["actor"] == "科长乙" and entry["action"] == "regrade: 核查发现虚报税收"
    assert json.loads(entry["before"])["final_class"] == "A"
    assert json.loads(entry["after"])["final_class"] == "D"
    grades = store.arrow("select * from evaluation_regrade").to_pylist()
    assert [(g["from_class"], g["to_class"], g["made_by"]) for g in grades] == [
        ("A", "D", "科长乙")
    ]


@pytest.mark.slow
def test_notice_objection_final_and_correction(store: Store) -> None:
    run = _draft(store)
    a8 = _uscc(store, run, "规上甲八塑料有限公司")
    with pytest.raises(InputError, match="公示中"):
        file_objection(store, run, a8, claim="事故认定有误", evidence="应急局复函", actor="企业")
    start_notice(store, run, actor="科员甲", days=5)
    with pytest.raises(InputError, match="证明材料"):
        file_objection(store, run, a8, claim="事故认定有误", evidence=" ", actor="企业")
    oid = file_objection(
        store,
        run,
        a8,
        claim="事故不属于较大及以上",
        evidence="应急管理局复函2017-12号",
        actor="企业",
    )
    with pytest.raises(InputError, match="未处理的异议"):
        finalize(store, run, actor="科长乙")
    decide_objection(
        store, oid, upheld=True, decision="经核实为一般事故", actor="科长乙", new_class="C"
    )
    assert _row(store, run, a8)["final_class"] == "C"
    assert _row(store, run, a8)["surcharge_rate"] == 0
    final = finalize(store, run, actor="科长乙")
    assert final.status == "final"
    before = read_results(store, run, Scope.city())[0]
    with pytest.raises(InputError, match="已定稿"):
        regrade(store, run, a8, "B", reason="再次调整", actor="科长乙")
    corrected = correct_run(store, run, reason="税务局更正甲八税收", actor="科长乙")
    assert corrected.version == 2 and corrected.corrects == run and corrected.status == "draft"
    regrade(store, corrected.id, a8, "B", reason="更正后重新认定", actor="科长乙")
    assert _row(store, corrected.id, a8)["final_class"] == "B"
    assert read_results(store, run, Scope.city())[0].equals(
        before
    )  # the final version did not change
    assert get_run(store, run).status == "final"


@pytest.mark.slow
def test_new_draft_supersedes_older_drafts(store: Store) -> None:
    first = _draft(store)
    second = _draft(store)
    assert get_run(store, first).status == "superseded"
    assert get_run(store, second).version == 2
    assert read_results(store, first, Scope.city())[0].equals(
        read_results(store, second, Scope.city())[0]
    )


@pytest.mark.slow
def test_final_run_replaces_imported_history(store: Store) -> None:
    # Evaluate 2015 with a method that needs no 2014 data, publish it, and 2016's
    # consecutive-D count uses the platform's final 2015 result instead of the imported one.
    text = WORKED_METHOD.read_text("utf-8").replace('mode = "prev_mean"', 'mode = "current_mean"')
    m2015 = LoadedMethod(parse_method(text), text, "test")
    run15 = save_run(store, evaluate(store.ibis, 2015, m2015), actor="t").id
    start_notice(store, run15, actor="t")
    finalize(store, run15, actor="t")
    ev = evaluate(store.ibis, 2016, load_method(WORKED_METHOD))
    rows = {r["name"]: r for r in ev.results.to_pylist()}
    # 甲七 was D in the imported 2015 history but is not in the platform's 2015 results.
    assert rows["规上甲七五金有限公司"]["consecutive_worst"] == 1
    assert rows["规上甲七五金有限公司"]["surcharge_rate"] == pytest.approx(0.10)
