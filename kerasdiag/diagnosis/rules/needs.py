"""What rules need from a run's anatomy: the task they apply to, and the chance level of that task.

Every rule declares what it needs with `@needs(...)`; `diagnose_run` asks `unmet_need` before calling it and turns an
unmet need into a `Skipped` with the reason ("a regression run: class rules do not apply"). `chance` is the one
place the chance level of a run is read: from the anatomy first, guessed as before only where a run has none.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.measure.record import Pinned, classes, pinned_accuracy
from kerasdiag.diagnosis.rules.base import Rule, fmt, num_classes
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.anatomy import MSE_NAMES, Task
from kerasdiag.rundir.record import RunRecord

NEEDS_ATTRIBUTE = "needs"


# --- what a model that learnt nothing scores -------------------------------------------------------------------


@dataclass(frozen=True)
class Chance:
    """What a model that learnt nothing scores on this run's task, each part None where unknown.

    Args:
        loss: The data loss of guessing: ln k (multi-class cross-entropy), ln 2 (binary), the targets'
            variance (MSE regression), (1 - 1/k) / k or 0.25 (a classifier trained with a squared error).
        accuracy: The accuracy of guessing: 1/k, or 0.5 for a binary classifier.
        task: The task it was read from (`Task.UNKNOWN` without an anatomy).
        classes: k, where known.
        guessed: True when the run has no anatomy and k was guessed from the data, predictions or output layer.
        squared: The classifier's loss is a squared error (named so, or read from its curves: `squared_error`).
        bound: `loss` is no chance level but a bound above any (`chance_bound`).
    """

    loss: float | None
    accuracy: float | None
    task: Task = Task.UNKNOWN
    classes: int | None = None
    guessed: bool = False
    squared: bool = False
    bound: bool = False

    def loss_phrase(self) -> Message:
        """The chance loss for a sentence: `the chance-level loss ln(10) = 2.3`."""
        value = fmt(self.loss)
        if self.bound:
            return say("chance.loss.bound", classes=f"{MAX_CLASSES:,}", value=value)
        if self.squared:
            return say("chance.loss.squared", classes=self.classes or 2, value=value)
        if self.guessed or self.task == Task.UNKNOWN:
            return say("chance.loss.guessed", value=value)
        if self.task.binary:
            return say("chance.loss.binary", value=value)
        if self.task == Task.REGRESSION:
            return say("chance.loss.regression", value=value)
        return say("chance.loss.multiclass", classes=self.classes or "k", value=value)

    def evidence(self) -> dict[str, Any]:
        """The task the chance level was read from, for a finding's evidence (nothing where k was guessed)."""
        return {} if self.guessed else {"task": self.task.value}


MAX_CLASSES = 1000  # a classifier whose logs give no k is taken to have at most this many classes (ln 1000 = 6.9)
FOCAL = ("focal",)  # a focal loss scores less than ln k for a uniform guess: its chance loss is not ln k
CROSS_ENTROPY_FLOOR = 0.2  # a loss below this x (1 - accuracy) x ln 2 is no cross-entropy (a gamma-2 focal: 0.25 x)
# (a focal loss with gamma 3 or class weights, unnamed in plain logs, can pass below it and read as a squared error)


def chance(record: RunRecord) -> Chance:
    """The chance level of this run's task, read from its anatomy first.

    Without an anatomy (records built in memory, logs without a model config), k is guessed as rules always did:
    the data summary, the predictions, else the output layer's units (one unit: two classes). With one, the task
    decides: ln k and 1/k for a multi-class model (k from the anatomy, else the data summary or predictions of the
    same run), ln 2 and 0.5 for a binary one ((1 - 1/k) / k for a classifier's squared error), the targets' variance
    for an MSE regression, and nothing otherwise.
    """
    anatomy = record.anatomy
    if anatomy is None:
        k = classes(record)  # as rules guessed k before runs had an anatomy
        if k and k > 1:
            return _over_classes(k, Task.UNKNOWN, None, record, guessed=True)
        return Chance(None, 1.0 / k if k else None, Task.UNKNOWN, k, guessed=True)
    task = anatomy.task if anatomy.outputs <= 1 else Task.UNKNOWN
    if task.multiclass:
        k = anatomy.num_classes or num_classes(record)
        if not k or k < 2:
            return Chance(None, None, task)
        return _over_classes(k, task, anatomy.loss, record)
    if task.binary:
        return _over_classes(2, task, anatomy.loss, record)
    if task == Task.UNKNOWN and anatomy.outputs <= 1 and anatomy.output_width and record.has("accuracy"):
        # A linear head without its loss (a `keras` tag): logged accuracy says it classifies, its width says over k.
        k = max(2, anatomy.output_width)
        return _over_classes(k, task, anatomy.loss, record, guessed=True)
    return Chance(anatomy.chance_loss if task == Task.REGRESSION else None, None, task)


def chance_bound(record: RunRecord) -> Chance:
    """The chance level where known; else, for a classifier's logs without a class count (accuracy logged), ln 1000:
    above ln k for any k it can have, so a loss far above it has blown up whatever k is."""
    level = chance(record)
    if level.loss is not None or not record.has("accuracy"):
        return level
    return Chance(math.log(MAX_CLASSES), None, level.task, guessed=True, bound=True)


def _over_classes(k: int, task: Task, loss: str | None, record: RunRecord, guessed: bool = False) -> Chance:
    """Guessing over k classes: ln k and 1/k; (1 - 1/k) / k for a squared error (one-hot or 0/1 targets against 1/k
    everywhere: 0.25 for two classes); no chance loss for a focal one."""
    if squared_error(loss, record):
        return Chance((1 - 1 / k) / k, 1.0 / k, task, k, guessed=guessed, squared=True)
    return Chance(None if _focal(loss) else math.log(k), 1.0 / k, task, k, guessed=guessed)


