"""A script's run shows its fixes as Keras code at the script's lines, in every view: terminal, Markdown, HTML, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.markdown import diagnosis_markdown
from kerasdiag.render.html import render_html
from kerasdiag.rundir.find import load_record
from tests.diagnosis.test_code_fixes import LEARNER
from tests.helpers.english import english_left
from tests.helpers.run_dirs import make_run_dir
from tests.render.test_diagnose_output import DATA, ROWS

SHUFFLE = (
    "learner.py:13: shuffle the arrays before fit (idx = np.random.permutation(len(x_train)); x_train, y_train = "
    "x_train[idx], y_train[idx]); fit(shuffle=True) does not change what validation_split takes"
)
EPOCHS_JA = "→ learner.py:13: fit(..., epochs=1) にします。最良のエポック（1 エポック目）で学習を止めましょう。"
# The same Iris shuffled before the split: every class on both sides, so its rising val_loss is overfitting alone
# (beside validation-mismatch, overfitting is not reported). Its 30 validation samples make it a note.
SHUFFLED = DATA | {
    "train": {"samples": 120, "class_counts": {"0": 40, "1": 40, "2": 40}},
    "validation": {"samples": 30, "class_counts": {"0": 10, "1": 10, "2": 10}},
}


def script_run(tmp_path: Path, name: str = "script-run", data: dict[str, object] = DATA) -> Path:
    """A run written by a learner's own script: by default the unshuffled Iris run of test_diagnose_output."""
    script = tmp_path / "learner.py"
    script.write_text(LEARNER, encoding="utf-8")
    config: dict[str, object] = {"script": "learner.py", "script_path": str(script), "fit_at": f"{script}:13"}
    config |= {"compile_at": f"{script}:12", "optimizer": "sgd", "lr": 0.01, "epochs": 20, "batch_size": 32}
    config |= {"validation_split": 0.2, "shuffle": False, "backend": "tensorflow"}
    return make_run_dir(tmp_path, name, epochs=20, rows=ROWS, data=data, config=config)


def overfit_run(tmp_path: Path) -> Path:
    """The same script's run on shuffled Iris: overfitting alone, with its epochs, Dropout and L2 fixes."""
    return script_run(tmp_path, "overfit-run", SHUFFLED)


def diagnose(*args: str) -> str:
    result = CliRunner().invoke(main, ["diagnose", *args], env={"COLUMNS": "400", "NO_COLOR": "1"}, terminal_width=400)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_terminal_shows_code_at_the_scripts_lines_instead_of_flags(tmp_path):
    lines = [line.strip() for line in diagnose(str(script_run(tmp_path)), "--lang", "en").splitlines()]
    assert f"First fix to try: {SHUFFLE} (validation-mismatch)" in lines
    assert f"→ {SHUFFLE}. Shuffle before splitting so that both splits hold every class." in lines
    overfit = [line.strip() for line in diagnose(str(overfit_run(tmp_path)), "--lang", "en").splitlines()]
    assert "→ learner.py:13: fit(..., epochs=1). Stop at the best epoch (1)." in overfit
    assert "→ learner.py:8-9: add Dropout(0.3) after each hidden Dense. Randomly drop units while training." in overfit
    for shown in (lines, overfit):
        assert not [line for line in shown if line.startswith("→ --") or "First fix to try: --" in line]


def test_the_terminal_in_japanese_speaks_japanese_around_the_code(tmp_path):
    output = diagnose(str(script_run(tmp_path)), "--lang", "ja") + diagnose(str(overfit_run(tmp_path)), "--lang", "ja")
    lines = [line.strip() for line in output.splitlines()]
    assert EPOCHS_JA in lines
    fixes = [line for line in lines if line.startswith(("→", "最初に試すこと"))]
    # validation-mismatch: first fix + its fix; overfitting (a 150 % rise warns even on 30 samples): first fix + 3
    assert len(fixes) == 6 and all("learner.py:" in line for line in fixes)
    assert english_left("\n".join(fixes)) == []


def test_markdown_and_html_show_the_place_as_code_then_the_change(tmp_path):
    mismatched, overfit = load_record(script_run(tmp_path)), load_record(overfit_run(tmp_path))
    markdown = diagnosis_markdown(diagnose_run(mismatched), "en")
    assert "**First fix to try:** `learner.py:13`: shuffle the arrays before fit (idx = " in markdown
    assert "`--" not in markdown
    markdown = diagnosis_markdown(diagnose_run(overfit), "en")
    assert "- `learner.py:13`: fit(..., epochs=1). Stop at the best epoch (1)." in markdown.splitlines()
    assert "`--" not in markdown
    page = render_html(mismatched, diagnose_run(mismatched), [], None, "ja")
    assert "<li><code>learner.py:13</code>: fit の前に配列をシャッフルします" in page
    assert "<code>--" not in page
    page = render_html(overfit, diagnose_run(overfit), [], None, "ja")
    assert "<li><code>learner.py:13</code>: fit(..., epochs=1) にします。最良のエポック" in page
    assert "<code>--" not in page


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_json_keeps_the_flags_and_adds_the_code_and_its_place(tmp_path, lang):
    payload = json.loads(diagnose(str(script_run(tmp_path)), "--format", "json", "--lang", lang))
    first = payload["first_fix"]
    assert first["flags"] == "--shuffle" and first["at"] == "learner.py:13"
    assert first["code"].startswith("shuffle the arrays" if lang == "en" else "fit の前に配列をシャッフルします")
    payload = json.loads(diagnose(str(overfit_run(tmp_path)), "--format", "json", "--lang", lang))
    (overfitting,) = payload["findings"]
    assert overfitting["rule"] == "overfitting"
    assert [(f["flags"], f["at"]) for f in overfitting["fixes"]] == [
        ("--epochs 1", "learner.py:13"),
        ("--dropout 0.3", "learner.py:8-9"),
        ("--l2 0.0001", "learner.py:8-9"),
    ]
    assert overfitting["fixes"][0]["code"] == ("fit(..., epochs=1)" if lang == "en" else "fit(..., epochs=1) にします")
