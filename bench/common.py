"""What every benchmark case shares: the data, the model, the epoch clock and the summary of times."""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.training.flags.datasets import Splits, load_mnist


def bench_config(epochs: int, batch_size: int = 128) -> RunConfig:
    """The issue's case: MLP 784-128-128-10, SGD, batch 128."""
    return RunConfig(dataset="mnist", layers=2, units=[128], epochs=epochs, batch_size=batch_size, seed=0)


def bench_splits(data_dir: str, samples: int) -> Splits:
    """The 8,000 training images of mnist-10k tiled to `samples`; validation is its 2,000 test images."""
    (x, y), (xt, yt) = load_mnist(data_dir)
    reps = -(-samples // len(y))
    x = np.tile(x.reshape(len(x), -1), (reps, 1))[:samples].astype(np.float32) / 255.0
    y = np.tile(y, reps)[:samples]
    xt = xt.reshape(len(xt), -1).astype(np.float32) / 255.0
    return Splits("mnist", 10, x, y, xt, yt)


def build(config: RunConfig, steps_per_execution: int = 1, jit_compile: Any = "auto") -> Any:
    """The model kerasdiag builds for `config`, recompiled when the case asks for other compile flags."""
    from kerasdiag.training.models import build_model

    model = build_model(config, (784,), 10)
    if steps_per_execution != 1 or jit_compile != "auto":
        model.compile(
            optimizer=model.optimizer,
            loss=model.loss,
            metrics=["accuracy"],
            steps_per_execution=steps_per_execution,
            jit_compile=jit_compile,
        )
    return model


@dataclass
class EpochClock:
    """Wall time of each epoch, from the first callback's `on_epoch_begin` to the last one's `on_epoch_end`."""

    started: float = field(default_factory=time.perf_counter)
    epochs: list[float] = field(default_factory=list)
    first_end: float | None = None

    def callbacks(self, inner: list[Any]) -> list[Any]:
        import keras

        clock = self

        class Begin(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
                clock.begin = time.perf_counter()

        class End(keras.callbacks.Callback):
            def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
                now = time.perf_counter()
                clock.epochs.append(now - clock.begin)
                clock.logs = dict(logs or {})
                if clock.first_end is None:
                    clock.first_end = now - clock.started

        return [Begin(), *inner, End()]

    def result(self, name: str, **extra: Any) -> dict[str, Any]:
        """Median of the epochs after the first (the first pays for compiling)."""
        steady = self.epochs[1:] or self.epochs
        return {
            "case": name,
            "median_s": statistics.median(steady),
            "first_epoch_s": self.first_end,
            "epochs_s": [round(t, 4) for t in self.epochs],
            "final": {k: round(float(v), 4) for k, v in getattr(self, "logs", {}).items()},
            **extra,
        }


def kerasdiag_callbacks(config: RunConfig, splits: Splits) -> tuple[list[Any], Any]:
    """The callbacks `kerasdiag train` uses (ProbeCallback, RunLogger), writing to a temporary run directory."""
    from kerasdiag.rundir.record import RunRecord
    from kerasdiag.rundir.writer import RunWriter
    from kerasdiag.training.callbacks.probe import ProbeCallback
    from kerasdiag.training.callbacks.run_logger import RunLogger

    run = RunWriter.create(Path(tempfile.mkdtemp(prefix="kerasdiag-bench-")), "run")
    probe = ProbeCallback(splits.x_train, splits.y_train, freq=config.probe_every)
    logger = RunLogger(run, RunRecord(path=str(run.path), source="kerasdiag"), probe)
    return [probe, logger], logger


def fit(model: Any, splits: Splits, config: RunConfig, callbacks: list[Any]) -> None:
    from kerasdiag.training.flags.run import keras_fit

    keras_fit(model, splits, config, callbacks)


def without_batch_hooks(probe: Any) -> Any:
    """The same probe without its per-batch hook (so no batch-loss spread): isolates that hook's cost."""
    import keras

    base = keras.callbacks.Callback.on_train_batch_end
    probe.__class__ = type(f"{type(probe).__name__}NoBatch", (type(probe),), {"on_train_batch_end": base})
    return probe


def fast_case(name: str, splits: Splits, config: RunConfig, *, probes: bool) -> dict[str, Any]:
    """kerasdiag's compiled path (`fast_fit`), with or without its probe callbacks."""
    from kerasdiag.training.fastfit.loop import fast_fit, fast_fit_supported

    model = build(config)
    supported, reason = fast_fit_supported(model, RunConfig(**{**config.to_dict(), "fit_mode": "fast"}), splits)
    if not supported:
        raise RuntimeError(f"fast path refused the benchmark case: {reason}")
    inner, logger = kerasdiag_callbacks(config, splits) if probes else ([], None)
    clock = EpochClock()
    fast_fit(model, splits, config, clock.callbacks(inner))
    if logger is not None:
        logger.close()
    return clock.result(name)
