"""RunLogger: writes each finished epoch to history.jsonl and TensorBoard, and stops on NaN."""

from __future__ import annotations

import math
import time
from typing import Any

import keras
import numpy as np

from kerasdiag.rundir.schema import EXTRA_TAGS
from kerasdiag.rundir.tensorboard.writer import SummaryWriter
from kerasdiag.rundir.writer import RunWriter
from kerasdiag.training.callbacks.probe import ProbeCallback, to_numpy

EPOCH_METRICS = {"loss": "epoch_loss", "accuracy": "epoch_accuracy"}


class RunLogger(keras.callbacks.Callback):
    """Appends every finished epoch to the run directory, with the probe's measurements.

    Writes Keras's own scalar names (`epoch_loss`, `epoch_accuracy`,
    `epoch_learning_rate` in `train/`; `epoch_loss`, `epoch_accuracy` in
    `validation/`) at step = epoch index, like `keras.callbacks.TensorBoard`,
    plus `grad_norm/<layer>` and the other probes, and weight histograms.
    Remembers the weights of the epoch with the lowest validation loss, and
    stops training when the loss is NaN or infinite (`self.diverged`).

    Args:
        run: The run directory being written.
        probe: The ProbeCallback that ran before this callback in the same `fit`.
    """

    def __init__(self, run: RunWriter, probe: ProbeCallback):
        super().__init__()
        self.run = run
        self.probe = probe
        self.train_writer = SummaryWriter(run.path / "train")
        self.val_writer = SummaryWriter(run.path / "validation")

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.diverged = False
        self.epochs_done = 0
        self.best_loss = math.inf
        self.best_epoch: int | None = None
        self.best_weights: list[np.ndarray] | None = None
        self.train_writer.text("keras", self.model.to_json(), step=0)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = {k: float(v) for k, v in (logs or {}).items()}
        row: dict[str, Any] = {"epoch": epoch + 1, **logs}
        row["learning_rate"] = float(to_numpy(self.model.optimizer.learning_rate))
        row["seconds"] = round(time.perf_counter() - self.started, 4)
        row.update(self.probe.latest)
        self.run.append_epoch(row)
        self._write_tensorboard(epoch, row)
        self.epochs_done = epoch + 1
        self._track_best(epoch, logs)
        if not math.isfinite(logs.get("loss", 0.0)):
            self.diverged = True
            self.model.stop_training = True

    def _track_best(self, epoch: int, logs: dict[str, float]) -> None:
        val_loss = logs.get("val_loss", math.nan)
        if math.isfinite(val_loss) and val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, epoch + 1
            self.best_weights = self.model.get_weights()

    def _write_tensorboard(self, epoch: int, row: dict[str, Any]) -> None:
        train, val = self.train_writer, self.val_writer
        for key, tag in EPOCH_METRICS.items():
            if key in row:
                train.scalar(tag, row[key], epoch)
            if f"val_{key}" in row:
                val.scalar(tag, row[f"val_{key}"], epoch)
        train.scalar("epoch_learning_rate", row["learning_rate"], epoch)
        for layer, values in row.get("probes", {}).items():
            for key, value in values.items():
                train.scalar(f"{key}/{layer}", value, epoch)
        for key, value in (row.get("batch_loss") or {}).items():
            train.scalar(f"batch_loss/{key}", value, epoch)
        for key, value in row.get("extra", {}).items():
            train.scalar(EXTRA_TAGS.get(key, f"probe/{key}"), value, epoch)
        if row.get("probes"):
            for layer in self.probe.layers:
                train.histogram(f"weights/{layer.name}", to_numpy(layer.kernel), epoch)
        train.flush()
        val.flush()

    def close(self) -> None:
        self.train_writer.close()
        self.val_writer.close()
