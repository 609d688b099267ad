"""unnormalized-input judges the spread of the inputs, not one far value: standardised heavy tails are scaled."""

from __future__ import annotations

import pytest

from kerasdiag.diagnosis.rules.data import check_unnormalized_input
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import DataSummary


def _record(low: float, high: float, mean: float, std: float) -> RunRecord:
    data = DataSummary.from_dict(
        {
            "dataset": "own",
            "num_classes": 2,
            "train": {"samples": 400, "class_counts": {"0": 200, "1": 200}},
            "input_min": low,
            "input_max": high,
            "input_mean": mean,
            "input_std": std,
        }
    )
    return RunRecord(path="run", source="kerasdiag", data=data)


@pytest.mark.parametrize(
    ("low", "high", "mean", "std", "fires"),
    [
        (0.0, 255.0, 33.3, 78.6, True),  # raw MNIST pixels
        (-3.1, 12.1, 0.0, 1.0, False),  # standardised breast-cancer features: one |z| of 12
        (-43.0, 40.0, 0.0, 1.0, False),  # standardised, heavier tail
        (0.0, 1.0, 0.13, 0.31, False),  # pixels / 255
        (-500.0, 800.0, 120.0, 300.0, True),  # unscaled measurements
        (0.0, 60.0, 30.0, 4.0, True),  # a narrow spread far from 0: not standardised
    ],
)
def test_far_values_alone_do_not_make_scaled_inputs_unnormalised(low, high, mean, std, fires):
    findings = check_unnormalized_input(_record(low, high, mean, std), Thresholds())
    assert bool(findings) == fires
