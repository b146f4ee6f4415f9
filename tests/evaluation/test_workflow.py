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
from jingxin.evaluation.workflow import objections
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


def _end_notice(store: Store, run_id: int) -> None:
    """As if the notice period had ended yesterday."""
    with store.transaction() as con:
        con.execute(
            "update evaluation_run set notice_until = current_date - 1 where id = ?", [run_id]
        )


def _audit(store: Store, prefix: str) -> list[dict[str, object]]:
    return store.arrow(
        "select * from audit_log where action like ? order by logged_at", [prefix + "%"]
    ).to_pylist()


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
    _end_notice(store, run)
    with pytest.raises(InputError, match="未处理的异议"):
        finalize(store, run, actor="科长乙")
    decide_objection(
        store,
        oid,
        upheld=True,
        decision="经核实为一般事故",
        actor="科长乙",
        new_class="C",
        veto="lift",
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
    _end_notice(store, run15)
    finalize(store, run15, actor="t")
    ev = evaluate(store.ibis, 2016, load_method(WORKED_METHOD))
    rows = {r["name"]: r for r in ev.results.to_pylist()}
    # 甲七 was D in the imported 2015 history but is not in the platform's 2015 results.
    assert rows["规上甲七五金有限公司"]["consecutive_worst"] == 1
    assert rows["规上甲七五金有限公司"]["surcharge_rate"] == pytest.approx(0.10)


@pytest.mark.slow
def test_finalize_inside_the_notice_period_needs_force_and_a_reason(store: Store) -> None:
    run = _draft(store)
    until = start_notice(store, run, actor="科员甲", days=7).notice_until
    with pytest.raises(InputError, match=f"公示期至 {until} 止"):
        finalize(store, run, actor="科长乙")
    with pytest.raises(InputError, match="必须写明理由"):
        finalize(store, run, actor="科长乙", force=True, reason="  ")
    with pytest.raises(InputError, match="--force"):
        finalize(store, run, actor="科长乙", reason="市政府要求提前公布")
    assert get_run(store, run).status == "notice"
    final = finalize(store, run, actor="科长乙", force=True, reason="市政府要求提前公布")
    assert final.status == "final"
    entry = _audit(store, "finalize:")[-1]
    assert entry["action"] == "finalize: 公示期内强制定稿：市政府要求提前公布"
    after = json.loads(str(entry["after"]))
    assert after["force"] is True and after["reason"] == "市政府要求提前公布"
    assert after["inside_notice"] is True and after["notice_until"] == str(until)


@pytest.mark.slow
def test_finalize_after_the_notice_period_needs_no_force(store: Store) -> None:
    run = _draft(store)
    start_notice(store, run, actor="科员甲", days=1)
    _end_notice(store, run)
    assert finalize(store, run, actor="科长乙").status == "final"
    after = json.loads(str(_audit(store, "finalize:")[-1]["after"]))
    assert after["force"] is False and after["inside_notice"] is False


@pytest.mark.slow
def test_objections_are_listed_with_their_status_in_chinese(store: Store) -> None:
    run = _draft(store)
    start_notice(store, run, actor="科员甲")
    a1 = _uscc(store, run, "规上甲一机械有限公司")
    a4 = _uscc(store, run, "规上甲四电子有限公司")
    first = file_objection(store, run, a1, claim="税收漏计", evidence="完税证明", actor="企业")
    file_objection(store, run, a4, claim="用地有误", evidence="不动产权证", actor="企业")
    decide_objection(store, first, upheld=False, decision="税收无误", actor="科长乙")
    rows = objections(store, run, Scope.city())
    assert [(r["name"], r["status_zh"]) for r in rows] == [
        ("规上甲一机械有限公司", "不成立"),
        ("规上甲四电子有限公司", "待处理"),
    ]
    assert [r["uscc"] for r in objections(store, run, Scope.city(), "待处理")] == [a4]
    assert [r["id"] for r in objections(store, run, Scope.city(), "rejected")] == [first]
    with pytest.raises(InputError, match="异议状态 '已撤回' 不存在"):
        objections(store, run, Scope.city(), "已撤回")
    with pytest.raises(InputError, match=r"已处理（不成立）"):
        decide_objection(store, first, upheld=True, decision="再议", actor="科长乙")


@pytest.mark.slow
def test_upholding_an_objection_on_a_vetoed_firm_needs_a_veto_decision(store: Store) -> None:
    run = _draft(store)
    start_notice(store, run, actor="科员甲")
    a8 = _uscc(store, run, "规上甲八塑料有限公司")  # C, then D by a 重大 safety incident
    a1 = _uscc(store, run, "规上甲一机械有限公司")  # no veto
    assert _row(store, run, a8)["veto"] == "发生较大及以上安全生产事故"
    oid = file_objection(store, run, a8, claim="事故等级有误", evidence="复函", actor="企业")

    def decide(**kw: object) -> object:
        return decide_objection(store, oid, upheld=True, decision="经核实", actor="科长乙", **kw)

    with pytest.raises(InputError, match="发生较大及以上安全生产事故.*--lift-veto"):
        decide(new_class="B")
    with pytest.raises(InputError, match="调整等级"):
        decide(veto="lift")
    assert _row(store, run, a8)["final_class"] == "D"  # nothing was stored
    change = decide(new_class="B", veto="lift")
    assert change is not None and change.veto_decision == "lift"
    row = _row(store, run, a8)
    assert row["final_class"] == "B" and row["veto"] == "发生较大及以上安全生产事故"
    assert "解除一票否决（发生较大及以上安全生产事故）" in str(row["explanation"])
    grade = store.arrow("select * from evaluation_regrade").to_pylist()[-1]
    assert grade["reason"] == "异议成立：经核实；解除一票否决（发生较大及以上安全生产事故）"
    assert grade["objection_id"] == oid
    decided = json.loads(str(_audit(store, "decide:")[-1]["after"]))
    assert decided["veto_decision"] == "lift" and decided["new_class"] == "B"
    assert "解除一票否决" in str(_audit(store, "regrade:")[-1]["action"])

    other = file_objection(store, run, a1, claim="x", evidence="y", actor="企业")
    with pytest.raises(InputError, match="没有否决事项"):
        decide_objection(
            store, other, upheld=True, decision="z", actor="科长乙", new_class="B", veto="keep"
        )


@pytest.mark.slow
def test_keeping_a_veto_applies_it_to_the_new_class(store: Store) -> None:
    run = _draft(store)
    start_notice(store, run, actor="科员甲")
    a8 = _uscc(store, run, "规上甲八塑料有限公司")
    oid = file_objection(store, run, a8, claim="税收漏计", evidence="完税证明", actor="企业")
    change = decide_objection(
        store,
        oid,
        upheld=True,
        decision="补计税收",
        actor="科长乙",
        new_class="B",
        veto="keep",
    )
    assert change is not None and change.to_class == "D"  # the safety veto sets the worst class
    assert _row(store, run, a8)["final_class"] == "D"
    assert "保留否决（发生较大及以上安全生产事故），按否决规则由B类调整为D类" in change.reason
