"""Labelled cases of what a run is (rules/needs.py, rules/loss_series.py, rules/layer_graph.py): each rule judged
the way the run's anatomy says (issue 18 item 3, issue 19).

Regressions are not read as a task of one class per integer target; logits and binary sigmoid runs have their own
chance level; an L1 run is judged on its data loss, not on the penalty Keras adds; a custom layer is never assumed
linear and separate activation layers count. Without their anatomy most of these records were misread.
"""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.anatomy import Task
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import Predictions
from tests.diagnosis.rules.case_anatomy import anatomy, custom, dense, layer, nested, with_anatomy
from tests.diagnosis.rules.case_base import INFO, Case, W
from tests.helpers.rule_factory import (
    accuracy_from,
    data_summary,
    decay,
    healthy_curves,
    make_record,
    u_shape,
)

VARIANCE = 10_000.0  # integer targets 0..346: predicting their mean scores an MSE of about 10,000
ONE_UNIT = ModelSummary([LayerInfo("dense", "Dense", 64, "relu"), LayerInfo("output", "Dense", 1, "linear")])


# --- regression ---------------------------------------------------------------------------------


def _regression(loss: list[float], val: list[float], data: bool = False) -> RunRecord:
    n = len(loss)
    counts = {c: 1 + c % 40 for c in range(347)}  # what a schema-1 run counted as "classes" of its targets
    record = make_record(
        loss,
        val,
        [0.003] * n,  # Keras's `accuracy` of a regression: exact matches
        [0.002] * n,
        model=ONE_UNIT,
        data=data_summary(counts, {c: 2 for c in range(300, 347)}, input_range=(0.0, 1.0)) if data else None,
        config=None,
        source="kerasdiag",
    )
    return with_anatomy(record, anatomy(Task.REGRESSION, variance=VARIANCE))


def _regression_learns() -> RunRecord:
    return _regression(decay(17_000, 400, 30, 0.2, 0.01, 201), decay(15_000, 450, 30, 0.2, 0.02, 202), data=True)


def _regression_stuck() -> RunRecord:
    """MSE stays near 17,000 (above the variance: worse than predicting the mean); ln 2 would call it divergence."""
    return _regression(decay(17_400, 17_000, 20, 0.3, 0.0005, 203), decay(17_300, 16_900, 20, 0.3, 0.001, 204))


def _regression_dropped() -> RunRecord:
    """Dropout 0.85 before the output: training MSE stays at 88 % of the variance (R^2 0.12), validation (no
    dropout there) at R^2 0.3; the wave-mlp--dropout-high shape of bench/corpus."""
    record = _regression(decay(10_400, 8_800, 30, 0.3, 0.002, 206), decay(7_300, 7_000, 30, 0.3, 0.002, 207))
    dropped = [LayerInfo("dense", "Dense", 64, "relu"), LayerInfo("dropout", "Dropout", rate=0.85)]
    record.model = ModelSummary([*dropped, LayerInfo("output", "Dense", 1, "linear")])
    return record


def _regression_blows_up() -> RunRecord:
    """The MSE jumped within epoch 1 and stays 15x above the targets' variance."""
    loss = [160_000.0] + decay(140_000, 150_000, 19, 0.3, 0.002, 205)
    return _regression(loss, [155_000.0] * 20)


# --- logits and binary sigmoid ------------------------------------------------------------------


def _logits(stuck: bool) -> RunRecord:
    if stuck:
        loss, val = decay(2.31, 2.302, 20, 0.3, 0.0005, 211), decay(2.305, 2.302, 20, 0.3, 0.0005, 212)
        acc, val_acc = [0.11] * 20, [0.105] * 20
    else:
        curves = healthy_curves("mnist-mlp-adam", 20, 213)
        loss, val, acc, val_acc = (curves[k] for k in ("loss", "val_loss", "accuracy", "val_accuracy"))
    record = make_record(loss, val, acc, val_acc, config=None, source="kerasdiag")
    return with_anatomy(record, anatomy(Task.LOGITS, classes=10))


def _sigmoid(stuck: bool) -> RunRecord:
    if stuck:
        loss, val = decay(0.70, 0.6928, 20, 0.3, 0.0003, 221), decay(0.695, 0.6929, 20, 0.3, 0.0003, 222)
        acc, val_acc = [0.5] * 20, [0.5] * 20
    else:
        curves = healthy_curves("two-class-cnn-adam", 20, 223)
        loss, val, acc, val_acc = (curves[k] for k in ("loss", "val_loss", "accuracy", "val_accuracy"))
    record = make_record(loss, val, acc, val_acc, config=None, source="kerasdiag")
    p = np.random.default_rng(224).uniform(0.0, 1.0, (500, 1))  # one sigmoid unit: P(class 1), not k columns
    record.predictions = Predictions(val_y=(p[:, 0] > 0.5).astype(int), val_probs=p)
    return with_anatomy(record, anatomy(Task.SIGMOID))


# --- an L1 penalty in Keras's loss --------------------------------------------------------------


