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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kerasdiag.rundir.epochs import EpochRecord, EpochTable

__all__ = ["EpochRecord", "EpochTable", "RunRecord"]  # EpochRecord's home is rundir.epochs; imported from here too

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
    kernel_init: str | None = None  # initialiser class name, e.g. "RandomNormal", "GlorotUniform"
    kernel_stddev: float | None = None  # its stddev (RandomNormal, TruncatedNormal) where it has one
    bias_init: str | None = None
    bias_value: float | None = None  # the constant of a Constant/Zeros/Ones bias initialiser

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
        splits = {k: SplitSummary.from_dict(raw[k]) if raw.get(k) else None for k in ("validation", "test")}
        stats = {k: (None if raw.get(k) is None else float(raw[k])) for k in INPUT_STATS}
        shape = raw.get("input_shape")
        summary = cls(
            dataset=str(raw["dataset"]),
            num_classes=int(raw["num_classes"]),
            train=SplitSummary.from_dict(raw["train"]),
            validation=splits["validation"],
            test=splits["test"],
            input_shape=[int(n) for n in shape] if isinstance(shape, list) else None,
        )
        for key, value in stats.items():
            setattr(summary, key, value)
        return summary


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
        """Raise ValueError unless labels are 1-D class indices and probabilities (n, classes) numbers."""
        for prefix, labels in (("val", self.val_y), ("test", self.test_y)):
            if labels is not None:
                _check_labels(f"{prefix}_y", labels)
            for name in (f"{prefix}_probs", f"best_{prefix}_probs"):
                probs = getattr(self, name)
                if probs is None:
                    continue
                if probs.dtype.kind not in "fiu" or probs.ndim != 2 or labels is None or len(probs) != len(labels):
                    raise ValueError(
                        f"{name} has shape {probs.shape} ({probs.dtype}), labels "
                        f"{None if labels is None else labels.shape}"
                    )
                if labels.size and labels.max() >= probs.shape[1]:
                    raise ValueError(f"{prefix}_y holds class {labels.max()}, {name} has {probs.shape[1]} columns")


def _check_labels(name: str, labels: np.ndarray) -> None:
    if labels.dtype.kind not in "iu" or labels.ndim != 1:
        raise ValueError(f"{name} has shape {labels.shape} ({labels.dtype}), not 1-D class indices")
    if labels.size and labels.min() < 0:
        raise ValueError(f"{name} holds the negative class {labels.min()}")


PREDICTION_ARRAYS = ("val_y", "val_probs", "test_y", "test_probs", "best_val_probs", "best_test_probs")


@dataclass
class RunRecord:
    path: str
    source: str  # kerasdiag | keras-logs | tensorboard-scalars | csv-logger | history-json
    epochs: EpochTable = field(default_factory=EpochTable)  # a list of EpochRecords is accepted too
    status: RunStatus | None = None
    error: str | None = None
    config: dict[str, Any] | None = None
    data: DataSummary | None = None
    model: ModelSummary | None = None
    predictions: Predictions | None = None
    problems: list[str] = field(default_factory=list)
    # Foreign logs: each tag, column or key read -> what it became (`Loss/val` -> `val_loss`), and those ignored.
    read_tags: dict[str, str] = field(default_factory=dict)
    ignored_tags: list[str] = field(default_factory=list)
    # Plain Keras logs: the runs before this one that a script wrote into the same folder (oldest first).
    earlier_runs: list[RunRecord] = field(default_factory=list)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "epochs" and not isinstance(value, EpochTable):
            value = EpochTable(value)  # a list of EpochRecords, as before the table
        object.__setattr__(self, name, value)

    def series(self, name: str) -> np.ndarray:
        """A metric across epochs as floats, NaN where an epoch lacks it."""
        return self.epochs.array(self.epochs.metrics.get(name))

    def has(self, name: str) -> bool:
        return bool(self.epochs.logged(self.epochs.metrics.get(name)).any())

    def probe_layers(self) -> list[str]:
        """Layer names that have probes, in model order (input side first)."""
        return list(self.epochs.probes)

    def probe_series(self, layer: str, key: str) -> np.ndarray:
        return self.epochs.array(self.epochs.probes.get(layer, {}).get(key))

    def extra_series(self, key: str) -> np.ndarray:
        return self.epochs.array(self.epochs.extra.get(key))

    def batch_loss_series(self, key: str) -> np.ndarray:
        """A batch-loss statistic (`mean`, `std`, `min`, `max`) across epochs, NaN where not logged."""
        return self.epochs.array(self.epochs.batch_loss.get(key))

    @property
    def epoch_numbers(self) -> np.ndarray:
        return self.epochs.epoch_numbers()


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
                **_initializers(cfg),
            )
        )
    total = sum(params.values()) if params else None
    return ModelSummary(layers=layers, total_params=total)


CONSTANT_INITIALIZERS = {"Zeros": 0.0, "zeros": 0.0, "Ones": 1.0, "ones": 1.0}


def _initializers(cfg: dict[str, Any]) -> dict[str, Any]:
    """Kernel and bias initialiser facts of one layer config (names, stddev, constant), where given."""
    out: dict[str, Any] = {}
    kernel, bias = cfg.get("kernel_initializer"), cfg.get("bias_initializer")
    if kernel is not None:
        name, settings = _initializer_parts(kernel)
        out["kernel_init"] = name
        if isinstance(settings.get("stddev"), (int, float)):
            out["kernel_stddev"] = float(settings["stddev"])
    if bias is not None:
        name, settings = _initializer_parts(bias)
        out["bias_init"] = name
        value = settings.get("value", CONSTANT_INITIALIZERS.get(name or ""))
        if isinstance(value, (int, float)):
            out["bias_value"] = float(value)
    return out


def _initializer_parts(value: Any) -> tuple[str | None, dict[str, Any]]:
    """(class name, config) of a serialized initialiser: a dict, or a bare name like "zeros"."""
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict):
        settings = value.get("config")
        return value.get("class_name"), settings if isinstance(settings, dict) else {}
    return None, {}


def _activation_name(value: Any) -> str | None:
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # serialized object, e.g. {"class_name": "LeakyReLU", ...}
        return str(value.get("config", {}).get("name") or value.get("class_name", "?")).lower()
    return str(value)
