"""Vectorised runs (JAX): N runs of one architecture as one program against N sequential runs, same process."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from typing import Any

from kerasdiag.config import RunConfig

IRIS = RunConfig(
    dataset="iris", layers=1, units=[8], optimizer="adam", lr=0.0005, epochs=200, batch_size=5, backend="jax"
)


def run_vector_cases(data_dir: str) -> list[dict[str, Any]]:
    """Iris single run, Iris 5 seeds together vs one by one, the 9x3 MNIST sweep vectorised vs sequential."""
    return [*_iris_cases(), _mnist_sweep(data_dir)]


def _many(configs: list[RunConfig], vectorize: bool) -> float:
    from kerasdiag.experiments.batched import train_many

    logdir = tempfile.mkdtemp(prefix="kerasdiag-bench-vector-")
    started = time.perf_counter()
    train_many([replace(c, logdir=logdir) for c in configs], vectorize=vectorize)
    return time.perf_counter() - started


def _iris_cases() -> list[dict[str, Any]]:
    seeds = [replace(IRIS, seed=s) for s in range(5)]
    _many(seeds[:1], vectorize=False)  # warm: data, Keras's first model
    one = _many(seeds[:1], vectorize=False)
    together = _many(seeds, vectorize=True)
    apart = _many(seeds, vectorize=False)
    return [
        {"case": "vector/iris 200 epochs, one run (train(), beyond imports; target <= 2 s)", "median_s": one},
        {
            "case": f"vector/iris 200 epochs x5 seeds together ({together / one:.2f}x one run, target <= 1.5x; "
            f"one by one {apart:.1f} s = {apart / together:.2f}x slower)",
            "median_s": together,
        },
    ]


def _mnist_sweep(data_dir: str) -> dict[str, Any]:
    base = RunConfig(data_dir=data_dir, train_size=1000, epochs=20, backend="jax")
    configs = [
        replace(base, layers=layers, lr=lr, seed=seed)
        for seed in range(3)
        for layers in (1, 2, 3)
        for lr in (0.003, 0.01, 0.03)
    ]
    together = _many(configs, vectorize=True)
    apart = _many(configs, vectorize=False)
    return {
        "case": f"vector/mnist sweep 9 settings x 3 seeds x 20 epochs, vectorised (sequential {apart:.1f} s = "
        f"{apart / together:.2f}x)",
        "median_s": together,
    }
