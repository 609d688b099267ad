"""RunRecord: everything known about one run, read from disk, as plain data.

Rules see only this. It is filled by `rundir.reader.read_run` (a kerasdiag run
directory), by `rundir.tensorboard.reader.read_keras_logs` (anyone's Keras
TensorBoard logs), or in memory while kerasdiag trains; fields that a source
cannot supply stay `None` and the rules that need them say so. The parts that
run.json stores round-trip through `to_dict` / `from_dict`.
Epochs are numbered from 1 everywhere a person reads them.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kerasdiag.rundir.schema import METRIC_KEYS

# Activations that count as "no activation" (identity) for a hidden layer.
IDENTITY_ACTIVATIONS = ("linear", None)
PARAMETRIC_LAYERS = ("Dense", "Conv2D")


class RunStatus(str, enum.Enum):
    """run.json `status`: where a run stands. A str, so it is written to JSON as its value."""

    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"  # Ctrl-C, SIGTERM or SIGHUP; every finished epoch is kept
    DIVERGED = "diverged"  # a NaN or infinite loss stopped training
    FAILED = "failed"  # an exception stopped training; `error` says which

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def parse(cls, value: object) -> RunStatus | None:
        """The status a run.json holds, or None when it holds none or an unknown one."""
        try:
            return cls(value)
        except ValueError:
            return None

    @property
    def finished(self) -> bool:
        """Training ran to its end (a diverged run ends early, but on purpose)."""
        return self in (RunStatus.COMPLETED, RunStatus.DIVERGED)


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

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ModelSummary:
        """The `model` section of run.json; raises KeyError, TypeError or ValueError when malformed."""
        layers = [LayerInfo(**layer) for layer in raw["layers"]]
        return cls(layers=layers, total_params=raw.get("total_params"))

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
    """Samples and per-class counts of one split (train, validation or test)."""

    samples: int
    class_counts: dict[int, int]

    @classmethod
    def from_labels(cls, y: np.ndarray, num_classes: int) -> SplitSummary:
        counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=num_classes)
        return cls(samples=int(np.size(y)), class_counts={c: int(n) for c, n in enumerate(counts)})

    def to_dict(self) -> dict[str, Any]:
        return {"samples": self.samples, "class_counts": {str(c): n for c, n in self.class_counts.items()}}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> SplitSummary:
        counts = {int(k): int(v) for k, v in raw["class_counts"].items()}
        return cls(samples=int(raw["samples"]), class_counts=counts)


INPUT_STATS = ("input_min", "input_max", "input_mean", "input_std")


@dataclass
class DataSummary:
    """What run.json records about the data: sizes, class counts per split, input range."""

    dataset: str
    num_classes: int
    train: SplitSummary
    validation: SplitSummary | None = None
    test: SplitSummary | None = None
    input_min: float | None = None
    input_max: float | None = None
    input_mean: float | None = None
    input_std: float | None = None
    input_shape: list[int] | None = None

    def splits(self) -> dict[str, SplitSummary]:
        parts = {"train": self.train, "validation": self.validation, "test": self.test}
        return {name: split for name, split in parts.items() if split is not None}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dataset": self.dataset, "num_classes": self.num_classes}
        out["input_shape"] = self.input_shape
        out.update({k: getattr(self, k) for k in INPUT_STATS})
        out.update({name: split.to_dict() for name, split in self.splits().items()})
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> DataSummary:
        """The `data` section of run.json; raises KeyError, TypeError or ValueError when malformed."""
        if not isinstance(raw.get("train"), dict) or not raw["train"]:
            raise ValueError("the train split is missing or empty")
        optional: dict[str, Any] = {k: SplitSummary.from_dict(raw[k]) for k in ("validation", "test") if raw.get(k)}
        stats: dict[str, Any] = {k: (None if raw.get(k) is None else float(raw[k])) for k in INPUT_STATS}
        shape = raw.get("input_shape")
        return cls(
            dataset=str(raw["dataset"]),
            num_classes=int(raw["num_classes"]),
            train=SplitSummary.from_dict(raw["train"]),
            input_shape=[int(n) for n in shape] if isinstance(shape, list) else None,
            **optional,
            **stats,
        )


@dataclass
class Predictions:
    """Held-out labels and predicted probabilities (rows: samples, columns: classes), validation and test.

    `split`, `y_true`, `probs` and `best_probs` name the held-out set rules and figures judge by:
    test where there is one, else validation.

    Args:
        val_y: Validation labels.
        val_probs: Validation probabilities at the end of training.
        test_y: Test labels, where the data set has a test split.
        test_probs: Test probabilities at the end of training.
        best_val_probs: Validation probabilities at the best (lowest val_loss) epoch.
        best_test_probs: Test probabilities at the best epoch.
        best_epoch: That epoch (from 1).
    """

    val_y: np.ndarray
    val_probs: np.ndarray
    test_y: np.ndarray | None = None
    test_probs: np.ndarray | None = None
    best_val_probs: np.ndarray | None = None
    best_test_probs: np.ndarray | None = None
    best_epoch: int | None = None

    @property
    def split(self) -> str:
        return "test" if self.test_y is not None and self.test_probs is not None else "validation"

    @property
    def y_true(self) -> np.ndarray:
        return self.test_y if self.split == "test" and self.test_y is not None else self.val_y

    @property
    def probs(self) -> np.ndarray:
        return self.test_probs if self.split == "test" and self.test_probs is not None else self.val_probs

    @property
    def best_probs(self) -> np.ndarray | None:
        return self.best_test_probs if self.split == "test" else self.best_val_probs

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The arrays of predictions.npz (names as in the run-directory contract)."""
        arrays = {name: getattr(self, name) for name in PREDICTION_ARRAYS if getattr(self, name) is not None}
        if self.best_epoch is not None:
            arrays["best_epoch"] = np.array(self.best_epoch)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Predictions:
        """From predictions.npz's arrays; raises KeyError or ValueError when they do not fit together."""
        found = {name: np.asarray(arrays[name]) for name in PREDICTION_ARRAYS if name in arrays}
        best = int(arrays["best_epoch"]) if "best_epoch" in arrays else None
        predictions = cls(**found, best_epoch=best)
        predictions.check()
        return predictions

    def check(self) -> None:
        for prefix, labels in (("val", self.val_y), ("test", self.test_y)):
            for name in (f"{prefix}_probs", f"best_{prefix}_probs"):
                probs = getattr(self, name)
                if probs is not None and (probs.ndim != 2 or labels is None or len(probs) != len(labels)):
                    raise ValueError(
                        f"{name} has shape {probs.shape}, labels {None if labels is None else labels.shape}"
                    )


PREDICTION_ARRAYS = ("val_y", "val_probs", "test_y", "test_probs", "best_val_probs", "best_test_probs")


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

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> EpochRecord:
        """One history.jsonl line (as written, or as a callback builds it); raises on malformed fields."""
        metrics = {k: _number(row[k]) for k in METRIC_KEYS if k in row and row[k] is not None}
        return cls(
            epoch=int(row["epoch"]),
            metrics=metrics,
            seconds=row.get("seconds"),
            probes={name: {k: _number(v) for k, v in values.items()} for name, values in row.get("probes", {}).items()},
            batch_loss=row.get("batch_loss"),
            extra={k: _number(v) for k, v in row.get("extra", {}).items()},
        )


@dataclass
class RunRecord:
    path: str
    source: str  # "kerasdiag" or "keras-logs"
    epochs: list[EpochRecord] = field(default_factory=list)
    status: RunStatus | None = None
    error: str | None = None
    config: dict[str, Any] | None = None
    data: DataSummary | None = None
    model: ModelSummary | None = None
    predictions: Predictions | None = None
    problems: list[str] = field(default_factory=list)

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


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


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
