"""A decision threshold for two-class runs, chosen on validation predictions and scored on other held-out data.

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
    """A suggested decision threshold on the probability of one class (`positive`) of a two-class model.

    Args:
        value: Predict class 1 when P(class 1) >= value.
        criterion: How `value` was chosen.
        val_balanced_accuracy: Balanced accuracy at `value` on the validation data it was chosen on.
        split: The data the accuracies below were measured on (`test` when there is one).
        accuracy: Accuracy at `value` on `split`.
        balanced_accuracy: Balanced accuracy at `value` on `split`.
        accuracy_at_half: Accuracy at 0.5 on `split`, for comparison.
        positive: The output column thresholded: predict that class when its probability >= value. Defaults to `1`.
        chosen_samples: Validation samples the value was chosen on. Defaults to `0` (not counted).
        scored_samples: Samples of `split` the accuracies were measured on. Defaults to `0` (not counted).
        half: No test split: chosen on one half of the validation samples, scored on the other. Defaults to `False`.
    """

    value: float
    criterion: str
    val_balanced_accuracy: float
    split: str
    accuracy: float
    balanced_accuracy: float
    accuracy_at_half: float
    positive: int = 1
    chosen_samples: int = 0
    scored_samples: int = 0
    half: bool = False


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
        chosen_samples=len(val_y),
        scored_samples=len(eval_y),
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


def threshold_for_run(record: RunRecord, positive: int = 1) -> Threshold | None:
    """A threshold on P(class `positive`) for a two-class run, chosen on validation and scored on other data.

    Chosen on the validation predictions and scored on the test predictions where the run has them; without a
    test split, chosen on one half of the validation samples and scored on the other half (`half`), never on the
    samples it was chosen on (that would flatter it). `None` for other runs.

    The predictions are the record's: `rundir`'s reader read `predictions.npz`, and a damaged file is in
    `record.problems` (a run-incomplete finding), not here.

    Rows that are not probabilities (NaN, infinite or negative: a run whose loss went NaN) are left out; with no
    validation or evaluation row left there is no threshold.
    """
    pred = record.predictions
    if pred is None or pred.val_probs.ndim != 2 or pred.val_probs.shape[1] != 2 or not len(pred.val_y):
        return None
    val_y, val_probs = _usable(pred.val_y, pred.val_probs)
    if pred.test_y is not None and pred.test_probs is not None:
        eval_y, eval_probs = _usable(pred.test_y, pred.test_probs)
        split, half = "test", False
    else:
        (val_y, val_probs), (eval_y, eval_probs) = split_halves(val_y, val_probs)
        split, half = "val", True
    if not len(val_y) or not len(eval_y):
        return None
    chosen, scored = (val_y == positive).astype(int), (eval_y == positive).astype(int)
    found = suggest_threshold(chosen, val_probs[:, positive], scored, eval_probs[:, positive], split)
    found.positive, found.half = positive, half
    return found


def split_halves(y: np.ndarray, probs: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Two halves of held-out predictions, each with half of every class (alternate samples of each class, in order).

    Example: labels `[0, 0, 1, 1, 0]`: class 0 sits in rows 0, 1, 4 and class 1 in rows 2, 3, so the first half
    holds rows 0, 2, 4 and the second rows 1, 3.
    """
    first = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        first[rows[::2]] = True
    return (y[first], probs[first]), (y[~first], probs[~first])


def _usable(y: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows whose probabilities are finite and not negative."""
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2 or len(probs) != len(y):
        return np.asarray(y)[:0], probs[:0]
    keep = np.isfinite(probs).all(axis=1) & (probs >= 0).all(axis=1)
    return np.asarray(y)[keep], probs[keep]
