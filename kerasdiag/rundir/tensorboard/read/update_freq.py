"""Epoch values from the per-iteration points Keras writes, where its epoch scalars are missing.

`keras.callbacks.TensorBoard(update_freq=N)` (Keras 3) records everything, the epoch scalars included, only
where the batch counter is a multiple of N: with 3 batches an epoch and N = 2, `epoch_loss` is written for
epochs 2, 4, 6, ... only. Two other series survive in between:

- `validation/evaluation_<metric>_vs_iterations`: the validation result of each epoch, at step =
  optimizer iterations = epoch x steps per epoch (recorded where the *validation* batch counter is a
  multiple of N, so often at other epochs than the epoch scalars);
- `train/batch_<metric>`: the epoch's running mean at every N-th batch.

The steps per epoch are found where an epoch has both: the same number at epoch e and at iteration
e x steps. Then a validation point becomes its epoch's value, and the last batch point of an epoch
(a running mean over most of its batches) its training value. Epoch scalars, where written, always win.
An epoch is added where the points give it every *training* metric the epochs with scalars have (the
learning rate aside); its validation values where the points hold them. With one validation batch an
epoch Keras writes the validation points as sparsely as the epoch scalars: the validation curve then has
gaps, which the rules that compare it read as the epochs validated (as with `fit(validation_freq=k)`).
"""

from __future__ import annotations

import math
from collections import Counter

from kerasdiag.rundir.metric_names import NO_VALIDATION

# Per tag, step -> value.
Values = dict[str, dict[int, float]]
# One split: its epoch scalars (metric -> 0-based epoch -> value) and its per-iteration points (tag -> its metric
# and iteration -> value).
Split = tuple[dict[str, dict[int, float]], dict[str, tuple[str, dict[int, float]]]]


def placed_points(splits: dict[str, Split]) -> dict[str, Values]:
    """Per split, the per-iteration points placed on the epochs that they complete (see the module docstring).

    Args:
        splits: Per split name, its epoch scalars per metric and its per-iteration points (see `Split`).

    Returns:
        Per split name, per tag, the 0-based epoch -> value of the epochs it fills.
    """
    steps = steps_per_epoch(*splits.values())
    filled = {name: epoch_points(*split, steps) for name, split in splits.items()}
    training = [epochs for name, (epochs, _) in splits.items() if name == "train"]
    required = {metric for epochs in training for metric in epochs if metric not in NO_VALIDATION}
    valued: dict[str, set[int]] = {}  # metric -> the epochs that have it
    for name, (epochs, points) in splits.items():
        for metric, series in epochs.items():
            valued.setdefault(metric, set()).update(series)
        for tag, placed in filled[name].items():
            valued.setdefault(points[tag][0], set()).update(placed)
    complete = set.intersection(*(valued.get(metric, set()) for metric in required)) if required else set()
    return {
        name: {tag: kept for tag, placed in values.items() if (kept := _only(placed, complete))}
        for name, values in filled.items()
    }


def epoch_points(
    epochs: dict[str, dict[int, float]], points: dict[str, tuple[str, dict[int, float]]], steps: int | None
) -> Values:
    """The per-iteration points of one split placed on the epochs its epoch scalars miss.

    Args:
        epochs: Per metric, the 0-based epoch -> value of the epoch scalars.
        points: Per per-iteration tag, its metric and its iteration -> value.
        steps: The steps per epoch (see `steps_per_epoch`); None places nothing.

    Returns:
        Per tag, the 0-based epoch -> value of the epochs it fills (tags that fill none are left out).
    """
    if not steps:
        return {}
    filled: Values = {}
    for tag, (metric, series) in points.items():
        known = epochs.get(metric, {})
        placed = {epoch: value for epoch, value in _by_epoch(series, steps).items() if epoch not in known}
        if placed:
            filled[tag] = placed
    return filled


def steps_per_epoch(*splits: Split) -> int | None:
    """The steps per epoch that the epochs written both ways agree on.

    A point that alone holds epoch e's value, at iteration i, votes for i / (e + 1); the most voted count is taken
    if, at every epoch with an epoch scalar, the point at iteration (e + 1) x steps (where there is one) holds the
    same value. A value held at several iterations (a loss that does not move) votes for nothing.

    Args:
        *splits: Per split, its epoch scalars per metric and its per-iteration points (as in `epoch_points`).

    Returns:
        The steps per epoch, or None where no count is borne out (the points cannot be placed).
    """
    votes: Counter[int] = Counter()
    for epochs, points in splits:
        for metric, series in points.values():
            at = _iterations_by_value(series)
            for epoch, value in epochs.get(metric, {}).items():
                found = at.get(value, [])
                if len(found) == 1 and found[0] > 0 and found[0] % (epoch + 1) == 0:
                    votes[found[0] // (epoch + 1)] += 1
    ranked = sorted(votes, key=lambda steps: (-votes[steps], steps))
    return next((steps for steps in ranked if _borne_out(steps, splits)), None)


def _borne_out(steps: int, splits: tuple[Split, ...]) -> bool:
    """Every point at the end of an epoch with an epoch scalar holds that scalar's value."""
    for epochs, points in splits:
        for metric, series in points.values():
            for epoch, value in epochs.get(metric, {}).items():
                point = series.get((epoch + 1) * steps)
                if point is not None and point != value and not (math.isnan(point) and math.isnan(value)):
                    return False
    return True


def _only(placed: dict[int, float], epochs: set[int]) -> dict[int, float]:
    return {epoch: value for epoch, value in placed.items() if epoch in epochs}


def _iterations_by_value(series: dict[int, float]) -> dict[float, list[int]]:
    at: dict[float, list[int]] = {}
    for iteration, value in series.items():
        at.setdefault(value, []).append(iteration)
    return at


def _by_epoch(series: dict[int, float], steps: int) -> dict[int, float]:
    """0-based epoch -> the value of its last point: iterations (epoch x steps, (epoch + 1) x steps] are its own."""
    last: dict[int, int] = {}
    for iteration in series:
        if iteration > 0:
            epoch = (iteration - 1) // steps
            last[epoch] = max(last.get(epoch, 0), iteration)
    return {epoch: series[iteration] for epoch, iteration in last.items()}
