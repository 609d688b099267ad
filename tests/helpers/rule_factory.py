"""Build RunRecords from literal or generated curves, for the rule tests (no Keras, no I/O).

`make_record` turns lists into a RunRecord; the generators below make realistic curves
(exponential decay plus Gaussian noise from a fixed seed), models, data summaries and predictions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.rundir.epochs import EpochRecord
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import DataSummary, Predictions, SplitSummary

DEFAULT = object()  # config=DEFAULT: RunConfig() with epochs = len(loss); config=None: plain Keras logs


def make_record(
    loss: Sequence[float],
    val_loss: Sequence[float] | None = None,
    accuracy: Sequence[float] | None = None,
    val_accuracy: Sequence[float] | None = None,
    *,
    probes: dict[str, dict[str, Sequence[float]]] | None = None,
    extra: dict[str, Sequence[float]] | None = None,
    more_metrics: dict[str, Sequence[float]] | None = None,
    batch_loss_max: Sequence[float] | None = None,
    model: ModelSummary | None = None,
    data: DataSummary | None = None,
    predictions: Predictions | None = None,
    config: Any = DEFAULT,
    status: str | None = "completed",
    problems: Sequence[str] = (),
    source: str = "kerasdiag",
    error: str | None = None,
) -> RunRecord:
    """A RunRecord whose epoch i holds element i of every series given (NaN or None = not measured)."""
    metrics = {"loss": loss, "val_loss": val_loss, "accuracy": accuracy, "val_accuracy": val_accuracy}
    metrics.update(more_metrics or {})  # other logged metrics (`learning_rate`, `mae`)
    epochs = []
    for i in range(len(loss)):
        epoch = EpochRecord(epoch=i + 1)
        epoch.metrics = {k: float(v[i]) for k, v in metrics.items() if v is not None and v[i] is not None}
        for layer, keys in (probes or {}).items():
            values = {k: float(v[i]) for k, v in keys.items() if v[i] is not None and not _nan(v[i])}
            if values:
                epoch.probes[layer] = values
        epoch.extra = {k: float(v[i]) for k, v in (extra or {}).items() if v[i] is not None}
        if batch_loss_max is not None:
            epoch.batch_loss = {"max": float(batch_loss_max[i])}
        epochs.append(epoch)
    if config is DEFAULT:
        config = RunConfig(epochs=len(loss)).to_dict()
    elif isinstance(config, dict) and source == "kerasdiag":
        config = RunConfig(**{"epochs": len(loss), **config}).to_dict()
    return RunRecord(
        path="runs/test",
        source=source,
        epochs=epochs,
        status=status,
        error=error,
        config=config,
        data=data,
        model=model,
        predictions=predictions,
        problems=list(problems),
    )


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


# --- curves -------------------------------------------------------------------------------------


def decay(start: float, end: float, epochs: int, rate: float, noise: float = 0.0, seed: int = 0) -> list[float]:
    """end + (start - end) * exp(-rate * t), times (1 + noise * N(0, 1)) with a fixed seed."""
    t = np.arange(epochs)
    curve = end + (start - end) * np.exp(-rate * t)
    jitter = 1 + noise * np.random.default_rng(seed).standard_normal(epochs)
    return (curve * jitter).tolist()


def u_shape(
    start: float, low: float, best: int, end: float, epochs: int, noise: float = 0.0, seed: int = 0
) -> list[float]:
    """A validation loss that falls to `low` at 1-based epoch `best`, then rises linearly to `end`."""
    t = np.arange(epochs)
    falling = low + (start - low) * np.exp(-4.0 * t / max(best - 1, 1))
    rising = low + (end - low) * (t - (best - 1)) / max(epochs - best, 1)
    curve = np.where(t < best - 1, falling, rising)
    curve[best - 1] = low
    jitter = 1 + noise * np.random.default_rng(seed).standard_normal(epochs)
    jitter[best - 1] = 1.0
    return (curve * jitter).tolist()


def accuracy_from(loss: Sequence[float], ceiling: float = 1.0, scale: float = 1.0) -> list[float]:
    """An accuracy curve that mirrors a loss curve: ceiling * exp(-scale * loss) clipped to [0, 1]."""
    return np.clip(ceiling * np.exp(-scale * np.asarray(loss)), 0.0, 1.0).tolist()


HEALTHY = {  # kind -> (train loss start, end, rate), (val loss start, end, rate), accuracy scale
    "mnist-mlp-adam": ((0.30, 0.02, 0.25), (0.16, 0.075, 0.25), 0.35),
    "mnist-mlp-sgd": ((1.00, 0.18, 0.15), (0.55, 0.19, 0.15), 0.35),
    "mnist-cnn-adam": ((0.20, 0.015, 0.30), (0.07, 0.035, 0.30), 0.30),
    "digits-mlp-adam": ((1.60, 0.05, 0.20), (1.20, 0.12, 0.20), 0.30),
    "two-class-cnn-adam": ((0.35, 0.04, 0.25), (0.22, 0.07, 0.25), 0.40),
}


def healthy_curves(kind: str, epochs: int = 20, seed: int = 0, val_noise: float = 0.01) -> dict[str, list[float]]:
    (ts, te, tr), (vs, ve, vr), scale = HEALTHY[kind]
    loss = decay(ts, te, epochs, tr, 0.005, seed)
    val_loss = decay(vs, ve, epochs, vr, val_noise, seed + 1)
    return {
        "loss": loss,
        "val_loss": val_loss,
        "accuracy": accuracy_from(loss, 1.0, scale),
        "val_accuracy": accuracy_from(val_loss, 1.0, scale),
    }


def iris_steps(
    epochs: int = 200, samples: int = 120, final: float = 0.975, rate: float = 0.03, seed: int = 0
) -> list[float]:
    """Exact k/n accuracy of a small training set: a smooth target rounded down to whole samples (steps)."""
    t = np.arange(epochs)
    target = 1 / 3 + (final - 1 / 3) * (1 - np.exp(-rate * t))
    wobble = 0.004 * np.random.default_rng(seed).standard_normal(epochs)
    return (np.floor((target + wobble) * samples) / samples).tolist()


# --- probes -------------------------------------------------------------------------------------


def grad_probes(
    norms: Sequence[float],
    epochs: int,
    drift: float = -0.03,
    noise: float = 0.05,
    seed: int = 0,
    growth: Sequence[float] | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Gradient probes for layers named dense, dense_1, ..., output (input side first).

    Args:
        norms: Gradient norm of each layer at epoch 1.
        drift: Per-epoch log change of every norm. Defaults to a slow decrease.
        growth: Optional per-epoch multiplier applied to every layer (to make norms explode).
    """
    rng = np.random.default_rng(seed)
    names = [f"dense_{i}" if i else "dense" for i in range(len(norms) - 1)] + ["output"]
    factor = np.exp(drift * np.arange(epochs)) * (np.asarray(growth) if growth is not None else 1.0)
    probes = {}
    for name, norm in zip(names, norms):
        series = norm * factor * (1 + noise * rng.standard_normal(epochs))
        probes[name] = {
            "grad_norm": series.tolist(),
            "weight_norm": [5.0 + 0.1 * i for i in range(epochs)],
            "update_ratio": (0.05 * np.exp(-0.1 * np.arange(epochs))).tolist(),
        }
    return probes


