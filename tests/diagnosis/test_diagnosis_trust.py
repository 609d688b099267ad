"""Issue 11's bugs and the coherent story: damaged runs listed, restarted Keras folders, malformed summaries, fixes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Severity
from kerasdiag.diagnosis.runs import diagnose_path
from kerasdiag.rundir.tensorboard.read.reader import read_keras_logs
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter
from tests.helpers.rule_factory import make_record


def diagnose(*args: object):
    return CliRunner().invoke(main, ["diagnose", *map(str, args)], env={"COLUMNS": "120", "NO_COLOR": "1"})


def test_a_damaged_run_in_a_folder_is_listed_as_run_incomplete_and_fails_on_error(run_dir) -> None:
    good = run_dir("good")
    damaged = good.parent / "damaged"
    damaged.mkdir()
    (damaged / "run.json").write_text("{not json")
    (damaged / "history.jsonl").write_bytes(b"\xff\xfe")  # no readable epoch, no readable meta: unreadable
    results = {r.name: r.diagnosis for r in diagnose_path(good.parent)}
    assert set(results) == {"good", "damaged"}
    assert [(f.rule, f.severity) for f in results["damaged"].findings] == [("run-incomplete", Severity.ERROR)]
    assert diagnose(good.parent, "--fail-on", "error").exit_code == 3
    assert "damaged" in diagnose(good.parent).output


def test_malformed_data_summary_gives_a_partial_diagnosis(run_dir) -> None:
    run = run_dir()
    meta = json.loads((run / "run.json").read_text())
    meta["data"] = {"dataset": "iris", "num_classes": 3, "train": {}}
    (run / "run.json").write_text(json.dumps(meta))
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert "run-incomplete" in {f["rule"] for f in found["findings"]}
    assert not any(s["reason"].startswith("could not evaluate") for s in found["skipped"])


def _keras_run(folder: Path, losses: list[float], accuracy: float) -> None:
    for split, tag_shift in (("train", 0.0), ("validation", 0.05)):
        writer = SummaryWriter(folder / split)
        for step, loss in enumerate(losses):
            writer.scalar("epoch_loss", loss + tag_shift, step)
            writer.scalar("epoch_accuracy", accuracy, step)
        writer.close()


def test_a_script_run_twice_into_one_folder_is_not_spliced(tmp_path: Path) -> None:
    first = [2.0 - 0.1 * i for i in range(10)]
    second = [5.0, 4.0, 3.0, 2.5, 2.2, 2.1]
    _keras_run(tmp_path, first, 0.5)
    _keras_run(tmp_path, second, 0.9)
    record = read_keras_logs(tmp_path)
    # As TensorBoard shows it: the restart at step 0 orphans every later step of the first file.
    assert np.allclose(record.series("loss"), second)
    assert len(record.earlier_runs) == 1 and np.allclose(record.earlier_runs[0].series("loss"), first)
    incomplete = {f.rule: f for f in diagnose_run(record).findings}["run-incomplete"]
    assert incomplete.severity == Severity.INFO and incomplete.evidence["runs_in_folder"] == 2
    names = [r.name for r in diagnose_path(tmp_path)]
    assert names == [f"{tmp_path} (run 1 of 2)", str(tmp_path)]


def test_overfitting_and_accuracy_plateau_tell_one_story() -> None:
    epochs = 60
    loss = list(np.linspace(1.0, 0.05, epochs))
    val = [0.5 - 0.01 * i if i < 20 else 0.3 + 0.01 * (i - 20) for i in range(epochs)]
    acc = [min(0.9, 0.5 + 0.02 * i) for i in range(epochs)]
    record = make_record(loss=loss, val_loss=val, accuracy=acc, val_accuracy=[0.8] * epochs)
    findings = diagnose_run(record).findings
    rules = [f.rule for f in findings]
    assert "overfitting" in rules and "accuracy-plateau" in rules, rules
    plateau = next(f for f in findings if f.rule == "accuracy-plateau")
    assert plateau.caused_by == "overfitting"
    assert rules.index("overfitting") < rules.index("accuracy-plateau")
    epochs_flags = {fix.flags for f in findings for fix in f.fixes if fix.flags.startswith("--epochs")}
    assert len(epochs_flags) == 1, epochs_flags  # "stop at 21" and "train to 120" never both
    diagnosis = diagnose_run(record)
    assert diagnosis.first_fix is not None and diagnosis.first_fix[0] == "overfitting"
    assert diagnosis.to_dict()["first_fix"]["rule"] == "overfitting"
