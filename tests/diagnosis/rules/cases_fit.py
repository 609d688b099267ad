"""Labelled cases of diagnosis/rules/fit.py: underfitting near misses (overfitting: cases_scenarios.py)."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import Case, W
from tests.helpers.rule_factory import (
    decay,
    iris_data,
    iris_steps,
    make_record,
    mlp,
    mnist_data,
)

# --- underfitting near misses -------------------------------------------------------------------


def _short_run_still_learning() -> RunRecord:
    loss = [2.2, 1.9, 1.6, 1.35, 1.1]
    acc = [0.2, 0.28, 0.34, 0.4, 0.45]
    return make_record(
        loss,
        [2.0, 1.7, 1.45, 1.2, 1.0],
        acc,
        [0.22, 0.3, 0.36, 0.41, 0.45],
        model=mlp(),
        data=mnist_data(),
        config={"lr": 0.001},
    )


def _iris_mediocre() -> RunRecord:
    loss = (np.asarray(decay(1.1, 0.3, 100, 0.05, 0.002, 151)) + np.linspace(0.3, 0.0, 100)).tolist()
    acc = np.minimum(iris_steps(100, 120, 0.8, 0.05, 151), 0.72).tolist()
    val_acc = np.minimum(iris_steps(100, 30, 0.8, 0.05, 152), 0.7).tolist()
    return make_record(
        loss,
        decay(1.1, 0.57, 100, 0.05, 0.004, 152),
        acc,
        val_acc,
        model=mlp(1, 8, classes=3),
        data=iris_data(),
        config={"dataset": "iris"},
    )


UNDERFITTING = [
    Case("short-run-still-learning-fast", _short_run_still_learning, {"underfitting": W}),
    Case(
        "iris-mediocre-skill-0.58",
        _iris_mediocre,
        near_miss=("underfitting",),
        allow=frozenset({"accuracy-plateau"}),
    ),
]
