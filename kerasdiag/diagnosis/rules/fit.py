"""overfitting and underfitting: how the training and validation curves relate.

overfitting needs nothing from the anatomy (it compares the validation loss with its own minimum and the training
loss, any loss); underfitting needs a classifier with a known chance accuracy (accuracy as skill over chance). Both
judge the data loss where Keras's loss holds an L1/L2 penalty (`loss_series`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.config import DEFAULT_LR
from kerasdiag.diagnosis.code_fixes import OPTIMIZERS
from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix, noise_sd, rebound, relative_drop, smooth
from kerasdiag.diagnosis.rules.base import (
    NotEvaluable,
    about,
    config_value,
    finding,
    fix,
    fmt,
    pct,
    require_metric,
)
from kerasdiag.diagnosis.rules.calibration import calibration_facts
from kerasdiag.diagnosis.rules.curves import diverging
from kerasdiag.diagnosis.rules.loss_series import LossSeries, loss_series, require_train_loss
from kerasdiag.diagnosis.rules.needs import chance, is_scored_regression, needs
from kerasdiag.diagnosis.rules.overfit_notes import Overfit, not_overfitting, overfit_variant, rise_notes, skill_of
from kerasdiag.diagnosis.rules.regression_fit import check_regression_underfitting
from kerasdiag.diagnosis.rules.regularization import measure_fit_level
from kerasdiag.diagnosis.rules.short_run import check_short_underfitting, short_epochs
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

OVERFIT = about("overfitting")
UNDERFIT = about("underfitting")


def measure_overfit(record: RunRecord, th: Thresholds, series: LossSeries | None = None) -> Overfit:
    """The validation loss's rise above its minimum and the training loss's fall since then.

    Args:
        series: The losses to compare (`loss_series`): the data losses where Keras's hold a penalty.
            Defaults to `loss_series(record)`.
    """
    series = series or loss_series(record)
    loss = finite_prefix(require_train_loss(record, series, th.min_epochs))
    val = _require_val_loss(record, series, th.min_epochs)[: loss.size]
    kept = np.flatnonzero(np.isfinite(val))  # the epochs validated: all, or every k-th (fit(validation_freq=k))
    n = kept.size
    if n < th.min_epochs:
        raise NotEvaluable(say("overfitting.skip.short", needed=th.min_epochs, count=n))
    loss, val, epochs = loss[kept], val[kept], series.epochs[kept]
    best, smoothed = int(np.argmin(val)), smooth(val, th.smooth_window)
    smoothed_min, end_val = float(np.min(smoothed)), end_level(val, th.patience)
    train_end = end_level(loss, th.patience)
    train_rebound, low_at = rebound(loss[best:], float(np.median(loss[n - th.patience :])), th.patience)
    above = (lambda level: level / smoothed_min - 1) if smoothed_min > 0 else (lambda level: 0.0)
    return Overfit(
        best_epoch=int(epochs[best]),
        best_val=float(val[best]),
        smoothed_min=smoothed_min,
        end_val=end_val,
        rise=above(end_val),
        noise=noise_sd(val, th.smooth_window),
        train_at_best=float(loss[best]),
        train_end=train_end,
        train_drop=relative_drop(float(loss[best]), train_end),
        train_rebound=train_rebound,
        rise_while_fitting=above(end_level(val[: best + low_at + 1], th.patience)),
        train_low_epoch=int(epochs[best + low_at]),
        train_low=float(loss[best + low_at]),
        epochs_since_best=int(epochs[-1] - epochs[best]),
        epochs=n,
    )


def _require_val_loss(record: RunRecord, series: LossSeries, min_epochs: int) -> np.ndarray:
    """The validation series, or NotEvaluable when it has fewer than `min_epochs` finite values."""
    if not series.data:
        return require_metric(record, "val_loss", min_epochs)
    if not record.has("val_loss"):
        raise NotEvaluable(say("skip.no_metric", metric="val_loss"))
    count = int(np.isfinite(series.val).sum())
    if count < min_epochs:
        raise NotEvaluable(say("skip.too_few_epochs", needed=min_epochs, metric="val_loss - penalty_loss", count=count))
    return series.val


def check_overfitting(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Validation loss rising (or stalled) while the training loss falls.

    Needs nothing from the anatomy: it compares losses with themselves. With an L1/L2 penalty in Keras's loss it
    compares data losses (`loss_series`), so a shrinking penalty cannot hide a rising validation data loss; with
    an unmeasured penalty a rise is only an info. Its accuracy gate applies where chance accuracy is known.
    """
    series = loss_series(record)
    m = measure_overfit(record, th, series)
    variant = overfit_variant(m, th)
    if variant is None or not_overfitting(record, series, m.smoothed_min, th):
        return []
    rising = variant in ("rising", "memorised")
    evidence = {
        **m.__dict__,
        **_end_gap(record, series, th),
        **series.evidence(),
        "variant": variant,
        "threshold_rise": th.overfit_rise,
        "threshold_noise_factor": th.overfit_noise_factor,
        "threshold_train_drop": th.overfit_train_drop,
        "threshold_train_rebound": th.overfit_train_rebound,
    }
    calibration = calibration_facts(record, th)
    evidence |= calibration
    notes, facts = rise_notes(record, th, m.rise, m.smoothed_min) if rising else ([], {})
    evidence |= facts
    severity = series.severity(Severity.WARNING if rising and not notes else Severity.INFO)
    summary = _memorised_summary(m) if variant == "memorised" else _rising_summary(m, th) if rising else None
    summary = summary or _stalled_summary(m)
    summary = _with_calibration(series.told(summary, validation=True), calibration, th)
    for note in notes:
        summary = say("overfitting.noted", summary=summary, note=note)
    summary = say("overfitting.as_note", summary=summary) if notes else summary
    return [finding("overfitting", severity, summary, evidence, _overfit_fixes(record, m), OVERFIT)]


