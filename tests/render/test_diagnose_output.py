"""The exact terminal output of `kerasdiag diagnose --brief` at a pinned width: what a learner sees, byte for byte."""

from __future__ import annotations

from click.testing import CliRunner

from kerasdiag.cli import main

# Scenario 4's trap (an unshuffled split of class-ordered Iris) plus a validation loss that rises after epoch 1.
ROWS = [
    {
        "epoch": i,
        "loss": 1.0 / i,
        "accuracy": min(0.5 + 0.05 * i, 1.0),
        "val_loss": 1.0 if i < 5 else 1.0 + 0.1 * (i - 4),
        "val_accuracy": 0.7,
    }
    for i in range(1, 21)
]
DATA = {
    "dataset": "iris",
    "num_classes": 3,
    "train": {"samples": 120, "class_counts": {"0": 50, "1": 50, "2": 20}},
    "validation": {"samples": 30, "class_counts": {"0": 0, "1": 0, "2": 30}},
    "input_min": -2.4,
    "input_max": 3.1,
}
EXPECTED = """\
{path}
  First fix to try: --shuffle (validation-mismatch)
  ✗ error validation-mismatch: Validation classes differ from training classes
      Class counts differ: train {{0: 50, 1: 50, 2: 20}}, validation {{0: 0, 1: 0, 2: 30}} (distance
      0.833, threshold 0.25); validation holds a single class (2), so its accuracy says nothing
      about the others.
    ↳ ! warning overfitting: Overfitting: validation loss rises while training loss falls (symptom
      of validation-mismatch)
          val_loss lowest 1 at epoch 1, 2.5 over the last 3 epochs (+150% above its smoothed minimum
          1, threshold 10%); train loss fell 95% meanwhile (1 -> 0.0527).
"""


def test_brief_output_at_100_columns(run_dir):
    run = run_dir("iris-unshuffled", epochs=20, rows=ROWS, data=DATA)
    result = CliRunner().invoke(
        main,
        ["diagnose", str(run), "--brief", "--lang", "en"],
        env={"COLUMNS": "100", "NO_COLOR": "1"},
        terminal_width=100,
    )
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED.format(path=run), result.output
