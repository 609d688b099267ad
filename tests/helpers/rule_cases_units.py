"""Labelled cases: linear-collapse (the model), dead-relu and saturation (the units)."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord
from tests.helpers.rule_case_base import INFO, Case, E, W
from tests.helpers.rule_cases_gradients import _with_probes
from tests.helpers.rule_factory import (
    grad_probes,
    healthy_curves,
    make_record,
    mlp,
    mnist_data,
    with_fractions,
)

# --- model --------------------------------------------------------------------------------------


def _model_only(model: ModelSummary | None, config: dict | None = None) -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 20, 111)
    return make_record(**curves, model=model, data=mnist_data(), config=config if config is not None else {})


def _relu_layers_between() -> ModelSummary:
    layers = [LayerInfo("input_layer", "InputLayer")]
    for i in range(3):
        layers += [LayerInfo(f"dense_{i}", "Dense", 128, "linear"), LayerInfo(f"re_lu_{i}", "ReLU")]
    return ModelSummary(layers + [LayerInfo("output", "Dense", 10, "softmax")])


def _linear_convs() -> ModelSummary:
    layers = [
        LayerInfo("conv2d", "Conv2D", 32, "linear"),
        LayerInfo("batch_normalization", "BatchNormalization"),
        LayerInfo("conv2d_1", "Conv2D", 64, "linear"),
        LayerInfo("flatten", "Flatten"),
        LayerInfo("dropout", "Dropout", rate=0.2),
        LayerInfo("output", "Dense", 10, "softmax"),
    ]
    return ModelSummary(layers)


MODEL = [
    Case(
        "linear-1-hidden-layer-is-info",
        lambda: _model_only(mlp(1, activation="linear")),
        {"linear-collapse": INFO},
    ),
    Case(
        "linear-from-flags-without-model",
        lambda: _model_only(None, {"activation": "linear", "layers": 3}),
        {"linear-collapse": W},
    ),
    Case(
        "linear-convs-through-batchnorm-and-dropout",
        lambda: _model_only(_linear_convs(), {"model": "cnn"}),
        {"linear-collapse": W},
    ),
    Case(
        "linear-dense-with-relu-layers-between",
        lambda: _model_only(_relu_layers_between()),
        near_miss=("linear-collapse",),
    ),
    Case(
        "logistic-regression-no-hidden-layer",
        lambda: _model_only(mlp(0), {"layers": 0}),
        near_miss=("linear-collapse",),
    ),
]


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
