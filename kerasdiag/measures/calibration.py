"""Calibration of held-out predictions: reliability bins and the expected calibration error (ECE).

One definition, used by the overconfidence rule, compare, report and the figures.
Pure numpy; no Keras, no plotting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ECE_BINS = 10  # equal-width confidence bins of the reliability diagram and the ECE


@dataclass
class Reliability:
    """Per confidence bin: mean confidence, accuracy and sample count; and the expected calibration error."""

    confidence: np.ndarray
    accuracy: np.ndarray
    counts: np.ndarray
    ece: float


def reliability(y_true: np.ndarray, probs: np.ndarray, bins: int = ECE_BINS) -> Reliability:
    """Bin samples by their top probability; ECE is the count-weighted gap between confidence and accuracy.

    Only rows that are probabilities are binned: a row with a NaN, an infinity or a negative value (a run whose
    loss went NaN, a damaged predictions.npz) is left out, and with no such row left every bin is empty and the
    ECE is NaN. The readers report the damage (run-incomplete), the rules skip it; views show what is left.
    """
    probs = np.asarray(probs, dtype=float)
    y_true = np.asarray(y_true)
    if probs.ndim != 2 or probs.shape[0] != y_true.shape[0] or not probs.shape[1]:
        empty = np.full(bins, np.nan)
        return Reliability(empty, empty.copy(), np.zeros(bins, dtype=int), float("nan"))
    usable = np.isfinite(probs).all(axis=1) & (probs >= 0).all(axis=1)
    probs, y_true = probs[usable], y_true[usable]
    confidence = probs.max(axis=1) if len(probs) else np.zeros(0)
    correct = (probs.argmax(axis=1) == y_true).astype(float) if len(probs) else np.zeros(0)
    index = np.clip((confidence * bins).astype(int), 0, bins - 1)
    counts = np.bincount(index, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(index, weights=confidence, minlength=bins) / counts
        acc = np.bincount(index, weights=correct, minlength=bins) / counts
    used = counts > 0
    ece = float(np.sum(counts[used] * np.abs(conf[used] - acc[used])) / counts.sum()) if used.any() else float("nan")
    return Reliability(conf, acc, counts, ece)
