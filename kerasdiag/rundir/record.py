"""RunRecord: everything known about one run, read from disk, as plain data.

Rules see only this. It is filled by `rundir.read_run` (a kerasdiag run directory)
or by `tblogs.read_keras_logs` (anyone's Keras TensorBoard logs); fields that a
source cannot supply stay `None` and the rules that need them say so.
Epochs are numbered from 1 everywhere a person reads them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Activations that count as "no activation" (identity) for a hidden layer.
IDENTITY_ACTIVATIONS = ("linear", None)
PARAMETRIC_LAYERS = ("Dense", "Conv2D")


@dataclass
class LayerInfo:
    """One layer of the model, as far as diagnosis needs it."""

    name: str
    kind: str
    units: int | None = None
    activation: str | None = None
    params: int | None = None
    l1: float = 0.0
    l2: float = 0.0
    rate: float | None = None

    @property
    def parametric(self) -> bool:
        return self.kind in PARAMETRIC_LAYERS


@dataclass
class ModelSummary:
    layers: list[LayerInfo]
    total_params: int | None = None

    @property
    def parametric_layers(self) -> list[LayerInfo]:
        return [layer for layer in self.layers if layer.parametric]

    @property
    def hidden_layers(self) -> list[LayerInfo]:
        """Parametric layers before the output layer."""
        return self.parametric_layers[:-1]

    @property
    def output_layer(self) -> LayerInfo | None:
        layers = self.parametric_layers
        return layers[-1] if layers else None


@dataclass
class SplitSummary:
    samples: int
    class_counts: dict[int, int]


@dataclass
class DataSummary:
    dataset: str
    num_classes: int
    train: SplitSummary
    validation: SplitSummary | None = None
    test: SplitSummary | None = None
    input_min: float | None = None
    input_max: float | None = None
    input_mean: float | None = None
    input_std: float | None = None


@dataclass
class Predictions:
    """Held-out labels and predicted probabilities (rows: samples, columns: classes)."""

    split: str
    y_true: np.ndarray
    probs: np.ndarray
    best_probs: np.ndarray | None = None
    best_epoch: int | None = None


@dataclass
class EpochRecord:
    """One finished epoch.

    Args:
        epoch: 1-based epoch number.
        metrics: `loss`, `accuracy`, `val_loss`, `val_accuracy`, `learning_rate` where known.
        seconds: Wall time of the epoch.
        probes: Per layer name, `grad_norm`, `weight_norm`, `update_ratio`,
            `dead_fraction`, `saturated_fraction` where measured.
        batch_loss: `mean`, `std`, `min`, `max` of the batch losses within the epoch.
        extra: Other per-epoch measurements: `penalty_loss` (regularisation
            part of the loss on the probe batch), `probe_samples`, `probe_wrong`
            (misclassified probe samples), `probe_near` (misclassified but within
            `near_margin` of the winning probability), `near_margin`.
    """

    epoch: int
    metrics: dict[str, float] = field(default_factory=dict)
    seconds: float | None = None
    probes: dict[str, dict[str, float]] = field(default_factory=dict)
    batch_loss: dict[str, float] | None = None
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class RunRecord:
    path: str
    source: str  # kerasdiag | keras-logs | tensorboard-scalars | csv-logger | history-json
    epochs: list[EpochRecord] = field(default_factory=list)
    status: str | None = None  # running | completed | interrupted | failed | diverged
    error: str | None = None
    config: dict[str, Any] | None = None
    data: DataSummary | None = None
    model: ModelSummary | None = None
    predictions: Predictions | None = None
    problems: list[str] = field(default_factory=list)
    # Foreign logs: each tag, column or key read -> what it became (`Loss/val` -> `val_loss`), and those ignored.
    read_tags: dict[str, str] = field(default_factory=dict)
    ignored_tags: list[str] = field(default_factory=list)

    def series(self, name: str) -> np.ndarray:
        """A metric across epochs as floats, NaN where an epoch lacks it."""
        return np.array([_as_float(e.metrics.get(name)) for e in self.epochs], dtype=float)

    def has(self, name: str) -> bool:
        return any(name in e.metrics for e in self.epochs)

    def probe_layers(self) -> list[str]:
        """Layer names that have probes, in model order (input side first)."""
        names: list[str] = []
        for e in self.epochs:
            names.extend(n for n in e.probes if n not in names)
        return names

    def probe_series(self, layer: str, key: str) -> np.ndarray:
        return np.array([_as_float(e.probes.get(layer, {}).get(key)) for e in self.epochs], dtype=float)

    def extra_series(self, key: str) -> np.ndarray:
        return np.array([_as_float(e.extra.get(key)) for e in self.epochs], dtype=float)

    @property
    def epoch_numbers(self) -> np.ndarray:
        return np.array([e.epoch for e in self.epochs], dtype=int)


def _as_float(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def model_summary_from_keras_config(config: dict[str, Any], params: dict[str, int] | None = None) -> ModelSummary:
    """Build a ModelSummary from a Keras model config (`model.get_config()` or the `keras` TensorBoard tag).

    Works for Sequential and Functional configs; unknown layer kinds are kept with their class name.
    """
    params = params or {}
    inner = config.get("config", config)
    layers = []
    for entry in inner.get("layers", []):
        kind = entry.get("class_name", "?")
        cfg = entry.get("config", {})
        name = cfg.get("name", entry.get("name", kind))
        reg = cfg.get("kernel_regularizer") or {}
        reg_cfg = reg.get("config", {}) if isinstance(reg, dict) else {}
        units = cfg.get("units", cfg.get("filters"))
        activation = _activation_name(cfg.get("activation")) if ("activation" in cfg) else None
        layers.append(
            LayerInfo(
                name=name,
                kind=kind,
                units=units,
                activation=activation,
                params=params.get(name),
                l1=float(reg_cfg.get("l1", 0.0) or 0.0),
                l2=float(reg_cfg.get("l2", 0.0) or 0.0),
                rate=cfg.get("rate"),
            )
        )
    total = sum(params.values()) if params else None
    return ModelSummary(layers=layers, total_params=total)


def _activation_name(value: Any) -> str | None:
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # serialized object, e.g. {"class_name": "LeakyReLU", ...}
        return str(value.get("config", {}).get("name") or value.get("class_name", "?")).lower()
    return str(value)
