"""Issue 19, item 4: a finding is shown as a symptom of another only where their evidence meets (a curve in
common, overlapping epochs); otherwise it stands on its own. Grouping never changes a severity."""

from __future__ import annotations

import pytest

from kerasdiag.diagnosis.engine import RULES, diagnose_run
from kerasdiag.diagnosis.findings import Finding, Severity, Text
from kerasdiag.diagnosis.story import CAUSES, PRIORITY, explains, tell_story
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import DataSummary
from tests.diagnosis.rules.cases import CASES
from tests.helpers.rule_factory import data_summary, decay, iris_data, iris_steps, make_record, mlp, u_shape

EPOCHS = 200
IMBALANCED = data_summary({0: 90, 1: 8, 2: 22}, {0: 22, 1: 2, 2: 6}, dataset="iris", num_classes=3, std=1.0)


def iris_run(data: DataSummary, flat: str, val: list[float] | None = None) -> RunRecord:
    """Scenario 4's curves (Iris, Adam lr 0.0005, 200 epochs): the loss falls smoothly while one accuracy
    (`flat`: "accuracy" or "val_accuracy") stays on a step; the other climbs. `val`: the validation loss
    (default: falling too)."""
    loss = decay(1.1, 0.30, EPOCHS, 0.02, 0.003, 61)
    val = val or decay(1.1, 0.5, EPOCHS, 0.02, 0.003, 62)
    acc = iris_steps(EPOCHS, 120, 0.975, 0.05, 61)
    val_acc = iris_steps(EPOCHS, 30, 0.967, 0.05, 62)
    if flat == "accuracy":
        acc = [min(a, 82 / 120) for a in acc]
    else:
        val_acc = [0.7] * EPOCHS
    config = {"dataset": "iris", "optimizer": "adam", "lr": 0.0005, "batch_size": 5, "shuffle": False}
    return make_record(loss, val, acc, val_acc, model=mlp(1, 8, classes=3), data=data, config=config)


def story_of(record: RunRecord) -> dict[str, Finding]:
    return {f.rule: f for f in diagnose_run(record).findings}


def test_a_training_accuracy_plateau_is_not_a_symptom_of_validation_mismatch() -> None:
    found = story_of(iris_run(iris_data(shuffled=False), flat="accuracy"))
    assert found["validation-mismatch"].severity == Severity.ERROR
    plateau = found["accuracy-plateau"]
    assert plateau.evidence["metric"] == "accuracy"
    assert plateau.caused_by is None  # the validation split's class counts say nothing about training accuracy


def test_a_validation_accuracy_plateau_stays_a_symptom_of_validation_mismatch() -> None:
    found = story_of(iris_run(iris_data(shuffled=False), flat="val_accuracy"))
    plateau = found["accuracy-plateau"]
    assert plateau.evidence["metric"] == "val_accuracy"
    assert plateau.caused_by == "validation-mismatch"


@pytest.mark.parametrize(
    ("flat", "cause"),
    [("val_accuracy", None), ("accuracy", "class-imbalance")],
    ids=["val-plateau-not-backed-by-training-counts", "training-plateau-backed-by-training-counts"],
)
def test_training_class_counts_explain_only_a_training_curve(flat: str, cause: str | None) -> None:
    found = story_of(iris_run(IMBALANCED, flat=flat))
    assert "class-imbalance" in found and "validation-mismatch" not in found, sorted(found)
    assert found["accuracy-plateau"].evidence["metric"] == flat
    assert found["accuracy-plateau"].caused_by == cause


def test_a_symptom_names_the_cause_its_evidence_meets_never_an_inherited_root() -> None:
    """Scenario 4 with a validation loss that turns up: a validation split of classes training never saw rises for
    that reason, so overfitting is not claimed; the training-accuracy plateau is not mismatch's symptom either."""
    record = iris_run(iris_data(shuffled=False), flat="accuracy", val=u_shape(1.1, 0.5, 120, 0.7, EPOCHS))
    story = diagnose_run(record).findings
    assert [(f.rule, f.caused_by) for f in story] == [("validation-mismatch", None), ("accuracy-plateau", None)]


