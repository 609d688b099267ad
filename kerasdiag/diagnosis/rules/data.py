"""validation-mismatch, unnormalized-input and class-imbalance: every evidence path of the data rules.

A run with a data summary (kerasdiag's own runs) is judged on its class counts and input range. Without one
(plain Keras logs) the curves stand in (unnormalized-input's epoch-1 loss path: rules/first_loss.py); those findings
carry `basis` and `confidence: low` in their evidence: curves admit other explanations than class counts do.

validation-mismatch and class-imbalance need a classifier (class counts and accuracy over chance mean nothing for a
regression or a multi-label model). unnormalized-input needs nothing for its input range; its epoch-1 loss path
compares the data loss with the chance loss of a classifier (ln k, ln 2) and is skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Severity
from kerasdiag.diagnosis.measure.record import (
    CURVES,
    basis,
    binary_entropy,
    inputs_in_range,
    layer_facts,
    negative_bias_relus,
)
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix
from kerasdiag.diagnosis.rules.base import NotEvaluable, about, config_value, finding, fix, fmt, require_metric, skill
from kerasdiag.diagnosis.rules.first_loss import first_loss_finding
from kerasdiag.diagnosis.rules.needs import chance, needs, pinned_at_chance, squared_error, unmet_need
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord

MISMATCH = about("validation-mismatch")
INPUT = about("unnormalized-input")
IMBALANCE = about("class-imbalance")
SHUFFLE = fix("--shuffle", say("validation-mismatch.fix.shuffle"))


def class_shares(counts: dict[int, int], labels: list[int]) -> list[float]:
    total = sum(counts.values())
    return [counts.get(c, 0) / total if total else 0.0 for c in labels]


def sampling_distance(shares: list[float], samples: int) -> float:
    """The total-variation distance a random split of `samples` drawn from classes with these shares has on average
    (normal approximation: E|p^ - p| = sqrt(2 p (1 - p) / (pi n)) per class): a small split differs by chance."""
    if samples <= 0:
        return 0.0
    return 0.5 * sum(math.sqrt(2 * p * (1 - p) / (math.pi * samples)) for p in shares)


def total_variation(p: list[float], q: list[float]) -> float:
    """Half the L1 distance between two distributions: 0 identical, 1 disjoint."""
    return 0.5 * sum(abs(a - b) for a, b in zip(p, q))


@needs(classifier=True)
def check_validation_mismatch(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Validation classes unlike training's: from class counts, else from accuracy far below chance.

    Needs a classifier: class counts and accuracy over chance mean nothing for a regression or a multi-label model.
    The curve path also needs the chance accuracy (skipped where the anatomy leaves it unknown).
    """
    if record.data is None:
        return _mismatch_from_curves(record, th)
    data = record.data
    if data.validation is None and not record.has("val_loss"):  # fit without validation data: nothing to compare
        raise NotEvaluable(say("validation-mismatch.skip.no_validation"))
    if data.validation is None or not data.validation.class_counts:
        raise NotEvaluable(say("validation-mismatch.skip.no_validation_counts"))
    train, val = data.train.class_counts, data.validation.class_counts
    labels = sorted(set(train) | set(val))
    distance = total_variation(class_shares(train, labels), class_shares(val, labels))
    unseen = [c for c in labels if val.get(c, 0) > 0 and train.get(c, 0) == 0]
    chance = sampling_distance(class_shares(train, labels), sum(val.values()))
    needed = max(th.mismatch_distance, th.mismatch_noise_factor * chance)
    if not unseen and distance < needed:
        return []
    severity = Severity.ERROR if unseen or distance >= max(th.mismatch_distance_error, needed) else Severity.WARNING
    evidence = _counts_evidence(train, val, labels, th) | {"total_variation": distance, "sampling_distance": chance}
    evidence |= {"classes_unseen_in_training": unseen, "shuffle": config_value(record, "shuffle")}
    present = evidence["validation_classes"]
    summary = say(
        "validation-mismatch.summary.counts",
        train=_shown(evidence["train_class_counts"]),
        validation=_shown(evidence["validation_class_counts"]),
        distance=fmt(distance),
        threshold=fmt(needed),
        unseen=say("validation-mismatch.unseen", classes=str(unseen)) if unseen else "",
        single=say("validation-mismatch.single", label=present[0]) if len(present) == 1 and len(labels) > 1 else "",
    )
    return [finding("validation-mismatch", severity, summary, evidence, [SHUFFLE], MISMATCH)]


