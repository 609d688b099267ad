"""When a validation-loss rise is overfitting (`overfit_variant`: rising or stalled, over what `measure_overfit` in
fit.py puts in an `Overfit`), no overfitting, or only a note: the facts `overfitting` checks before it warns.

- No overfitting (`not_overfitting`): a model that does not fit its training set; a validation loss that never
  came down to a sane level (its rise is a blow-up, not memorising); a validation split whose classes training
  never saw (validation-mismatch explains the rise).
- Few validation samples (`overfit_min_val_samples`; counted from val_accuracy's steps in plain logs): a rise on a
  handful of samples can come from two of them, unless it is large for that count. A mean loss over n samples moves
  by about 1/sqrt(n) of its spread when a few predictions change, so the rise needed grows the same way:
  `overfit_few_samples_scale` / sqrt(n) (0.42 at 92 samples, 0.82 at 24, with the shipped 4).
- One sample's worth (`overfit_min_extra_nats`): a cross-entropy rise that, summed over the n validation samples,
  adds less than ln 10 = 2.3 nats is less than one prediction turning 90 % confidently wrong adds: on a split the
  model gets nearly all right (its loss is small), one or two samples make a large relative rise that a test set
  need not show. Where n is known (the data summary, or val_accuracy's lattice), the run logs a validation accuracy
  (a classifier) and its loss is a cross-entropy (where the logs name none: unless its curves show a squared error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.measure.record import validation_samples
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix, relative_drop
from kerasdiag.diagnosis.rules.base import fmt, pct, skill
from kerasdiag.diagnosis.rules.data import cross_entropy_loss, validation_mismatched
from kerasdiag.diagnosis.rules.loss_series import LossSeries
from kerasdiag.diagnosis.rules.needs import chance
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord


@dataclass(frozen=True)
class Overfit:
    """What `measure_overfit` (fit.py) reads from the validated epochs: the validation rise and the training fall."""

    best_epoch: int  # 1-based epoch of the lowest val_loss
    best_val: float
    smoothed_min: float
    end_val: float  # mean val_loss over the last `patience` epochs
    rise: float  # end_val / smoothed_min - 1
    noise: float  # robust relative sd of val_loss around its moving average
    train_at_best: float
    train_end: float
    train_drop: float  # share train loss fell from the best epoch to the end
    train_rebound: float  # share the train loss's median of the last epochs ended above its lowest since the best epoch
    rise_while_fitting: float  # val_loss's rise (its last `patience` epochs up to the train loss's low since best)
    train_low_epoch: int  # 1-based epoch of the train loss's lowest since the best epoch
    train_low: float
    epochs_since_best: int
    epochs: int


def rise_notes(
    record: RunRecord, th: Thresholds, rise: float, smoothed_min: float
) -> tuple[list[Message], dict[str, Any]]:
    """The reasons a validation loss rising by `rise` (a share of `smoothed_min`) is only a note (none: a warning),
    and the numbers behind them."""
    samples, least = validation_samples(record), th.overfit_min_val_samples
    evidence: dict[str, Any] = {"validation_samples": samples, "threshold_min_val_samples": least}
    if samples is None:
        return [], evidence
    if record.has("val_accuracy") and cross_entropy_loss(record):
        extra = rise * smoothed_min * samples
        evidence |= {"extra_nats": extra, "threshold_extra_nats": th.overfit_min_extra_nats}
        if extra < th.overfit_min_extra_nats:
            shown = {"samples": samples, "extra": fmt(extra), "threshold": fmt(th.overfit_min_extra_nats)}
            return [say("overfitting.one_sample", **shown)], evidence
    if samples >= least:
        return [], evidence
    needed = th.overfit_few_samples_scale / math.sqrt(max(samples, 1))
    evidence["threshold_few_samples_rise"] = needed
    if rise >= needed:
        return [], evidence
    return [say("overfitting.few_samples", samples=samples, threshold=least, needed=pct(needed))], evidence


def _never_sane(record: RunRecord, series: LossSeries, smoothed_min: float, th: Thresholds) -> bool:
    """A validation loss whose smoothed minimum stayed `first_loss_factor` x the chance-level loss or more (blown up,
    as a first epoch's loss is judged) never reached a level whose rise could mean memorising: a model exploding on
    validation data (the learning rate, the inputs) is no overfitting. Only where the chance loss is known and the
    compared loss holds no unmeasured penalty."""
    level = chance(record).loss
    return level is not None and not series.unmeasured_penalty and smoothed_min >= th.first_loss_factor * level


def not_overfitting(record: RunRecord, series: LossSeries, smoothed_min: float, th: Thresholds) -> bool:
    """A rising validation loss that is no overfitting (see the module's docstring)."""
    return _cannot_fit(record, th) or _never_sane(record, series, smoothed_min, th) or validation_mismatched(record, th)


def _cannot_fit(record: RunRecord, th: Thresholds) -> bool:
    """A model that does not fit its training set (skill below `underfit_skill`) is not overfitting. Only where
    accuracy means something: without an anatomy as before, with one where chance accuracy is known."""
    if not record.has("accuracy") or (record.anatomy is not None and chance(record).accuracy is None):
        return False
    accuracy = end_level(finite_prefix(record.series("accuracy")), th.patience)
    return bool(np.isfinite(accuracy)) and skill_of(record, accuracy) < th.underfit_skill


def skill_of(record: RunRecord, accuracy: float) -> float:
    """Accuracy as skill over this run's chance accuracy (0 where unknown)."""
    return skill(accuracy, chance(record).accuracy or 0.0)


def overfit_variant(m: Overfit, th: Thresholds) -> str | None:
    """`rising` (val_loss clearly above its minimum), `memorised` (it rose while the train loss still fell, then
    both moved: `_memorised_first`), `stalled` (no new minimum for long), or None."""
    rising = (
        m.rise >= th.overfit_rise
        and m.rise >= th.overfit_noise_factor * m.noise
        and m.train_drop >= th.overfit_train_drop
        and m.epochs_since_best >= th.patience
    )
    # Both curves rising at the end is the optimizer overshooting, not memorising: overfitting needs a train
    # loss that keeps falling (or holds) while val_loss rises, or a validation rise that far outgrows the train
    # loss's rebound (a noisy optimizer on a model that memorises: both bounce, validation climbs), or a validation
    # rise made mostly while the train loss still fell (it memorised first; the bounce of both came after).
    both_rise = (
        m.train_rebound >= th.overfit_train_rebound
        and m.train_rebound >= th.overfit_rebound_share * m.rise
        and not _rose_while_fitting(m, th)
    )
    if not (rising and not both_rise) and _memorised_first(m, th):
        return "memorised"
    rising = rising and not both_rise
    stalled = m.epochs_since_best >= th.overfit_stall_epochs and m.train_drop >= th.overfit_stall_train_drop
    # A long stall whose end level is clearly above the minimum is a rise too: persistence over
    # `overfit_stall_epochs` epochs stands in for part of the noise margin.
    rising = rising or (
        stalled and m.rise >= th.overfit_rise and m.rise >= th.overfit_stall_noise_factor * m.noise and not both_rise
    )
    return "rising" if rising else "stalled" if stalled else None


def _rose_while_fitting(m: Overfit, th: Thresholds) -> bool:
    """`overfit_fitting_share` of the rise came by the train loss's lowest epoch, and that part is a rise itself."""
    part = m.rise_while_fitting
    noisy = part < th.overfit_rise or part < th.overfit_noise_factor * m.noise
    return not noisy and part >= th.overfit_fitting_share * m.rise


def _memorised_first(m: Overfit, th: Thresholds) -> bool:
    """val_loss rose by `overfit_fitting_rise` or more (and beyond its noise) while the train loss still fell (by
    `overfit_train_drop`), and has not come back: memorising, whatever both curves did after (a late bounce, a
    learning rate that wobbles)."""
    part = m.rise_while_fitting
    return (
        part >= th.overfit_fitting_rise
        and relative_drop(m.train_at_best, m.train_low) >= th.overfit_train_drop
        and part >= th.overfit_noise_factor * m.noise
        and m.rise >= th.overfit_rise
        and m.epochs_since_best >= th.patience
    )
