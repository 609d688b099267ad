"""The loss a loss rule judges: Keras's `loss`, or the data loss without the L1/L2 penalty.

Keras adds every weight penalty (`model.losses`) to `loss` and to `val_loss`, so a run with a strong L1 penalty can
report a loss of 20 while its model fits the training set perfectly (data loss 0.14), and its `val_loss` can fall
while the validation data loss rises, because the penalty shrinks faster. Where the run's anatomy says the loss
holds a penalty (`Anatomy.penalty`, or a penalty the probes measured), the loss rules judge the data loss:

- training: `extra.data_loss`, measured on the probe batch with the weights at the epoch's end;
- validation: `val_loss - extra.penalty_loss`, Keras's validation loss less the penalty of the same end-of-epoch
  weights, so like is compared with like.

Both exist only at probed epochs; the series keep those epochs (`epochs` names them). Where the penalty exists but
was not measured, the rules judge `loss`, say so in the evidence and lower their confidence. A run without an
anatomy is judged on `loss`, as before.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Severity
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix
from kerasdiag.diagnosis.rules.base import NotEvaluable, require_metric
from kerasdiag.diagnosis.rules.needs import Chance
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

# `loss_basis` in the evidence (identifiers: evidence is data, its prose is the summary's sentence).
KERAS_LOSS = "keras_loss"  # Keras's `loss`, with no penalty in it (not written to the evidence)
DATA_LOSS = "data_loss"  # the data loss without the L1/L2 penalty
UNMEASURED_PENALTY = "loss_with_unmeasured_penalty"  # Keras's loss, holding a penalty that was not measured
LOW = "low"


@dataclass(frozen=True)
class LossSeries:
    """Training and validation loss per epoch as a rule should judge them (NaN where an epoch lacks one).

    Args:
        train: The training loss: Keras's `loss`, or the probe batch's data loss.
        val: The validation loss: `val_loss`, or `val_loss` less the penalty.
        epochs: The 1-based epoch number of each value.
        basis: `KERAS_LOSS`, `DATA_LOSS` or `UNMEASURED_PENALTY`.
        penalty: The measured penalty at each of those epochs (NaN where not measured).
    """

    train: np.ndarray
    val: np.ndarray
    epochs: np.ndarray
    basis: str
    penalty: np.ndarray

    @property
    def data(self) -> bool:
        return self.basis == DATA_LOSS

    @property
    def unmeasured_penalty(self) -> bool:
        return self.basis == UNMEASURED_PENALTY

    @property
    def train_name(self) -> str:
        """The metric the training series is, for skip reasons: `loss` or `data_loss`."""
        return "data_loss" if self.data else "loss"

    def evidence(self) -> dict[str, Any]:
        """`loss_basis` where it is not Keras's plain loss, and `confidence: low` where a penalty was not measured."""
        if self.basis == KERAS_LOSS:
            return {}
        out: dict[str, Any] = {"loss_basis": self.basis}
        if self.unmeasured_penalty:
            out["confidence"] = LOW
        return out

    def severity(self, severity: Severity) -> Severity:
        """A warning judged on a loss that holds an unmeasured penalty is only an info: the penalty may explain it."""
        if self.unmeasured_penalty and severity == Severity.WARNING:
            return Severity.INFO
        return severity

    def told(self, summary: Message, validation: bool = False) -> Message:
        """The summary plus which loss it judged, where that is not Keras's plain loss."""
        if self.data:
            return say("loss_basis.data.validation" if validation else "loss_basis.data", summary=summary)
        if self.unmeasured_penalty:
            return say("loss_basis.unmeasured", summary=summary)
        return summary

    def finite_train(self) -> np.ndarray:
        """The training values up to the first NaN/Inf (what a curve rule can trust after a divergence)."""
        return finite_prefix(self.train)


def loss_series(record: RunRecord) -> LossSeries:
    """The losses the loss rules judge on this run (see the module docstring)."""
    penalty = record.extra_series("penalty_loss")
    keras = LossSeries(record.series("loss"), record.series("val_loss"), record.epoch_numbers, KERAS_LOSS, penalty)
    if record.anatomy is None or not len(record.epochs):
        return keras
    measured = bool(np.isfinite(penalty).any() and np.nanmax(penalty) > 0)
    if not (record.anatomy.penalty or measured):
        return keras
    rows = record.epochs.logged(record.epochs.extra.get("data_loss"))
    if not rows.any():
        return dataclasses.replace(keras, basis=UNMEASURED_PENALTY)
    data, val = record.extra_series("data_loss"), record.series("val_loss") - penalty
    return LossSeries(data[rows], val[rows], record.epoch_numbers[rows], DATA_LOSS, penalty[rows])


def require_train_loss(record: RunRecord, series: LossSeries, min_epochs: int) -> np.ndarray:
    """The training series, or NotEvaluable when it has fewer than `min_epochs` finite values (as `require_metric`)."""
    if not series.data:
        return require_metric(record, "loss", min_epochs)
    count = int(np.isfinite(series.train).sum())
    if count < min_epochs:
        raise NotEvaluable(say("skip.too_few_epochs", needed=min_epochs, metric="data_loss", count=count))
    return series.train


@dataclass(frozen=True)
class FirstLoss:
    """Epoch 1's data loss against the chance loss, and where the loss ended."""

    first: float  # epoch 1's loss without its measured penalty
    chance_loss: float
    ratio: float
    penalty: float  # the penalty left out of `first`
    start: float  # the judged series' first value (Keras's loss, or the data loss)
    end: float  # the judged series' end level


def first_loss(record: RunRecord, series: LossSeries, level: Chance, th: Thresholds) -> FirstLoss | None:
    """Epoch 1's data loss (the probe's, or Keras's loss less its measured penalty) against the chance loss."""
    judged = series.finite_train()
    if level.loss is None or not judged.size:
        return None
    penalty = float(series.penalty[0]) if series.penalty.size and np.isfinite(series.penalty[0]) else 0.0
    start = float(judged[0])
    first = start if series.data else max(start - penalty, 0.0)
    end = end_level(judged, th.patience)
    return FirstLoss(first, level.loss, first / level.loss, penalty, start, end)