def _counts_evidence(train: dict[int, int], val: dict[int, int], labels: list[int], th: Thresholds) -> dict[str, Any]:
    return {
        "train_class_counts": {str(c): train.get(c, 0) for c in labels},
        "validation_class_counts": {str(c): val.get(c, 0) for c in labels},
        "classes_missing_in_validation": [c for c in labels if val.get(c, 0) == 0],
        "validation_classes": [c for c in labels if val.get(c, 0) > 0],
        "threshold_warning": th.mismatch_distance,
        "threshold_error": th.mismatch_distance_error,
        "threshold_noise_factor": th.mismatch_noise_factor,
    }


def validation_mismatched(record: RunRecord, th: Thresholds) -> bool:
    """Whether `validation-mismatch` reports this run: its validation split then holds other classes than training,
    so its validation curves say nothing about how the model generalises."""
    if unmet_need(check_validation_mismatch, record) is not None:
        return False
    try:
        return bool(check_validation_mismatch(record, th))
    except NotEvaluable:
        return False


def _shown(counts: dict[str, int]) -> str:
    """Class counts for a sentence: `{0: 50, 1: 50, 2: 20}`."""
    return "{" + ", ".join(f"{c}: {n}" for c, n in counts.items()) + "}"


def _mismatch_from_curves(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Validation accuracy far below chance while training accuracy is good: validation holds other classes."""
    train = finite_prefix(require_metric(record, "accuracy", th.mismatch_min_epochs))
    val = require_metric(record, "val_accuracy", th.mismatch_min_epochs)
    val = val[np.isfinite(val)]  # every validation, also where fit(validation_freq=k) left epochs between them
    level = chance(record)
    if level.accuracy is None and not level.guessed:
        raise NotEvaluable(say("needs.chance_accuracy", task=say(f"task.{level.task.value}")))
    k = level.classes
    chance_accuracy = level.accuracy if level.accuracy is not None else 0.1  # no anatomy, no k: as before
    train_end, val_end = end_level(train, th.patience), end_level(val, th.patience)
    train_skill = skill(train_end, chance_accuracy)
    if train_skill < th.underfit_skill or not val_end <= th.mismatch_val_share * chance_accuracy:
        return []  # (a NaN end level is no evidence either)
    evidence = {
        "train_accuracy": train_end,
        "val_accuracy": val_end,
        "train_skill": train_skill,
        "chance_accuracy": chance_accuracy,
        "classes": k,
        **level.evidence(),
        "threshold_val_share_of_chance": th.mismatch_val_share,
        **basis(CURVES),
    }
    summary = say(
        "validation-mismatch.summary.curves",
        val_end=fmt(val_end),
        share=fmt(th.mismatch_val_share),
        chance=fmt(chance_accuracy),
        train_end=fmt(train_end),
    )
    return [finding("validation-mismatch", Severity.WARNING, summary, evidence, [SHUFFLE], MISMATCH)]


def check_unnormalized_input(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Inputs far outside a small range. Needs nothing for the input range; the epoch-1 loss path needs a classifier.

    A regression's first MSE is set by its targets' scale as much as by its inputs, so that path is skipped for one.
    """
    data = record.data
    if data is None or (data.input_max is None and data.input_std is None):
        return first_loss_finding(record, th)
    low, high, std = data.input_min, data.input_max, data.input_std
    # Standardised features (mean and spread small) with a heavy tail are scaled: a few far values are no fault.
    if inputs_in_range(record, th):
        return []  # the inputs were measured in range: a high first loss has another cause (learning rate, init)
    evidence = {
        "input_min": low,
        "input_max": high,
        "input_mean": data.input_mean,
        "input_std": std,
        "normalize": config_value(record, "normalize"),
        "threshold_abs_max": th.input_abs_max,
        "threshold_std": th.input_std_max,
    }
    summary = say(
        "unnormalized-input.summary.range",
        low=fmt(low),
        high=fmt(high),
        std=fmt(std),
        abs_max=fmt(th.input_abs_max),
        std_max=fmt(th.input_std_max),
    )
    flags = evidence["normalize"] is not None  # a `train` run: its flag; a script or plain logs: no flag to name
    fixes = [fix("--normalize", say("unnormalized-input.fix.normalize" if flags else "unnormalized-input.fix.scale"))]
    return [finding("unnormalized-input", Severity.WARNING, summary, evidence, fixes, INPUT)]


@needs(classifier=True)
def check_class_imbalance(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Training classes very unequal: from class counts, else from an accuracy pinned far above chance.

    Needs a classifier: a regression's integer targets are no classes (a 347-class "imbalance" is a target range).
    """
    if record.data is None:
        return _majority_from_curves(record, th)
    data = record.data
    counts = {c: n for c, n in data.train.class_counts.items() if n > 0}
    if not counts:
        raise NotEvaluable(say("class-imbalance.skip.no_train_counts"))
    largest, smallest = max(counts.values()), min(counts.values())
    ratio = largest / smallest
    if ratio < th.imbalance_ratio:
        return []
    weighted = bool(config_value(record, "weighted_classes"))  # fit(class_weight=... or sample_weight=...)
    severity = Severity.WARNING if ratio >= th.imbalance_ratio_warning and not weighted else Severity.INFO
    evidence = {
        "weighted_classes": weighted,
        "train_class_counts": {str(c): n for c, n in sorted(counts.items())},
        "ratio": ratio,
        "absent_classes": [c for c in range(data.num_classes or 0) if c not in counts],
        "threshold_info": th.imbalance_ratio,
        "threshold_warning": th.imbalance_ratio_warning,
    }
    summary = say(
        "class-imbalance.summary.counts",
        largest=largest,
        smallest=smallest,
        ratio=fmt(ratio),
        threshold_info=fmt(th.imbalance_ratio),
        threshold_warning=fmt(th.imbalance_ratio_warning),
    )
    summary = say("class-imbalance.weighted", summary=summary) if weighted else summary
    fixes = [] if weighted else [fix(f"--train-size {smallest}", say("class-imbalance.fix.same_count"))]
    return [finding("class-imbalance", severity, summary, evidence, fixes, IMBALANCE)]


def _below_constant_guess(record: RunRecord, share: float, th: Thresholds) -> bool:
    """The end loss lies `pinned_entropy_margin` below the entropy H(share) of a majority share above 0.5: the least
    cross-entropy any constant prediction scores on classes whose largest has that share."""
    if not record.has("loss") or not 0.5 < share < 1.0 or not cross_entropy_loss(record):
        return False
    loss = record.series("loss")
    loss = loss[np.isfinite(loss)]
    end = float(loss[-th.patience :].mean()) if loss.size else float("nan")
    return end < (1.0 - th.pinned_entropy_margin) * float(binary_entropy(share))


def cross_entropy_loss(record: RunRecord) -> bool:
    """The loss is a plain cross-entropy (H is its floor; a focal loss or MSE scores a constant guess lower). Logs
    that name no loss (plain curves, a TensorBoard graph without the compile step): taken as the usual one, unless
    the curves sit below any cross-entropy (`squared_error`)."""
    named = record.anatomy.loss if record.anatomy is not None else None
    if named is None and squared_error(None, record):
        return False
    name = named or "crossentropy"
    name = name.lower().replace("_", "")
    return "crossentropy" in name and "focal" not in name


def _majority_from_curves(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Training accuracy pinned far above chance from the first epochs: a majority-class predictor."""
    pinned = pinned_at_chance(record, th)
    if pinned is None:
        if not record.has("accuracy"):
            raise NotEvaluable(say("class-imbalance.skip.no_accuracy"))
        return []
    if pinned.chance is None or pinned.value < pinned.chance + th.pinned_majority_margin:
        return []
    if pinned.value >= 1.0 - th.pinned_tolerance:
        return []  # every training sample right: a perfect fit, not one predicted class
    if _below_constant_guess(record, pinned.value, th):
        return []  # a loss no constant guess reaches: the model tells the classes apart
    evidence: dict[str, Any] = {
        "pinned_accuracy": pinned.value,
        "from_epoch": pinned.from_epoch,
        "spread": pinned.spread,
        "chance_accuracy": pinned.chance,
        "majority_share_estimate": pinned.value,
        "dead_network_evidence": layer_facts(negative_bias_relus(record)),
        "points_to": "class imbalance: a constant prediction scores the majority class's share",
        "threshold_margin": th.pinned_majority_margin,
        **basis(CURVES),
    }
    summary = say(
        "class-imbalance.summary.pinned",
        value=fmt(pinned.value),
        epoch=pinned.from_epoch,
        spread=fmt(pinned.spread),
        chance=fmt(pinned.chance),
    )
    fixes = [fix("--train-size 1000", say("class-imbalance.fix.balance"))]
    return [finding("class-imbalance", Severity.WARNING, summary, evidence, fixes, IMBALANCE)]
