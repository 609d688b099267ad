"""`kerasdiag fix` on a script's run shows the verified change as a unified diff against the script (never written)."""

from __future__ import annotations

import ast
import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import fix_cmd, main
from kerasdiag.diagnosis.code_fixes import as_code
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.experiments.fix import script as script_fixes
from kerasdiag.experiments.fix.run import FixOptions, FixRuns, Member
from kerasdiag.experiments.fix.script import plan_script_fixes
from kerasdiag.experiments.fix.script_edit import read_script_change, script_change
from kerasdiag.messages import say
from kerasdiag.render.fix import not_applied_line
from kerasdiag.rundir.find import load_record
from tests.helpers.run_dirs import make_run_dir

SCRIPT = """\
import keras

x, y = load()
model = keras.Sequential([
    keras.Input((4,)),
    keras.layers.Dense(16, activation="sigmoid"),
    keras.layers.Dropout(0.1),
    keras.layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.SGD(0.5), loss="categorical_crossentropy")
model.fit(x, y, epochs=20, validation_split=0.2)
"""


def changed_lines(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def edited(text: str, change: dict, **lines: int) -> tuple[list[str], tuple[str, ...]]:
    result = script_change(text, "learner.py", change, **lines)
    assert result is not None
    return changed_lines(result.diff), result.unplaced


@pytest.mark.parametrize(
    ("change", "removed", "added"),
    [
        ({"lr": 0.05}, "SGD(0.5)", "SGD(0.05)"),
        ({"lr": 0.001, "optimizer": "adam"}, "keras.optimizers.SGD(0.5)", "keras.optimizers.Adam(learning_rate=0.001)"),
        ({"lr": 0.05, "momentum": 0.9}, "SGD(0.5)", "SGD(0.05, momentum=0.9)"),
        ({"epochs": 34}, "epochs=20", "epochs=34"),
        ({"batch_size": 64}, "validation_split=0.2)", "validation_split=0.2, batch_size=64)"),
        ({"dropout": 0.3}, "Dropout(0.1)", "Dropout(0.3)"),
        ({"activation": "relu"}, 'Dense(16, activation="sigmoid")', 'Dense(16, activation="relu")'),
        ({"l2": 0.0001}, '"sigmoid")', '"sigmoid", kernel_regularizer=keras.regularizers.L2(0.0001))'),
    ],
    ids=["lr", "optimizer", "momentum", "epochs", "batch-size", "dropout", "activation", "l2"],
)
def test_each_change_edits_its_line_of_the_script(change, removed, added):
    lines, unplaced = edited(SCRIPT, change, fit_line=11)
    assert unplaced == ()
    (old, new) = lines
    assert old.startswith("-") and removed in old and new.startswith("+") and added in new
    assert old[1:].replace(removed, added) == new[1:]  # nothing else on the line changes


def test_shuffle_inserts_the_permutation_before_the_fit_statement_and_imports_numpy():
    lines, unplaced = edited(SCRIPT, {"shuffle": True, "epochs": 20})
    assert unplaced == () and lines == [
        "+import numpy as np",
        "+idx = np.random.permutation(len(x))",
        "+x, y = x[idx], y[idx]",
    ]


def test_shuffle_inside_a_function_keeps_its_indent_and_the_scripts_numpy_name():
    text = (
        "import numpy as onp\n\ndef train(model, data):\n"
        "    history = model.fit(\n        data.x,\n        data.y,\n        validation_split=0.1,\n    )\n"
    )
    lines, _ = edited(text, {"shuffle": True})
    assert lines == ["+    idx = onp.random.permutation(len(data.x))", "+    data.x, data.y = data.x[idx], data.y[idx]"]


@pytest.mark.parametrize(
    ("compile_call", "added"),
    [
        (
            'model.compile(optimizer="adam", loss="mse")',
            'model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")',
        ),
        (
            'model.compile(loss="mse")',
            'model.compile(loss="mse", optimizer=keras.optimizers.RMSprop(learning_rate=0.01))',
        ),
        ('model.compile(keras.optimizers.Adam(lr=0.1), "mse")', 'model.compile(keras.optimizers.Adam(lr=0.01), "mse")'),
    ],
    ids=["a-name", "none-given", "old-lr-keyword"],
)
def test_the_learning_rate_goes_where_the_optimizer_is_made(compile_call, added):
    text = f"import keras\nmodel = build()\n{compile_call}\nmodel.fit(x, y)\n"
    assert edited(text, {"lr": 0.01})[0] == [f"-{compile_call}", f"+{added}"]


def test_an_optimizer_in_a_variable_is_edited_where_it_is_made():
    text = (
        "import keras\nopt = keras.optimizers.Adam(learning_rate=0.1)\nmodel.compile(optimizer=opt)\nmodel.fit(x, y)\n"
    )
    assert edited(text, {"lr": 0.01})[0] == [
        "-opt = keras.optimizers.Adam(learning_rate=0.1)",
        "+opt = keras.optimizers.Adam(learning_rate=0.01)",
    ]


def test_epochs_and_batch_size_given_by_position_are_replaced_in_place():
    text = "model.fit(x, y, 32, 10)\n"
    assert edited(text, {"epochs": 5, "batch_size": 64})[0] == ["-model.fit(x, y, 32, 10)", "+model.fit(x, y, 64, 5)"]


def test_a_change_with_no_line_to_edit_is_listed_and_the_rest_still_diffs():
    text = "model = build()\nhelper(model)\nmodel.fit(load_x(), load_y(), epochs=3)\n"
    lines, unplaced = edited(text, {"lr": 0.01, "shuffle": True, "dropout": 0.2, "activation": "relu", "epochs": 9})
    assert unplaced == ("optimizer", "shuffle", "dropout", "activation")
    assert lines == ["-model.fit(load_x(), load_y(), epochs=3)", "+model.fit(load_x(), load_y(), epochs=9)"]


def test_the_fit_that_was_diagnosed_is_the_one_edited():
    text = "m1.fit(x, y, epochs=1)\nm2.fit(x, y, epochs=1)\n"
    assert edited(text, {"epochs": 7}, fit_line=2)[0] == ["-m2.fit(x, y, epochs=1)", "+m2.fit(x, y, epochs=7)"]
    assert edited(text, {"epochs": 7})[1] == ("epochs",)  # two fit calls, no line: which one is unknown


def test_the_edited_script_still_parses_and_the_file_is_never_written(tmp_path):
    path = tmp_path / "learner.py"
    path.write_text(SCRIPT, encoding="utf-8")
    change = {"lr": 0.05, "epochs": 30, "batch_size": 8, "shuffle": True, "dropout": 0.3, "activation": "relu"}
    result = read_script_change(path, "learner.py", change | {"l2": 1e-4}, fit_line=11)
    assert result is not None and result.unplaced == ()
    assert path.read_text(encoding="utf-8") == SCRIPT
    assert result.diff.startswith("--- a/learner.py\n+++ b/learner.py\n@@ ")
    new = [line[1:] for line in result.diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert "model.fit(x, y, epochs=30, validation_split=0.2, batch_size=8)" in new
    patched = _apply(SCRIPT, result.diff)
    ast.parse(patched)
    assert 'keras.layers.Dense(3, activation="softmax"),' in patched  # the output layer keeps its activation


def test_a_script_that_cannot_be_read_or_parsed_gives_none(tmp_path):
    assert read_script_change(tmp_path / "gone.py", "gone.py", {"epochs": 3}) is None
    (tmp_path / "broken.py").write_text("def (:\n", encoding="utf-8")
    assert read_script_change(tmp_path / "broken.py", "broken.py", {"epochs": 3}) is None


def _apply(text: str, diff: str) -> str:
    """The script with a one-file unified diff applied (its hunks in order)."""
    old, out, at = text.splitlines(), [], 0
    for line in diff.splitlines()[2:]:
        if line.startswith("@@"):
            start = int(line.split()[1].split(",")[0][1:]) - 1
            out += old[at:start]
            at = start
        elif line.startswith("+"):
            out.append(line[1:])
        elif line.startswith("-"):
            at += 1
        else:
            out.append(old[at])
            at += 1
    return "\n".join(out + old[at:]) + "\n"


# -- the plan and the command: the winner's change as a diff, after the verification ----------------------------

DIVERGING = [2.3, 5.0, 40.0, 900.0, float("nan"), float("nan")]


def diverged_script_run(tmp_path: Path) -> tuple[Path, Path]:
    """A diverged run of SCRIPT (lr 0.5): its first fix, --lr 0.05, maps onto the compile line."""
    script = tmp_path / "learner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    config = {"script": str(script), "script_path": str(script), "argv": ["--fast"], "fit_index": 0}
    config |= {"fit_at": f"{script}:11", "compile_at": f"{script}:10", "optimizer": "sgd", "lr": 0.5}
    config |= {"epochs": 6, "batch_size": 32, "validation_split": 0.2, "shuffle": False, "backend": "tensorflow"}
    rows = [
        {"epoch": i, "loss": v, "accuracy": 0.3, "val_loss": v, "val_accuracy": 0.3} for i, v in enumerate(DIVERGING, 1)
    ]
    return make_run_dir(tmp_path, "sent", rows=rows, status="diverged", config=config), script


def test_the_plan_keeps_each_fixs_own_change_its_code_form_and_the_fit_line(tmp_path):
    run, _ = diverged_script_run(tmp_path)
    record = load_record(run)
    findings = diagnose_run(record).findings
    plan = plan_script_fixes(run, record, findings, fix_cmd.fix_flag_values, FixOptions(seeds=1, epochs=2))
    slug = plan.applicable[0].slug
    assert plan.changes[slug] == {"lr": 0.05, "epochs": 2} and plan.given[slug] == {"lr": 0.05}
    assert (
        plan.fixes[slug].shown("en") == f"{plan.shown}:10: compile(optimizer=keras.optimizers.SGD(learning_rate=0.05))"
    )
    assert (plan.fit_line, plan.compile_line) == (11, 10)


def fake_runs(plan, *, on_member=None, **_):
    """Every seed finished: the fix gains 0.4 validation accuracy and clears the finding (no training)."""
    runs = FixRuns(plan)
    plan.root.mkdir(parents=True, exist_ok=True)
    for seed in plan.seeds:
        base = {"val_accuracy": 0.3, "best_val_accuracy": 0.3, "val_loss": 2.0, "best_val_loss": 2.0}
        runs.baseline.append(Member(seed, plan.root / "baseline", "completed", base, ("divergence",)))
        better = {"val_accuracy": 0.7 + 0.01 * seed, "best_val_accuracy": 0.7, "val_loss": 0.8, "best_val_loss": 0.8}
        for candidate in plan.applicable:
            runs.fixes.setdefault(candidate.slug, []).append(Member(seed, plan.root / "fix", "completed", better, ()))
    return runs


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_fix_shows_the_winning_change_as_a_diff_against_the_script(tmp_path, monkeypatch, lang):
    run, script = diverged_script_run(tmp_path)
    monkeypatch.setattr(script_fixes, "run_script_fixes", fake_runs)
    confirmed = shlex.join([str(script), "--fast"])
    args = ["fix", str(run), "--seeds", "2", "--epochs", "2", "--script", confirmed, "--lang", lang]
    result = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(main, args)
    assert result.exit_code == 0, result.output
    heading = {"en": "The winning change, --lr 0.05, as a diff against", "ja": "最も効いた修正 --lr 0.05 を、"}
    assert heading[lang] in result.output
    compile_line = 'model.compile(optimizer=keras.optimizers.SGD({}), loss="categorical_crossentropy")'
    assert f"-{compile_line.format('0.5')}" in result.output.splitlines()
    assert f"+{compile_line.format('0.05')}" in result.output.splitlines()
    assert script.read_text(encoding="utf-8") == SCRIPT
    saved = json.loads((run / "fixes" / "fix.json").read_text(encoding="utf-8"))["script_change"]
    assert saved["flags"] == "--lr 0.05" and saved["unplaced"] == [] and saved["script"] == str(script)
    assert changed_lines(saved["diff"]) == [f"-{compile_line.format('0.5')}", f"+{compile_line.format('0.05')}"]


def test_a_change_with_no_line_says_so_and_shows_the_code_to_write(tmp_path, monkeypatch):
    run, script = diverged_script_run(tmp_path)
    script.write_text("model = build()\nmodel.fit(x, y)\n", encoding="utf-8")  # no compile call to edit
    monkeypatch.setattr(script_fixes, "run_script_fixes", fake_runs)
    args = ["fix", str(run), "--seeds", "1", "--script", shlex.join([str(script), "--fast"])]
    result = CliRunner(env={"COLUMNS": "300", "NO_COLOR": "1"}).invoke(main, args)
    assert result.exit_code == 0, result.output
    expected = f"No line of {script} to edit for the optimizer; write it yourself: {script}:10: compile(optimizer="
    assert expected in result.output and "+++" not in result.output


def test_a_fix_that_cannot_be_applied_names_the_code_to_write_at_its_line(tmp_path):
    run, script = diverged_script_run(tmp_path)
    record = load_record(run)
    why = say("vanishing-gradients.fix.batch_norm")
    title = say("vanishing-gradients.title")
    finding = Finding("vanishing-gradients", Severity.ERROR, title, {}, title, title, (Fix("--batch-norm", why),))
    plan = plan_script_fixes(run, record, as_code([finding], record), fix_cmd.fix_flag_values)
    (candidate,) = plan.candidates
    assert candidate.config is None
    line = not_applied_line(candidate, "en", plan.shown_change(candidate))
    assert line.startswith(f"Not applied {script}:6: add BatchNormalization() after each hidden Dense (vanishing-")
    assert "cannot be applied to a script automatically" in line
