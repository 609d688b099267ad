"""diagnose_run and static_checks: registry, Skipped reasons, crash handling, ordering, purity."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import kerasdiag.diagnosis.engine as diagnosis
from kerasdiag.diagnosis.engine import RULE_IDS, STATIC_RULE_IDS, NotEvaluable, Thresholds, diagnose_run, static_checks
from kerasdiag.diagnosis.findings import Severity
from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.cases import CASES
from tests.helpers.rule_factory import healthy_curves, make_record, mlp, u_shape

PACKAGE = Path(diagnosis.__file__).parent
CASE = {c.id: c for c in CASES}


def test_rule_ids_follow_design_order() -> None:
    assert RULE_IDS == (
        "overfitting",
        "underfitting",
        "over-regularization",
        "vanishing-gradients",
        "exploding-gradients",
        "divergence",
        "oscillation",
        "loss-plateau",
        "accuracy-plateau",
        "linear-collapse",
        "dead-relu",
        "saturation",
        "validation-mismatch",
        "unnormalized-input",
        "class-imbalance",
        "overconfidence",
        "run-incomplete",
    )


def _boom(record: RunRecord, th: Thresholds) -> list:
    raise ZeroDivisionError("division by zero")


def test_crashing_rule_becomes_skipped_not_silence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(diagnosis.RULES, "overfitting", _boom)
    result = diagnose_run(CASE["val-loss-rises-after-epoch-6"].build())
    skipped = {s.rule: s.reason for s in result.skipped}
    assert skipped["overfitting"] == "could not evaluate: ZeroDivisionError: division by zero"
    assert "overconfidence" in {f.rule for f in result.findings}


def test_not_evaluable_becomes_skipped_with_its_reason() -> None:
    def missing(record: RunRecord, th: Thresholds) -> list:
        raise NotEvaluable("no widgets in these logs")

    result = diagnose_run(make_record([1.0, 0.5]), rules={"widgets": missing})
    assert [(s.rule, s.reason) for s in result.skipped] == [("widgets", "no widgets in these logs")]


def _keras_logs_overfitting() -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 30, 5)
    curves["val_loss"] = u_shape(0.2, 0.08, 8, 0.14, 30, 0.01, 6)
    return make_record(**curves, config=None, status=None, source="keras-logs")


def test_plain_keras_logs_skip_with_reasons_and_still_judge_curves() -> None:
    result = diagnose_run(_keras_logs_overfitting())
    skipped = {s.rule: s.reason for s in result.skipped}
    assert skipped["vanishing-gradients"] == "no per-layer gradient probes in these logs"
    assert skipped["exploding-gradients"] == "no per-layer gradient probes in these logs"
    assert skipped["dead-relu"] == "no per-layer dead_fraction probes in these logs"
    assert skipped["overconfidence"] == "no held-out predictions in these logs"
    assert skipped["linear-collapse"] == "no model summary or kerasdiag flags in these logs"
    assert skipped["over-regularization"] == "no regularisation settings or penalty measurements in these logs"
    # Without class counts, validation-mismatch and class-imbalance judge the curves; epoch 1's loss needs k.
    assert skipped["unnormalized-input"].startswith("no data summary"), skipped
    assert "validation-mismatch" not in skipped and "class-imbalance" not in skipped, skipped
    assert not any(r.startswith("could not evaluate") for r in skipped.values())
    curve_rules = {
        "overfitting",
        "underfitting",
        "divergence",
        "oscillation",
        "loss-plateau",
        "accuracy-plateau",
        "run-incomplete",
    }
    assert curve_rules.isdisjoint(skipped)
    assert [f.rule for f in result.findings] == ["overfitting"]


def test_keras_logs_with_model_from_config_tag_judge_linear_collapse() -> None:
    record = _keras_logs_overfitting()
    record.model = mlp(3, activation="linear")
    assert "linear-collapse" in {f.rule for f in diagnose_run(record).findings}


def test_empty_run_never_crashes_a_rule() -> None:
    result = diagnose_run(make_record([], status="running"))
    assert not [s for s in result.skipped if s.reason.startswith("could not evaluate")]
    assert {f.rule: f.severity for f in result.findings} == {"run-incomplete": Severity.ERROR}
    assert {s.reason for s in result.skipped if s.rule == "overfitting"} == {"no finished epoch in this run"}


def test_findings_sorted_worst_first() -> None:
    result = diagnose_run(CASE["gradients-explode-then-nan"].build())
    severities = [f.severity for f in result.findings]
    assert severities == sorted(severities, reverse=True) and severities[0] == Severity.ERROR
    assert severities[-1] == Severity.INFO


def test_static_checks_run_only_rules_that_need_no_epoch() -> None:
    record = make_record([], model=mlp(5, activation="linear"), status="running")
    result = static_checks(record)
    ran = {f.rule for f in result.findings} | {s.rule for s in result.skipped}
    assert ran == set(STATIC_RULE_IDS)
    assert [f.rule for f in result.findings] == ["linear-collapse"]


def test_thresholds_change_the_verdict_and_are_frozen() -> None:
    record = CASE["val-loss-rises-after-epoch-6"].build()
    lenient = dataclasses.replace(Thresholds(), overfit_rise=50.0, overfit_stall_epochs=100)
    assert "overfitting" not in {f.rule for f in diagnose_run(record, lenient).findings}
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().overfit_rise = 1.0  # type: ignore[misc]


def test_every_threshold_has_a_comment() -> None:
    lines = (PACKAGE / "thresholds.py").read_text().splitlines()
    fields = [line for line in lines if line.startswith("    ") and ": " in line and " = " in line]
    assert len(fields) == len(dataclasses.fields(Thresholds))
    assert all("  # " in line for line in fields)


def test_diagnosis_imports_no_keras_or_tensorflow() -> None:
    code = (
        "import sys, kerasdiag.diagnosis.engine; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('keras', 'tensorflow', 'tensorboard')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent.parent
    )
    assert out.stdout.strip() == "[]"


def test_modules_and_functions_stay_small_and_do_no_io() -> None:
    pure = [*PACKAGE.glob("rules/*.py"), *(PACKAGE / n for n in ("engine.py", "findings.py", "thresholds.py"))]
    for path in pure:  # runs.py is the one module of the package that reads paths
        source = path.read_text()
        assert len(source.splitlines()) <= 300, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno + 1 <= 40, f"{path.name}:{node.name}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "print", "input"), f"{path.name}: {node.func.id}()"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {"os", "pathlib", "json", "keras", "tensorflow"} & {n.split(".")[0] for n in names}
