"""Labelled cases: divergence, oscillation, loss-plateau and accuracy-plateau."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.helpers.rule_case_base import INFO, Case, E, W
from tests.helpers.rule_factory import (
    data_summary,
    decay,
    healthy_curves,
    healthy_probes,
    iris_data,
    iris_steps,
    make_record,
    mlp,
    mnist_data,
)

# --- curves -------------------------------------------------------------------------------------


def _blowup() -> RunRecord:
    loss = [2.3, 1.2, 0.8, 0.7, 0.9, 1.8, 3.5, 6.0, 9.0, 14.0]
    val = [1.5, 1.0, 0.75, 0.7, 1.0, 2.0, 4.0, 7.0, 10.0, 15.0]
    acc = [0.4, 0.7, 0.8, 0.82, 0.75, 0.5, 0.3, 0.2, 0.15, 0.12]
    return make_record(loss, val, acc, acc, model=mlp(), data=mnist_data(), config={"lr": 0.5})


def _slight_rise() -> RunRecord:
    loss = [2.3, 1.2, 0.8, 0.7, 0.72, 0.8, 0.9, 0.95, 1.0, 1.02]
    acc = [0.4, 0.7, 0.8, 0.82, 0.81, 0.8, 0.78, 0.77, 0.76, 0.76]
    return make_record(loss, [x * 0.95 for x in loss], acc, acc, model=mlp(), data=mnist_data(), config={"lr": 0.2})


def _swinging(amplitude: float, series: str = "val_loss") -> RunRecord:
    curves = healthy_curves("mnist-mlp-sgd", 25, 81)
    pattern = np.resize([1.0, -1.0, 0.7, -0.9, 1.0, -0.6], 25)
    if series == "val_accuracy":
        curves["val_accuracy"] = np.clip(np.asarray(curves["val_accuracy"]) - amplitude * (pattern > 0), 0, 1).tolist()
    else:
        curves[series] = (np.asarray(curves[series]) * (1 + amplitude * pattern)).tolist()
    data = data_summary({c: 500 for c in range(10)}, {c: 50 for c in range(10)})
    return make_record(**curves, model=mlp(), data=data, config={"lr": 0.3, "batch_size": 16})


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


CURVES = [
    Case(
        "nan-loss-at-epoch-4",
        lambda: make_record(
            [1.0, 0.7, 3.0, float("nan")],
            [0.8, 0.6, 4.0, float("nan")],
            status="diverged",
            config={"lr": 2.0},
        ),
        {"divergence": E, "run-incomplete": INFO},
    ),
    Case("loss-blows-up-without-nan", _blowup, {"divergence": W}, near_miss=("oscillation",)),
    Case("loss-rises-1.5x-near-miss", _slight_rise, near_miss=("divergence",)),
    Case("val-loss-swings-30pct", lambda: _swinging(0.3), {"oscillation": W}),
    Case("val-accuracy-swings-15-points", lambda: _swinging(0.15, "val_accuracy"), {"oscillation": W}),
    Case("val-loss-swings-8pct-near-miss", lambda: _swinging(0.08), near_miss=("oscillation",)),
    Case("sgd-lr-1e-5-loss-barely-moves", _lr_too_low, {"loss-plateau": W, "underfitting": W}),
    Case("loss-stuck-at-1.05", _stuck_midway, {"loss-plateau": W}, near_miss=("underfitting",)),
    Case("loss-slow-but-moving", _slow_but_moving, near_miss=("loss-plateau",)),
    Case("iris-accuracy-flat-at-100pct", _iris_perfect_flat, near_miss=("accuracy-plateau",)),
    Case("accuracy-flat-and-loss-flat", _iris_flat_loss_flat, near_miss=("accuracy-plateau", "loss-plateau")),
]