def with_fractions(
    probes: dict[str, dict[str, list[float]]], key: str, fractions: dict[str, Sequence[float]]
) -> dict[str, dict[str, list[float]]]:
    """Add `dead_fraction` or `saturated_fraction` series to some layers."""
    out = {name: dict(keys) for name, keys in probes.items()}
    for name, series in fractions.items():
        out.setdefault(name, {})[key] = list(series)
    return out


def healthy_probes(epochs: int, layers: int = 2, seed: int = 0) -> dict[str, dict[str, list[float]]]:
    norms = [0.6 / (0.8**i) for i in range(layers)] + [0.35]
    probes = grad_probes(norms, epochs, seed=seed)
    dead = {name: [0.03 + 0.002 * i for i in range(epochs)] for name in list(probes)[:-1]}
    return with_fractions(probes, "dead_fraction", dead)


# --- model, data, predictions -------------------------------------------------------------------


def mlp(
    layers: int = 2,
    units: int = 128,
    activation: str = "relu",
    classes: int = 10,
    dropout: float = 0.0,
    l1: float = 0.0,
    l2: float = 0.0,
) -> ModelSummary:
    out = [LayerInfo("input_layer", "InputLayer"), LayerInfo("flatten", "Flatten")]
    for i in range(layers):
        name = f"dense_{i}" if i else "dense"
        out.append(LayerInfo(name, "Dense", units, activation, params=units * 100, l1=l1, l2=l2))
        if dropout:
            out.append(LayerInfo(f"dropout_{i}", "Dropout", rate=dropout))
    out.append(LayerInfo("output", "Dense", classes, "softmax", params=units * classes, l1=l1, l2=l2))
    return ModelSummary(out)


