"""loss-plateau and accuracy-plateau: curves that stop moving.

loss-plateau needs nothing from the anatomy: it judges the loss (the data loss where Keras's loss holds an L1/L2
penalty) against the chance level where that is known, else against epoch 1's loss, and says which. accuracy-plateau
needs a classifier: it reads accuracy, which means nothing for a regression or a multi-label model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.measure.series import finite_prefix, relative_drop, smooth
from kerasdiag.diagnosis.rules.acc_stretches import (
    UNKNOWN_STEP_TOLERANCE,
    AccuracyPlateau,
    epochs_run,
    measure_accuracy_plateaus,
)
from kerasdiag.diagnosis.rules.base import (
    NotEvaluable,
    about,
    config_value,
    finding,
    fix,
    fmt,
    learning_rate,
    pct,
    schedule_finished,
)
from kerasdiag.diagnosis.rules.loss_series import LossSeries, loss_series, require_train_loss
from kerasdiag.diagnosis.rules.needs import Chance, chance, needs
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

LOSS = about("loss-plateau")
ACC = about("accuracy-plateau")


@dataclass(frozen=True)
class LossLevel:
    """How far the (judged) loss moved over the last window, and how high it still is."""

    start: float  # smoothed loss at the window's start
    end: float
    change: float  # |relative change| over the window
    reference: float  # the chance loss where known, else epoch 1's loss
    share: float  # end / reference
    first_epoch: int
    last_epoch: int
    level: Chance
    series: LossSeries


def measure_loss_level(record: RunRecord, th: Thresholds) -> LossLevel:
    w = th.plateau_window
    series = loss_series(record)
    loss = finite_prefix(require_train_loss(record, series, w + 1))
    if loss.size < w + 1:
        raise NotEvaluable(say("loss-plateau.skip.short", needed=w + 1, count=loss.size))
    smoothed = smooth(loss, th.smooth_window)
    start, end = float(smoothed[-w - 1]), float(smoothed[-1])
    level = chance(record)
    reference = level.loss if level.loss else float(loss[0])
    epochs = series.epochs[: loss.size]
    change = abs(relative_drop(start, end))
    if loss.size <= w + th.smooth_window - 1:
        # The smoothed start reaches back into epoch 1 (an EarlyStopping run of 7 epochs): the raw spread of the
        # window's epochs, which a fast first epoch does not enter, where that is smaller.
        last = loss[-w - 1 :]
        change = min(change, float(last.max() - last.min()) / max(float(np.abs(last).mean()), 1e-12))
    span = int(epochs[-w - 1]), int(epochs[-1])
    return LossLevel(start, end, change, reference, end / reference, *span, level, series)


def check_loss_plateau(record: RunRecord, th: Thresholds) -> list[Finding]:
    """The smoothed loss changed less than `plateau_change` over the last window while still high.

    Needs nothing from the anatomy. "High" is measured against the chance loss where it is known (ln k, ln 2, the
    targets' variance of an MSE regression), else against epoch 1's loss, and the summary names which. A run whose
    Keras loss holds an L1/L2 penalty is judged on its data loss (a large, slowly shrinking penalty is no plateau);
    where that penalty was not measured, the finding is only an info.
    """
    m = measure_loss_level(record, th)
    # A loss that does not move at all has stopped training, whatever its level (the chance level of a run whose
    # first epoch blew up is no yardstick); a loss near zero is a perfect fit, not a frozen one.
    frozen = m.change < th.plateau_frozen_change and m.share >= th.plateau_frozen_min_level
    frozen = frozen and not schedule_finished(record, th)
    # Without a chance level, epoch 1's loss is the yardstick: a loss that fell far below it has converged, not stalled.
    least = th.plateau_min_level if m.level.loss else th.plateau_first_level
    if not frozen and (m.change >= th.plateau_change or m.share < least):
        return []
    evidence = {
        "window_epochs": th.plateau_window,
        "loss_start": m.start,
        "loss_end": m.end,
        "relative_change": m.change,
        "chance_loss": m.level.loss,
        "reference": "chance_loss" if m.level.loss else "first_epoch_loss",
        "level_vs_reference": m.share,
        "learning_rate": learning_rate(record),
        "threshold_change": th.plateau_change,
        "threshold_min_level": th.plateau_min_level,
        "frozen": frozen,
        "threshold_frozen_change": th.plateau_frozen_change,
        **m.level.evidence(),
        **m.series.evidence(),
    }
    severity = m.series.severity(Severity.WARNING)
    summary = m.series.told(_loss_summary(m, th))
    return [finding("loss-plateau", severity, summary, evidence, _loss_fixes(record), LOSS)]


def _loss_summary(m: LossLevel, th: Thresholds) -> Message:
    reference = m.level.loss_phrase() if m.level.loss else say("loss-plateau.first_epoch", value=fmt(m.reference))
    return say(
        "loss-plateau.summary",
        change=pct(m.change),
        window=th.plateau_window,
        start=fmt(m.start),
        end=fmt(m.end),
        threshold=pct(th.plateau_change),
        level=pct(m.share),
        reference=reference,
        first_epoch=m.first_epoch,
        last_epoch=m.last_epoch,
    )


def _loss_fixes(record: RunRecord) -> list[Fix]:
    lr = learning_rate(record)
    fixes = []
    if lr:
        fixes.append(fix(f"--lr {lr * 10:g}", say("loss-plateau.fix.lr")))
    if config_value(record, "optimizer") != "adam":
        fixes.append(fix("--lr 0.001 --optimizer adam", say("loss-plateau.fix.adam")))
    if config_value(record, "activation") == "linear":
        fixes.append(fix("--activation relu", say("loss-plateau.fix.relu")))
    fixes.append(fix("--init he_normal", say("loss-plateau.fix.init")))
    return fixes


@needs(classifier=True)
def check_accuracy_plateau(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Accuracy flat for many epochs while its loss fell.

    Needs a classifier: accuracy counts predictions that cross the decision threshold, which a regression (exact
    matches) or a multi-label model (per label) does not have. A stretch that reaches `acc_plateau_finished` (or
    every sample) is a finished fit: nothing is left to cross the threshold. A loss that fell early in the stretch
    and then stopped (less than `acc_plateau_late_drop` over its second half: a penalty that shrank, a first epoch
    that blew up) is said so, only as a note and without "train longer".
    """
    candidates = [
        p
        for p in measure_accuracy_plateaus(record, th)
        if p.length >= max(th.acc_plateau_min_epochs, th.acc_plateau_min_share * epochs_run(record))
        and p.values >= th.patience  # in epochs, and at least this many logged values
        and p.loss_drop >= th.acc_plateau_loss_drop
        and p.highest < min(th.acc_plateau_finished, 1.0 - 0.5 * (p.step or UNKNOWN_STEP_TOLERANCE))
    ]
    if not candidates:
        return []
    # A stretch whose loss still falls outranks a longer one whose loss stopped: it is the one to act on.
    p = max(candidates, key=lambda c: (c.late_drop >= th.acc_plateau_late_drop, c.length))
    near = _near_threshold(record, p)
    settled = p.late_drop < th.acc_plateau_late_drop
    severity = Severity.INFO
    if p.covers_end and p.share_of_run >= th.acc_plateau_warn_share and near["near_share"] is not None and not settled:
        severity = Severity.WARNING if near["near_share"] >= th.acc_plateau_near_share else Severity.INFO
    evidence = {
        **p.__dict__,
        **near,
        "threshold_min_epochs": th.acc_plateau_min_epochs,
        "threshold_loss_drop": th.acc_plateau_loss_drop,
        "threshold_late_drop": th.acc_plateau_late_drop,
        "threshold_near_share": th.acc_plateau_near_share,
    }
    # A stretch the run already left, or whose loss stopped falling, needs no longer training.
    fixes = _acc_fixes(record) if p.covers_end and not settled else []
    summary = _acc_summary(p, near)
    if settled:
        summary = say("accuracy-plateau.settled", summary=summary, late=pct(abs(p.late_drop)), mid_epoch=p.mid_epoch)
    return [finding("accuracy-plateau", severity, summary, evidence, fixes, ACC)]


def _near_threshold(record: RunRecord, p: AccuracyPlateau) -> dict[str, float | None]:
    """Probe samples misclassified but within `near_margin` of the winner, at the plateau's last epoch. The probe
    batch is training data: nothing is counted for a validation-accuracy plateau."""
    rows = np.flatnonzero(record.epoch_numbers == p.end_epoch)
    extra = record.epochs[int(rows[0])].extra if len(rows) and p.metric == "accuracy" else {}
    samples, wrong, near = (extra.get(k) for k in ("probe_samples", "probe_wrong", "probe_near"))
    share = near / samples if (near is not None and samples) else None
    return {
        "probe_samples": samples,
        "probe_wrong": wrong,
        "probe_near": near,
        "near_margin": extra.get("near_margin"),
        "near_share": share,
    }


def _acc_summary(p: AccuracyPlateau, near: dict[str, float | None]) -> Message:
    step: Message | str = say("accuracy-plateau.step", step=fmt(p.step)) if p.step else ""
    near_phrase: Message | str = ""
    if near["probe_wrong"] == 0:
        near_phrase = say("accuracy-plateau.none_wrong")
    elif near["probe_near"] is not None:
        near_phrase = say(
            "accuracy-plateau.near",
            near=f"{near['probe_near']:.0f}",
            wrong=f"{near['probe_wrong']:.0f}",
            margin=fmt(near["near_margin"] or math.nan),
        )
    return say(
        "accuracy-plateau.summary",
        metric=p.metric,
        accuracy=fmt(p.accuracy),
        length=p.length,
        start_epoch=p.start_epoch,
        end_epoch=p.end_epoch,
        drop=pct(p.loss_drop),
        loss_start=fmt(p.loss_start),
        loss_end=fmt(p.loss_end),
        step=step,
        near=near_phrase,
    )


def _acc_fixes(record: RunRecord) -> list[Fix]:
    """Twice the epochs the run asked for (an early-stopped run asked for more than it finished)."""
    epochs = max(len(record.epochs), int(config_value(record, "epochs", 0) or 0))
    return [fix(f"--epochs {epochs * 2}", say("accuracy-plateau.fix.longer"))]
