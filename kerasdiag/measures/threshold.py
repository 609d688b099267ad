"""A decision threshold for two-class runs, chosen on validation predictions and scored on held-out data.

Pure numpy over the held-out predictions of a record (`predictions.npz`); no Keras, no plotting, no file reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kerasdiag.rundir.record import RunRecord

THRESHOLD_CRITERION = (
    "maximises balanced accuracy on the validation predictions (of the thresholds within one sample of the best, "
    "the one nearest 0.5)"
)


@dataclass
class Threshold:
    """A suggested decision threshold on P(class 1) for a two-class model.

    Args:
        value: Predict class 1 when P(class 1) >= value.
        criterion: How `value` was chosen.
        val_balanced_accuracy: Balanced accuracy at `value` on the validation data it was chosen on.
        split: The data the accuracies below were measured on (`test` when there is one).
        accuracy: Accuracy at `value` on `split`.
        balanced_accuracy: Balanced accuracy at `value` on `split`.
        accuracy_at_half: Accuracy at 0.5 on `split`, for comparison.
    """

    value: float
    criterion: str
    val_balanced_accuracy: float
    split: str
    accuracy: float
    balanced_accuracy: float
    accuracy_at_half: float


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean of the per-class recalls over the classes present in `y_true`."""
    recalls = [float(np.mean(y_pred[y_true == c] == c)) for c in np.unique(y_true)]
    return float(np.mean(recalls)) if recalls else float("nan")


def suggest_threshold(
    val_y: np.ndarray, val_p1: np.ndarray, eval_y: np.ndarray, eval_p1: np.ndarray, split: str
) -> Threshold:
    """The threshold on P(class 1) that maximises balanced accuracy on validation, scored on `split`.

    Candidates are the midpoints between sorted distinct validation probabilities (plus 0.5). Of those
    within one validation sample of the best score, the one nearest 0.5 wins: on a small validation set
    the exact maximiser is noise.
    """
    distinct = np.unique(val_p1)
    candidates = np.concatenate([[0.5], (distinct[:-1] + distinct[1:]) / 2]) if distinct.size > 1 else np.array([0.5])
    scores = _balanced_accuracy_at(val_y, val_p1, candidates)
    smallest_class = min(int(np.sum(val_y == 0)), int(np.sum(val_y == 1))) or 1
    top = np.flatnonzero(scores >= scores.max() - 0.5 / smallest_class - 1e-12)  # one sample's worth
    best = candidates[top[np.argmin(np.abs(candidates[top] - 0.5))]]
    predicted = (eval_p1 >= best).astype(int)
    return Threshold(
        value=float(best),
        criterion=THRESHOLD_CRITERION,
        val_balanced_accuracy=float(scores[candidates == best][0]),
        split=split,
        accuracy=float(np.mean(predicted == eval_y)),
        balanced_accuracy=balanced_accuracy(eval_y, predicted),
        accuracy_at_half=float(np.mean((eval_p1 >= 0.5).astype(int) == eval_y)),
    )


def _balanced_accuracy_at(y_true: np.ndarray, p1: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Balanced accuracy of `p1 >= t` for every t at once (sorted counts, no loop over thresholds)."""
    positives, negatives = np.sort(p1[y_true == 1]), np.sort(p1[y_true == 0])
    recalls = []
    if positives.size:
        recalls.append(1 - np.searchsorted(positives, thresholds, side="left") / positives.size)
    if negatives.size:
        recalls.append(np.searchsorted(negatives, thresholds, side="left") / negatives.size)
    return np.mean(recalls, axis=0)


def threshold_for_run(record: RunRecord) -> Threshold | None:
    """A threshold for a two-class run from its held-out predictions; `None` for other runs.

    The predictions are the record's: `rundir`'s reader read `predictions.npz`, and a damaged file is in
    `record.problems` (a run-incomplete finding), not here.

    Rows that are not probabilities (NaN, infinite or negative: a run whose loss went NaN) are left out; with no
    validation or evaluation row left there is no threshold.
    """
    pred = record.predictions
    if pred is None or pred.val_probs.ndim != 2 or pred.val_probs.shape[1] != 2 or not len(pred.val_y):
        return None
    if pred.test_y is not None and pred.test_probs is not None:
        eval_y, eval_probs, split = pred.test_y, pred.test_probs, "test"
    else:
        eval_y, eval_probs, split = pred.val_y, pred.val_probs, "val"
    val_y, val_probs = _usable(pred.val_y, pred.val_probs)
    eval_y, eval_probs = _usable(eval_y, eval_probs)
    if not len(val_y) or not len(eval_y):
        return None
    return suggest_threshold(val_y, val_probs[:, 1], eval_y, eval_probs[:, 1], split)


def _usable(y: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows whose probabilities are finite and not negative."""
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2 or len(probs) != len(y):
        return np.asarray(y)[:0], probs[:0]
    keep = np.isfinite(probs).all(axis=1) & (probs >= 0).all(axis=1)
    return np.asarray(y)[keep], probs[keep]
