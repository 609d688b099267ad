"""Labelled cases of diagnosis/rules/activations.py: dead-relu and saturation."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import Case, E, W
from tests.diagnosis.rules.cases_gradients import _with_probes
from tests.helpers.rule_factory import (
    grad_probes,
    mlp,
    with_fractions,
)

# --- activations --------------------------------------------------------------------------------


def _fractions(key: str, series: list[float], layer: str = "dense_1", activation: str = "relu") -> RunRecord:
    probes = with_fractions(grad_probes([0.6, 0.5, 0.35], 20), key, {"dense": [0.02] * 20, layer: series})
    return _with_probes(probes, model=mlp(activation=activation), config={"activation": activation})


def _ramp(start: float, end: float, epochs: int = 20) -> list[float]:
    return np.linspace(start, end, epochs).round(4).tolist()


ACTIVATIONS = [
    Case("dead-relu-70pct-in-dense_1", lambda: _fractions("dead_fraction", _ramp(0.1, 0.72)), {"dead-relu": W}),
    Case("dead-relu-whole-layer", lambda: _fractions("dead_fraction", [0.3] * 5 + [1.0] * 15), {"dead-relu": E}),
    Case(
        "dead-relu-30pct-near-miss",
        lambda: _fractions("dead_fraction", _ramp(0.1, 0.3)),
        near_miss=("dead-relu",),
    ),
    Case(
        "dead-relu-spike-one-epoch",
        lambda: _fractions("dead_fraction", [0.1] * 17 + [0.8, 0.1, 0.1]),
        near_miss=("dead-relu",),
    ),
    Case(
        "sigmoid-80pct-saturated",
        lambda: _fractions("saturated_fraction", _ramp(0.2, 0.8), activation="sigmoid"),
        {"saturation": W},
    ),
    Case(
        "tanh-60pct-saturated",
        lambda: _fractions("saturated_fraction", [0.6] * 20, activation="tanh"),
        {"saturation": W},
    ),
    Case(
        "sigmoid-40pct-near-miss",
        lambda: _fractions("saturated_fraction", [0.4] * 20, activation="sigmoid"),
        near_miss=("saturation",),
    ),
    Case(
        "saturated-2-of-5-last-epochs",
        lambda: _fractions("saturated_fraction", [0.3] * 15 + [0.7, 0.3, 0.7, 0.3, 0.3], activation="tanh"),
        near_miss=("saturation",),
    ),
]
