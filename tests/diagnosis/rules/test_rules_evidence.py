"""Evidence numbers, severities and fixes of single rules, and the pure measurement helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kerasdiag.diagnosis.engine import Thresholds, diagnose_run
from kerasdiag.diagnosis.findings import Finding, Severity
from kerasdiag.diagnosis.measure.series import count_swings, finite_prefix, longest_flat_run, smooth
from kerasdiag.diagnosis.rules.base import json_safe, round_sig
from kerasdiag.diagnosis.rules.calibration import true_class_histograms
from kerasdiag.diagnosis.rules.model import linear_chains
from kerasdiag.measures.calibration import reliability
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from tests.diagnosis.rules.cases import CASES
from tests.helpers.rule_factory import make_record, mlp

CASE = {c.id: c for c in CASES}


def only(case_id: str, rule: str) -> Finding:
    found = [f for f in diagnose_run(CASE[case_id].build()).findings if f.rule == rule]
    assert len(found) == 1, (case_id, rule)
    return found[0]


def test_overfitting_names_the_best_epoch_and_the_rise() -> None:
    f = only("val-loss-rises-after-epoch-6", "overfitting")
    assert f.severity == Severity.WARNING
    assert f.evidence["best_epoch"] == 6 and f.evidence["variant"] == "rising"
    assert f.evidence["best_val"] == pytest.approx(0.12)
    assert f.evidence["rise"] > 1.0 and f.evidence["train_drop"] > 0.9
    assert f.fixes[0].flags == "--epochs 6"
    assert "epoch 6" in f.summary.en and "6 エポック目" in f.summary.ja


def test_overfitting_suggests_stronger_dropout_when_some_is_used() -> None:
    loss = [0.5, 0.3, 0.2, 0.12, 0.08, 0.05, 0.03, 0.02, 0.015, 0.01]
    val = [0.4, 0.3, 0.25, 0.26, 0.3, 0.34, 0.38, 0.42, 0.45, 0.5]
    record = make_record(loss, val, config={"dropout": 0.2})
    flags = [x.flags for x in diagnose_run(record).findings[0].fixes]
    assert flags[:3] == ["--epochs 3", "--dropout 0.4", "--l2 0.0001"]


def test_linear_collapse_counts_layers_and_rank_bottleneck() -> None:
    f = only("linear-5-layers-stuck-at-chance", "linear-collapse")
    assert (f.evidence["linear_hidden_layers"], f.evidence["collapsed_layers"]) == (5, 6)
    assert f.evidence["rank_bottleneck"] == 128
    assert f.fixes[0].flags == "--activation relu"


def test_linear_chains_cross_batchnorm_dropout_add_but_not_activation_layers() -> None:
    def dense(name: str, act: str = "linear") -> LayerInfo:
        return LayerInfo(name, "Dense", 16, act)

    model = ModelSummary(
        [
            dense("a"),
            LayerInfo("bn", "BatchNormalization"),
            dense("b"),
            LayerInfo("add", "Add"),
            dense("c"),
            LayerInfo("act", "Activation", activation="tanh"),
            dense("d"),
            dense("out", "softmax"),
        ]
    )
    assert [[x.name for x in chain] for chain in linear_chains(model)] == [["a", "b", "c"], ["d", "out"]]


def test_vanishing_gradients_ratio_below_threshold() -> None:
    f = only("linear-10-layers-stuck-at-chance", "vanishing-gradients")
    assert f.evidence["ratio_first_last"] < Thresholds().vanishing_ratio
    assert f.evidence["layers"][0] == "dense" and f.evidence["layers"][-1] == "output"
    assert f.evidence["epochs"] == [16, 17, 18, 19, 20]


def test_exploding_gradients_before_nan_is_an_error() -> None:
    f = only("gradients-explode-then-nan", "exploding-gradients")
    assert f.severity == Severity.ERROR
    assert f.evidence["non_finite_grad_epochs"] == [7] and f.evidence["peak_growth"] > 100


def test_divergence_names_the_first_nan_epoch() -> None:
    f = only("nan-loss-at-epoch-4", "divergence")
    assert f.evidence["non_finite_epochs"] == [4] and f.evidence["last_finite_loss"] == 3.0
    assert f.fixes[0].flags == "--lr 0.2"


def test_oscillation_counts_swings_both_ways() -> None:
    f = only("val-loss-swings-30pct", "oscillation")
    swings = f.evidence["series"]["val_loss"]
    assert swings["up"] >= 3 and swings["down"] >= 3
    assert [x.flags for x in f.fixes] == ["--lr 0.1", "--batch-size 32"]


def test_accuracy_plateau_reports_near_threshold_samples() -> None:
    f = only("iris-accuracy-flat-while-loss-falls", "accuracy-plateau")
    assert f.severity == Severity.WARNING
    assert f.evidence["probe_near"] == 12 and f.evidence["near_share"] == pytest.approx(0.1)
    assert f.evidence["step"] == pytest.approx(1 / 120, rel=1e-3) and f.evidence["covers_end"]


def test_validation_mismatch_iris_unshuffled() -> None:
    f = only("iris-unshuffled-validation-is-one-class", "validation-mismatch")
    assert f.severity == Severity.ERROR
    assert f.evidence["total_variation"] == pytest.approx(0.8333, abs=1e-3)
    assert f.evidence["validation_class_counts"] == {"0": 0, "1": 0, "2": 30}
    assert f.fixes[0].flags == "--shuffle"
    unseen = only("validation-has-class-training-never-saw", "validation-mismatch")
    assert unseen.evidence["classes_unseen_in_training"] == [2]


def test_class_imbalance_ratio_and_balancing_flag() -> None:
    f = only("classes-20-to-1", "class-imbalance")
    assert f.evidence["ratio"] == 20 and f.fixes[0].flags == "--train-size 200"


def test_over_regularization_reports_penalty_share() -> None:
    f = only("l2-0.05-penalty-dominates", "over-regularization")
    assert f.evidence["penalty_share"] == pytest.approx(0.6)
    assert f.evidence["l2"] == 0.05 and f.fixes[0].flags == "--l2 0.005"


def test_dead_relu_names_the_worst_layer() -> None:
    f = only("dead-relu-70pct-in-dense_1", "dead-relu")
    assert f.evidence["worst_layer"] == "dense_1" and list(f.evidence["layers"]) == ["dense_1"]


def test_overconfidence_evidence_has_histograms_and_ece() -> None:
    f = only("two-class-extremes-accuracy-0.8", "overconfidence")
    ev = f.evidence
    assert ev["extreme_share"] > 0.9 and ev["ece"] > 0.15 and ev["gap"] > 0.15
    assert sum(sum(h) for h in ev["true_class_histograms"].values()) == ev["samples"] == 500
    assert len(ev["true_class_histograms"]["0"]) == 10


def test_run_incomplete_failed_carries_the_error() -> None:
    f = only("failed-with-error", "run-incomplete")
    assert f.severity == Severity.ERROR and f.evidence["error"] == "ResourceExhaustedError: OOM"
    assert f.evidence["epochs_done"] == 3 and f.evidence["epochs_planned"] == 20


def test_ece_of_known_examples() -> None:
    probs = np.array([[0.9, 0.1]] * 10)
    assert reliability(np.array([0] * 5 + [1] * 5), probs).ece == pytest.approx(0.4)
    assert reliability(np.array([0] * 9 + [1]), probs).ece == pytest.approx(0.0)


def test_one_ece_for_the_rule_and_the_report() -> None:
    # The calibration rules' evidence (overconfidence's `ece`, overfitting's `heldout_ece`) and the number the
    # report and compare show are one definition, one number per run: checked on every labelled case whose rules
    # state an ECE, and there must be such cases (the loop of this test was once empty and asserted nothing).
    import re

    from kerasdiag.render.html import _metrics_table

    compared = []
    for case in CASES:
        record = case.build()
        if record.predictions is None:
            continue
        facts = [
            (f.rule, f.evidence[key])
            for f in diagnose_run(record).findings
            for key in ("heldout_ece", "ece")
            if key in f.evidence
        ]
        if not facts:
            continue
        shown = re.search(
            r"expected calibration error \(\w+\)</th><td class=\"num\">([\d.]+)<", _metrics_table(record, None)
        )
        assert shown is not None, case.id
        report_ece = float(shown.group(1))
        measured = reliability(record.predictions.y_true, record.predictions.probs).ece
        assert report_ece == pytest.approx(measured, abs=5e-5), case.id
        for rule, value in facts:
            assert value == pytest.approx(measured, rel=1e-3), (case.id, rule)
            compared.append((case.id, rule))
    rules = {rule for _, rule in compared}
    assert {"overconfidence", "overfitting"} <= rules and len({case for case, _ in compared}) >= 4, compared


def test_true_class_histogram_bins_the_true_class_probability() -> None:
    probs = np.array([[0.95, 0.05], [0.55, 0.45], [0.2, 0.8]])
    hist = true_class_histograms(probs, np.array([0, 1, 1]), 10)
    assert hist == {"0": [0] * 9 + [1], "1": [0, 0, 0, 0, 1, 0, 0, 0, 1, 0]}


def test_series_helpers() -> None:
    assert finite_prefix(np.array([1.0, 2.0, math.nan, 3.0])).tolist() == [1.0, 2.0]
    assert smooth(np.array([1.0, 2.0, 6.0]), 3).tolist() == [1.5, 3.0, 4.0]
    assert longest_flat_run(np.array([0.5, 0.6, 0.6, 0.6, 0.61, 0.7]), 0.011) == (1, 4)
    swings = count_swings(np.array([1.0, 1.3, 1.0, 1.3, 1.0, 1.3, 1.0]), 0.15, relative=True)
    assert (swings.up, swings.down, swings.sign_changes) == (3, 3, 5)


def test_json_safe_rounds_and_drops_nan() -> None:
    assert json_safe({"a": np.float64(0.123456), "b": math.nan, "c": (np.int64(3), math.inf)}) == {
        "a": 0.1235,
        "b": None,
        "c": [3, None],
    }
    assert round_sig(123456.0) == 123500.0


def test_not_rounded_away_small_learning_rates() -> None:
    record = make_record([2.302] * 10, [2.301] * 10, [0.1] * 10, [0.1] * 10, model=mlp(), config={"lr": 1e-5})
    f = next(x for x in diagnose_run(record).findings if x.rule == "loss-plateau")
    assert f.evidence["learning_rate"] == 1e-5 and f.fixes[0].flags == "--lr 0.0001"
