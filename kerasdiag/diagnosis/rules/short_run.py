"""underfitting of a run stopped before the curve rules can judge it (`underfit_min_epochs` to `min_epochs` - 1).

A short run has no end level to average and no trend to read, so it is judged on its last epoch alone: accuracy as
skill over chance (or an MSE regression's R^2) below `underfit_short_share` of a long run's threshold (one epoch,
not averaged: a stricter bar), on training and on validation where logged. A 3-epoch run at chance is not healthy;
it is not proof that the model cannot learn either, so the finding says both, and "train longer" comes first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.measure.series import end_level
from kerasdiag.diagnosis.rules.base import about, finding, fix, fmt, skill
from kerasdiag.diagnosis.rules.curves import diverging
from kerasdiag.diagnosis.rules.loss_series import loss_series
from kerasdiag.diagnosis.rules.needs import chance, is_scored_regression
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord

UNDERFIT = about("underfitting")


def short_epochs(record: RunRecord, th: Thresholds) -> int | None:
    """The finished epochs of a run shorter than `min_epochs` but at least `underfit_min_epochs` long, else None."""
    count = loss_series(record).finite_train().size
    return count if th.underfit_min_epochs <= count < th.min_epochs else None


def check_short_underfitting(
    record: RunRecord, th: Thresholds, fixes: Callable[[RunRecord, bool, Thresholds], list[Fix]]
) -> list[Finding]:
    """A warning when the last epoch's training and validation scores are both below underfitting's threshold.

    Args:
        fixes: underfitting's fixes for a run and whether it is still learning (its "train longer" is replaced).
    """
    epochs = short_epochs(record, th)
    scores = _last_scores(record, th)
    if epochs is None or scores is None or diverging(record, th):
        return []
    key, train, val, threshold = scores
    if train >= threshold or (val is not None and val >= threshold):
        return []
    evidence = {
        "epochs": epochs,
        f"train_{key}": train,
        f"val_{key}": val,
        f"threshold_{key}": threshold,
        "threshold_min_epochs": th.min_epochs,
        **chance(record).evidence(),
        **loss_series(record).evidence(),
    }
    shown = fmt(val) if val is not None else say("underfitting.no_validation")
    summary = say(
        f"underfitting.summary.short_{key}", epochs=epochs, train=fmt(train), val=shown, threshold=fmt(threshold)
    )
    longer = fix(f"--epochs {4 * th.min_epochs}", say("underfitting.fix.short", epochs=epochs, needed=th.min_epochs))
    rest = [f for f in fixes(record, False, th) if not f.flags.startswith("--epochs")]
    return [finding("underfitting", Severity.WARNING, summary, evidence, [longer, *rest], UNDERFIT)]


def _last_scores(record: RunRecord, th: Thresholds) -> tuple[str, float, float | None, float] | None:
    """(`skill` or `r2`, training, validation or None, threshold) at the last finished epoch; None where unscored."""
    if is_scored_regression(record):
        variance = chance(record).loss
        if not variance or variance <= 0:
            return None
        series = loss_series(record)
        val = _last(series.val) if record.has("val_loss") else None
        r2_val = None if val is None else 1 - val / variance
        return "r2", 1 - float(series.finite_train()[-1]) / variance, r2_val, th.underfit_short_share * th.underfit_r2
    accuracy = _last(record.series("accuracy")) if record.has("accuracy") else None
    if accuracy is None:
        return None
    guess = chance(record).accuracy or 0.0  # unknown (plain logs, no class count): accuracy itself, as a long run's
    val = _last(record.series("val_accuracy")) if record.has("val_accuracy") else None
    bar = th.underfit_short_share * th.underfit_skill
    return "skill", skill(accuracy, guess), None if val is None else skill(val, guess), bar


def _last(values: np.ndarray) -> float | None:
    value = end_level(values, 1)  # the last finite value
    return value if np.isfinite(value) else None
