"""over-regularization: a weight penalty or dropout so strong that training cannot fit.

"Cannot fit" is training accuracy stuck below a skill over chance (a classifier with a known chance accuracy), or a
regression's training R^2 (1 - data MSE / the targets' variance, itself a skill: 0 at predicting the mean) stuck
below the same limit where the targets' variance is known (kerasdiag's run.json). The penalty's share is measured
against the data loss plus the penalty on the probe batch where both were measured (the same weights), else against
Keras's epoch loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.measure.series import end_level
from kerasdiag.diagnosis.rules.base import (
    NotEvaluable,
    about,
    config_value,
    finding,
    fix,
    fmt,
    pct,
    require_metric,
    skill,
)
from kerasdiag.diagnosis.rules.loss_series import loss_series, require_train_loss
from kerasdiag.diagnosis.rules.needs import chance, is_scored_regression, needs, unmet_need
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.messages.said import Joined
from kerasdiag.rundir.record import RunRecord

RULE = "over-regularization"
ABOUT = about(RULE)


@dataclass(frozen=True)
class Regularization:
    """How strongly a run is regularised, from the model (or flags) and the measured penalty."""

    dropout: float
    l1: float
    l2: float
    penalty_share: float | None  # penalty / loss over the last epochs, None when not measured
    share_of: str = "loss"  # what the share is of: Keras's `loss`, or `data_loss + penalty_loss` (probe batch)

    def strong(self, th: Thresholds) -> list[Message]:
        """The settings at or above their thresholds, as short phrases."""
        reasons = []
        if self.penalty_share is not None and self.penalty_share >= th.overreg_penalty_share:
            share, least = pct(self.penalty_share), pct(th.overreg_penalty_share)
            reasons.append(say(f"{RULE}.reason.penalty", share=share, threshold=least))
        for name, value, limit in (
            ("dropout", self.dropout, th.overreg_dropout),
            ("l1", self.l1, th.overreg_l1),
            ("l2", self.l2, th.overreg_l2),
        ):
            if value >= limit:
                reasons.append(say(f"{RULE}.reason.{name}", value=fmt(value), threshold=fmt(limit)))
        return reasons


def measure_regularization(record: RunRecord, th: Thresholds) -> Regularization:
    """Strongest dropout / L1 / L2 of the model (or the flags) and the penalty's share of the loss."""
    if record.model is not None:
        rates = [layer.rate or 0.0 for layer in record.model.layers if layer.kind == "Dropout"]
        dropout = max(rates, default=0.0)
        l1 = max((layer.l1 for layer in record.model.layers), default=0.0)
        l2 = max((layer.l2 for layer in record.model.layers), default=0.0)
    elif record.config is not None:
        dropout, l1, l2 = (float(config_value(record, k, 0.0)) for k in ("dropout", "l1", "l2"))
    else:
        dropout = l1 = l2 = 0.0
    share, share_of = _penalty_share(record, th)
    if record.model is None and record.config is None and share is None:
        raise NotEvaluable(say(f"{RULE}.skip.no_settings"))
    return Regularization(dropout, l1, l2, share, share_of)


def _penalty_share(record: RunRecord, th: Thresholds) -> tuple[float | None, str]:
    """The penalty's share of the loss over the last epochs: of data + penalty where both were measured."""
    penalty = record.extra_series("penalty_loss")
    if not np.isfinite(penalty).any():
        return None, "loss"
    data = record.extra_series("data_loss")
    measured = record.anatomy is not None and bool(np.isfinite(data).any())
    total = data + penalty if measured else record.series("loss")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = penalty / total
    if not np.isfinite(ratio).any():
        return None, "loss"
    return min(1.0, end_level(ratio, th.patience)), "data_loss + penalty_loss" if measured else "loss"


@dataclass(frozen=True)
class FitLevel:
    accuracy: float  # mean train accuracy over the last epochs (a regression: R^2)
    val_accuracy: float | None
    skill: float  # (accuracy - chance) / (1 - chance) (a regression: R^2 itself)
    gain: float  # train accuracy gained over the last window
    window: int
    r2_of: float | None = None  # a regression: the targets' variance its R^2 is measured against
    basis: dict[str, Any] = field(default_factory=dict)  # a regression: `LossSeries.evidence()` of the loss judged
    low_confidence: bool = False  # ... judged on a loss that holds an unmeasured penalty: an info, not a warning


def measure_fit_level(record: RunRecord, th: Thresholds) -> FitLevel:
    """How far training got: accuracy and its skill over chance, or a scored regression's R^2 (same scale)."""
    if is_scored_regression(record):
        return _regression_fit_level(record, th)
    acc = require_metric(record, "accuracy", th.min_epochs)
    acc = acc[np.isfinite(acc)]
    window = min(th.plateau_window, acc.size - 1)
    end = end_level(acc, th.patience)
    val = end_level(record.series("val_accuracy"), th.patience) if record.has("val_accuracy") else None
    gain = end - float(acc[-window - 1 : -window - 1 + th.patience].mean())
    return FitLevel(end, val, skill(end, chance(record).accuracy or 0.0), gain, window)


