"""Labelled cases of diagnosis/rules/gradients.py: vanishing-gradients and exploding-gradients."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import INFO, Case, E, W
from tests.helpers.rule_factory import (
    decay,
    grad_probes,
    healthy_curves,
    make_record,
    mlp,
    mnist_data,
)

# --- gradients ----------------------------------------------------------------------------------


def _with_probes(probes: dict, kind: str = "mnist-mlp-sgd", epochs: int = 20, **kwargs) -> RunRecord:
    return make_record(
        **healthy_curves(kind, epochs, 71),
        probes=probes,
        model=kwargs.pop("model", mlp()),
        data=kwargs.pop("data", mnist_data()),
        **kwargs,
    )


def _deep_sigmoid() -> RunRecord:
    norms = [2e-4 * 3**i for i in range(8)] + [0.3]
    loss, val = decay(2.2, 1.2, 20, 0.1, 0.003, 72), decay(2.1, 1.15, 20, 0.1, 0.005, 73)
    return make_record(
        loss,
        val,
        decay(0.2, 0.6, 20, 0.1, 0.0, 74),
        decay(0.25, 0.62, 20, 0.1, 0.0, 75),
        probes=grad_probes(norms, 20, drift=0.0),
        model=mlp(8, activation="sigmoid"),
        data=mnist_data(),
        config={"activation": "sigmoid", "layers": 8},
    )


def _exploding_then_nan() -> RunRecord:
    growth = [1, 1.5, 4, 20, 150, 1500, float("inf")]
    probes = grad_probes([0.8, 0.5, 0.3], 7, drift=0.0, growth=growth)
    loss = [0.9, 0.6, 0.8, 2.5, 9.0, 60.0, float("nan")]
    val = [0.5, 0.45, 0.9, 3.0, 12.0, 80.0, float("nan")]
    acc = [0.75, 0.83, 0.78, 0.4, 0.15, 0.1, 0.1]
    return make_record(
        loss,
        val,
        acc,
        [0.85, 0.87, 0.75, 0.3, 0.1, 0.1, 0.1],
        probes=probes,
        model=mlp(),
        data=mnist_data(),
        status="diverged",
        config={"lr": 1.0, "epochs": 20},
    )


def _input_side_huge() -> RunRecord:
    probes = grad_probes([300.0, 20.0, 0.5], 20, drift=0.0)
    curves = healthy_curves("mnist-mlp-sgd", 20, 76)
    data = mnist_data(input_range=(0.0, 255.0), mean=33.3, std=78.6)
    return make_record(**curves, probes=probes, model=mlp(), data=data, config={"normalize": False})


def _grad_spike_once() -> RunRecord:
    growth = np.ones(20)
    growth[8] = 300.0
    return _with_probes(grad_probes([0.8, 0.5, 0.3], 20, growth=growth))


GRADIENTS = [
    Case("deep-sigmoid-gradients-vanish", _deep_sigmoid, {"vanishing-gradients": W}),
    Case(
        "vanishing-ratio-0.02-near-miss",
        lambda: _with_probes(grad_probes([0.006, 0.05, 0.3], 20)),
        near_miss=("vanishing-gradients",),
    ),
    Case(
        "vanishing-for-one-epoch-only",
        lambda: _with_probes(_one_epoch_low_ratio()),
        near_miss=("vanishing-gradients",),
    ),
    Case(
        "gradients-explode-then-nan",
        _exploding_then_nan,
        {"exploding-gradients": E, "divergence": E, "run-incomplete": INFO},
    ),
    Case(
        "input-side-gradients-600x-output",
        _input_side_huge,
        {"exploding-gradients": W, "unnormalized-input": W},
    ),
    Case(
        "grad-norm-grows-20x-near-miss",
        lambda: _with_probes(grad_probes([0.8, 0.5, 0.3], 20, drift=0.16)),
        near_miss=("exploding-gradients",),
    ),
    Case("grad-norm-spikes-one-epoch", _grad_spike_once, near_miss=("exploding-gradients",)),
]


def _one_epoch_low_ratio() -> dict:
    probes = grad_probes([0.5, 0.4, 0.3], 20)
    probes["dense"]["grad_norm"][17] = 1e-4
    return probes
