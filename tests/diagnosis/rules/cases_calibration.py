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
    Case(  # 50 predictions: accuracy 0.74 +- 0.06, confidence 0.99: a gap of 0.25 is beyond 3 standard errors
        "overconfident-on-50-samples-beyond-sampling-noise",
        lambda: _predicted(make_predictions(50, 2, 0.7, 0.999, seed=10)),
        {"overconfidence": W},
    ),
    Case(  # 24 predictions over 5 classes, half right at confidence 0.99 (a tiny validation split)
        "overconfident-on-24-samples-beyond-sampling-noise",
        lambda: _predicted(make_predictions(24, 5, 0.5, 0.99, seed=12)),
        {"overconfidence": W},
    ),
    Case(  # accuracy 0.92 on 50: a gap of 0.07 passes the fixed 0.05 but not 3 standard errors (0.115)
        "overconfident-by-less-than-sampling-noise-on-50",
        lambda: _predicted(make_predictions(50, 2, 0.85, 0.99, seed=10)),
        near_miss=("overconfidence",),
    ),
    Case(
        "overconfident-but-only-15-samples",
        lambda: _predicted(make_predictions(15, 2, 0.5, 0.999, seed=13)),
        near_miss=("overconfidence",),
    ),
    Case(
        "slightly-overconfident-gap-0.03",
        lambda: _predicted(make_predictions(2000, 10, 0.95, 0.98, seed=11)),
        near_miss=("overconfidence",),
    ),
]
