"""Tests of kerasdiag.training.fastfit.loop: the compiled JAX training path against `model.fit`.

A process runs one Keras backend, and this one runs TensorFlow, so the JAX
trainings run `kerasdiag train --backend jax` in subprocesses.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerasdiag.config import RunConfig
from kerasdiag.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
needs_jax = pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed")
SMALL = ["--train-size", "2000", "--epochs", "3", "--seed", "0", "--optimizer", "adam", "--quiet"]


def train_jax(tmp_path: Path, mnist_dir: Path, name: str, *flags: str) -> Path:
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="3", KERASDIAG_OFFLINE="1")
    env.pop("KERAS_BACKEND", None)
    command = [sys.executable, "-m", "kerasdiag", "train", "--backend", "jax", "--data-dir", str(mnist_dir)]
    command += [*SMALL, "--logdir", str(tmp_path), "--name", name, *flags]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / name / "stderr.txt").write_text(done.stderr)
    return tmp_path / name


def history(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "history.jsonl").read_text().splitlines()]


def tensorboard_tags(run: Path) -> dict[str, set[str]]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    tags = {}
    for split in ("train", "validation"):
        events = EventAccumulator(str(run / split), size_guidance={"tensors": 0, "histograms": 0})
        events.Reload()
        found = events.Tags()
        tags[split] = set(found["tensors"]) | set(found["histograms"])
    return tags


def keys(row: dict) -> set[str]:
    """Every key of a history row, nested ones as `outer/inner`, without the values."""
    flat = set()
    for key, value in row.items():
        flat |= {f"{key}/{k}" for k in keys(value)} if isinstance(value, dict) else {key}
    return flat


def assert_same_records(fast: Path, keras_fit: Path) -> None:
    """The fast path records everything fit records, plus per-step gradient norms (mean and max per layer)."""
    step_keys = ("grad_norm_step_mean", "grad_norm_step_max")
    for fast_row, fit_row in zip(history(fast), history(keras_fit), strict=True):
        extra = keys(fast_row) - keys(fit_row)
        assert keys(fit_row) <= keys(fast_row)
        assert extra and all(k.endswith(step_keys) for k in extra), extra
    fast_tags, fit_tags = tensorboard_tags(fast), tensorboard_tags(keras_fit)
    assert fit_tags["validation"] == fast_tags["validation"] and fit_tags["train"] <= fast_tags["train"]
    assert {t.split("/")[0] for t in fast_tags["train"] - fit_tags["train"]} == set(step_keys)


def test_fit_mode_is_validated():
    with pytest.raises(ConfigError, match="fit_mode=turbo"):
        RunConfig(fit_mode="turbo").validate()


@pytest.mark.training
@needs_jax
def test_fast_path_matches_fit_on_jax(tmp_path, mnist_dir):
    fast = train_jax(tmp_path, mnist_dir, "fast", "--fit-mode", "fast")
    keras_fit = train_jax(tmp_path, mnist_dir, "keras", "--fit-mode", "keras")
    fast_rows, fit_rows = history(fast), history(keras_fit)
    fit = json.loads((fast / "run.json").read_text())["fit"]
    assert fit["path"] == "fast" and fit["program"] == "chunks" and fit["members"] == 1  # one-member chunked program
    assert json.loads((keras_fit / "run.json").read_text())["fit"]["path"] == "keras"
    assert_same_records(fast, keras_fit)
    # Same seed, same initial weights; only the shuffling order differs, so the curves agree within noise.
    assert fast_rows[0]["probes"]["output"]["weight_norm"] == pytest.approx(
        fit_rows[0]["probes"]["output"]["weight_norm"], rel=0.02
    )
    for key in ("loss", "val_loss"):
        assert fast_rows[-1][key] == pytest.approx(fit_rows[-1][key], rel=0.10), key
    for key in ("accuracy", "val_accuracy"):
        assert fast_rows[-1][key] == pytest.approx(fit_rows[-1][key], abs=0.03), key
    assert fast_rows[-1]["batch_loss"]["mean"] == pytest.approx(fast_rows[-1]["loss"], rel=1e-4)


@pytest.mark.training
@needs_jax
@pytest.mark.parametrize(
    "flags",
    [
        ["--dropout", "0.3", "--batch-norm", "--l2", "0.001"],
        ["--model", "cnn", "--conv-filters", "4,8", "--batch-norm", "--dropout", "0.2"],
    ],
    ids=["mlp-dropout-batchnorm-l2", "cnn-batchnorm-dropout"],
)
def test_fast_path_trains_every_model_kerasdiag_builds(tmp_path, mnist_dir, flags):
    run = train_jax(tmp_path, mnist_dir, "run", "--fit-mode", "fast", *flags)
    rows = history(run)
    assert len(rows) == 3
    assert rows[-1]["loss"] < rows[0]["loss"]
    assert rows[-1]["accuracy"] > 0.5  # not val_accuracy: batch norm's moving statistics lag after 3 short epochs
    assert json.loads((run / "run.json").read_text())["status"] == "completed"


@pytest.mark.training
@needs_jax
def test_cnns_on_a_jax_cpu_keep_fit_in_auto_mode(tmp_path, mnist_dir):
    from kerasdiag.training.fastfit.loop import CNN_ON_CPU

    flags = ["--model", "cnn", "--conv-filters", "4", "--train-size", "300", "--epochs", "1"]
    fit = json.loads((train_jax(tmp_path, mnist_dir, "cnn", *flags) / "run.json").read_text())["fit"]
    assert fit == {"path": "keras", "reason": CNN_ON_CPU}


@pytest.mark.training
@needs_jax
def test_a_rerun_loads_its_program_from_the_xla_cache_without_warnings(tmp_path, mnist_dir, monkeypatch):
    from kerasdiag.training.fastfit.xla_cache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "xla"))  # the children inherit it
    flags = ["--model", "cnn", "--conv-filters", "4", "--train-size", "300", "--epochs", "1", "--fit-mode", "fast"]
    first = train_jax(tmp_path, mnist_dir, "first", *flags)
    cached = sorted(p.name for p in (tmp_path / "xla").iterdir())
    assert cached  # the program compiled for over MIN_COMPILE_SECONDS and was stored
    second = train_jax(tmp_path, mnist_dir, "second", *flags)
    assert sorted(p.name for p in (tmp_path / "xla").iterdir()) == cached  # read back, not compiled anew
    assert history(second)[-1]["loss"] == pytest.approx(history(first)[-1]["loss"], rel=1e-5)
    assert "warn" not in (second / "stderr.txt").read_text().lower()


@pytest.mark.training
def test_short_tensorflow_runs_keep_fit_in_auto_mode():
    import numpy as np

    from kerasdiag.training.fastfit.loop import TF_MIN_STEPS, fast_fit_supported
    from kerasdiag.training.flags.datasets import Splits
    from kerasdiag.training.models import build_model

    config = RunConfig(dataset="iris", layers=1, units=[4], epochs=3, batch_size=4)
    model = build_model(config, (4,), 3)
    splits = Splits("iris", 3, np.zeros((8, 4), "float32"), np.zeros(8, "int64"), np.zeros((2, 4)), np.zeros(2))
    supported, reason = fast_fit_supported(model, config, splits)
    assert not supported
    assert str(TF_MIN_STEPS) in reason
    assert fast_fit_supported(model, RunConfig(**{**config.to_dict(), "fit_mode": "fast"}), splits) == (True, "")


@pytest.mark.training
def test_fast_path_matches_fit_on_tensorflow(tmp_path, mnist_dir):
    from kerasdiag.training.flags.run import train

    base = RunConfig(data_dir=str(mnist_dir), train_size=2000, epochs=3, optimizer="adam", logdir=str(tmp_path))
    runs = {mode: train(RunConfig(**{**base.to_dict(), "fit_mode": mode, "name": mode})) for mode in ("fast", "keras")}
    fast, fit = (history(runs[mode].path) for mode in ("fast", "keras"))
    assert_same_records(runs["fast"].path, runs["keras"].path)
    for key in ("loss", "val_loss"):
        assert fast[-1][key] == pytest.approx(fit[-1][key], rel=0.10), key
    for key in ("accuracy", "val_accuracy"):
        assert fast[-1][key] == pytest.approx(fit[-1][key], abs=0.03), key
