"""When a validation-loss rise is only a note: the facts `overfitting` checks before it warns.

- Few validation samples (`overfit_min_val_samples`; counted from val_accuracy's steps in plain logs): a rise on a
  handful of samples can come from two of them.
"""

from __future__ import annotations

from typing import Any

from kerasdiag.diagnosis.measure.record import validation_samples
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord


def rise_notes(record: RunRecord, th: Thresholds) -> tuple[list[Message], dict[str, Any]]:
    """The reasons a rising validation loss is only a note (none: a warning), and the numbers behind them."""
    samples, least = validation_samples(record), th.overfit_min_val_samples
    evidence: dict[str, Any] = {"validation_samples": samples, "threshold_min_val_samples": least}
    notes = []
    if samples is not None and samples < least:
        notes.append(say("overfitting.few_samples", samples=samples, threshold=least))
    return notes, evidence
