"""Calibration of held-out predictions: reliability bins and the expected calibration error (ECE).

One definition, used by the overconfidence rule, compare, report and the figures.
Pure numpy; no Keras, no plotting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ECE_BINS = 10


@dataclass
class Reliability:
    """Per confidence bin: mean confidence, accuracy and sample count; and the expected calibration error."""

    confidence: np.ndarray
    accuracy: np.ndarray
    counts: np.ndarray
    ece: float


def reliability(y_true: np.ndarray, probs: np.ndarray, bins: int = ECE_BINS) -> Reliability:
    """Bin samples by their top probability; ECE is the count-weighted gap between confidence and accuracy."""
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == y_true).astype(float)
    index = np.minimum((confidence * bins).astype(int), bins - 1)
    counts = np.bincount(index, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(index, weights=confidence, minlength=bins) / counts
        acc = np.bincount(index, weights=correct, minlength=bins) / counts
    used = counts > 0
    ece = float(np.sum(counts[used] * np.abs(conf[used] - acc[used])) / max(counts.sum(), 1))
    return Reliability(conf, acc, counts, ece)
