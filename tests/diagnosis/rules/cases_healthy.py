"""Labelled cases: Healthy runs of several kinds: none may get a warning or error."""

from __future__ import annotations

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import INFO, Case, healthy
from tests.helpers.rule_factory import (
    accuracy_from,
    calibrated_predictions,
    cnn,
    data_summary,
    decay,
    healthy_curves,
    healthy_probes,
    iris_data,
    iris_steps,
    make_record,
    mlp,
    mnist_data,
    two_class_data,
)


def _mnist_adam() -> RunRecord:
    return healthy("mnist-mlp-adam", config={"optimizer": "adam"})


def _mnist_sgd() -> RunRecord:
    return healthy("mnist-mlp-sgd", seed=3)


def _mnist_cnn() -> RunRecord:
    return healthy("mnist-cnn-adam", seed=5, model=cnn(10), config={"model": "cnn", "optimizer": "adam"})


def _digits() -> RunRecord:
    data = data_summary({c: 143 for c in range(10)}, {c: 36 for c in range(10)}, dataset="digits")
    return healthy("digits-mlp-adam", epochs=40, seed=7, data=data, config={"dataset": "digits"})


def _small_val_noise() -> RunRecord:
    return healthy("two-class-cnn-adam", epochs=30, seed=11, val_noise=0.05, model=cnn(2), data=two_class_data(400))


def _one_spike() -> RunRecord:
    curves = healthy_curves("mnist-mlp-sgd", 20, 13)
    curves["loss"][9] *= 2.2
    curves["val_loss"][9] *= 2.5
    curves["val_accuracy"][9] -= 0.2
    return make_record(**curves, probes=healthy_probes(20), model=mlp(), data=mnist_data())


def _iris_shuffled() -> RunRecord:
    loss = decay(1.1, 0.07, 200, 0.03, 0.003, 17)
    val_loss = decay(1.1, 0.09, 200, 0.03, 0.01, 18)
    acc = iris_steps(200, 120, 0.975, 0.05, 17)
    val_acc = iris_steps(200, 30, 0.967, 0.05, 18)
    probes = healthy_probes(200, layers=1)
    return make_record(
        loss,
        val_loss,
        acc,
        val_acc,
        probes=probes,
        model=mlp(1, 8, classes=3),
        data=iris_data(),
        config={"dataset": "iris", "optimizer": "adam", "lr": 0.0005, "batch_size": 5},
    )


def _confident_correct() -> RunRecord:
    record = _two_class_large()
    record.predictions = calibrated_predictions(2000, 2, 0.985, seed=2)
    return record


def _two_class_large() -> RunRecord:
    record = healthy("two-class-cnn-adam", epochs=15, seed=19, model=cnn(2), data=two_class_data(33600))
    record.predictions = calibrated_predictions(2000, 2, 0.95, seed=3)
    return record


def _noisy_validation(seed: int) -> RunRecord:
    """8% validation noise: its minimum sits >10% below the end by chance, but within the noise."""
    loss = decay(0.35, 0.04, 30, 0.25, 0.005, seed)
    val = decay(0.22, 0.07, 30, 0.25, 0.08, seed + 100)
    return make_record(loss, val, accuracy_from(loss, 1.0, 0.4), model=cnn(2), data=two_class_data(400))


def _keras_logs() -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 20, 23)
    return make_record(**curves, config=None, status=None, source="keras-logs")


HEALTHY_CASES = [
    Case("healthy-mnist-mlp-adam", _mnist_adam),
    Case("healthy-mnist-mlp-sgd", _mnist_sgd),
    Case("healthy-mnist-cnn-adam", _mnist_cnn),
    Case("healthy-digits-mlp-adam", _digits),
    Case("healthy-small-validation-noise", _small_val_noise, near_miss=("oscillation", "overfitting")),
    Case("healthy-noisy-validation-rise-12pct", lambda: _noisy_validation(1), near_miss=("overfitting",)),
    Case(
        "healthy-noisy-validation-rise-11pct",
        lambda: _noisy_validation(31),
        near_miss=("overfitting",),
        allow=frozenset({"overfitting"}),
    ),  # stalled 12 epochs: info is right
    Case("healthy-one-bad-epoch-spike", _one_spike, near_miss=("oscillation", "divergence")),
    Case("healthy-iris-shuffled-accuracy-steps", _iris_shuffled, {"accuracy-plateau": INFO}),
    Case("healthy-two-class-large-calibrated", _two_class_large, near_miss=("overconfidence",)),
    Case("healthy-confident-and-correct", _confident_correct, near_miss=("overconfidence",)),
    Case("healthy-plain-keras-logs", _keras_logs),
]