def squared_error(loss: str | None, record: RunRecord) -> bool:
    """A classifier's loss is a squared error: named so, or, where the logs name no loss, below the least
    cross-entropy its accuracy allows at some epoch: a wrong prediction gives the true class at most 0.5, so a
    cross-entropy is at least (1 - accuracy) x ln 2 (`CROSS_ENTROPY_FLOOR` of it: running means, focal losses)."""
    if loss is not None:
        return loss in MSE_NAMES
    for name in ("", "val_"):
        if record.has(f"{name}loss") and record.has(f"{name}accuracy"):
            values, accuracy = record.series(f"{name}loss"), record.series(f"{name}accuracy")
            n = min(values.size, accuracy.size)
            floor = CROSS_ENTROPY_FLOOR * (1 - accuracy[:n]) * math.log(2)
            # a positive loss: cosine-similarity-like losses go below 0 and are no squared error either
            below = np.isfinite(values[:n]) & np.isfinite(floor) & (values[:n] > 0) & (values[:n] < floor)
            if below.any():
                return True
    return False


def _focal(loss: str | None) -> bool:
    return loss is not None and any(word in loss.lower() for word in FOCAL)


# --- what a rule needs from the run's anatomy -----------------------------------------------------------------


@dataclass(frozen=True)
class Needs:
    """What a rule needs from the run's anatomy; `diagnose_run` skips it, with the reason, where that rules it out.

    A run without an anatomy (`record.anatomy is None`) meets every need: the rules then judge it as they always
    did. An unknown task rules nothing out by itself; a need for a chance level is unmet only where it is unknown.

    Args:
        classifier: One class per sample (multi-class or binary, one output): accuracy, class counts and
            class probabilities mean something. Regression, multi-label and multi-output models rule it out.
        chance_accuracy: The accuracy of guessing (1/k, 0.5) is known.
        probabilities: The saved predictions are class probabilities (rows in [0, 1] summing to 1), as
            kerasdiag saves them for every classifier (a binary head as `[1-p, p]`); not raw logits.
    """

    classifier: bool = False
    chance_accuracy: bool = False
    probabilities: bool = False
    scored_regression: bool = False  # ... or an MSE regression with its targets' variance (its chance level)


NOTHING = Needs()


def needs(**wanted: bool) -> Callable[[Rule], Rule]:
    """Declare what a rule needs from the anatomy: `@needs(classifier=True)` above `def check_...`."""
    declared = Needs(**wanted)

    def mark(rule: Rule) -> Rule:
        setattr(rule, NEEDS_ATTRIBUTE, declared)
        return rule

    return mark


def needs_of(rule: Rule) -> Needs:
    """What `rule` declared with `@needs`, or nothing."""
    declared = getattr(rule, NEEDS_ATTRIBUTE, NOTHING)
    return declared if isinstance(declared, Needs) else NOTHING


def unmet_need(rule: Rule, record: RunRecord) -> Message | None:
    """Why the run's anatomy rules `rule` out, as a catalog message, or None when it may run."""
    wanted, anatomy = needs_of(rule), record.anatomy
    if anatomy is None or wanted == NOTHING:
        return None
    if wanted.scored_regression and is_scored_regression(record):
        return None
    if wanted.classifier or wanted.chance_accuracy or wanted.probabilities:
        not_classes = not_a_classifier(record)
        if not_classes is not None:
            return not_classes
    if wanted.probabilities and not _class_probabilities(record):
        return say("needs.probabilities", task=say(f"task.{anatomy.task.value}"))
    if wanted.chance_accuracy and chance(record).accuracy is None:
        return say("needs.chance_accuracy", task=say(f"task.{anatomy.task.value}"))
    return None


def _class_probabilities(record: RunRecord) -> bool:
    """The saved predictions are class probabilities (rows in [0, 1] summing to 1): softmax outputs, the softmax
    of logits or a binary head's `[1-p, p]`, as kerasdiag stores them for every classifier. None saved: nothing
    to rule out here (the rule itself says no predictions were saved)."""
    if record.predictions is None:
        return True
    probs = np.asarray(record.predictions.probs, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[1] < 2 or not probs.size:
        return False
    finite = probs[np.isfinite(probs).all(axis=1)]
    inside = bool(((finite >= 0.0) & (finite <= 1.0)).all())
    return inside and bool(np.allclose(finite.sum(axis=1), 1.0, atol=1e-3))


def is_scored_regression(record: RunRecord) -> bool:
    """A regression whose chance level (the targets' variance under an MSE loss) is known."""
    return record.anatomy is not None and record.anatomy.task == Task.REGRESSION and chance(record).loss is not None


def not_a_classifier(record: RunRecord) -> Message | None:
    """Why the anatomy rules out one class per sample (a regression, multi-label or multi-output model), or None."""
    anatomy = record.anatomy
    if anatomy is None:
        return None
    if anatomy.outputs > 1:
        return say("needs.multi_output", outputs=anatomy.outputs)
    if anatomy.task == Task.REGRESSION:
        return say("needs.regression", loss=anatomy.loss or "?")
    if anatomy.task == Task.MULTILABEL:
        return say("needs.multilabel", labels=anatomy.num_classes or "?")
    return None


def pinned_at_chance(record: RunRecord, th: Thresholds, min_share: float | None = None) -> Pinned | None:
    """`measure.record.pinned_accuracy`, with the chance accuracy of `chance` (the anatomy's, where there is one)."""
    pinned = pinned_accuracy(record, th, min_share)
    if pinned is None or record.anatomy is None:
        return pinned
    return dataclasses.replace(pinned, chance=chance(record).accuracy)
