"""Command-line latencies and the overhead of a sweep outside its trainings."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

IRIS_200 = [
    "train", "--dataset", "iris", "--layers", "1", "--units", "8", "--optimizer", "adam", "--lr", "0.0005",
    "--epochs", "200", "--batch-size", "5", "--validation-split", "0.2", "--no-shuffle", "--quiet",
]  # fmt: skip
SWEEP_LR = (0.003, 0.01, 0.03)
SWEEP_LAYERS = (1, 2, 3)


def kerasdiag_command() -> list[str]:
    script = Path(sys.executable).with_name("kerasdiag")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kerasdiag"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("KERAS_HOME", tempfile.mkdtemp(prefix="kerasdiag-bench-home-"))
    env["KERASDIAG_OFFLINE"] = "1"
    env.pop("KERAS_BACKEND", None)
    return env


def _wall(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([*kerasdiag_command(), *args], env=_env(), check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def run_cli_cases(backends: tuple[str, ...], data_dir: str) -> list[dict[str, Any]]:
    """`--help`, the Iris demo (200 epochs) per backend and fit mode, and `diagnose` of that run."""
    results = [_latency("cli/kerasdiag --help", ["--help"], repeat=5, target=0.3)]
    logdir = Path(tempfile.mkdtemp(prefix="kerasdiag-bench-runs-"))
    modes = [("tensorflow", "keras"), ("tensorflow", "auto")] if "tensorflow" in backends else []
    modes += [("jax", "keras"), ("jax", "auto")] if "jax" in backends else []
    for backend, mode in modes:
        name = f"iris200-{backend}-{mode}"
        args = [*IRIS_200, "--backend", backend, "--fit-mode", mode, "--logdir", str(logdir), "--name", name]
        times = _wall(args, repeat=1)
        history = [json.loads(line) for line in (logdir / name / "history.jsonl").read_text().splitlines()]
        results.append(
            {
                "case": f"cli/train iris 200 epochs ({backend}, fit-mode {mode})",
                "median_s": times[0],
                "epochs_s": [statistics.median(row["seconds"] for row in history[1:])],
                "final": {"val_accuracy": round(history[-1]["val_accuracy"], 4)},
            }
        )
    run = next(logdir.iterdir())
    results.append(_latency("cli/kerasdiag diagnose (200-epoch run)", ["diagnose", str(run)], repeat=3, target=1.0))
    results += [sweep_command(b, data_dir) for b in backends]
    return results


def sweep_command(backend: str, data_dir: str) -> dict[str, Any]:
    """The real `kerasdiag sweep`, 9 settings x 3 seeds (as a learner's): wall time against its runs' `train()` times.

    What is outside the trainings is the process start, imports, data loading, the table and the plot.
    """
    logdir = Path(tempfile.mkdtemp(prefix="kerasdiag-bench-sweep-cli-"))
    args = [
        "sweep", "--data-dir", data_dir, "--train-size", "1000", "--layers", "1..3", "--lr", "0.003,0.01,0.03",
        "--repeats", "3", "--epochs", "20", "--backend", backend, "--logdir", str(logdir), "--name", "s", "--quiet",
    ]  # fmt: skip
    wall = _wall(args, repeat=1)[0]
    runs = json.loads((logdir / "s" / "sweep.json").read_text())["runs"]
    in_trainings = sum(run["seconds"] for run in runs)
    return {
        "case": f"cli/sweep 9 settings x 3 seeds x 20 epochs ({backend}), outside train() calls",
        "median_s": wall,
        "in_epochs_s": in_trainings,
        "outside_fraction": (wall - in_trainings) / wall,
        "epochs_s": [],
    }


def _latency(name: str, args: list[str], repeat: int, target: float) -> dict[str, Any]:
    times = _wall(args, repeat)
    return {"case": name, "median_s": statistics.median(times), "epochs_s": times, "target_s": target}


def sweep_overhead(data_dir: str, backend: str) -> dict[str, Any]:
    """Nine settings (learning rate x depth) in one process, data loaded once: wall time outside the epochs."""
    from kerasdiag.config import RunConfig
    from kerasdiag.training.flags import datasets as data
    from kerasdiag.training.flags.run import train

    logdir = tempfile.mkdtemp(prefix="kerasdiag-bench-sweep-")
    base = RunConfig(data_dir=data_dir, epochs=5, backend=backend, logdir=logdir)
    splits = data.load(base)
    start = time.perf_counter()
    in_epochs = 0.0
    for lr in SWEEP_LR:
        for layers in SWEEP_LAYERS:
            config = RunConfig(**{**base.to_dict(), "lr": lr, "layers": layers, "name": f"lr{lr}-l{layers}"})
            result = train(config, splits=splits)
            in_epochs += sum(row.seconds for row in result.record.epochs)
    wall = time.perf_counter() - start
    return {
        "case": f"sweep 9 settings x 5 epochs ({backend})",
        "median_s": wall,
        "in_epochs_s": in_epochs,
        "outside_fraction": (wall - in_epochs) / wall,
        "epochs_s": [],
    }
