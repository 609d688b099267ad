"""Tests of vectorised runs (`training/vector/run.py`): members of one program against sequential runs.

This process runs TensorFlow, so the JAX trainings run `kerasdiag sweep --backend jax` in subprocesses.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerasdiag.config import RunConfig
from kerasdiag.experiments.batched import train_many
from kerasdiag.training.vector.run import chunk_epochs, group_key
from tests.training.test_fastfit import history, keys

REPO = Path(__file__).resolve().parents[2]
needs_jax = pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed")
SWEEP = ["--dataset", "iris", "--layers", "1", "--units", "8", "--optimizer", "adam", "--epochs", "6"]
SWEEP += ["--batch-size", "8", "--dropout", "0.1", "--l2", "0,0.001", "--repeats", "2", "--quiet"]


def sweep_jax(tmp_path: Path, name: str, *flags: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="3", KERASDIAG_OFFLINE="1")
    env.pop("KERAS_BACKEND", None)
    command = [sys.executable, "-m", "kerasdiag", "sweep", "--backend", "jax", *SWEEP]
    command += ["--logdir", str(tmp_path), "--name", name, *flags]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_group_key_ignores_only_member_fields():
    base = RunConfig(dataset="iris", seed=0, lr=0.01, l1=0.0, l2=0.0, name="a")
    member = RunConfig(dataset="iris", seed=3, lr=0.1, l1=1e-4, l2=1e-3, name="b", logdir="elsewhere")
    assert group_key(base) == group_key(member)
    for change in ({"dropout": 0.5}, {"layers": 3}, {"momentum": 0.9}, {"batch_size": 7}, {"optimizer": "adam"}):
        assert group_key(RunConfig(**{**base.to_dict(), **change})) != group_key(base), change


@pytest.mark.parametrize(("epochs", "steps", "chunk"), [(200, 24, 50), (20, 8, 20), (7, 1000, 1), (3, 5000, 1)])
def test_chunk_epochs_divides_the_run(epochs, steps, chunk):
    assert chunk_epochs(epochs, steps) == chunk


@pytest.mark.training
def test_tensorflow_runs_fall_back_with_a_note(tmp_path):
    configs = [RunConfig(dataset="iris", layers=1, units=[4], epochs=1, seed=s, logdir=str(tmp_path)) for s in (0, 1)]
    notes, done = [], []
    train_many(configs, on_note=notes.append, on_result=lambda i, result: done.append((i, result.status)))
    assert notes == [
        "Training runs one by one, not vectorised: vectorised runs need --backend jax (received: tensorflow)"
    ]
    assert sorted(done) == [(0, "completed"), (1, "completed")]


@pytest.mark.training
@needs_jax
def test_vectorised_members_match_sequential_runs(tmp_path):
    vector = sweep_jax(tmp_path, "vector")
    sweep_jax(tmp_path, "sequential", "--no-vectorize")
    assert "one by one" not in vector.stdout
    runs = json.loads((tmp_path / "vector" / "sweep.json").read_text())["runs"]
    apart = 0  # runs with an L2 penalty: the data loss's own gradient is probed beside the applied one
    assert sorted(r["path"] for r in runs) == sorted(p.name for p in (tmp_path / "sequential").iterdir() if p.is_dir())
    for run in runs:
        fast, slow = tmp_path / "vector" / run["path"], tmp_path / "sequential" / run["path"]
        meta = json.loads((fast / "run.json").read_text())
        assert meta["status"] == "completed" and "vectorised: 4 runs" in meta["fit"]["reason"]
        assert sorted(p.name for p in fast.iterdir()) == sorted(p.name for p in slow.iterdir())
        fast_rows, slow_rows = history(fast), history(slow)
        assert [keys(r) - {"seconds"} for r in fast_rows] == [keys(r) - {"seconds"} for r in slow_rows]
        # Same seed: same weights, data order and dropout masks; only float rounding differs.
        for key in ("loss", "val_loss"):
            assert fast_rows[-1][key] == pytest.approx(slow_rows[-1][key], rel=0.10), key
        for key in ("accuracy", "val_accuracy"):
            assert fast_rows[-1][key] == pytest.approx(slow_rows[-1][key], abs=0.03), key
        for layer, probes in slow_rows[-1]["probes"].items():
            assert fast_rows[-1]["probes"][layer]["grad_norm"] == pytest.approx(probes["grad_norm"], rel=0.02)
            if "data_grad_norm" in probes:
                apart += 1
                fast_data = fast_rows[-1]["probes"][layer]["data_grad_norm"]
                assert fast_data == pytest.approx(probes["data_grad_norm"], rel=0.02)
        assert fast_rows[-1]["extra"]["penalty_loss"] == pytest.approx(slow_rows[-1]["extra"]["penalty_loss"], rel=0.02)
        fast_findings = json.loads((fast / "diagnosis.json").read_text())["findings"]
        slow_findings = json.loads((slow / "diagnosis.json").read_text())["findings"]
        assert [f["rule"] for f in fast_findings] == [f["rule"] for f in slow_findings]
    assert apart > 0


def test_small_runs_compile_fast_on_cpu_only():
    from kerasdiag.training.vector.program import FAST_COMPILE, compile_options

    class Plan:
        n, epochs = 120, 200  # Iris

    assert compile_options("cpu", 67, Plan, 5) == FAST_COMPILE
    assert compile_options("cpu", 67, Plan, 5, convolutional=True) == {}  # convolutions need LLVM's optimisations
    assert compile_options("cpu", 120_000, type("Big", (), {"n": 60_000, "epochs": 10}), 1) == {}
    assert "xla_cpu_use_fusion_emitters" not in compile_options("gpu", 67, Plan, 5)


@pytest.mark.parametrize("batches", [3, 24, 130])
def test_batch_loss_spreads_of_a_chunk_equal_each_epochs_spread(batches):
    import numpy as np

    from kerasdiag.training.callbacks.probe import _spread
    from kerasdiag.training.vector.log import _spreads

    rng = np.random.default_rng(batches)
    losses = rng.lognormal(size=(50, batches)).astype(np.float32).astype(np.float64)  # float32, as the program's
    sizes = np.array([5.0] * (batches - 1) + [2.0])  # a short last batch
    assert _spreads(losses, sizes) == [_spread(row, sizes) for row in losses]  # exactly, not approximately
    assert _spreads(np.array([[1.0, 3.0]]), np.array([3.0, 1.0])) == [{"mean": 1.5, "std": 1.0, "min": 1.0, "max": 3.0}]
