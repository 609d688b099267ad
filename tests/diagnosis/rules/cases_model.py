"""Labelled cases of diagnosis/rules/model.py: linear-collapse."""

from __future__ import annotations

from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import INFO, Case, W
from tests.helpers.rule_factory import (
    healthy_curves,
    make_record,
    mlp,
    mnist_data,
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
