"""Issue 19, item 4: the verdict line. A run shorter than the curve rules need is "too short to judge", never
healthy; "No problems found." only with no finding at all; info findings alone are counted as notes."""

from __future__ import annotations

import dataclasses
import math

from kerasdiag.diagnosis.engine import diagnose_run, epochs_needed, static_checks
from kerasdiag.diagnosis.findings import Diagnosis, Severity, Status
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord
from tests.helpers.rule_factory import healthy_curves, healthy_probes, make_record, mlp, mnist_data, u_shape

CHANCE = math.log(10)


def at_chance(epochs: int) -> RunRecord:
    """An MNIST MLP that learns nothing: loss ln 10, accuracy 0.1 in both splits."""
    flat = [CHANCE] * epochs
    return make_record(flat, flat, [0.1] * epochs, [0.1] * epochs, model=mlp(), data=mnist_data())


def healthy(epochs: int = 20, planned: int | None = None) -> RunRecord:
    config = {"epochs": planned} if planned else None
    curves = healthy_curves("mnist-mlp-adam", epochs)
    extra = {"config": config} if config else {}
    return make_record(**curves, probes=healthy_probes(epochs), model=mlp(), data=mnist_data(), **extra)


def overfits() -> RunRecord:
    loss = [1.0 / (i + 1) for i in range(20)]
    return make_record(loss, u_shape(1.0, 0.4, 6, 0.8, 20), model=mlp(), data=mnist_data())


def test_a_three_epoch_run_at_chance_is_underfitting_not_healthy() -> None:
    diagnosis = diagnose_run(at_chance(3))
    assert [(f.rule, f.severity) for f in diagnosis.findings] == [("underfitting", Severity.WARNING)]
    assert diagnosis.status is Status.PROBLEMS and diagnosis.verdict("en") is None


def test_a_three_epoch_run_that_learned_is_too_short_to_judge_not_healthy() -> None:
    diagnosis = diagnose_run(healthy(3))
    assert diagnosis.findings == []
    assert diagnosis.status is Status.TOO_SHORT
    assert diagnosis.verdict("en") == "Too short to judge: 3 epochs; the curve rules need at least 5."
    assert diagnosis.verdict("ja") == (
        "記録が 3 エポック分しかないため、判定できません。学習曲線を使う診断には、少なくとも 5 エポック必要です。"
    )
    payload = diagnosis.to_dict()
    assert (payload["status"], payload["epochs"], payload["epochs_needed"]) == ("too_short", 3, 5)


def test_a_one_epoch_run_that_finished_is_too_short_to_judge_not_incomplete() -> None:
    """`for epoch in range(10): model.fit(x, y, epochs=1)`: each fit finished what it was asked."""
    diagnosis = diagnose_run(dataclasses.replace(at_chance(1), config={"epochs": 1}))
    assert diagnosis.findings == [] and diagnosis.status is Status.TOO_SHORT


def test_a_one_epoch_run_is_too_short_and_counts_its_note() -> None:
    diagnosis = diagnose_run(dataclasses.replace(at_chance(1), config={"epochs": 10}))  # 1 of 10 epochs: a note
    assert [(f.rule, f.severity) for f in diagnosis.findings] == [("run-incomplete", Severity.INFO)]
    assert diagnosis.status is Status.TOO_SHORT
    assert diagnosis.verdict("en") == "Too short to judge: 1 epoch; the curve rules need at least 5. 1 note below."
    assert diagnosis.verdict("ja") == (
        "記録が 1 エポック分しかないため、判定できません。学習曲線を使う診断には、少なくとも 5 エポック必要です。"
        "参考情報が 1 件あります。"
    )


def test_the_epochs_needed_follow_the_thresholds_windows() -> None:
    assert epochs_needed(["loss-plateau"]) == 6  # a change over 5 epochs spans 6
    assert epochs_needed(["oscillation"]) == 8  # 3 warm-up epochs + 5 judged
    assert epochs_needed(["overfitting", "loss-plateau", "oscillation"]) == 5  # the first rule able to judge
    wider = dataclasses.replace(Thresholds(), min_epochs=10, probe_window=10, plateau_window=9)
    assert diagnose_run(healthy(9), wider).verdict("en") == (
        "Too short to judge: 9 epochs; the curve rules need at least 10."
    )


def test_checks_before_the_first_epoch_are_not_too_short() -> None:
    static = static_checks(at_chance(0))
    assert static.epochs_needed is None and static.status is Status.HEALTHY


def test_a_long_run_without_findings_is_healthy() -> None:
    diagnosis = diagnose_run(healthy())
    assert diagnosis.findings == [] and diagnosis.status is Status.HEALTHY
    assert diagnosis.verdict("en") == "No problems found."
    assert diagnosis.to_dict()["status"] == "healthy"


def test_info_findings_alone_are_notes_never_no_problems() -> None:
    diagnosis = diagnose_run(healthy(20, planned=30))
    assert [(f.rule, f.severity) for f in diagnosis.findings] == [("run-incomplete", Severity.INFO)]
    assert diagnosis.status is Status.NOTES
    assert diagnosis.verdict("en") == "No warnings or errors; 1 note below."
    assert diagnosis.verdict("ja") == "警告やエラーはありません。参考情報が 1 件あります。"
    assert diagnosis.to_dict()["status"] == "notes"


def test_a_warning_speaks_for_itself_in_a_long_or_a_short_run() -> None:
    long = diagnose_run(overfits())
    assert long.worst == Severity.WARNING
    short = dataclasses.replace(long, epochs=3, epochs_needed=5)
    for diagnosis in (long, short):
        assert diagnosis.status is Status.PROBLEMS and diagnosis.verdict("en") is None
        assert diagnosis.to_dict()["status"] == "problems"


def test_a_diagnosis_built_without_epochs_keeps_its_old_verdicts() -> None:
    assert Diagnosis("run").verdict("en") == "No problems found."