def l1_run(measured: bool = True, epochs: int = 30) -> RunRecord:
    """Scenario 3's L1 run: training accuracy 1.0 and data loss 0.14 under a penalty of about 22.6.

    Keras's loss is penalty + data loss, so it sits near 22.7 and barely moves; its val_loss falls with the shrinking
    penalty while the validation data loss rises from epoch 8 (overfitting).
    """
    penalty = np.asarray(decay(60.0, 22.6, epochs, 0.35, 0.0, 231))
    data = np.asarray(decay(1.2, 0.14, epochs, 0.25, 0.01, 232))
    val_data = np.asarray(u_shape(1.0, 0.35, 8, 0.62, epochs, 0.01, 233))
    acc = np.clip(1.0 - data / 1.3, 0.0, 1.0)
    acc[-12:] = 1.0
    extra = {"data_loss": data.tolist(), "penalty_loss": penalty.tolist()} if measured else None
    record = make_record(
        (data + penalty).tolist(),
        (val_data + penalty).tolist(),
        acc.tolist(),
        accuracy_from(val_data, 0.98, 0.1),
        extra=extra,
        model=ModelSummary(
            [
                LayerInfo("dense", "Dense", 256, "relu", l1=0.01),
                LayerInfo("output", "Dense", 10, "softmax", l1=0.01),
            ]
        ),
        data=data_summary({c: 100 for c in range(10)}, {c: 25 for c in range(10)}),
        config={"l1": 0.01, "optimizer": "adam"},
    )
    return with_anatomy(record, anatomy(Task.SOFTMAX, classes=10, penalty=True, source="flags"))


# --- layer graphs -------------------------------------------------------------------------------


def _graph_run(*layers) -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 20, 241)
    record = make_record(**curves, config=None, source="keras-logs", status=None)
    return with_anatomy(record, anatomy(Task.SOFTMAX, classes=10, layers=layers, source="config", penalty=None))


def _custom_between() -> RunRecord:
    """Dense(64) -> GatedBlock (the learner's own layer) -> Dense(64) -> softmax: the block may be non-linear."""
    return _graph_run(dense("dense", 64), custom("gated"), dense("dense_1", 64), dense("output", 10, "softmax"))


def _standalone_activations() -> RunRecord:
    return _graph_run(
        dense("dense", 128),
        layer("re_lu", "ReLU"),
        dense("dense_1", 128),
        layer("activation", "Activation", "relu"),
        dense("dense_2", 64),
        layer("dropout", "Dropout"),
        layer("pool", "MaxPooling1D"),
        dense("output", 10, "softmax"),
    )


def _linear_branches() -> RunRecord:
    """Two linear Dense branches added, then a linear Dense: one linear map before the softmax."""
    return _graph_run(
        dense("left", 64, inputs=["input_layer"]),
        dense("right", 64, inputs=["input_layer"]),
        layer("add", "Add", inputs=["left", "right"]),
        dense("mix", 32, inputs=["add"]),
        dense("output", 10, "softmax", inputs=["mix"]),
    )


def _nested_linear() -> RunRecord:
    """A nested Sequential of linear Dense layers feeding the outer softmax layer."""
    inner = nested("encoder", [dense("enc_1", 128), dense("enc_2", 64)], inputs=["input_layer"])
    return _graph_run(inner, dense("output", 10, "softmax", inputs=["encoder"]))


ANATOMY = [
    Case("regression-integer-targets-learns", _regression_learns),
    Case("regression-mse-stays-above-target-variance", _regression_stuck, {"loss-plateau": W, "underfitting": W}),
    Case("regression-dropout-085-r2-held-down", _regression_dropped, {"over-regularization": W, "loss-plateau": W}),
    Case("regression-mse-15x-target-variance", _regression_blows_up, {"divergence": W, "loss-plateau": W}),
    Case("logits-stuck-at-chance", lambda: _logits(True), {"loss-plateau": W, "underfitting": W}),
    Case("logits-healthy", lambda: _logits(False), near_miss=("loss-plateau",)),
    Case("sigmoid-binary-at-chance", lambda: _sigmoid(True), {"loss-plateau": W, "underfitting": W}),
    Case("sigmoid-binary-healthy", lambda: _sigmoid(False), near_miss=("underfitting",)),
    Case("l1-penalty-hides-overfitting", l1_run, {"overfitting": W}, near_miss=("loss-plateau",)),
    Case(
        "l1-penalty-unmeasured-plateau-is-info",
        lambda: l1_run(measured=False),
        {"loss-plateau": INFO},
        allow=frozenset({"unnormalized-input"}),  # epoch 1's loss holds the unmeasured penalty: low confidence
    ),
    Case(
        "custom-layer-between-linear-dense",
        _custom_between,
        near_miss=("linear-collapse",),
        allow=frozenset({"linear-collapse"}),  # dense_1 -> output: one hidden linear layer (info)
    ),
    Case("standalone-relu-layers-between-dense", _standalone_activations, near_miss=("linear-collapse",)),
    Case("linear-branches-added-then-dense", _linear_branches, {"linear-collapse": W}),
    Case("nested-linear-encoder", _nested_linear, {"linear-collapse": W}),
]
