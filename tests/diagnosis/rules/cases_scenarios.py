"""Labelled cases: The four learner scenarios (docs/SCENARIOS.md): depth, less data, regularisation, Iris."""

from __future__ import annotations

import numpy as np

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import Case, E, W
from tests.helpers.rule_factory import (
    accuracy_from,
    cnn,
    decay,
    grad_probes,
    healthy_curves,
    healthy_probes,
    iris_data,
    iris_steps,
    make_predictions,
    make_record,
    mlp,
    mnist_data,
    two_class_data,
    u_shape,
)

# --- scenario 1: depth without activation ------------------------------------------------------


def _deep_linear(layers: int, stuck: bool) -> RunRecord:
    if stuck:
        loss, val = decay(2.31, 2.30, 20, 0.3, 0.0005, 1), decay(2.305, 2.301, 20, 0.3, 0.0005, 2)
        acc, val_acc = [0.11] * 20, [0.1135] * 20
        norms = [3e-4 * (1.8**i) for i in range(layers)] + [0.4]
    else:
        loss, val = decay(0.9, 0.28, 20, 0.25, 0.005, 1), decay(0.45, 0.29, 20, 0.25, 0.01, 2)
        acc, val_acc = (np.clip(1 - np.asarray(x) / 3.2, 0, 1).tolist() for x in (loss, val))
        norms = [0.5] * layers + [0.3]
    return make_record(
        loss,
        val,
        acc,
        val_acc,
        probes=grad_probes(norms, 20, drift=0.0),
        data=mnist_data(),
        model=mlp(layers, activation="linear"),
        config={"activation": "linear", "layers": layers},
    )


SCENARIO_1 = [
    Case(
        "linear-10-layers-stuck-at-chance",
        lambda: _deep_linear(10, True),
        {"linear-collapse": W, "underfitting": W, "loss-plateau": W, "vanishing-gradients": W},
    ),
    Case(
        "linear-5-layers-stuck-at-chance",
        lambda: _deep_linear(5, True),
        {"linear-collapse": W, "underfitting": W, "loss-plateau": W, "vanishing-gradients": W},
    ),
    Case(
        "linear-4-layers-trains-fine",
        lambda: _deep_linear(4, False),
        {"linear-collapse": W},
        near_miss=("vanishing-gradients", "underfitting"),
    ),
]


# --- scenario 2: less data, two-class CNN -------------------------------------------------------


def _small_data(oscillate: bool, predictions: bool = True) -> RunRecord:
    loss = decay(0.40, 0.004, 30, 0.25, 0.01, 31)
    val = u_shape(0.30, 0.12, 6, 0.42, 30, 0.0, 32)
    if oscillate:
        val = (np.asarray(val) * (1 + 0.25 * np.resize([1, -1, 0.6, -0.8], 30))).tolist()
        val[5] = 0.12 * 0.7
    acc = np.clip(1 - np.asarray(loss) / 2.5, 0, 1).tolist()
    val_acc = np.clip(0.97 - np.asarray(val) / 4, 0, 1).tolist()
    record = make_record(
        loss,
        val,
        acc,
        val_acc,
        probes=healthy_probes(30),
        model=cnn(2),
        data=two_class_data(9000),
        config={"model": "cnn", "optimizer": "adam", "train_size": 9000},
    )
    if predictions:
        record.predictions = make_predictions(1500, 2, 0.91, 0.995, seed=5, spread=0.004)
    return record


SCENARIO_2 = [
    Case("val-loss-rises-after-epoch-6", lambda: _small_data(False), {"overfitting": W, "overconfidence": W}),
    Case(
        "small-data-overfits-and-oscillates",
        lambda: _small_data(True),
        {"overfitting": W, "oscillation": W, "overconfidence": W},
    ),
]


# --- scenario 3: regularisation -----------------------------------------------------------------


def _mlp_run(loss, val, acc, val_acc, reg: dict, penalty: float | None = None) -> RunRecord:
    n = len(loss)
    extra = {"penalty_loss": (np.asarray(loss) * penalty).tolist()} if penalty is not None else None
    model = mlp(2, dropout=reg.get("dropout", 0.0), l1=reg.get("l1", 0.0), l2=reg.get("l2", 0.0))
    return make_record(
        loss,
        val,
        acc,
        val_acc,
        probes=healthy_probes(n),
        extra=extra,
        model=model,
        data=mnist_data(),
        config={"optimizer": "adam", **reg},
    )


def _overfit_mlp() -> RunRecord:
    loss = decay(0.25, 0.002, 40, 0.2, 0.01, 41)
    val = u_shape(0.13, 0.075, 9, 0.125, 40, 0.01, 42)
    acc = np.clip(1 - np.asarray(loss) / 3, 0, 1).tolist()
    val_acc = [0.978] * 40
    return _mlp_run(loss, val, acc, val_acc, {})


def _strong_l2() -> RunRecord:
    loss = decay(1.4, 0.95, 20, 0.5, 0.002, 43)
    val = decay(0.75, 0.42, 20, 0.5, 0.004, 44)
    acc = decay(0.80, 0.885, 20, 0.5, 0.001, 45)
    val_acc = decay(0.85, 0.89, 20, 0.5, 0.002, 46)
    return _mlp_run(loss, val, acc, val_acc, {"l2": 0.05}, penalty=0.6)


