"""accuracy-plateau's measurement: the longest stretch where an accuracy curve stays flat, and its loss meanwhile.

Stretches are measured in epochs, not logged values: `keras.callbacks.TensorBoard(update_freq=N)` and
`fit(validation_freq=k)` leave one value every few epochs (NaN between), and such a curve is read from its logged
epochs, not cut at its first gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kerasdiag.diagnosis.measure.series import longest_flat_run, relative_drop
from kerasdiag.diagnosis.rules.base import NotEvaluable, require_metric
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord

STEP_TOLERANCE = 1.01  # "flat" allows one sample flipping back and forth (in steps of 1/n)
UNKNOWN_STEP_TOLERANCE = 0.001  # accuracy tolerance when the number of samples is unknown


@dataclass(frozen=True)
class AccuracyPlateau:
    metric: str
    start_epoch: int
    end_epoch: int
    length: int  # epochs the stretch spans
    values: int  # logged values inside it (fewer than `length` where the log skips epochs)
    accuracy: float  # the stretch's median: a value it sat at, whichever end a flipping sample started it
    highest: float  # the stretch's highest value
    loss_start: float
    loss_end: float
    loss_drop: float
    late_drop: float  # share the loss fell over the second half of the stretch: it keeps falling
    mid_epoch: int  # where that second half starts
    step: float | None  # 1 / number of samples: how much one flipped sample moves accuracy
    covers_end: bool
    share_of_run: float


def measure_accuracy_plateaus(record: RunRecord, th: Thresholds) -> list[AccuracyPlateau]:
    found = []
    for acc_name, loss_name, samples in _accuracy_series(record):
        acc, loss, numbers = _logged(record, require_metric(record, acc_name, th.min_epochs), loss_name)
        if acc.size == 0:  # no epoch holds both: no stretch to measure
            continue
        step = 1.0 / samples if samples else None
        tolerance = STEP_TOLERANCE * step if step else UNKNOWN_STEP_TOLERANCE
        start, end = longest_flat_run(acc, tolerance)
        middle = (start + end) // 2
        length = int(numbers[end] - numbers[start]) + 1
        found.append(
            AccuracyPlateau(
                metric=acc_name,
                start_epoch=int(numbers[start]),
                end_epoch=int(numbers[end]),
                length=length,
                values=end - start + 1,
                accuracy=float(np.median(acc[start : end + 1])),
                highest=float(np.max(acc[start : end + 1])),
                loss_start=float(loss[start]),
                loss_end=float(loss[end]),
                loss_drop=relative_drop(float(loss[start]), float(loss[end])),
                late_drop=relative_drop(float(loss[middle]), float(loss[end])),
                mid_epoch=int(numbers[middle]),
                step=step,
                covers_end=end == acc.size - 1,
                share_of_run=length / max(epochs_run(record), 1),
            )
        )
    return found


def _accuracy_series(record: RunRecord) -> list[tuple[str, str, int | None]]:
    """(accuracy metric, its loss, samples it counts) for the training and validation curves."""
    series = []
    if record.has("accuracy") and record.has("loss"):
        train = record.data.train.samples if record.data is not None else None
        series.append(("accuracy", "loss", train))
    if record.has("val_accuracy") and record.has("val_loss"):
        validation = record.data.validation if record.data is not None else None
        series.append(("val_accuracy", "val_loss", validation.samples if validation else None))
    if not series:
        raise NotEvaluable(say("accuracy-plateau.skip.no_accuracy"))
    return series


def _logged(record: RunRecord, acc: np.ndarray, loss_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The accuracy, its loss and their epoch numbers at the epochs that logged both finite, up to the first epoch
    whose loss is not finite (a divergence ends the curve; a gap where nothing was logged does not)."""
    loss = record.series(loss_name)
    n = min(acc.size, loss.size)
    acc, loss, numbers = acc[:n], loss[:n], np.asarray(record.epoch_numbers[:n])
    blown = np.flatnonzero(np.isinf(loss) | (np.isnan(loss) & np.isfinite(acc)))
    cut = int(blown[0]) if blown.size else n
    keep = np.flatnonzero(np.isfinite(acc[:cut]) & np.isfinite(loss[:cut]))
    return acc[keep], loss[keep], numbers[keep]


def epochs_run(record: RunRecord) -> int:
    """Epochs the run's log spans, first to last epoch number (more than its values where it skips epochs)."""
    numbers = record.epoch_numbers
    return int(numbers[-1] - numbers[0]) + 1 if len(numbers) else 0
