"""FitData: what the arrays a learner passes to `model.fit` say about the data.

A Keras callback never sees the data, so `kerasdiag.keras.Diagnose` gets it
from the arguments of `fit` (wrapped by `kerasdiag run` and `kd.fit`, passed
explicitly, or read from the running `fit` call). Labels may be integers or
one-hot rows (categorical cross-entropy, as learners write); everything here
turns them into integer classes. `validation_split` is resolved exactly as
Keras does it: the LAST rows, never shuffled first.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.messages.said import Said
from kerasdiag.rundir.schema import PROBE_BATCH
from kerasdiag.rundir.summaries import DataSummary
from kerasdiag.training.flags.datasets import summarise_data


@dataclass
class FitData:
    """Training and validation arrays of one `fit` call, with integer class labels.

    Args:
        x_train: Training inputs (after Keras's validation split).
        y_train: Their integer labels.
        num_classes: Number of classes (one-hot width, else the largest label + 1).
        x_val: Validation inputs, where known.
        y_val: Their integer labels.
        validation: Where validation came from: `"split"` (`validation_split`), `"data"` or `"none"`.
        targets: The training targets as `fit` got them (one-hot rows, a binary column...): what the run's
            loss takes. Defaults to `None` (the integer labels).
        model_inputs: Whether `x_train` is what the model takes. `False` for named inputs (a dict): `x_train` is
            then their features side by side, for the input statistics only (no probes, no predictions).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    num_classes: int
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    validation: str = "none"
    targets: np.ndarray | None = None
    model_inputs: bool = True

    def summary(self, name: str) -> DataSummary:
        """The data summary run.json stores (class counts per split, input range)."""
        return summarise_data(name, self.num_classes, self.x_train, self.y_train, self.y_val)

    def probe_batch(self, size: int = PROBE_BATCH, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """A fixed sample of training rows, spread over the whole set (class-ordered data stays represented)."""
        rows = probe_rows(len(self.y_train), size, seed)
        return np.asarray(self.x_train[rows]), self.y_train[rows]

    def probe_targets(self, size: int = PROBE_BATCH, seed: int = 0) -> np.ndarray:
        """The targets of `probe_batch`'s rows as `fit` got them (what the run's loss takes)."""
        targets = self.targets if self.targets is not None else self.y_train
        return np.asarray(targets[probe_rows(len(self.y_train), size, seed)])

    def held_out(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The held-out set predictions.npz is written from: validation, where known."""
        if self.x_val is None or self.y_val is None:
            return {}
        return {"val": (self.x_val, self.y_val)}


def probe_rows(n: int, size: int = PROBE_BATCH, seed: int = 0) -> np.ndarray:
    """`size` of `n` training rows, sorted, spread over the whole set; every row when there are no more."""
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False)) if n > size else np.arange(n)


def training_arrays(x: Any, y: Any, validation_split: float = 0.0) -> tuple[np.ndarray, np.ndarray] | None:
    """`fit`'s `x` and `y` as arrays, less the last `validation_split` rows (as Keras splits); `None` when either
    is not an array or their lengths differ. For a run whose targets are no class labels (a regression)."""
    x_arr, y_arr = _array(x), _array(y)
    if x_arr is None or y_arr is None or not y_arr.ndim or len(x_arr) != len(y_arr):
        return None
    cut = int(math.floor(len(y_arr) * (1.0 - validation_split))) if validation_split else len(y_arr)
    return x_arr[:cut], y_arr[:cut]


def resolve_fit_data(
    x: Any, y: Any, validation_split: float = 0.0, validation_data: Any = None
) -> tuple[FitData | None, str]:
    """FitData from `fit`'s own arguments, or `None` and the reason it cannot be known.

    Args:
        x: `fit`'s `x`: only NumPy-convertible arrays are read (not datasets, generators or dicts).
        y: `fit`'s `y`: integer labels, a column of them, or one-hot rows.
        validation_split: `fit`'s `validation_split`: the last rows become validation, as in Keras.
        validation_data: `fit`'s `validation_data`: `(x_val, y_val)` or `(x_val, y_val, weights)`.

    Returns:
        `(data, "")` or `(None, reason)`.
    """
    if x is None:
        return None, Said("fit_data.no_arrays")
    named = _side_by_side(x)
    if named is not None:  # named inputs: class counts and input statistics, no probes or predictions
        data, reason = resolve_fit_data(named, y, validation_split, _side_by_side_validation(validation_data))
        if data is not None:
            data.model_inputs = False
        return data, reason
    x_arr, y_arr = _array(x), _array(y)
    if x_arr is None or y_arr is None:
        kind = type(y if x_arr is not None else x).__name__
        return None, Said("fit_data.not_arrays", kind=kind)
    labels, width = class_labels(y_arr)
    if labels is None or len(labels) != len(x_arr):
        return None, Said("fit_data.no_labels", shape=str(y_arr.shape), inputs=len(x_arr))
    x_val = y_val = None
    source = "none"
    if validation_data is None and validation_split:
        cut = int(math.floor(len(labels) * (1.0 - validation_split)))  # Keras: the LAST rows, unshuffled
        x_arr, x_val, labels, y_val = x_arr[:cut], x_arr[cut:], labels[:cut], labels[cut:]
        y_arr = y_arr[:cut]
        source = "split"
    elif validation_data is not None:
        x_val, y_val, width = _validation_arrays(validation_data, width)
        source = "data" if x_val is not None else "none"
    found = [int(labels.max())] + ([int(y_val.max())] if y_val is not None and len(y_val) else [])
    num_classes = width or max(found) + 1
    return FitData(x_arr, labels, num_classes, x_val, y_val, source, targets=y_arr), ""


def _side_by_side(x: Any) -> np.ndarray | None:
    """A dict of input arrays of equal length (named inputs) as one array of their features side by side."""
    if not isinstance(x, dict) or not x:
        return None
    arrays = [_array(value) for value in x.values()]
    if any(a is None or not a.ndim for a in arrays) or len({len(a) for a in arrays if a is not None}) != 1:
        return None
    return np.concatenate([np.asarray(a, dtype=np.float32).reshape(len(a), -1) for a in arrays if a is not None], 1)


def _side_by_side_validation(validation_data: Any) -> Any:
    if isinstance(validation_data, (tuple, list)) and len(validation_data) >= 2:
        named = _side_by_side(validation_data[0])
        if named is not None:
            return (named, *validation_data[1:])
    return validation_data


def _validation_arrays(validation_data: Any, width: int | None) -> tuple[Any, Any, int | None]:
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) < 2:
        return None, None, width
    x_val, y_val = _array(validation_data[0]), _array(validation_data[1])
    if x_val is None or y_val is None:
        return None, None, width
    labels, val_width = class_labels(y_val)
    if labels is None:
        return None, None, width
    return x_val, labels, width or val_width


def class_labels(y: np.ndarray) -> tuple[np.ndarray | None, int | None]:
    """Integer classes from labels or one-hot rows, and the one-hot width (`None` for integer labels)."""
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1).astype(np.int64), int(y.shape[1])
    flat = y.reshape(len(y)) if y.ndim == 2 else y
    if flat.ndim != 1 or not len(flat) or not np.issubdtype(flat.dtype, np.number):
        return None, None
    if not np.all(np.isfinite(flat)) or np.any(flat < 0) or np.any(flat != np.round(flat)):
        return None, None  # regression targets, not classes
    return flat.astype(np.int64), None


def _array(value: Any) -> np.ndarray | None:
    """A NumPy view of an array-like (NumPy, a backend tensor, a list), or `None` for datasets and the like."""
    if value is None or isinstance(value, (dict, str)) or inspect.isgenerator(value):
        return None
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "__array__"):
        return np.asarray(value)
    if isinstance(value, list) and value and not hasattr(value[0], "shape"):
        return np.asarray(value)
    return None


FIT_LOCALS = (
    "x",
    "y",
    "validation_split",
    "validation_data",
    "batch_size",
    "epochs",
    "initial_epoch",
    "shuffle",
    "callbacks",
)


def running_fit_arguments(model: Any) -> dict[str, Any] | None:
    """The locals of the `fit` call now running `model` (read from the call stack), or `None`.

    Called from `on_train_begin`: Keras's `fit` has already split off
    `validation_split` by then, so `x`/`y` are the training rows and
    `validation_data` the last rows.
    """
    frame = inspect.currentframe()
    try:
        while frame is not None:
            local = frame.f_locals
            if frame.f_code.co_name == "fit" and local.get("self") is model and "validation_split" in local:
                return {name: local.get(name) for name in FIT_LOCALS}
            frame = frame.f_back
        return None
    finally:
        del frame


LIBRARIES = ("keras", "kerasdiag", "tensorflow", "jax", "torch", "tf_keras")


def fit_caller(model: Any) -> str | None:
    """`file:line` of the code that called the running `model.fit` (the first frame outside the libraries)."""
    frame = inspect.currentframe()
    try:
        inside_fit = False
        while frame is not None:
            if frame.f_code.co_name == "fit" and frame.f_locals.get("self") is model:
                inside_fit = True
            elif inside_fit and not _library_frame(frame.f_code.co_filename):
                return f"{frame.f_code.co_filename}:{frame.f_lineno}"
            frame = frame.f_back
        return None
    finally:
        del frame


def _library_frame(filename: str) -> bool:
    parts = filename.replace("\\", "/").split("/")
    return filename.startswith("<") or any(part in LIBRARIES for part in parts[:-1])
