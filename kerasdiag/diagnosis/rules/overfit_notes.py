"""When a validation-loss rise is no overfitting, or only a note: the facts `overfitting` checks before it warns.

- No overfitting (`not_overfitting`): a model that does not fit its training set; a validation loss that never
  came down to a sane level (its rise is a blow-up, not memorising); a validation split whose classes training
  never saw (validation-mismatch explains the rise).
- Few validation samples (`overfit_min_val_samples`; counted from val_accuracy's steps in plain logs): a rise on a
  handful of samples can come from two of them, unless it is large for that count. A mean loss over n samples moves
  by about 1/sqrt(n) of its spread when a few predictions change, so the rise needed grows the same way:
  `overfit_few_samples_scale` / sqrt(n) (0.52 at 92 samples, 1.02 at 24, with the shipped 5).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from kerasdiag.diagnosis.measure.record import validation_samples
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix
from kerasdiag.diagnosis.rules.base import pct, skill
from kerasdiag.diagnosis.rules.data import validation_mismatched
from kerasdiag.diagnosis.rules.loss_series import LossSeries
from kerasdiag.diagnosis.rules.needs import chance
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord


def rise_notes(record: RunRecord, th: Thresholds, rise: float) -> tuple[list[Message], dict[str, Any]]:
    """The reasons a validation loss rising by `rise` (a share) is only a note (none: a warning), and the numbers
    behind them."""
    samples, least = validation_samples(record), th.overfit_min_val_samples
    evidence: dict[str, Any] = {"validation_samples": samples, "threshold_min_val_samples": least}
    if samples is None or samples >= least:
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
