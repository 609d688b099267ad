"""Tests of `kerasdiag sweep`: value expansion, the tiny Iris sweep table and plot, Ctrl-C and --resume."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.errors import ConfigError
from kerasdiag.experiments.sweep.run import Axis, expand, split_values
from kerasdiag.training.flags import run as training
from tests.helpers.figures import assert_png, count_axes

IRIS = ["--dataset", "iris", "--quiet"]


def invoke(*args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, ["sweep", *args], catch_exceptions=False)


@pytest.fixture
def axes_seen(monkeypatch):
    return count_axes(monkeypatch)


@pytest.mark.parametrize(
    ("raw", "integer", "list_valued", "expected"),
    [
        ("2..5", True, False, ("2", "3", "4", "5")),
        ("0,1e-4,1e-3", False, False, ("0", "1e-4", "1e-3")),
        ("1,3..4", True, False, ("1", "3", "4")),
        ("64/128,64", True, True, ("64", "128,64")),
        ("relu,none", False, False, ("relu", "none")),
    ],
    ids=["int-range", "float-list", "list-and-range", "list-valued-flag", "activations"],
)
def test_split_values(raw, integer, list_valued, expected):
    assert split_values(raw, integer=integer, list_valued=list_valued) == expected


@pytest.mark.parametrize("raw", ["5..2", "a..3", ","], ids=["backwards", "not-int", "empty"])
def test_split_values_rejects(raw):
    with pytest.raises(ConfigError, match="Expected"):
        split_values(raw, integer=True, list_valued=False)


def test_expand_is_a_cartesian_product_with_no_activation_flag():
    settings = expand([Axis("--layers", ("2", "3")), Axis("--activation", ("relu", "none"))], ["--batch-norm"])
    assert [s.name for s in settings] == [
        "layers=2-activation=relu",
        "layers=2-activation=none",
        "layers=3-activation=relu",
        "layers=3-activation=none",
    ]
    assert settings[1].argv == ["--layers", "2", "--no-activation", "--batch-norm"]
    single = expand([Axis("--epochs", ("3",))], [])
    assert single[0].name == "base" and single[0].argv == ["--epochs", "3"]


def test_bad_value_gets_trains_message(tmp_path):
    result = CliRunner().invoke(main, ["sweep", "--layers", "1,x", "--logdir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "'--layers'" in result.output and "x" in result.output
    assert not list(tmp_path.iterdir())  # nothing created before every setting parsed


def test_bad_combination_gets_config_error(tmp_path):
    result = CliRunner().invoke(main, ["sweep", "--dataset", "iris", "--model", "mlp,cnn", "--logdir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "image data set" in result.output


@pytest.mark.training
def test_tiny_iris_sweep_table_and_plot(tmp_path, axes_seen):
    result = invoke("--layers", "1..3", "--epochs", "3", *IRIS, "--logdir", str(tmp_path), "--name", "tiny")
    assert result.exit_code == 0, result.output
    sweep_dir = tmp_path / "tiny"
    state = json.loads((sweep_dir / "sweep.json").read_text())
    assert state["settings"] == ["layers=1", "layers=2", "layers=3"]
    assert [r["status"] for r in state["runs"]] == ["completed"] * 3
    assert all((sweep_dir / r["path"] / "run.json").is_file() for r in state["runs"])
    for setting in state["settings"]:
        assert setting in result.output
    assert "final" in result.output and "main finding" in result.output
    assert "Best setting by final val_acc: layers=" in result.output
    assert "One seed" in result.output and "/3 " in result.output  # the noise stated; best epoch of 3 epochs
    assert_png(sweep_dir / "sweep-val_accuracy.png")
    assert axes_seen["sweep-val_accuracy.png"] == 1


@pytest.mark.training
def test_interrupted_sweep_keeps_runs_and_resumes(tmp_path, monkeypatch):
    real_train = training.train_run
    calls, interrupt_at = [], [2]

    def interrupted_on_second_run(config, **kwargs):
        calls.append(config.name)
        if len(calls) in interrupt_at:
            interrupt_at.clear()  # Ctrl-C once
            raise KeyboardInterrupt
        return real_train(config, **kwargs)

    monkeypatch.setattr(training, "train_run", interrupted_on_second_run)
    args = ["--layers", "1,2", "--repeats", "2", "--epochs", "2", *IRIS, "--logdir", str(tmp_path), "--name", "r"]
    first = invoke(*args)
    assert first.exit_code == 130, first.output
    assert "Interrupted" in first.output and "--resume" in first.output
    assert "layers=1" in first.output  # the table of the finished run
    state = json.loads((tmp_path / "r" / "sweep.json").read_text())
    assert state["interrupted"] is True
    assert [(r["setting"], r["seed"]) for r in state["runs"]] == [("layers=1", 0)]

    calls.clear()
    second = invoke(*args, "--resume", "--format", "json")
    assert second.exit_code == 0, second.output
    assert calls == ["layers=2-seed=0", "layers=1-seed=1", "layers=2-seed=1"]  # layers=1-seed=0 skipped
    payload = json.loads(second.output)
    assert [(s["setting"], s["runs"]) for s in payload["settings"]] == [("layers=1", 2), ("layers=2", 2)]
    assert payload["settings"][0]["val_accuracy"]["std"] is not None
    assert payload["interrupted"] is False


def test_resume_of_a_folder_that_holds_no_sweep_fails(tmp_path):
    (tmp_path / "sweep-layers").mkdir()
    result = CliRunner().invoke(main, ["sweep", "--layers", "1,2", "--logdir", str(tmp_path), "--resume"])
    assert result.exit_code == 1, result.output
    assert "sweep.json" in result.output
