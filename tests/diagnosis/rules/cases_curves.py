"""Labelled cases of diagnosis/rules/curves.py: divergence and oscillation."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import INFO, Case, E, W
from tests.helpers.rule_factory import (
    data_summary,
    healthy_curves,
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
]
