"""What run.json and predictions.npz hold about the data: split sizes, class counts, input range, and held-out
predictions (validation and test, at the end and at the best epoch). Each round-trips through its file form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


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
