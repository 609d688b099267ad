"""underfitting of an MSE regression: R^2 (1 - MSE / the targets' variance) poor on training and validation.

The targets' variance is the MSE of predicting their mean, a regression's chance level; kerasdiag's run.json keeps
it (`anatomy.target_variance`), plain logs do not, so there this is not evaluated. Judged on the data loss where
Keras's loss holds an L1/L2 penalty (`loss_series`), against the training targets' variance on both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix, relative_drop, smooth
from kerasdiag.diagnosis.rules.base import about, finding, fmt, pct
from kerasdiag.diagnosis.rules.curves import diverging
from kerasdiag.diagnosis.rules.loss_series import loss_series, require_train_loss
from kerasdiag.diagnosis.rules.needs import chance
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord

UNDERFIT = about("underfitting")


def check_regression_underfitting(
    record: RunRecord, th: Thresholds, fixes: Callable[[RunRecord, bool, Thresholds], list[Fix]]
) -> list[Finding]:
    """R^2 below `underfit_r2` on the training (data) loss and on the validation loss (where logged).

    Args:
        fixes: underfitting's fixes for a run and whether it is still learning (for a classifier too).
    """
    variance = chance(record).loss
    if variance is None or variance <= 0:
        return []
    series = loss_series(record)
    loss = finite_prefix(require_train_loss(record, series, th.min_epochs))
    r2 = 1 - end_level(loss, th.patience) / variance
    val = series.val[np.isfinite(series.val)] if record.has("val_loss") else np.array([])  # every validation
    val_r2 = 1 - end_level(val, th.patience) / variance if val.size >= th.patience else None
    if r2 >= th.underfit_r2 or (val_r2 is not None and val_r2 >= th.underfit_r2) or diverging(record, th):
        return []
    window = min(th.plateau_window, loss.size - 1)
    drop = relative_drop(float(smooth(loss, th.smooth_window)[-window - 1]), end_level(loss, th.patience))
    evidence = _evidence(record, th, r2, val_r2, variance, drop, window) | series.evidence()
    summary = say(
        "underfitting.summary.regression",
        r2=fmt(r2),
        val_r2=fmt(val_r2) if val_r2 is not None else say("underfitting.no_validation"),
        variance=fmt(variance),
        threshold=fmt(th.underfit_r2),
        drop=pct(drop),
        window=window,
    )
    still = evidence["still_learning"]
    return [finding("underfitting", Severity.WARNING, summary, evidence, fixes(record, still, th), UNDERFIT)]


def _evidence(
    record: RunRecord, th: Thresholds, r2: float, val_r2: float | None, variance: float, drop: float, window: int
) -> dict[str, Any]:
    return {
        "train_r2": r2,
        "val_r2": val_r2,
        "target_variance": variance,
        "loss_drop_last_window": drop,
        "window_epochs": window,
        "still_learning": drop > th.underfit_still_learning,
        "threshold_r2": th.underfit_r2,
        "threshold_still_learning": th.underfit_still_learning,
        **chance(record).evidence(),
    }