def _regression_fit_level(record: RunRecord, th: Thresholds) -> FitLevel:
    """R^2 of the data loss (Keras's loss less a measured penalty) on training and validation."""
    variance = chance(record).loss
    if variance is None or variance <= 0:  # constant targets: no spread to explain
        raise NotEvaluable(say("needs.target_variance", variance=fmt(variance or 0.0)))
    series = loss_series(record)
    r2 = 1 - require_train_loss(record, series, th.min_epochs) / variance
    r2 = r2[np.isfinite(r2)]
    window = min(th.plateau_window, r2.size - 1)
    end = end_level(r2, th.patience)
    val = series.val[np.isfinite(series.val)] if record.has("val_loss") else np.array([])
    val_r2 = 1 - end_level(val, th.patience) / variance if val.size >= th.patience else None
    gain = end - float(r2[-window - 1 : -window - 1 + th.patience].mean())
    return FitLevel(
        end,
        val_r2,
        end,
        gain,
        window,
        r2_of=variance,
        basis=series.evidence(),
        low_confidence=series.unmeasured_penalty,
    )


def over_regularized(record: RunRecord, th: Thresholds) -> tuple[FitLevel, Regularization, list[Message]] | None:
    """The measurements when training is stuck below `overreg_skill` with strong regularisation.

    None also where the anatomy rules the rule out (other rules defer to it only where it applies).
    """
    if unmet_need(check_over_regularization, record) is not None:
        return None
    level = measure_fit_level(record, th)
    reg = measure_regularization(record, th)
    reasons = reg.strong(th)
    # Stuck below `overreg_skill`, or creeping up (less than `overreg_creep_gain` a window) from a poor fit (below
    # underfitting's skill): held back either way. A poor fit climbing fast is only early in its training.
    creeping = level.skill < th.underfit_skill and level.gain < th.overreg_creep_gain
    stuck = level.skill < th.overreg_skill and (level.gain < th.overreg_flat_gain or creeping)
    if stuck and reasons:
        return level, reg, reasons
    gap = level.val_accuracy - level.accuracy if level.val_accuracy is not None else 0.0
    if gap >= th.overreg_val_gap and reg.dropout >= th.overreg_gap_dropout and level.skill < th.overreg_skill:
        # Dropout is off at validation: a model far better there than on its own (dropped) training batches.
        gap_reason = say(
            f"{RULE}.reason.val_gap{'.r2' if level.r2_of is not None else ''}",
            gap=fmt(gap),
            threshold=fmt(th.overreg_val_gap),
            dropout=fmt(reg.dropout),
        )
        return level, reg, [*reasons, gap_reason]
    return None


def held_by_regularization(record: RunRecord, th: Thresholds) -> bool:
    """Whether over-regularization explains a stuck run (other rules defer to it); False where it cannot tell."""
    try:
        return over_regularized(record, th) is not None
    except NotEvaluable:
        return False


@needs(classifier=True, chance_accuracy=True, scored_regression=True)
def check_over_regularization(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Training accuracy (a regression: R^2) stuck below `overreg_skill` with a strong penalty or dropout.

    Needs a classifier with a known chance accuracy (it judges training accuracy as skill over chance) or an MSE
    regression with its targets' variance (R^2).
    """
    measured = over_regularized(record, th)
    if measured is None:
        return []
    level, reg, reasons = measured
    evidence = {
        **_level_evidence(level),
        "penalty_share": reg.penalty_share,
        "penalty_share_of": reg.share_of,
        "dropout": reg.dropout,
        "l1": reg.l1,
        "l2": reg.l2,
        "reasons": [r.en for r in reasons],
        "threshold_skill": th.overreg_skill,
        "threshold_penalty_share": th.overreg_penalty_share,
    }
    summary = _summary(level, reasons, th)
    severity = Severity.INFO if level.low_confidence else Severity.WARNING
    return [finding(RULE, severity, summary, evidence | level.basis, _fixes(reg, th), ABOUT)]


def _summary(level: FitLevel, reasons: list[Message], th: Thresholds) -> Message:
    shown = {
        "accuracy": fmt(level.accuracy),
        "gain": fmt(level.gain),
        "window": level.window,
        "skill": fmt(level.skill),
        "threshold": fmt(th.overreg_skill),
        "reasons": Joined(tuple(reasons), "list.semicolon"),
    }
    if level.r2_of is not None:
        val_r2 = fmt(level.val_accuracy) if level.val_accuracy is not None else say("underfitting.no_validation")
        return say(f"{RULE}.summary.regression", **shown, val_r2=val_r2, variance=fmt(level.r2_of))
    if level.val_accuracy is None:
        return say(f"{RULE}.summary.train_only", **shown)
    return say(f"{RULE}.summary.with_validation", **shown, val_accuracy=fmt(level.val_accuracy))


def _level_evidence(level: FitLevel) -> dict[str, Any]:
    common = {"train_skill": level.skill, "accuracy_gain": level.gain, "window_epochs": level.window}
    if level.r2_of is None:
        return {"train_accuracy": level.accuracy, "val_accuracy": level.val_accuracy, **common}
    return {"train_r2": level.accuracy, "val_r2": level.val_accuracy, "target_variance": level.r2_of, **common}


def _fixes(reg: Regularization, th: Thresholds) -> list[Fix]:
    fixes = []
    if reg.l2 >= th.overreg_l2 or (reg.penalty_share and reg.l2 > 0):
        fixes.append(fix(f"--l2 {reg.l2 / 10:g}", say(f"{RULE}.fix.l2")))
    if reg.l1 >= th.overreg_l1 or (reg.penalty_share and reg.l1 > 0):
        fixes.append(fix(f"--l1 {reg.l1 / 10:g}", say(f"{RULE}.fix.l1")))
    if reg.dropout >= min(th.overreg_dropout, th.overreg_gap_dropout):
        fixes.append(fix("--dropout 0.3", say(f"{RULE}.fix.dropout")))
    return fixes
