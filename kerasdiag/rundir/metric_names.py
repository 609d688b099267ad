"""Which metric a name from someone else's logs means: `Loss/val` -> `val_loss`, `train/acc` -> `accuracy`.

Shared by every reader of foreign logs: TensorBoard tags written by torch's or TensorFlow's
`SummaryWriter` (all in one folder), CSVLogger columns and `History.history` keys. A name is split
into words at `/`, `_`, `-`, `.`, `:`, brackets, spaces and camelCase humps, case ignored; it names a
metric when every word is a known one: exactly one metric word (`loss`, `acc`, `accuracy`, `lr`, ...),
at most one split word (`train`, `val`, `valid`, `validation`, `test`, ...) and optional filler (`epoch`).
Anything else (`batch_loss`, `grad/total_norm`, `dense_1_loss`) is not an epoch metric and is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

TRAIN_WORDS = ("train", "training", "trn")
# Rank: a validation split is preferred to a test split when a log has both.
VALIDATION_WORDS = {"val": 0, "valid": 0, "validation": 0, "eval": 0, "evaluation": 0, "dev": 0, "test": 1}
FILLER_WORDS = ("epoch", "categorical", "sparse", "binary")
# Metric word(s) -> kerasdiag metric (the training split's name; validation adds `val_`).
METRIC_WORDS = {
    ("loss",): "loss",
    ("accuracy",): "accuracy",
    ("acc",): "accuracy",
    ("lr",): "learning_rate",
    ("learning", "rate"): "learning_rate",
}
NO_VALIDATION = ("learning_rate",)
# Words joining two splits in a chart's title (`Training vs. Validation Loss`): not part of the metric's name.
JOINING_WORDS = ("vs", "versus", "and")


@dataclass(frozen=True)
class MetricName:
    """What a foreign name means.

    Args:
        metric: kerasdiag's metric name (`loss`, `val_accuracy`, ...).
        rank: Lower is preferred when several names mean the same metric.
    """

    metric: str
    rank: tuple[int, int]


def metric_for(name: str) -> MetricName | None:
    """The kerasdiag metric a tag, column or key names, or None if it names no epoch metric.

    Args:
        name: A TensorBoard tag, CSV column or History key, e.g. `Loss/val`.

    Returns:
        The metric and its preference rank, or None.

    Example:

    ```python
    metric_for("Accuracy/valid").metric  # "val_accuracy"
    metric_for("batch_loss")  # None
    ```
    """
    words = _words(name)
    fillers = sum(1 for w in words if w in FILLER_WORDS)
    splits = [w for w in words if w in TRAIN_WORDS or w in VALIDATION_WORDS]
    core = tuple(w for w in words if w not in FILLER_WORDS and w not in splits)
    metric = METRIC_WORDS.get(core)
    if metric is None or len(splits) > 1:
        return None
    split = splits[0] if splits else "train"
    if split in VALIDATION_WORDS:
        if metric in NO_VALIDATION:
            return None
        return MetricName(f"val_{metric}", (VALIDATION_WORDS[split], fillers))
    return MetricName(metric, (0, fillers))


def names_a_split(name: str) -> bool:
    """Tells whether `name` holds a split word (`train`, `val`, `test`, ...): `Loss/val` does, `epoch_loss` not."""
    return any(w in TRAIN_WORDS or w in VALIDATION_WORDS for w in _words(name))


def scalars_metric(main_tag: str, key: str) -> MetricName | None:
    """The metric one series of torch's `add_scalars(main_tag, {key: value})` names, or None.

    The key names the split and the main tag the metric (`("Loss", "val")`, and the PyTorch tutorial's
    `("Training vs. Validation Loss", "Validation")`, whose split words in the main tag are passed over), or the
    key names the metric (`("val", "loss")`, `("Losses", "val_loss")`).

    Example:

    ```python
    scalars_metric("Loss", "train").metric  # "loss"
    scalars_metric("Accuracy", "test").metric  # "val_accuracy"
    ```
    """
    joined = (TRAIN_WORDS, VALIDATION_WORDS, FILLER_WORDS, JOINING_WORDS)
    metric_words = [w for w in _words(main_tag) if not any(w in words for words in joined)]
    return metric_for(f"{main_tag}/{key}") or metric_for("/".join([*metric_words, key])) or metric_for(key)


def map_names(
    names: list[str], meaning: Callable[[str], MetricName | None] = metric_for
) -> tuple[dict[str, str], list[str]]:
    """Picks, for each metric, the best of the names that mean it.

    Args:
        names: Tags, columns or keys, in the order the log holds them.
        meaning: What a name means. Defaults to `metric_for`.

    Returns:
        `{name: metric}` for the names used, and the names ignored (unknown, or a worse
        spelling of a metric already read), both in the given order.
    """
    best: dict[str, tuple[tuple[int, int], int, str]] = {}
    for order, name in enumerate(names):
        meant = meaning(name)
        if meant is None:
            continue
        candidate = (meant.rank, order, name)
        if meant.metric not in best or candidate < best[meant.metric]:
            best[meant.metric] = candidate
    chosen = {entry[2]: metric for metric, entry in best.items()}
    used = {name: chosen[name] for name in names if name in chosen}
    return used, [name for name in names if name not in chosen]


def epoch_offset(first_step: int) -> int:
    """What to add to a step to get a 1-based epoch: steps counted from 0 get 1, from 1 get 0."""
    return 1 if first_step <= 0 else 0


def _words(name: str) -> list[str]:
    """Words at `/`, `_`, `-`, `.`, `:`, brackets and spaces, and where camelCase starts one (`valLoss`)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return [w for w in re.split(r"[/_\-.:()\[\]\s]+", spaced.lower()) if w]