def _strong_dropout() -> RunRecord:
    loss = decay(1.5, 0.75, 20, 0.4, 0.003, 47)
    val = decay(0.6, 0.33, 20, 0.4, 0.005, 48)
    acc = decay(0.5, 0.76, 20, 0.4, 0.002, 49)
    val_acc = decay(0.85, 0.905, 20, 0.4, 0.002, 50)
    return _mlp_run(loss, val, acc, val_acc, {"dropout": 0.8})


def _weak_l2_fits() -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 20, 51)
    return _mlp_run(
        curves["loss"],
        curves["val_loss"],
        curves["accuracy"],
        curves["val_accuracy"],
        {"l2": 1e-4},
        penalty=0.4,
    )


def _dropout_half_fits() -> RunRecord:
    loss = decay(0.5, 0.09, 20, 0.2, 0.004, 52)
    val = decay(0.2, 0.07, 20, 0.2, 0.008, 53)
    acc = decay(0.85, 0.972, 20, 0.2, 0.001, 54)
    return _mlp_run(loss, val, acc, decay(0.94, 0.979, 20, 0.2, 0.001, 55), {"dropout": 0.5})


def _strong_l2_still_rising() -> RunRecord:
    loss = decay(1.4, 0.6, 20, 0.08, 0.002, 56)
    val = decay(0.75, 0.35, 20, 0.08, 0.004, 57)
    acc = np.linspace(0.75, 0.93, 20).tolist()
    return _mlp_run(loss, val, acc, np.linspace(0.8, 0.935, 20).tolist(), {"l2": 0.02}, penalty=0.5)


def _val_rises(rise: float, best: int = 10, epochs: int = 20) -> RunRecord:
    loss = decay(0.3, 0.02, epochs, 0.2, 0.005, 57)
    val = u_shape(0.16, 0.08, best, 0.08 * (1 + rise), epochs, 0.01, 58)
    return _mlp_run(loss, val, accuracy_from(loss, 1.0, 0.35), accuracy_from(val, 1.0, 0.35), {})


SCENARIO_3 = [
    Case("val-loss-rises-25pct-from-epoch-10", lambda: _val_rises(0.25), {"overfitting": W}),
    Case(
        "val-loss-rises-6pct-near-miss",
        lambda: _val_rises(0.06),
        near_miss=("overfitting",),
        allow=frozenset({"overfitting"}),
    ),  # the "stalled" info is right: 10 epochs without improvement
    Case("val-loss-best-at-epoch-19-of-20", lambda: _val_rises(0.05, best=19), near_miss=("overfitting",)),
    Case("mlp-overfits-without-regularisation", _overfit_mlp, {"overfitting": W}),
    # The stuck curves are reported too, as over-regularization's symptoms (the story groups them under it).
    Case(
        "l2-0.05-penalty-dominates",
        _strong_l2,
        {"over-regularization": W, "loss-plateau": W},
        allow=frozenset({"underfitting", "accuracy-plateau"}),
    ),
    Case(
        "dropout-0.8-cannot-fit",
        _strong_dropout,
        {"over-regularization": W, "loss-plateau": W},
        allow=frozenset({"underfitting", "accuracy-plateau"}),
    ),
    Case("l2-1e-4-fits-fine", _weak_l2_fits, near_miss=("over-regularization",)),
    Case("dropout-0.5-fits-fine", _dropout_half_fits, near_miss=("over-regularization",)),
    Case("l2-0.02-accuracy-still-rising", _strong_l2_still_rising, near_miss=("over-regularization",)),
]


# --- scenario 4: Iris ---------------------------------------------------------------------------


def _iris(shuffled: bool, flat_until_end: bool = False) -> RunRecord:
    loss = decay(1.1, 0.30 if flat_until_end else 0.07, 200, 0.02, 0.003, 61)
    acc = iris_steps(200, 120, 0.975, 0.05, 61)
    extra = None
    if flat_until_end:
        acc = [min(a, 82 / 120) for a in acc]
        extra = {
            "probe_samples": [120] * 200,
            "probe_wrong": [round(120 * (1 - a)) for a in acc],
            "probe_near": [12] * 200,
            "near_margin": [0.1] * 200,
        }
    if shuffled:
        val, val_acc = decay(1.1, 0.09, 200, 0.03, 0.01, 62), iris_steps(200, 30, 0.967, 0.05, 62)
    else:
        val, val_acc = (
            decay(1.3, 0.9, 200, 0.01, 0.01, 62),
            np.minimum(iris_steps(200, 30, 0.9, 0.01, 62), 0.7),
        )
    probes = healthy_probes(200, layers=1)
    return make_record(
        loss,
        val,
        acc,
        val_acc,
        probes=probes,
        extra=extra,
        model=mlp(1, 8, classes=3),
        data=iris_data(shuffled),
        config={
            "dataset": "iris",
            "optimizer": "adam",
            "lr": 0.0005,
            "batch_size": 5,
            "shuffle": shuffled,
            "epochs": 200,
        },
    )


SCENARIO_4 = [
    Case(
        "iris-unshuffled-validation-is-one-class",
        lambda: _iris(False),
        {"validation-mismatch": E},
        allow=frozenset({"accuracy-plateau"}),
    ),
    Case(
        "iris-accuracy-flat-while-loss-falls",
        lambda: _iris(True, True),
        {"accuracy-plateau": W},
        near_miss=("underfitting",),
    ),
]