def _with_calibration(summary: Message, c: dict[str, Any], th: Thresholds) -> Message:
    """The summary plus how extreme the held-out probabilities are, where predictions were saved."""
    if not c:
        return summary
    shown = {
        "summary": summary,
        "samples": c["heldout_samples"],
        "high": fmt(th.extreme_probability),
        "low": fmt(1 - th.extreme_probability),
        "share": pct(c["heldout_extreme_true_share"]),
        "ece": fmt(c["heldout_ece"]),
    }
    if "best_epoch_ece" not in c:
        return say("overfitting.calibration", **shown)
    best = {"best_share": pct(c["best_epoch_extreme_true_share"]), "best_ece": fmt(c["best_epoch_ece"])}
    return say("overfitting.calibration.with_best", **shown, **best)


def _end_gap(record: RunRecord, series: LossSeries, th: Thresholds) -> dict[str, float]:
    """The train/validation gap over the last epochs: val_loss - loss (the judged losses), accuracy - val_accuracy."""
    gap = {"gap_loss": end_level(series.val, th.patience) - end_level(series.train, th.patience)}
    if record.has("accuracy") and record.has("val_accuracy"):
        train, val = (end_level(record.series(k), th.patience) for k in ("accuracy", "val_accuracy"))
        gap |= {"train_accuracy": train, "val_accuracy": val, "gap_accuracy": train - val}
    return gap


def _rising_summary(m: Overfit, th: Thresholds) -> Message:
    return say(
        "overfitting.summary.rising",
        best_val=fmt(m.best_val),
        best_epoch=m.best_epoch,
        end_val=fmt(m.end_val),
        patience=th.patience,
        rise=pct(m.rise),
        smoothed_min=fmt(m.smoothed_min),
        threshold=pct(th.overfit_rise),
        train_drop=pct(m.train_drop),
        train_at_best=fmt(m.train_at_best),
        train_end=fmt(m.train_end),
    )


def _memorised_summary(m: Overfit) -> Message:
    return say(
        "overfitting.summary.memorised",
        best_val=fmt(m.best_val), best_epoch=m.best_epoch, smoothed_min=fmt(m.smoothed_min),
        part=pct(m.rise_while_fitting), low_epoch=m.train_low_epoch, train_at_best=fmt(m.train_at_best),
        train_low=fmt(m.train_low), rise=pct(m.rise), train_end=fmt(m.train_end),
    )  # fmt: skip


def _stalled_summary(m: Overfit) -> Message:
    return say(
        "overfitting.summary.stalled",
        epochs_since_best=m.epochs_since_best,
        best_val=fmt(m.best_val),
        best_epoch=m.best_epoch,
        train_drop=pct(m.train_drop),
        train_at_best=fmt(m.train_at_best),
        train_end=fmt(m.train_end),
    )


