"""Labelled cases: the shapes of the real runs' misses and false alarms (issue 11), as synthetic records.

Each case reproduces, with round numbers, one real run of tests/data/real_runs that a rule got wrong before:
a healthy SGD-momentum run whose both losses rise at the end, a diverged run's tiny gradients and extreme
probabilities, a perfect fit pinned at accuracy 1, ReLUs dead from a negative bias while the output bias still
learns the class shares, a network that died mid-run, an L2 penalty that dominates epoch 1's loss, and an
oscillating run that is overconfident only at its last swing.
"""

from __future__ import annotations

from kerasdiag.rundir.epochs import EpochTable
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import INFO, Case, W
from tests.helpers.rule_factory import (
    accuracy_from,
    decay,
    grad_probes,
    healthy_probes,
    make_predictions,
    make_record,
    mlp,
    mnist_data,
    with_fractions,
)


def _plain_model(bias: float | None = None, classes: int = 10, activation: str = "relu") -> ModelSummary:
    hidden = LayerInfo("dense", "Dense", 64, activation, bias_init="Constant" if bias else None, bias_value=bias)
    return ModelSummary([LayerInfo("input_layer", "InputLayer"), hidden, LayerInfo("out", "Dense", classes, "softmax")])


def _plain(**kwargs) -> RunRecord:
    return make_record(config=None, status=None, source="keras-logs", **kwargs)


def _momentum_both_rise() -> RunRecord:
    """healthy-k-digits-sgd-lr0.05-momentum0.9-batch64: val_loss +50 % at the end, but train loss +15 % too."""
    loss = [2.05, 0.83, 0.34, 0.2, 0.12, 0.095, 0.079, 0.066, 0.061, 0.058, 0.058, 0.06, 0.063, 0.066, 0.07]
    val = [1.47, 0.47, 0.45, 0.22, 0.165, 0.161, 0.147, 0.151, 0.154, 0.165, 0.188, 0.211, 0.227, 0.224, 0.231]
    acc = [0.43, 0.83, 0.89, 0.94, 0.97, 0.97, 0.98, 0.98, 0.985, 0.986, 0.982, 0.98, 0.98, 0.977, 0.976]
    val_acc = [0.75, 0.84, 0.86, 0.92, 0.955, 0.955, 0.96, 0.965, 0.955, 0.95, 0.94, 0.934, 0.937, 0.94, 0.927]
    return make_record(
        loss, val, acc, val_acc, probes=healthy_probes(15), model=mlp(), data=mnist_data(), config={"momentum": 0.9}
    )


def _diverged_with_vanishing_probes() -> RunRecord:
    """k-digits-tanh-sgd-lr5-diverges: loss ~270-300 from epoch 1, input-side gradients 1e-7 x the output's."""
    epochs = 12
    loss = [266.0 + 30 * (i % 2) for i in range(epochs)]
    probes = grad_probes([1e-7, 1e-4, 1.0], epochs)
    probes = with_fractions(probes, "saturated_fraction", {"dense": [1.0] * epochs, "dense_1": [1.0] * epochs})
    return make_record(
        loss,
        [250.0 + 40 * (i % 3) for i in range(epochs)],
        [0.1] * epochs,
        [0.11] * epochs,
        probes=probes,
        model=mlp(activation="tanh"),
        data=mnist_data(),
        predictions=make_predictions(360, 10, accuracy=0.1, confidence=0.999),
        config={"activation": "tanh", "lr": 5.0},
    )


def _perfect_fit_pinned_at_one() -> RunRecord:
    """p-iris-sorted-validation-split-0.34: training accuracy 1.0 from epoch 3, validation holds class 2 only."""
    epochs = 30
    return _plain(
        loss=decay(1.07, 0.001, epochs, 0.4),
        val_loss=[3.0 + 0.4 * i for i in range(epochs)],
        accuracy=[0.4, 0.83] + [1.0] * (epochs - 2),
        val_accuracy=[0.04] * epochs,
        model=_plain_model(classes=3),
    )


def _negative_bias_majority() -> RunRecord:
    """p-digits-0-vs-rest-bias-minus5: accuracy pinned at the 90 % majority share, the loss still falls."""
    epochs = 12
    return _plain(
        loss=decay(0.68, 0.3, epochs, 0.08),
        val_loss=decay(0.66, 0.3, epochs, 0.08),
        accuracy=[0.89] + [0.903] * (epochs - 1),
        val_accuracy=[0.892] * epochs,
        model=_plain_model(bias=-5.0, classes=2),
    )


