"""Checks on MNIST arrays read from a user's file: a damaged file becomes a DataError naming it and the fault.

A Keras-layout `mnist.npz` (or IDX pair) must hold images of shape (n, 28, 28) (or flat (n, 784)) with
finite pixel values, and labels of shape (n,) that are whole numbers 0..9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kerasdiag.errors import DataError
from kerasdiag.messages import say

IMAGE_SIDE = 28
NUM_CLASSES = 10


def checked_images(path: Path | str, name: str, x: np.ndarray) -> np.ndarray:
    """`x` as (n, 28, 28) images, or DataError naming `path` and what was wrong."""
    if x.dtype.kind not in "biuf":
        raise DataError(
            say("data.images.numbers", name=name),
            say("data.images.dtype", path=path, name=name, dtype=x.dtype),
            path=path,
        )
    if x.ndim == 2 and x.shape[1] == IMAGE_SIDE * IMAGE_SIDE:
        x = x.reshape(len(x), IMAGE_SIDE, IMAGE_SIDE)
    if x.ndim != 3 or x.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE) or len(x) == 0:
        raise DataError(
            say("data.images.shape", name=name, side=IMAGE_SIDE, flat=IMAGE_SIDE**2),
            say("data.shape", path=path, name=name, shape=str(x.shape)),
            path=path,
        )
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise DataError(
            say("data.images.finite", name=name), say("data.images.not_finite", path=path, count=f"{bad:,}"), path=path
        )
    return x


def checked_labels(path: Path | str, name: str, y: np.ndarray, samples: int) -> np.ndarray:
    """`y` as int64 labels 0..9, one per image, or DataError naming `path` and what was wrong."""
    if y.dtype.kind not in "biuf" or y.ndim != 1 or len(y) != samples:
        raise DataError(
            say("data.labels.shape", name=name, samples=samples),
            say("data.labels.received", path=path, name=name, shape=str(y.shape), dtype=y.dtype),
            path=path,
        )
    values = y.astype(np.float64)
    bad = ~np.isfinite(values) | (values != np.round(values)) | (values < 0) | (values >= NUM_CLASSES)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            say("data.labels.values", name=name, last=NUM_CLASSES - 1),
            say("data.labels.bad", path=path, count=f"{int(bad.sum()):,}", first=repr(y[first].item()), index=first),
            path=path,
        )
    return values.astype(np.int64)


def checked_pair(path: Path | str, split: str, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Images and labels of one split (`train` or `test`), both checked."""
    x = checked_images(path, f"x_{split}", x)
    return x, checked_labels(path, f"y_{split}", y, len(x))
