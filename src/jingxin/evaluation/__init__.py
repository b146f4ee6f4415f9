"""亩均效益综合评价 (issue #3): method files, inputs, scoring and workflow.

Its workbook, CSV, JSON and Word summary are written by :mod:`jingxin.reports.evaluation`.

See docs/evaluation.md for the method file and the workflow.
"""

from __future__ import annotations

from jingxin.evaluation.aggregates import Aggregates, aggregate
from jingxin.evaluation.engine import Evaluation, evaluate, score_inputs
from jingxin.evaluation.inputs import build_inputs
from jingxin.evaluation.method import LoadedMethod, Method, load_method, parse_method, preset_names
from jingxin.evaluation.sensitivity import Bounds, SensitivityReport, sensitivity
from jingxin.evaluation.workflow import (
    Run,
    correct_run,
    decide_objection,
    file_objection,
    finalize,
    get_run,
    latest_run,
    list_runs,
    read_results,
    regrade,
    save_run,
    start_notice,
)

__all__ = [
    "Aggregates",
    "Bounds",
    "Evaluation",
    "LoadedMethod",
    "Method",
    "Run",
    "SensitivityReport",
    "aggregate",
    "build_inputs",
    "correct_run",
    "decide_objection",
    "evaluate",
    "file_objection",
    "finalize",
    "get_run",
    "latest_run",
    "list_runs",
    "load_method",
    "parse_method",
    "preset_names",
    "read_results",
    "regrade",
    "save_run",
    "score_inputs",
    "sensitivity",
    "start_notice",
]
