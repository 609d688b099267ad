"""The labelled suite: case id -> record builder, the rules that must fire, the info findings tolerated.

Every other warning or error is a false positive. `near_miss` names the rules a case is built to
almost trigger. Used by tests/test_rules_suite.py and tests/rule_suite_table.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rule_factory import (
    accuracy_from,
    calibrated_predictions,
    cnn,
    data_summary,
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
    with_fractions,
)

from kerasdiag.findings import Severity
from kerasdiag.record import LayerInfo, ModelSummary, RunRecord

W, E, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], RunRecord]
    expect: dict[str, Severity] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()
    near_miss: tuple[str, ...] = ()


def healthy(kind: str, epochs: int = 20, seed: int = 0, val_noise: float = 0.01, **kwargs) -> RunRecord:
    curves = healthy_curves(kind, epochs, seed, val_noise)
    defaults = {"probes": healthy_probes(epochs, seed=seed), "model": mlp(), "data": mnist_data()}
    return make_record(**curves, **{**defaults, **kwargs})


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
    return healthy(
        "two-class-cnn-adam", epochs=30, seed=11, val_noise=0.05, model=cnn(2), data=two_class_data(400)
    )


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
    Case("l2-0.05-penalty-dominates", _strong_l2, {"over-regularization": W}, near_miss=("underfitting",)),
    Case("dropout-0.8-cannot-fit", _strong_dropout, {"over-regularization": W}),
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


# --- curves -------------------------------------------------------------------------------------


def _blowup() -> RunRecord:
    loss = [2.3, 1.2, 0.8, 0.7, 0.9, 1.8, 3.5, 6.0, 9.0, 14.0]
    val = [1.5, 1.0, 0.75, 0.7, 1.0, 2.0, 4.0, 7.0, 10.0, 15.0]
    acc = [0.4, 0.7, 0.8, 0.82, 0.75, 0.5, 0.3, 0.2, 0.15, 0.12]
    return make_record(loss, val, acc, acc, model=mlp(), data=mnist_data(), config={"lr": 0.5})


def _slight_rise() -> RunRecord:
    loss = [2.3, 1.2, 0.8, 0.7, 0.72, 0.8, 0.9, 0.95, 1.0, 1.02]
    acc = [0.4, 0.7, 0.8, 0.82, 0.81, 0.8, 0.78, 0.77, 0.76, 0.76]
    return make_record(
        loss, [x * 0.95 for x in loss], acc, acc, model=mlp(), data=mnist_data(), config={"lr": 0.2}
    )


def _swinging(amplitude: float, series: str = "val_loss") -> RunRecord:
    curves = healthy_curves("mnist-mlp-sgd", 25, 81)
    pattern = np.resize([1.0, -1.0, 0.7, -0.9, 1.0, -0.6], 25)
    if series == "val_accuracy":
        curves["val_accuracy"] = np.clip(
            np.asarray(curves["val_accuracy"]) - amplitude * (pattern > 0), 0, 1
        ).tolist()
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
    Case(
        "dead-relu-70pct-in-dense_1", lambda: _fractions("dead_fraction", _ramp(0.1, 0.72)), {"dead-relu": W}
    ),
    Case(
        "dead-relu-whole-layer", lambda: _fractions("dead_fraction", [0.3] * 5 + [1.0] * 15), {"dead-relu": E}
    ),
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


# --- data ---------------------------------------------------------------------------------------


def _data_only(data) -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 20, 121)
    curves["val_accuracy"] = (
        None  # continuous synthetic accuracy would not fit a small validation set's steps
    )
    return make_record(**curves, model=mlp(classes=data.num_classes), data=data)


DATA = [
    Case(
        "validation-has-class-training-never-saw",
        lambda: _data_only(data_summary({0: 60, 1: 60}, {2: 30}, num_classes=3)),
        {"validation-mismatch": E},
    ),
    Case(
        "validation-class-shares-differ-0.3",
        lambda: _data_only(data_summary({0: 300, 1: 300}, {0: 120, 1: 30})),
        {"validation-mismatch": W},
    ),
    Case(
        "validation-small-shuffled-split",
        lambda: _data_only(data_summary({0: 41, 1: 38, 2: 41}, {0: 9, 1: 12, 2: 9}, dataset="iris")),
        near_miss=("validation-mismatch",),
    ),
    Case(
        "validation-shares-differ-0.2",
        lambda: _data_only(data_summary({0: 300, 1: 300}, {0: 105, 1: 45})),
        near_miss=("validation-mismatch",),
    ),
    Case(
        "pixels-0-255",
        lambda: _data_only(mnist_data(input_range=(0.0, 255.0), mean=33.3, std=78.6)),
        {"unnormalized-input": W},
    ),
    Case(
        "features-up-to-1000",
        lambda: _data_only(mnist_data(input_range=(-3.0, 1000.0), mean=120.0, std=300.0)),
        {"unnormalized-input": W},
    ),
    Case(
        "raw-iris-max-7.9",
        lambda: _data_only(
            data_summary(
                {0: 40, 1: 40, 2: 40}, {0: 10, 1: 10, 2: 10}, input_range=(0.1, 7.9), mean=3.5, std=1.97
            )
        ),
        near_miss=("unnormalized-input",),
    ),
    Case(
        "standardised-with-outliers-to-8",
        lambda: _data_only(mnist_data(input_range=(-3.0, 8.0), mean=0.0, std=1.0)),
        near_miss=("unnormalized-input",),
    ),
    Case(
        "classes-5-to-1",
        lambda: _data_only(data_summary({0: 2500, 1: 500}, {0: 625, 1: 125})),
        {"class-imbalance": INFO},
    ),
    Case(
        "classes-20-to-1",
        lambda: _data_only(data_summary({0: 4000, 1: 200}, {0: 1000, 1: 50})),
        {"class-imbalance": W},
    ),
    Case(
        "classes-2.5-to-1-near-miss",
        lambda: _data_only(data_summary({0: 50, 1: 50, 2: 20}, {0: 12, 1: 12, 2: 6})),
        near_miss=("class-imbalance",),
    ),
    Case("mnist-natural-balance", lambda: _data_only(mnist_data()), near_miss=("class-imbalance",)),
]


# --- calibration --------------------------------------------------------------------------------


def _predicted(predictions) -> RunRecord:
    record = healthy("mnist-mlp-adam", seed=131)
    record.predictions = predictions
    return record


CALIBRATION = [
    Case(
        "ten-class-overconfident",
        lambda: _predicted(make_predictions(2000, 10, 0.85, 0.99, seed=7)),
        {"overconfidence": W},
    ),
    Case(
        "two-class-extremes-accuracy-0.8",
        lambda: _predicted(make_predictions(500, 2, 0.8, 0.999, seed=8, spread=0.001)),
        {"overconfidence": W},
    ),
    Case(
        "calibrated-at-0.8",
        lambda: _predicted(calibrated_predictions(2000, 10, 0.8, seed=9)),
        near_miss=("overconfidence",),
    ),
    Case(
        "overconfident-but-only-50-samples",
        lambda: _predicted(make_predictions(50, 2, 0.7, 0.999, seed=10)),
        near_miss=("overconfidence",),
    ),
    Case(
        "slightly-overconfident-gap-0.03",
        lambda: _predicted(make_predictions(2000, 10, 0.95, 0.98, seed=11)),
        near_miss=("overconfidence",),
    ),
]


# --- completeness -------------------------------------------------------------------------------


def _status(status: str, epochs: int = 20, planned: int = 20, problems=(), error=None) -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", max(epochs, 1), 141)
    curves = {k: v[:epochs] for k, v in curves.items()}
    return make_record(
        **curves,
        model=mlp(),
        data=mnist_data(),
        status=status,
        problems=problems,
        error=error,
        config={"epochs": planned},
    )


COMPLETENESS = [
    Case("interrupted-at-epoch-7", lambda: _status("interrupted", 7), {"run-incomplete": W}),
    Case(
        "failed-with-error",
        lambda: _status("failed", 3, error="ResourceExhaustedError: OOM"),
        {"run-incomplete": E},
    ),
    Case(
        "history-line-damaged",
        lambda: _status("completed", problems=["history.jsonl line 12: invalid JSON"]),
        {"run-incomplete": W},
    ),
    Case("still-running-status", lambda: _status("running", 12), {"run-incomplete": W}),
    Case("completed-all-epochs", lambda: _status("completed"), near_miss=("run-incomplete",)),
    Case("keras-logs-without-status", _keras_logs, near_miss=("run-incomplete",)),
]


# --- underfitting near misses -------------------------------------------------------------------


def _short_run_still_learning() -> RunRecord:
    loss = [2.2, 1.9, 1.6, 1.35, 1.1]
    acc = [0.2, 0.3, 0.38, 0.45, 0.5]
    return make_record(
        loss,
        [2.0, 1.7, 1.45, 1.2, 1.0],
        acc,
        [0.25, 0.33, 0.4, 0.47, 0.52],
        model=mlp(),
        data=mnist_data(),
        config={"lr": 0.001},
    )


def _iris_mediocre() -> RunRecord:
    loss = (np.asarray(decay(1.1, 0.3, 100, 0.05, 0.002, 151)) + np.linspace(0.3, 0.0, 100)).tolist()
    acc = np.minimum(iris_steps(100, 120, 0.8, 0.05, 151), 0.72).tolist()
    val_acc = np.minimum(iris_steps(100, 30, 0.8, 0.05, 152), 0.7).tolist()
    return make_record(
        loss,
        decay(1.1, 0.57, 100, 0.05, 0.004, 152),
        acc,
        val_acc,
        model=mlp(1, 8, classes=3),
        data=iris_data(),
        config={"dataset": "iris"},
    )


UNDERFITTING = [
    Case("short-run-still-learning-fast", _short_run_still_learning, {"underfitting": INFO}),
    Case(
        "iris-mediocre-skill-0.58",
        _iris_mediocre,
        near_miss=("underfitting",),
        allow=frozenset({"accuracy-plateau"}),
    ),
]

CASES: list[Case] = (
    HEALTHY_CASES
    + SCENARIO_1
    + SCENARIO_2
    + SCENARIO_3
    + SCENARIO_4
    + GRADIENTS
    + CURVES
    + MODEL
    + ACTIVATIONS
    + DATA
    + CALIBRATION
    + COMPLETENESS
    + UNDERFITTING
)