def _overfit_fixes(record: RunRecord, m: Overfit) -> list[Fix]:
    dropout = float(config_value(record, "dropout", 0.0))
    l2 = float(config_value(record, "l2", 0.0))
    fixes = [
        fix(f"--epochs {m.best_epoch}", say("overfitting.fix.stop", epoch=m.best_epoch)),
        fix(f"--dropout {min(0.7, dropout + 0.2) if dropout else 0.3:g}", say("overfitting.fix.dropout")),
        fix(f"--l2 {l2 * 10 if l2 else 1e-4:g}", say("overfitting.fix.l2")),
    ]
    train_size = config_value(record, "train_size")
    if train_size:
        fixes.append(fix(f"--train-size {int(train_size) * 2}", say("overfitting.fix.more_data")))
    return fixes


@needs(classifier=True, chance_accuracy=True, scored_regression=True)
def check_underfitting(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Training and validation accuracy both poor: skill (accuracy rescaled so chance is 0) below `underfit_skill`.

    Needs a classifier with a known chance accuracy (1/k, 0.5), or an MSE regression with its targets' variance (R^2:
    `regression_fit`); a run under `min_epochs` is judged on its last epoch (`short_run`). A warning (the run ended
    poor); "still learning" puts "train longer" first."""
    if short_epochs(record, th) is not None or is_scored_regression(record):
        short = short_epochs(record, th) is not None
        return (check_short_underfitting if short else check_regression_underfitting)(record, th, _underfit_fixes)
    level = measure_fit_level(record, th)
    val_poor = level.val_accuracy is None or skill_of(record, level.val_accuracy) < th.underfit_skill
    if level.skill >= th.underfit_skill or not val_poor or diverging(record, th):
        return []
    series = loss_series(record)
    loss = finite_prefix(require_train_loss(record, series, th.min_epochs))
    start = smooth(loss, th.smooth_window)[-min(level.window + 1, loss.size)]  # sparse probes: fewer values
    drop = relative_drop(float(start), end_level(loss, th.patience))
    learning = drop > th.underfit_still_learning and level.gain >= th.overreg_flat_gain
    evidence = {
        "train_accuracy": level.accuracy,
        "val_accuracy": level.val_accuracy,
        "train_skill": level.skill,
        "loss_drop_last_window": drop,
        "window_epochs": level.window,
        "still_learning": learning,
        "threshold_skill": th.underfit_skill,
        "threshold_still_learning": th.underfit_still_learning,
        **chance(record).evidence(),
        **series.evidence(),
    }
    val = fmt(level.val_accuracy) if level.val_accuracy is not None else say("underfitting.no_validation")
    summary = say(
        "underfitting.summary", accuracy=fmt(level.accuracy), val_accuracy=val, skill=fmt(level.skill),
        threshold=fmt(th.underfit_skill), drop=pct(drop), window=level.window,
    )  # fmt: skip
    fixes = _underfit_fixes(record, learning, th)
    return [finding("underfitting", Severity.WARNING, summary, evidence, fixes, UNDERFIT)]


def _underfit_fixes(record: RunRecord, learning: bool, th: Thresholds) -> list[Fix]:
    fixes = []
    epochs = len(record.epochs)
    optimizer, lr = config_value(record, "optimizer"), config_value(record, "lr")
    usual = DEFAULT_LR.get(optimizer) if isinstance(optimizer, str) else None
    if lr and usual and float(lr) <= th.underfit_low_lr * usual:  # steps too small to get anywhere: x10 first
        shown = OPTIMIZERS.get(optimizer, optimizer)  # as the script spells it: Adam, SGD
        why = say("underfitting.fix.low_lr", lr=fmt(float(lr)), optimizer=shown, usual=fmt(usual))
        fixes.append(fix(f"--lr {float(lr) * 10:g}", why))
    if learning:
        fixes.append(fix(f"--epochs {epochs * 2}", say("underfitting.fix.longer")))
    if config_value(record, "activation") == "linear":
        fixes.append(fix("--activation relu", say("underfitting.fix.relu")))
    if config_value(record, "optimizer") != "adam":
        fixes.append(fix("--lr 0.001 --optimizer adam", say("underfitting.fix.adam")))
    fixes.append(fix("--units 256", say("underfitting.fix.units")))
    return fixes
