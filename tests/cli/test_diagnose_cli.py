"""`kerasdiag diagnose` on damaged, partial and odd input: a clear message or a partial diagnosis, never a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main


def diagnose(*args: str):
    return CliRunner().invoke(main, ["diagnose", *map(str, args)], env={"COLUMNS": "120", "NO_COLOR": "1"})


def test_missing_path_exits_1_with_one_line(tmp_path):
    result = diagnose(tmp_path / "nope")
    assert result.exit_code == 1 and "not found" in result.output and "Traceback" not in result.output


def test_empty_folder_exits_1(tmp_path):
    result = diagnose(tmp_path)
    assert result.exit_code == 1 and "Expected kerasdiag runs" in result.output


def test_a_file_instead_of_a_folder_exits_1(tmp_path):
    (tmp_path / "history.jsonl").write_text("{}")
    result = diagnose(tmp_path / "history.jsonl")
    assert result.exit_code == 1 and "a file" in result.output


def test_half_written_last_line_gives_a_partial_diagnosis(run_dir):
    run = run_dir()
    with open(run / "history.jsonl", "a") as stream:
        stream.write('{"epoch": 6, "loss": 0.1')
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    incomplete = [f for f in payload["findings"] if f["rule"] == "run-incomplete"]
    assert incomplete and "last line" in json.dumps(incomplete[0])


def test_malformed_run_json_still_reads_history(run_dir):
    run = run_dir()
    (run / "run.json").write_text("{not json")
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "run-incomplete" in {f["rule"] for f in json.loads(result.output)["findings"]}


def test_one_epoch_run_is_diagnosed(run_dir):
    run = run_dir(epochs=1)
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    skipped = {entry["rule"]: entry["reason"] for entry in payload["skipped"]}
    assert "epochs" in skipped["overfitting"]  # trend rules say they need more epochs, not "healthy"
    assert not [f for f in payload["findings"] if f["severity"] != "info"]  # a complete 1-epoch run: no alarm


def test_nan_everywhere_is_divergence_not_a_crash(run_dir):
    rows = [{"epoch": i, "loss": float("nan"), "val_loss": float("nan")} for i in (1, 2, 3)]
    run = run_dir(epochs=3, status="diverged", rows=rows)
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "divergence" in {f["rule"] for f in json.loads(result.output)["findings"]}


def test_folder_of_runs_prints_a_summary_table(run_dir):
    folder = run_dir("a").parent
    run_dir("b", status="interrupted")
    result = diagnose(folder)
    assert result.exit_code == 0, result.output
    assert "kerasdiag diagnose" in result.output and " a " in result.output and " b " in result.output


@pytest.mark.parametrize(
    ("status", "fail_on", "expected"),
    [
        ("interrupted", "warning", 3),  # worst finding: run-incomplete at warning
        ("interrupted", "error", 0),  # a warning does not reach error
        ("failed", "error", 3),  # worst finding: run-incomplete at error
        ("completed", "warning", 0),  # a healthy run reaches nothing
    ],
    ids=["warning-at-warning", "warning-below-error", "error-at-error", "healthy"],
)
def test_fail_on_exits_3_only_at_that_severity(run_dir, status, fail_on, expected):
    run = run_dir(status=status, error="RuntimeError: boom" if status == "failed" else None)
    worst = json.loads(diagnose(run, "--format", "json").output)["worst"]
    assert worst == {"interrupted": "warning", "failed": "error", "completed": None}[status]
    result = diagnose(run, "--fail-on", fail_on)
    assert result.exit_code == expected, result.output


def test_a_run_too_short_to_judge_lists_the_rules_that_want_more_epochs_in_one_line(run_dir):
    """`for epoch in range(10): model.fit(epochs=1)` prints one such block per fit: the reasons that only say "more
    epochs" come as one line (the verdict above says why); JSON keeps every reason."""
    run = run_dir(epochs=1)
    text = diagnose(run).output
    assert "rules need more epochs than this run has: overfitting" in text
    assert "overfitting: needs at least" not in text
    skipped = {
        entry["rule"]: entry["reason"] for entry in json.loads(diagnose(run, "--format", "json").output)["skipped"]
    }
    assert "needs at least" in skipped["overfitting"]