def test_causes_come_before_their_symptoms_in_the_causal_order() -> None:
    for cause, symptoms in CAUSES.items():
        assert all(PRIORITY.index(cause) < PRIORITY.index(symptom) for symptom in symptoms), cause


def finding(rule: str, severity: Severity = Severity.WARNING, **evidence: object) -> Finding:
    words = Text(rule, rule)
    return Finding(rule, severity, words, dict(evidence), words, words)


PLATEAU = {"metric": "accuracy", "start_epoch": 5, "end_epoch": 20}


@pytest.mark.parametrize(
    ("cause", "symptom", "linked"),
    [
        (finding("loss-plateau", window_epochs=5), finding("accuracy-plateau", Severity.INFO, **PLATEAU), False),
        (
            finding("loss-plateau", window_epochs=5),
            finding("accuracy-plateau", Severity.INFO, **{**PLATEAU, "end_epoch": 40}),
            True,
        ),
        (finding("overfitting", best_epoch=30), finding("accuracy-plateau", Severity.INFO, **PLATEAU), False),
        (finding("overfitting", best_epoch=12), finding("accuracy-plateau", Severity.INFO, **PLATEAU), True),
        (finding("oscillation", series={"loss": {}}, warmup_epochs=3), finding("overconfidence", split="test"), False),
        (
            finding("oscillation", series={"val_loss": {}}, warmup_epochs=3),
            finding("overconfidence", split="test"),
            True,
        ),
        (
            finding("dead-relu", layers={"dense": {"epochs": [36, 37, 38, 39, 40]}}),
            finding("underfitting", window_epochs=5),
            True,
        ),
        (
            finding("dead-relu", layers={"dense": {"epochs": [36, 37, 38, 39, 40]}}),
            finding("accuracy-plateau", **PLATEAU),
            False,
        ),
        (finding("class-imbalance"), finding("underfitting", window_epochs=5), False),  # not in CAUSES
        (finding("unnormalized-input"), finding("accuracy-plateau", Severity.INFO, **PLATEAU), True),
    ],
    ids=[
        "loss-flat-at-the-end-plateau-ended-at-20",
        "loss-flat-at-the-end-plateau-to-the-end",
        "overfitting-from-30-plateau-ended-at-20",
        "overfitting-from-12-plateau-5-20",
        "training-loss-swings-test-predictions",
        "val-loss-swings-test-predictions",
        "dead-units-at-the-end-underfitting-at-the-end",
        "dead-units-at-the-end-plateau-ended-at-20",
        "no-link-allowed",
        "unscaled-inputs-reach-every-curve",
    ],
)
def test_a_cause_needs_a_common_curve_and_overlapping_epochs(cause: Finding, symptom: Finding, linked: bool) -> None:
    assert explains(cause, symptom, last_epoch=40) is linked
    story = {f.rule: f for f in tell_story([symptom, cause], last_epoch=40)}
    assert story[symptom.rule].caused_by == (cause.rule if linked else None)


def test_an_unlinked_finding_is_shown_on_its_own_after_the_worse_root() -> None:
    mismatch = finding("validation-mismatch", Severity.ERROR)
    plateau = finding("accuracy-plateau", Severity.INFO, **PLATEAU)
    story = tell_story([plateau, mismatch], last_epoch=40)
    assert [(f.rule, f.caused_by) for f in story] == [("validation-mismatch", None), ("accuracy-plateau", None)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_story_never_changes_a_severity(case) -> None:
    """Each finding is shown with the severity its rule gave it when run alone, grouped or not."""
    record = case.build()
    told = {f.rule: f.severity for f in diagnose_run(record).findings}
    alone = {rule: f.severity for rule in told for f in diagnose_run(record, rules={rule: RULES[rule]}).findings}
    assert told == alone
