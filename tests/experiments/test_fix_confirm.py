"""`fix` on a script's run runs the script only once the user named it or said yes: a run folder alone runs nothing.

The run folders here come from someone else: their run.json names a script that, if run, leaves a `RAN` file.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import fix_cmd, main
from kerasdiag.errors import ConfigError
from tests.helpers.run_dirs import make_run_dir

PLANTED = "from pathlib import Path\nPath(__file__).with_name('RAN').write_text('their code ran')\n"
DIVERGING = [2.3, 5.0, 40.0, 900.0, float("nan"), float("nan")]


def sent_run(tmp_path: Path, argv: list[str] | None = None) -> tuple[Path, Path]:
    """A diverged script run (its fix, `--lr 0.05`, applies to a script) whose script would plant a file."""
    script = tmp_path / "their code" / "learner.py"
    script.parent.mkdir()
    script.write_text(PLANTED, encoding="utf-8")
    config = {"script": str(script), "script_path": str(script), "argv": argv or ["--epochs", "20"], "fit_index": 0}
    config |= {"optimizer": "sgd", "lr": 0.5, "epochs": 6, "batch_size": 32, "validation_split": 0.2}
    config |= {"shuffle": False, "activation": "relu", "backend": "tensorflow"}
    rows = [
        {"epoch": i, "loss": loss, "accuracy": 0.3, "val_loss": loss, "val_accuracy": 0.3}
        for i, loss in enumerate(DIVERGING, 1)
    ]
    return make_run_dir(tmp_path, "sent", rows=rows, status="diverged", config=config), script


def invoke(*args: object, stdin: str | None = None):
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(main, ["fix", *map(str, args)], input=stdin)


def one_line(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    (line,) = [line for line in result.output.splitlines() if "Expected" in line and "Received" in line]
    return line


def test_a_run_folder_alone_never_runs_its_script(tmp_path):
    run, script = sent_run(tmp_path)
    line = one_line(invoke(run, "--seeds", "1", "--epochs", "1"), 2)
    command = shlex.join([str(script), "--epochs", "20"])
    assert f"--script {shlex.quote(command)}" in line and "2 times" in line
    assert "no --script, and no terminal to ask on" in line
    assert not (script.parent / "RAN").exists() and not (run / "fixes").exists()


@pytest.mark.parametrize(
    "given",
    ["{other}", "{script}", "{script} --epochs 21", "{script} --epochs 20 --evil", "'{script} --epochs 20"],
    ids=["another-script", "arguments-missing", "other-arguments", "more-arguments", "unbalanced-quote"],
)
def test_a_script_option_that_does_not_match_is_refused(tmp_path, given):
    run, script = sent_run(tmp_path)
    other = tmp_path / "mine.py"
    other.write_text("print('mine')\n", encoding="utf-8")
    value = given.format(script=shlex.quote(str(script)), other=other)
    line = one_line(invoke(run, "--seeds", "1", "--script", value), 2)
    assert "--script" in line and str(script) in line
    assert not (script.parent / "RAN").exists()


def test_on_a_terminal_fix_shows_the_command_and_asks_first(tmp_path, monkeypatch):
    run, script = sent_run(tmp_path)
    monkeypatch.setattr(fix_cmd, "stdin_is_terminal", lambda: True)
    result = invoke(run, "--seeds", "1", stdin="n\n")
    assert result.exit_code == 1, result.output
    assert "fix will run it 2 times, in this process, as:" in result.output
    assert shlex.join([str(script), "--epochs", "20"]) in result.output
    assert "Run it? [y/N]" in result.output and "Nothing was run." in result.output
    assert not (script.parent / "RAN").exists() and not (run / "fixes").exists()


def test_the_confirmation_names_the_same_file_and_the_same_arguments(tmp_path):
    from kerasdiag.diagnosis.engine import diagnose_run
    from kerasdiag.experiments.fix.run import FixOptions
    from kerasdiag.experiments.fix.script import plan_script_fixes
    from kerasdiag.rundir.find import load_record

    run, script = sent_run(tmp_path, argv=["--data dir", "x"])
    record = load_record(run)
    plan = plan_script_fixes(run, record, diagnose_run(record).findings, fix_cmd.fix_flag_values, FixOptions(seeds=2))
    assert plan.command == f"{shlex.quote(str(script))} '--data dir' x" and plan.runs == 4
    relative = os.path.relpath(script)
    assert plan.confirmed_by(plan.command)
    assert plan.confirmed_by(f"{shlex.quote(relative)} '--data dir' x")  # another spelling of the same file
    assert not plan.confirmed_by(f"{shlex.quote(str(script))} --data dir x")  # other arguments
    assert not plan.confirmed_by("")
    fix_cmd.confirm_script(plan, plan.command)  # accepted: returns
    with pytest.raises(ConfigError):
        fix_cmd.confirm_script(plan, str(script))


def test_nothing_to_run_needs_no_confirmation(tmp_path):
    run, script = sent_run(tmp_path)
    healthy = make_run_dir(tmp_path, "healthy", epochs=6, config=json.loads((run / "run.json").read_text())["config"])
    result = invoke(healthy)
    assert result.exit_code == 0, result.output
    assert "Expected" not in result.output and "Run it?" not in result.output
    assert not (script.parent / "RAN").exists()