def _died_mid_run() -> RunRecord:
    """p-digits-sgd-lr0.2-momentum0.9-batch8: it learned a little for 5 epochs, then sat at chance."""
    epochs = 20
    record = _plain(
        loss=[2.05, 2.19, 2.08, 2.09, 2.14] + [2.36] * (epochs - 5),
        val_loss=[2.23, 2.01, 2.01, 2.02, 2.42] + [2.35] * (epochs - 5),
        accuracy=[0.33, 0.17, 0.19, 0.19, 0.19] + [0.102] * (epochs - 5),
        val_accuracy=[0.17, 0.18, 0.18, 0.19] + [0.075] * (epochs - 4),
        model=_plain_model(),
    )
    logged_lr = EpochTable()  # Keras's TensorBoard callback logs the learning rate: 0.2 rules out a tiny step
    for epoch in record.epochs:
        epoch.metrics["learning_rate"] = 0.2
        logged_lr.append(epoch)
    record.epochs = logged_lr
    return record


def _penalty_dominates_first_loss() -> RunRecord:
    """k-mnist-l2-0.1: epoch 1's loss 104 is mostly the L2 penalty (84); the data loss is ~20 (8.7 x ln 10)."""
    epochs = 12
    penalty = decay(84.0, 1.2, epochs, 0.4)
    data_loss = decay(20.0, 0.5, epochs, 0.5)
    acc = [0.33, 0.6, 0.7, 0.77, 0.8, 0.83, 0.85, 0.86, 0.86, 0.86, 0.86, 0.86]
    return make_record(
        [p + d for p, d in zip(penalty, data_loss)],
        [p + d * 0.9 for p, d in zip(penalty, data_loss)],
        acc,
        [a - 0.02 for a in acc],
        probes=healthy_probes(epochs),
        extra={"penalty_loss": penalty},
        model=mlp(1, 512, l2=0.1),
        data=mnist_data(),
        config={"l2": 0.1, "units": [512], "optimizer": "adam"},
    )


def _oscillating_overconfident_at_the_end() -> RunRecord:
    """k-digits-adam-lr0.05-batch8: val_loss zig-zags; calibrated at the best epoch, 6 points over at the end."""
    epochs = 20
    val = [0.99, 0.76, 0.6] + [0.5 * (1.35 if i % 2 else 0.75) for i in range(epochs - 3)]
    loss = decay(1.2, 0.35, epochs, 0.4, noise=0.15, seed=2)
    predictions = make_predictions(360, 10, accuracy=0.84, confidence=0.91)
    best = make_predictions(360, 10, accuracy=0.88, confidence=0.88)  # same labels (same seed), calibrated
    predictions.best_val_probs = predictions.best_test_probs = best.val_probs
    predictions.best_epoch = 7
    return make_record(
        loss,
        val,
        accuracy_from(loss, 0.95),
        accuracy_from(val, 0.9),
        probes=healthy_probes(epochs),
        model=mlp(),
        data=mnist_data(),
        predictions=predictions,
        config={"optimizer": "adam", "lr": 0.05, "batch_size": 8},
    )


REAL_RUN_SHAPES = [
    Case("healthy-momentum-both-losses-rise-at-end", _momentum_both_rise, near_miss=("overfitting",)),
    Case(
        "diverged-run-tiny-gradients-extreme-probabilities",
        _diverged_with_vanishing_probes,
        {"divergence": W, "saturation": W, "loss-plateau": W},
        near_miss=("vanishing-gradients", "overconfidence"),
    ),
    Case(
        "plain-perfect-fit-pinned-at-one",
        _perfect_fit_pinned_at_one,
        {"validation-mismatch": W},
        near_miss=("class-imbalance", "overfitting"),  # a validation split of unseen classes says nothing of fit
    ),
    Case(
        "plain-negative-bias-majority-loss-falls",
        _negative_bias_majority,
        {"dead-relu": W, "class-imbalance": W},
        allow=frozenset({"accuracy-plateau", "underfitting", "loss-plateau"}),
    ),
    Case(
        "plain-relu-died-mid-run",
        _died_mid_run,
        {"dead-relu": W, "loss-plateau": W, "underfitting": W},
    ),
    Case(
        "l2-penalty-dominates-first-loss",
        _penalty_dominates_first_loss,
        {"over-regularization": W},
        near_miss=("unnormalized-input",),
    ),
    Case(
        "oscillating-overconfident-only-at-the-end",
        _oscillating_overconfident_at_the_end,
        {"oscillation": W, "overconfidence": INFO},
        allow=frozenset({"overfitting"}),
    ),
]
