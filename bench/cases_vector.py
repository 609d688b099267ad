"""Vectorised and chunked JAX runs against the per-epoch path and sequential runs, same process.

Every row is wall time after imports, data loading and a warm-up run (Keras's eager ops compiled), with the
process's CPU seconds beside it (on a shared machine wall time swings with the load; CPU time much less).
XLA's persistent compilation cache is off for every row but the last Iris one (`KERASDIAG_XLA_CACHE`).
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import replace
from typing import Any

from kerasdiag.config import RunConfig

IRIS = RunConfig(
    dataset="iris", layers=1, units=[8], optimizer="adam", lr=0.0005, epochs=200, batch_size=5, backend="jax"
)


def run_vector_cases(data_dir: str) -> list[dict[str, Any]]:
    """Iris one run (chunked, per-epoch, cached), 5 seeds together vs one by one, the 9x3 MNIST sweep."""
    saved = os.environ.get("KERASDIAG_XLA_CACHE")
    os.environ["KERASDIAG_XLA_CACHE"] = "0"
    try:
        rows = [*_iris_cases(), _mnist_sweep(data_dir)]
        rows.append(_cached_iris())  # last: once on, JAX keeps the cache for the rest of the process
    finally:
        if saved is None:
            os.environ.pop("KERASDIAG_XLA_CACHE", None)
        else:
            os.environ["KERASDIAG_XLA_CACHE"] = saved
    return rows


def _many(configs: list[RunConfig], vectorize: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds of `train_many(configs)` into a fresh folder."""
    from kerasdiag.experiments.batched import train_many

    logdir = tempfile.mkdtemp(prefix="kerasdiag-bench-vector-")
    wall, cpu = time.perf_counter(), time.process_time()
    train_many([replace(c, logdir=logdir) for c in configs], vectorize=vectorize)
    return time.perf_counter() - wall, time.process_time() - cpu


def _per_epoch(config: RunConfig) -> tuple[float, float]:
    """One run through the per-epoch fast path (host probes and logging after every epoch)."""
    from kerasdiag.training.flags import run

    run.CHUNKED_SINGLE_RUNS = False
    try:
        return _many([config])
    finally:
        run.CHUNKED_SINGLE_RUNS = True


def _row(case: str, seconds: tuple[float, float]) -> dict[str, Any]:
    return {"case": f"{case} (CPU {seconds[1]:.2f} s)", "median_s": seconds[0], "cpu_s": seconds[1]}


def _iris_cases() -> list[dict[str, Any]]:
    seeds = [replace(IRIS, seed=s) for s in range(5)]
    _many(seeds[:1])  # warm: data, Keras's first model, its eager ops
    one = _many(seeds[:1])
    per_epoch = _per_epoch(seeds[0])
    together = _many(seeds)  # the first 5-member group: JAX traces its inner functions for the new shapes
    again = _many(seeds)  # as the one run above: after a group of its size
    apart = _many(seeds, vectorize=False)
    return [
        _row("vector/iris 200 epochs, one run, chunked program (beyond imports; target <= 2 s)", one),
        _row(f"vector/iris 200 epochs, one run, per-epoch fast path ({per_epoch[0] / one[0]:.2f}x chunked)", per_epoch),
        _row(
            f"vector/iris 200 epochs x5 seeds together ({together[0] / one[0]:.2f}x one run, CPU "
            f"{together[1] / one[1]:.2f}x; target <= 1.5x; again {again[0]:.2f} s = {again[0] / one[0]:.2f}x; "
            f"one by one {apart[0]:.1f} s = {apart[0] / together[0]:.2f}x slower)",
            together,
        ),
    ]


def _cached_iris() -> dict[str, Any]:
    os.environ["KERASDIAG_XLA_CACHE"] = tempfile.mkdtemp(prefix="kerasdiag-bench-xla-")
    _many([replace(IRIS, seed=7)])  # compiles and stores the program
    again = _many([replace(IRIS, seed=8)])  # another seed: the same program, loaded from the cache
    return _row("vector/iris 200 epochs, one run, program from the persistent XLA cache", again)


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
    return _row(
        f"vector/mnist sweep 9 settings x 3 seeds x 20 epochs, vectorised (sequential {apart[0]:.1f} s = "
        f"{apart[0] / together[0]:.2f}x, CPU {apart[1]:.1f} s)",
        together,
    )
