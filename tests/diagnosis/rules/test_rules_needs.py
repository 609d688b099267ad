"""What each rule needs from the run's anatomy, the chance level per task, and the skips the engine reports."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kerasdiag.diagnosis.engine import RULES, diagnose_run
from kerasdiag.diagnosis.findings import Diagnosis, Finding, Severity
from kerasdiag.diagnosis.rules.needs import Needs, chance, needs_of
from kerasdiag.rundir.anatomy import Task, inferred_anatomy
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from tests.diagnosis.rules.case_anatomy import anatomy, with_anatomy
from tests.diagnosis.rules.cases import CASES
from tests.helpers.rule_factory import healthy_curves, make_record, mnist_data

CASE = {c.id: c for c in CASES}
CLASS_RULES = (
    "underfitting",
    "over-regularization",
    "accuracy-plateau",
    "validation-mismatch",
    "class-imbalance",
    "overconfidence",
)


def _skips(diagnosis: Diagnosis, lang: str = "en") -> dict[str, str]:
    return {s.rule: s.reason_in(lang) for s in diagnosis.skipped}


def _findings(case_id: str, rule: str) -> list[Finding]:
    return [f for f in diagnose_run(CASE[case_id].build()).findings if f.rule == rule]


def _fired(diagnosis: Diagnosis) -> dict[str, Severity]:
    return {f.rule: f.severity for f in diagnosis.findings}


def test_needs_table() -> None:
    table = {rule_id: needs_of(rule) for rule_id, rule in RULES.items() if needs_of(rule) != Needs()}
    assert table == {
        "underfitting": Needs(classifier=True, chance_accuracy=True, scored_regression=True),
        "over-regularization": Needs(classifier=True, chance_accuracy=True, scored_regression=True),
        "accuracy-plateau": Needs(classifier=True),
        "validation-mismatch": Needs(classifier=True),
        "class-imbalance": Needs(classifier=True),
        "overconfidence": Needs(classifier=True, probabilities=True),
    }


# --- chance level per task ----------------------------------------------------------------------


def _record(described=None, **kwargs):
    curves = healthy_curves("mnist-mlp-adam", 10, 301)
    return with_anatomy(make_record(**curves, config=None, **kwargs), described)


@pytest.mark.parametrize(
    ("described", "loss", "accuracy"),
    [
        (anatomy(Task.SOFTMAX, classes=10), math.log(10), 0.1),
        (anatomy(Task.LOGITS, classes=4), math.log(4), 0.25),
        (anatomy(Task.SIGMOID), math.log(2), 0.5),
        (anatomy(Task.BINARY_LOGITS), math.log(2), 0.5),
        (anatomy(Task.REGRESSION, variance=123.0), 123.0, None),
        (anatomy(Task.REGRESSION, loss="mean_absolute_error", variance=123.0), None, None),
        (anatomy(Task.MULTILABEL, classes=5), None, None),
        (anatomy(Task.SOFTMAX, classes=10, outputs=2), None, None),
        (anatomy(Task.SOFTMAX, classes=10, loss="categorical_focal_crossentropy"), None, 0.1),
        (anatomy(Task.UNKNOWN), None, None),
    ],
    ids=["softmax", "logits", "sigmoid", "binary-logits", "mse", "mae", "multi-label", "two-heads", "focal", "unknown"],
)
def test_chance_level_comes_from_the_task(described, loss, accuracy) -> None:
    level = chance(_record(described))
    assert level.loss == (pytest.approx(loss) if loss is not None else None)
    assert level.accuracy == (pytest.approx(accuracy) if accuracy is not None else None)
    assert not level.guessed


def test_a_multiclass_anatomy_without_k_takes_it_from_the_same_runs_data() -> None:
    level = chance(_record(anatomy(Task.SOFTMAX), data=mnist_data()))
    assert (level.classes, level.loss) == (10, pytest.approx(math.log(10)))


def test_without_an_anatomy_the_old_guess_stays() -> None:
    one_unit = ModelSummary([LayerInfo("d", "Dense", 8, "relu"), LayerInfo("out", "Dense", 1, "sigmoid")])
    level = chance(_record(None, model=one_unit))
    assert level.guessed and level.classes == 2 and level.loss == pytest.approx(math.log(2))
    assert chance(_record(None)).loss is None  # nothing to guess from: unknown, and rules say so


# --- what the engine skips ----------------------------------------------------------------------


def test_a_regression_gets_no_class_rule_and_says_why_in_both_languages() -> None:
    diagnosis = diagnose_run(CASE["regression-integer-targets-learns"].build())
    skips, skips_ja = _skips(diagnosis), _skips(diagnosis, "ja")
    for rule in CLASS_RULES:
        if rule in ("underfitting", "over-regularization"):  # R^2 against the targets' variance (an MSE regression)
            assert rule not in skips
            continue
        assert skips[rule] == "a regression run (loss mean_squared_error): class rules do not apply", rule
        assert "回帰" in skips_ja[rule]
    assert diagnosis.worst is None  # no class-imbalance over 347 "classes", no epoch-1 "bad initialisation"


def test_a_regression_is_judged_against_its_targets_variance() -> None:
    (blown,) = _findings("regression-mse-15x-target-variance", "divergence")
    assert blown.evidence["chance_loss"] == 10_000 and blown.evidence["task"] == "regression"
    assert blown.evidence["end_vs_chance_loss"] == pytest.approx(15, rel=0.05)
    assert "targets' variance" in blown.summary.en and "目標値の分散" in blown.summary.ja
    stuck = diagnose_run(CASE["regression-mse-stays-above-target-variance"].build())
    assert "divergence" not in _fired(stuck)  # 17,000 is 1.7x the variance, not 2.45e4 x ln 2
    (plateau,) = [f for f in stuck.findings if f.rule == "loss-plateau"]
    assert plateau.evidence["chance_loss"] == 10_000
    assert plateau.evidence["level_vs_reference"] == pytest.approx(1.7, 0.05)
    (under,) = [f for f in stuck.findings if f.rule == "underfitting"]
    assert under.evidence["train_r2"] == pytest.approx(-0.7, abs=0.05) and under.evidence["threshold_r2"] == 0.2
    assert "R² (1 - MSE / the targets' variance 1e+04)" in under.summary.en and "目標値の分散" in under.summary.ja


def test_a_regression_plain_log_has_no_variance_so_its_underfitting_is_not_evaluated() -> None:
    record = CASE["regression-mse-stays-above-target-variance"].build()
    record.anatomy.target_variance = None
    assert "underfitting" in _skips(diagnose_run(record))


def test_a_regression_held_down_by_dropout_is_over_regularized_by_its_r2() -> None:
    (held,) = _findings("regression-dropout-085-r2-held-down", "over-regularization")
    assert held.evidence["train_r2"] == pytest.approx(0.12, abs=0.01) and held.evidence["target_variance"] == 10_000
    assert held.evidence["val_r2"] == pytest.approx(0.3, abs=0.01) and held.evidence["dropout"] == 0.85
    assert "Train R² (1 - MSE / the targets' variance 1e+04) stays at 0.12" in held.summary.en
    assert "R²" in held.summary.ja and "ドロップアウト率 0.85" in held.summary.ja
    assert [f.flags for f in held.fixes] == ["--dropout 0.3"]
    plain = CASE["regression-dropout-085-r2-held-down"].build()
    plain.anatomy.target_variance = None  # a plain log: no variance, no R^2, the rule says so
    assert "over-regularization" in _skips(diagnose_run(plain))


def test_multi_output_and_multi_label_models_skip_class_rules() -> None:
    two_heads = diagnose_run(_record(anatomy(Task.UNKNOWN, outputs=2)))
    labels = diagnose_run(_record(anatomy(Task.MULTILABEL, classes=5)))
    for rule in CLASS_RULES:
        assert _skips(two_heads)[rule].startswith("a model with 2 outputs"), rule
        assert _skips(labels)[rule].startswith("a multi-label run (5 independent labels)"), rule


def test_an_unknown_task_skips_only_what_needs_the_chance_level() -> None:
    diagnosis = diagnose_run(_record(anatomy(Task.UNKNOWN)))
    skips = _skips(diagnosis)
    expected = "the chance-level accuracy is unknown: the number of classes is not known (task unknown)"
    assert skips["underfitting"] == skips["over-regularization"] == expected
    assert "accuracy-plateau" not in skips  # accuracy is logged: a flat stretch can still be judged


def test_calibration_reads_class_probabilities_of_any_classifier_never_raw_logits() -> None:
    from kerasdiag.rundir.summaries import Predictions

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    p = rng.uniform(0.01, 0.99, 200)
    sigmoid = CASE["sigmoid-binary-at-chance"].build()
    sigmoid.predictions = Predictions(val_y=y, val_probs=np.stack([1 - p, p], axis=1).astype(np.float32))
    assert "overconfidence" not in _skips(diagnose_run(sigmoid))  # [1-p, p]: probabilities, calibration applies
    logits = CASE["logits-stuck-at-chance"].build()
    logits.predictions = Predictions(val_y=y, val_probs=rng.normal(0, 3, (200, 2)).astype(np.float32))
    assert "task multiclass-logits" in _skips(diagnose_run(logits))["overconfidence"]  # raw scores: not calibrated
    binary = diagnose_run(CASE["sigmoid-binary-at-chance"].build())
    assert not [s for s in binary.skipped if s.reason.startswith("could not evaluate")]
    (under,) = [f for f in binary.findings if f.rule == "underfitting"]
    assert under.evidence["train_skill"] == pytest.approx(0.0, abs=1e-6)  # accuracy 0.5 is chance for binary


def test_the_stuck_logits_run_is_judged_against_ln_10() -> None:
    (plateau,) = _findings("logits-stuck-at-chance", "loss-plateau")
    assert plateau.evidence["chance_loss"] == pytest.approx(math.log(10), rel=1e-3)
    assert plateau.evidence["task"] == "multiclass-logits" and "ln(10)" in plateau.summary.en


def test_an_unknown_chance_level_is_not_called_chance() -> None:
    record = CASE["logits-stuck-at-chance"].build()
    record.anatomy = None  # no anatomy, no data, no model: k cannot even be guessed ...
    record.epochs.metrics.pop("accuracy", None)  # ... nor read off a loss at ln k beside an accuracy at 1/k
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "loss-plateau"]
    assert plateau.evidence["chance_loss"] is None and plateau.evidence["reference"] == "first_epoch_loss"
    assert "chance-level loss" not in plateau.summary.en and "epoch 1's loss" in plateau.summary.en


# --- kerasdiag train runs are read as before ----------------------------------------------------


def test_train_runs_with_their_inferred_anatomy_are_diagnosed_as_before() -> None:
    compared = 0
    for case in CASES:
        record = case.build()
        described = None if record.anatomy is not None else inferred_anatomy(record.config, record.data, record.model)
        if described is None:
            continue
        before = [(f.rule, f.severity) for f in diagnose_run(record).findings]
        # the one documented difference: a loss rule reading a loss with an unmeasured L1/L2 penalty says so as info
        after = [
            (f.rule, Severity.WARNING if f.evidence.get("loss_basis") == "loss_with_unmeasured_penalty" else f.severity)
            for f in diagnose_run(with_anatomy(record, described)).findings
        ]
        assert after == before, case.id
        compared += 1
    assert compared >= 80


def test_a_regression_with_constant_targets_is_not_judged_by_r2() -> None:
    record = CASE["regression-dropout-085-r2-held-down"].build()
    record.anatomy.target_variance = 0.0  # every target the same: R^2 has no spread to explain
    diagnosis = diagnose_run(record)
    assert "over-regularization" in _skips(diagnosis) and "over-regularization" not in _fired(diagnosis)
