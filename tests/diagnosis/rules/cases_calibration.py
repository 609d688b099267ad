"""Labelled cases of diagnosis/rules/calibration.py: overconfidence."""

from __future__ import annotations

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import Case, W, healthy
from tests.helpers.rule_factory import (
    calibrated_predictions,
    make_predictions,
)

# --- calibration --------------------------------------------------------------------------------


def _predicted(predictions) -> RunRecord:
    record = healthy("mnist-mlp-adam", seed=131)
    record.predictions = predictions
    return record


CALIBRATION = [
    Case(
        "ten-class-overconfident",
        lambda: _predicted(make_predictions(2000, 10, 0.85, 0.99, seed=7)),
        {"overconfidence": W},
    ),
    Case(
        "two-class-extremes-accuracy-0.8",
        lambda: _predicted(make_predictions(500, 2, 0.8, 0.999, seed=8, spread=0.001)),
        {"overconfidence": W},
    ),
    Case(
        "calibrated-at-0.8",
        lambda: _predicted(calibrated_predictions(2000, 10, 0.8, seed=9)),
        near_miss=("overconfidence",),
    ),
    Case(
        "overconfident-but-only-50-samples",
        lambda: _predicted(make_predictions(50, 2, 0.7, 0.999, seed=10)),
        near_miss=("overconfidence",),
    ),
    Case(
        "slightly-overconfident-gap-0.03",
        lambda: _predicted(make_predictions(2000, 10, 0.95, 0.98, seed=11)),
        near_miss=("overconfidence",),
    ),
]
