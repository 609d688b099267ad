"""`--train-size` larger than the data set is refused in one line: exit 2 where the flags alone tell, else 1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.config import RunConfig
from tests.conftest import MNIST_DIR


def invoke(*args: object):
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(main, [str(a) for a in args])


def one_line(result, code: int, *parts: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    (line,) = [line for line in result.output.splitlines() if "Expected" in line and "Received" in line]
    for part in parts:
        assert part in line, line


@pytest.mark.parametrize(
    ("flags", "part"),
    [
        (["--dataset", "iris", "--train-size", "151"], "--train-size at most 150, the samples of iris"),
        (["--dataset", "iris", "--classes", "0,2", "--train-size", "101"], "at most 100"),
        (["--dataset", "digits", "--train-size", "5000"], "at most 1,437"),
        (["--dataset", "mnist", "--train-size", "60001"], "at most 60,000"),
    ],
    ids=["iris", "iris-two-classes", "digits", "keras-mnist"],
)
def test_known_from_the_flags_exit_2(tmp_path, monkeypatch, flags, part):
    monkeypatch.delenv("KERASDIAG_DATA_DIR", raising=False)
    result = invoke("train", *flags, "--logdir", tmp_path / "runs")
    one_line(result, 2, part, "train_size=")
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_a_sweep_value_beyond_the_data_set_is_refused_before_training(tmp_path):
    result = invoke("sweep", "--dataset", "iris", "--train-size", "100,200", "--logdir", tmp_path / "sweeps")
    one_line(result, 2, "at most 150", "train_size=200")


@pytest.mark.parametrize(
    ("flags", "part"),
    [
        (
            ["--dataset", "mnist", "--data-dir", MNIST_DIR, "--train-size", "9000"],
            "at most 8,000, the samples of mnist",
        ),
        (["--dataset", "digits", "--classes", "0,1", "--train-size", "1000"], "of digits --classes 0,1"),
    ],
    ids=["mnist-10k", "digits-two-classes"],
)
def test_known_once_the_data_are_loaded_exit_1(tmp_path, flags, part):
    result = invoke("train", *flags, "--logdir", tmp_path / "runs")
    one_line(result, 1, part, "train_size=")
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_the_known_sizes_are_the_loaded_sizes():
    from kerasdiag.training.flags import datasets

    for dataset in ("iris", "digits"):
        config = RunConfig(dataset=dataset, validation_split=0.2)
        (x, _), _ = datasets._load_raw(config)
        assert config.known_samples() == len(x), dataset
    assert RunConfig(dataset="iris", classes=[0, 1]).known_samples() == 100
    assert RunConfig(dataset="mnist", data_dir="somewhere").known_samples() is None
    assert RunConfig(dataset="digits", classes=[0, 1]).known_samples() is None
