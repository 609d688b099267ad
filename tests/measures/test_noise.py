"""The noise measures and intervals behind the experiments' conclusions, on literal numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kerasdiag.measures.intervals import mean_difference
from kerasdiag.measures.noise import bonferroni_level, epoch_noise, noise_band, pooled_sd
from kerasdiag.measures.threshold import split_halves, threshold_for_run
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import Predictions


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        pytest.param([0.5, 0.6, 0.7, 0.8], 0.0, id="straight-line-is-no-noise"),
        pytest.param([0.8, 0.82, 0.8, 0.82, 0.8], 0.0230940 / math.sqrt(2), id="zigzag"),
        pytest.param([9.0, 9.0, 0.8, 0.82, 0.8, 0.82, 0.8, 0.82], 0.0219089 / math.sqrt(2), id="last-6-only"),
        pytest.param([0.5, math.nan], math.nan, id="too-short"),
    ],
)
def test_epoch_noise(series, expected):
    assert epoch_noise(series) == pytest.approx(expected, rel=1e-4, nan_ok=True)


def test_pooled_sd_and_the_band():
    assert pooled_sd([[1.0, 3.0], [2.0, 4.0, 6.0], [5.0]]) == (pytest.approx(math.sqrt((2 + 8) / 3)), 3)
    band = noise_band([[0.90, 0.92], [0.86, 0.88]], [0.004, 0.005])
    assert band.threshold == pytest.approx(2 * 0.0141421 * math.sqrt(2 / 2), rel=1e-4) and band.source == "seeds"
    one_seed = noise_band([[0.9], [0.8]], [0.01, 0.03])
    assert one_seed.threshold == pytest.approx(2 * 0.02 * math.sqrt(2)) and one_seed.source == "epochs"
    tied = noise_band([[0.9, 0.9], [0.8, 0.8]])
    assert math.isnan(tied.threshold) and tied.source == "unknown" and tied.within(0.1)


def test_bonferroni_level():
    assert bonferroni_level(0.95, 1) == 0.95
    assert bonferroni_level(0.95, 4) == pytest.approx(0.9875)


def test_tied_seeds_give_no_interval():
    d = mean_difference([0.9, 0.9, 0.9], [0.8, 0.8, 0.8])
    assert d.diff == pytest.approx(0.1) and d.tied and not d.excludes_zero
    assert math.isnan(d.low) and d.to_dict()["tied"] is True
    wider = mean_difference([0.91, 0.93, 0.92], [0.85, 0.86, 0.84], level=bonferroni_level(0.95, 3))
    plain = mean_difference([0.91, 0.93, 0.92], [0.85, 0.86, 0.84])
    assert wider.level == pytest.approx(0.98333, abs=1e-5) and wider.low < plain.low and wider.high > plain.high


def test_split_halves_keeps_half_of_each_class_apart():
    y = np.array([0, 0, 1, 1, 0])
    (a_y, a_p), (b_y, b_p) = split_halves(y, np.arange(10.0).reshape(5, 2))
    assert a_y.tolist() == [0, 1, 0] and b_y.tolist() == [0, 1]
    assert a_p[:, 0].tolist() == [0.0, 4.0, 8.0] and b_p[:, 0].tolist() == [2.0, 6.0]


def test_a_threshold_without_test_data_is_scored_on_the_other_half():
    y = np.array([0, 1] * 20)
    p1 = np.linspace(0.1, 0.9, 40)
    record = RunRecord(path="run", source="kerasdiag")
    record.predictions = Predictions(val_y=y, val_probs=np.stack([1 - p1, p1], axis=1))
    t = threshold_for_run(record)
    assert t is not None and t.half and t.split == "val" and (t.chosen_samples, t.scored_samples) == (20, 20)
    first = threshold_for_run(record, positive=0)
    assert first is not None and first.positive == 0
