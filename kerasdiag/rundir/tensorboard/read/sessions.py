"""Several runs in one Keras log folder: merge event files the way TensorBoard does, and tell the runs apart.

A learner who runs a training script twice with the same `log_dir` gets a second event file per split whose
steps restart at 0. TensorBoard does not splice the two: an event at a step earlier than the last one seen
orphans every value at that step or later (`purge_orphaned_data`), so the curve shows the newest run.
`tensorboard_view` does the same; `runs` splits the files at each restart to step 0 so that each run can be
read (and diagnosed) on its own.
"""

from __future__ import annotations

from typing import TypeVar

# Per tag, step -> value: what one event file (or a merge of several) holds.
Values = dict[str, dict[int, float]]
T = TypeVar("T")


def first_step(values: Values) -> int | None:
    """The smallest step any tag of one file holds, or None for a file without values."""
    return min((min(series) for series in values.values() if series), default=None)


def last_step(values: Values) -> int | None:
    return max((max(series) for series in values.values() if series), default=None)


def tensorboard_view(files: list[Values]) -> tuple[Values, list[int]]:
    """Merge event files in order; a file starting at or before the last step seen purges steps from there on.

    Args:
        files: Per event file (oldest first), its values per tag and step.

    Returns:
        The merged values, and the steps at which a file restarted (one entry per restart).
    """
    merged: Values = {}
    restarts: list[int] = []
    for values in files:
        start, seen = first_step(values), last_step(merged)
        if start is not None and seen is not None and start <= seen:
            restarts.append(start)
            for series in merged.values():
                for step in [s for s in series if s >= start]:
                    del series[step]
        for tag, series in values.items():
            merged.setdefault(tag, {}).update(series)
    return {tag: series for tag, series in merged.items() if series}, restarts


def runs(files: list[T], values: list[Values]) -> list[list[T]]:
    """Group event files into runs: a new run begins at a file that restarts at step 0 after earlier values.

    Args:
        files: The event files (or anything standing for them), oldest first.
        values: Their values, in the same order.

    Returns:
        The files of each run, oldest run first (one group when nothing restarts).
    """
    groups: list[list[T]] = []
    seen = False
    for file, file_values in zip(files, values):
        start = first_step(file_values)
        if not groups or (seen and start == 0):
            groups.append([])
        groups[-1].append(file)
        seen = seen or start is not None
    return groups
