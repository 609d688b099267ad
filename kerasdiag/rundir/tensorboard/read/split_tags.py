"""What a tag in a split folder (`train/`, `validation/`, `test/`, ...) means.

An epoch metric is named as Keras names it (`epoch_loss`, `epoch_sparse_categorical_accuracy`) or as the
TensorBoard tutorial's `tf.GradientTape` loop does (`loss`, `accuracy`): `metric_names.metric_for` reads both, and
the held-out folder turns `loss` into `val_loss`. Keras also writes per-iteration points, whose step is a batch or
optimizer iteration, not an epoch: `batch_loss` in `train/` (with `update_freq=N`) and
`evaluation_loss_vs_iterations` in `validation/`. `update_freq.py` places them on epochs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kerasdiag.rundir.metric_names import NO_VALIDATION, MetricName, map_names, metric_for, names_a_split

BATCH_PREFIX = "batch_"
EVALUATION_TAG = re.compile(r"evaluation_(.+)_vs_iterations")
ITERATION_METRICS = ("loss", "accuracy")  # the per-iteration points read, as metrics of the training split
CACHED_TAGS = 4096  # tags whose meaning is remembered: every value of an event file asks for its tag's


@lru_cache(maxsize=CACHED_TAGS)
def epoch_meaning(split: str, tag: str) -> MetricName | None:
    """The metric an epoch tag of `split` (`train` or `validation`) names, or None.

    A tag that names a split itself (`val_loss` in `train/`) names nothing here.

    Example:

    ```python
    epoch_meaning("validation", "loss").metric  # "val_loss"
    epoch_meaning("train", "epoch_acc").metric  # "accuracy"
    ```
    """
    meaning = metric_for(tag)
    if meaning is None or meaning.metric.startswith("val_") or names_a_split(tag):
        return None
    if split == "train":
        return meaning
    if meaning.metric in NO_VALIDATION:
        return None
    return MetricName(f"val_{meaning.metric}", meaning.rank)


@lru_cache(maxsize=CACHED_TAGS)
def iteration_metric(split: str, tag: str) -> str | None:
    """The metric a per-iteration tag names (`batch_loss` -> `loss`, `evaluation_accuracy_vs_iterations` ->
    `val_accuracy`), or None."""
    if split == "train":
        name = tag[len(BATCH_PREFIX) :] if tag.startswith(BATCH_PREFIX) else None
    else:
        match = EVALUATION_TAG.fullmatch(tag)
        name = match.group(1) if match else None
    meaning = metric_for(name) if name else None
    if meaning is None or meaning.metric not in ITERATION_METRICS:
        return None
    return meaning.metric if split == "train" else f"val_{meaning.metric}"


def epoch_metric_names(split: str, tags: list[str]) -> dict[str, str]:
    """Tag -> metric for the epoch tags of one split, the best-named tag of each metric only."""
    used, _ = map_names(tags, lambda tag: epoch_meaning(split, tag))
    return used