def cnn(classes: int = 2, conv_activation: str = "relu", dropout: float = 0.0) -> ModelSummary:
    layers = [
        LayerInfo("conv2d", "Conv2D", 32, conv_activation),
        LayerInfo("max_pooling2d", "MaxPooling2D"),
        LayerInfo("conv2d_1", "Conv2D", 64, conv_activation),
        LayerInfo("max_pooling2d_1", "MaxPooling2D"),
        LayerInfo("flatten", "Flatten"),
    ]
    if dropout:
        layers.append(LayerInfo("dropout", "Dropout", rate=dropout))
    layers.append(LayerInfo("output", "Dense", classes, "softmax"))
    return ModelSummary(layers)


def data_summary(
    train: dict[int, int],
    validation: dict[int, int] | None = None,
    *,
    dataset: str = "mnist",
    num_classes: int | None = None,
    input_range: tuple[float, float] = (0.0, 1.0),
    mean: float = 0.13,
    std: float = 0.31,
) -> DataSummary:
    val = SplitSummary(sum(validation.values()), validation) if validation is not None else None
    return DataSummary(
        dataset=dataset,
        num_classes=num_classes or len(train),
        train=SplitSummary(sum(train.values()), train),
        validation=val,
        input_min=input_range[0],
        input_max=input_range[1],
        input_mean=mean,
        input_std=std,
    )


def mnist_data(**kwargs: Any) -> DataSummary:
    train = {c: 4800 + 37 * ((c * 7) % 5 - 2) for c in range(10)}
    return data_summary(train, {c: 1200 for c in range(10)}, **kwargs)


def iris_data(shuffled: bool = True) -> DataSummary:
    if shuffled:
        return data_summary(
            {0: 40, 1: 41, 2: 39},
            {0: 10, 1: 9, 2: 11},
            dataset="iris",
            input_range=(-2.4, 3.1),
            mean=0.0,
            std=1.0,
        )
    return data_summary({0: 50, 1: 50, 2: 20}, {2: 30}, dataset="iris", input_range=(-2.4, 3.1), mean=0.0, std=1.0)


def two_class_data(per_class: int) -> DataSummary:
    return data_summary({0: per_class, 1: per_class}, {0: per_class // 4, 1: per_class // 4})


def make_predictions(
    samples: int, classes: int, accuracy: float, confidence: float, seed: int = 0, spread: float = 0.02
) -> Predictions:
    """Held-out predictions: the winner gets ~`confidence`, right with probability `accuracy`."""
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, classes, samples)
    correct = rng.random(samples) < accuracy
    wrong = (y_true + rng.integers(1, classes, samples)) % classes if classes > 1 else y_true
    winner = np.where(correct, y_true, wrong)
    top = np.clip(confidence + spread * rng.standard_normal(samples), 1 / classes + 1e-3, 1 - 1e-6)
    probs = np.tile(((1 - top) / (classes - 1))[:, None], (1, classes))
    probs[np.arange(samples), winner] = top
    return Predictions(val_y=y_true, val_probs=probs, test_y=y_true, test_probs=probs)


def calibrated_predictions(samples: int, classes: int, mean_confidence: float, seed: int = 0) -> Predictions:
    """Each sample is right with exactly its top probability: a well-calibrated model."""
    rng = np.random.default_rng(seed)
    concentration = 20.0
    top = rng.beta(mean_confidence * concentration, (1 - mean_confidence) * concentration, samples)
    top = np.clip(top, 1 / classes + 1e-3, 1 - 1e-6)
    y_true = rng.integers(0, classes, samples)
    correct = rng.random(samples) < top
    winner = np.where(correct, y_true, (y_true + rng.integers(1, classes, samples)) % classes)
    probs = np.tile(((1 - top) / (classes - 1))[:, None], (1, classes))
    probs[np.arange(samples), winner] = top
    return Predictions(val_y=y_true, val_probs=probs, test_y=y_true, test_probs=probs)
