"""`kerasdiag diagnose` on damaged, partial and odd input: a clear message or a partial diagnosis, never a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main


def diagnose(*args: str):
    return CliRunner().invoke(main, ["diagnose", *map(str, args)], env={"COLUMNS": "120", "NO_COLOR": "1"})


def write_run(path, epochs=5, status="completed", **overrides):
    path.mkdir(parents=True)
    meta = {"schema": 1, "status": status, "config": {"epochs": epochs, "dataset": "iris"}, **overrides}
    (path / "run.json").write_text(json.dumps(meta))
    rows = [
        {"epoch": i, "loss": 1.0 / i, "accuracy": 0.5 + 0.04 * i, "val_loss": 1.1 / i, "val_accuracy": 0.5 + 0.04 * i}
        for i in range(1, epochs + 1)
    ]
    (path / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


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


def test_half_written_last_line_gives_a_partial_diagnosis(tmp_path):
    run = write_run(tmp_path / "run")
    with open(run / "history.jsonl", "a") as stream:
        stream.write('{"epoch": 6, "loss": 0.1')
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    incomplete = [f for f in payload["findings"] if f["rule"] == "run-incomplete"]
    assert incomplete and "last line" in json.dumps(incomplete[0])


def test_malformed_run_json_still_reads_history(tmp_path):
    run = write_run(tmp_path / "run")
    (run / "run.json").write_text("{not json")
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "run-incomplete" in {f["rule"] for f in json.loads(result.output)["findings"]}


def test_one_epoch_run_is_diagnosed(tmp_path):
    run = write_run(tmp_path / "run", epochs=1)
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    skipped = {entry["rule"]: entry["reason"] for entry in payload["skipped"]}
    assert "epochs" in skipped["overfitting"]  # trend rules say they need more epochs, not "healthy"
    assert not [f for f in payload["findings"] if f["severity"] != "info"]  # a complete 1-epoch run: no alarm


def test_nan_everywhere_is_divergence_not_a_crash(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"schema": 1, "status": "diverged", "config": {"epochs": 3}}))
    rows = [{"epoch": i, "loss": float("nan"), "val_loss": float("nan")} for i in (1, 2, 3)]
    (run / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = diagnose(run, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "divergence" in {f["rule"] for f in json.loads(result.output)["findings"]}


def test_folder_of_runs_prints_a_summary_table(tmp_path):
    write_run(tmp_path / "a")
    write_run(tmp_path / "b", status="interrupted")
    result = diagnose(tmp_path)
    assert result.exit_code == 0, result.output
    assert "kerasdiag diagnose" in result.output and " a " in result.output and " b " in result.output


@pytest.mark.parametrize("fail_on", ["warning", "error"])
def test_fail_on_exits_3_only_at_that_severity(tmp_path, fail_on):
    run = write_run(tmp_path / "run", status="failed", error="RuntimeError: boom")
    result = diagnose(run, "--fail-on", fail_on)
    worst = json.loads(diagnose(run, "--format", "json").output)["worst"]
    order = ["info", "warning", "error"]
    expected = 3 if order.index(worst) >= order.index(fail_on) else 0
    assert result.exit_code == expected, result.output
