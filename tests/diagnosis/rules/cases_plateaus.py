"""Labelled cases of diagnosis/rules/plateaus.py: loss-plateau and accuracy-plateau."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import Case, W
from tests.helpers.rule_factory import (
    decay,
    healthy_probes,
    iris_data,
    iris_steps,
    make_record,
    mlp,
    mnist_data,
)

# --- plateaus -----------------------------------------------------------------------------------


def _lr_too_low() -> RunRecord:
    loss = decay(2.34, 2.25, 20, 0.05, 0.0005, 91)
    val = decay(2.33, 2.24, 20, 0.05, 0.001, 92)
    acc = decay(0.09, 0.21, 20, 0.05, 0.0, 93)
    return make_record(
        loss,
        val,
        acc,
        decay(0.1, 0.22, 20, 0.05, 0.0, 94),
        probes=healthy_probes(20),
        model=mlp(),
        data=mnist_data(),
        config={"lr": 1e-5},
    )


def _stuck_midway() -> RunRecord:
    loss = decay(1.6, 1.05, 25, 0.6, 0.001, 95)
    val = decay(1.5, 1.02, 25, 0.6, 0.002, 96)
    acc = [0.3, 0.45, 0.55, 0.6, 0.61] + [0.62] * 20
    return make_record(loss, val, acc, [a + 0.01 for a in acc], model=mlp(), data=mnist_data())


def _slow_but_moving() -> RunRecord:
    loss = decay(2.0, 0.6, 20, 0.05, 0.0, 97)
    val = decay(1.9, 0.58, 20, 0.05, 0.0, 98)
    return make_record(
        loss,
        val,
        decay(0.3, 0.85, 20, 0.05, 0.0, 99),
        decay(0.31, 0.86, 20, 0.05, 0.0, 100),
        model=mlp(),
        data=mnist_data(),
    )


def _iris_perfect_flat() -> RunRecord:
    loss = decay(1.0, 0.02, 100, 0.05, 0.002, 101)
    acc = np.minimum(iris_steps(100, 120, 1.0, 0.2, 101), 1.0).tolist()
    acc[30:] = [1.0] * 70
    return make_record(
        loss,
        decay(1.0, 0.03, 100, 0.05, 0.005, 102),
        acc,
        [1.0] * 100,
        model=mlp(1, 8, classes=3),
        data=iris_data(),
    )


def _iris_flat_loss_flat() -> RunRecord:
    loss = decay(1.0, 0.3, 60, 0.3, 0.001, 103)
    acc = [round(0.5 + 0.02 * i, 4) for i in range(20)] + [0.9] * 40
    return make_record(
        loss, decay(1.0, 0.32, 60, 0.3, 0.002, 104), acc, acc, model=mlp(1, 8, classes=3), data=iris_data()
    )


PLATEAUS = [
    Case("sgd-lr-1e-5-loss-barely-moves", _lr_too_low, {"loss-plateau": W, "underfitting": W}),
    Case("loss-stuck-at-1.05", _stuck_midway, {"loss-plateau": W}, near_miss=("underfitting",)),
    Case("loss-slow-but-moving", _slow_but_moving, near_miss=("loss-plateau",)),
    Case("iris-accuracy-flat-at-100pct", _iris_perfect_flat, near_miss=("accuracy-plateau",)),
    Case("accuracy-flat-and-loss-flat", _iris_flat_loss_flat, near_miss=("accuracy-plateau", "loss-plateau")),
]
