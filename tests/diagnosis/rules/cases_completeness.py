"""Labelled cases of diagnosis/rules/completeness.py: run-incomplete."""

from __future__ import annotations

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import Case, E, W
from tests.diagnosis.rules.cases_healthy import _keras_logs
from tests.helpers.rule_factory import (
    healthy_curves,
    make_record,
    mlp,
    mnist_data,
)

# --- completeness -------------------------------------------------------------------------------


def _status(status: str, epochs: int = 20, planned: int = 20, problems=(), error=None) -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", max(epochs, 1), 141)
    curves = {k: v[:epochs] for k, v in curves.items()}
    return make_record(
        **curves,
        model=mlp(),
        data=mnist_data(),
        status=status,
        problems=problems,
        error=error,
        config={"epochs": planned},
    )


COMPLETENESS = [
    Case("interrupted-at-epoch-7", lambda: _status("interrupted", 7), {"run-incomplete": W}),
    Case(
        "failed-with-error",
        lambda: _status("failed", 3, error="ResourceExhaustedError: OOM"),
        {"run-incomplete": E},
    ),
    Case(
        "history-line-damaged",
        lambda: _status("completed", problems=["history.jsonl line 12: invalid JSON"]),
        {"run-incomplete": W},
    ),
    Case("still-running-status", lambda: _status("running", 12), {"run-incomplete": W}),
    Case("completed-all-epochs", lambda: _status("completed"), near_miss=("run-incomplete",)),
    Case("keras-logs-without-status", _keras_logs, near_miss=("run-incomplete",)),
]
