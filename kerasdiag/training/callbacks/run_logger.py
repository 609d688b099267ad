"""RunLogger: writes each finished epoch to history.jsonl and TensorBoard, and stops on NaN."""

from __future__ import annotations

import math
import time
from typing import Any

import keras
import numpy as np

from kerasdiag.rundir.epochs import EpochRecord
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import (
    BATCH_LOSS_TAG,
    EPOCH_TAGS,
    EXTRA_TAGS,
    LEARNING_RATE_TAG,
    MODEL_CONFIG_TAG,
    TRAIN_DIR,
    VALIDATION_DIR,
    WEIGHTS_TAG,
)
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter, histogram_value
from kerasdiag.rundir.writer import RunWriter
from kerasdiag.training.callbacks.probe import ProbeCallback, to_numpy
from kerasdiag.training.models import kernel_of
from kerasdiag.training.signals import interrupts_deferred


class RunLogger(keras.callbacks.Callback):
    """Appends every finished epoch to the run directory and to the in-memory RunRecord.

    Writes Keras's own scalar names (`epoch_loss`, `epoch_accuracy`,
    `epoch_learning_rate` in `train/`; `epoch_loss`, `epoch_accuracy` in
    `validation/`) at step = epoch index, like `keras.callbacks.TensorBoard`,
    plus `grad_norm/<layer>` and the other probes, and weight histograms.
    Stops training when the loss is NaN or infinite (`self.diverged`), unless told not to: a learner's own `fit`
    (`kerasdiag run`, `kd.Diagnose`) trains every epoch it asked for, as without kerasdiag.
    The TensorBoard writers open lazily and stay open until `close()`, so
    the diagnosis text lands in the same event file as the epochs.

    Args:
        run: The run directory being written.
        record: The RunRecord to append each epoch to (what the diagnosis reads).
        probe: The ProbeCallback that runs before this callback in the same `fit`, or `None`.
        stop_on_nan: Whether a non-finite loss stops training. Defaults to `True` (kerasdiag's own `train`).

    Example:

    ```python
    logger = RunLogger(RunWriter.create("runs", "demo"), RunRecord(path="runs/demo", source="kerasdiag"))
    model.fit(x, y, validation_split=0.2, callbacks=[logger])
    logger.close()
    ```
    """

    def __init__(self, run: RunWriter, record: RunRecord, probe: ProbeCallback | None = None, stop_on_nan: bool = True):
        super().__init__()
        self.stop_on_nan = stop_on_nan
        self.run = run
        self.record = record
        self.probe = probe
        self._writers: dict[str, SummaryWriter] = {}
        self.diverged = False
        self.epochs_done = 0

    def writer(self, split: str = TRAIN_DIR) -> SummaryWriter:
        """The event-file writer of `train/` or `validation/`, opened on first use."""
        if split not in self._writers:
            self._writers[split] = SummaryWriter(self.run.path / split)
        return self._writers[split]

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.diverged = False
        try:
            model_json = self.model.to_json()
        except Exception:  # noqa: BLE001 - a subclassed model without get_config: the tag is left out
            return
        self.writer().text(MODEL_CONFIG_TAG, model_json, step=self.epochs_done)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = {k: float(v) for k, v in (logs or {}).items()}
        row = self._row(epoch, logs, time.perf_counter() - self.started)
        if self.probe is not None:
            row.update(self.probe.latest)
        histograms = self._kernel_histograms(row)
        with interrupts_deferred():  # the epoch is logged whole, or not at all
            self.run.append_epoch(row)
            self._log(epoch, row, histograms)
            self._flush()

    def on_epochs_end(
        self,
        first: int,
        logs: list[dict[str, float]],
        latest: list[dict[str, Any]],
        histograms: list[list[bytes]],
        seconds: float,
    ) -> int:
        """Log epochs `first`, `first + 1`, ... that finished together (a vectorised chunk).

        Writes what `on_epoch_end` writes for each, with one history.jsonl write and one flush per event file.

        Args:
            first: The first epoch's index.
            logs: Each epoch's Keras logs (`loss`, `accuracy`, `val_loss`, `val_accuracy`, `learning_rate`).
            latest: Each epoch's probe row, as `ProbeCallback.latest` holds it after that epoch.
            histograms: Each epoch's serialized weight-histogram `Summary.Value`s (`tensorboard/write/histograms.py`).
            seconds: Every epoch's wall time.

        Returns:
            How many epochs were logged: all, or up to the first whose loss is not finite (training then stops).
        """
        rows = []
        with interrupts_deferred():  # the chunk is logged whole, or not at all
            for i, (epoch_logs, extra, values) in enumerate(zip(logs, latest, histograms)):
                row = self._row(first + i, epoch_logs, seconds)
                row.update(extra)
                rows.append(row)
                self._log(first + i, row, values)
                if self.diverged:
                    break
            self.run.append_epochs(rows)
            self._flush()
        return len(rows)

    def _row(self, epoch: int, logs: dict[str, float], seconds: float) -> dict[str, Any]:
        row: dict[str, Any] = {"epoch": epoch + 1, **logs}
        if "learning_rate" not in row:  # a caller that knows it (vectorised runs) saves a device read per epoch
            row["learning_rate"] = float(to_numpy(self.model.optimizer.learning_rate))
        row["seconds"] = round(seconds, 4)
        return row

    def _log(self, epoch: int, row: dict[str, Any], histograms: list[bytes]) -> None:
        """The finished epoch into the record and TensorBoard; stop training on a non-finite loss."""
        self.record.epochs.append(EpochRecord.from_row(row))
        self._write_tensorboard(epoch, row, histograms)
        self.epochs_done = epoch + 1
        if not math.isfinite(row.get("loss", 0.0)):
            self.diverged = True
            self.model.stop_training = self.model.stop_training or self.stop_on_nan

    def _kernel_histograms(self, row: dict[str, Any]) -> list[bytes]:
        """The probed kernels' weight histograms, on the epochs whose row has probes."""
        histograms = []
        if row.get("probes") and self.probe is not None:
            for layer in self.probe.layers:
                found = kernel_of(layer)
                kernel = found if isinstance(found, np.ndarray) else to_numpy(found)
                value = histogram_value(f"{WEIGHTS_TAG}/{layer.name}", kernel)
                if value is not None:
                    histograms.append(value.SerializeToString())
        return histograms

    def _write_tensorboard(self, epoch: int, row: dict[str, Any], histograms: list[bytes]) -> None:
        """One event per split and epoch holding every value (TensorBoard shows each as its own tag)."""
        train: dict[str, float] = {}
        val: dict[str, float] = {}
        for key, tag in EPOCH_TAGS.items():
            if key in row:
                train[tag] = row[key]
            if f"val_{key}" in row:
                val[tag] = row[f"val_{key}"]
        train[LEARNING_RATE_TAG] = row["learning_rate"]
        for layer, values in row.get("probes", {}).items():
            for key, value in values.items():
                train[f"{key}/{layer}"] = value
        for key, value in (row.get("batch_loss") or {}).items():
            train[f"{BATCH_LOSS_TAG}/{key}"] = value
        for key, value in row.get("extra", {}).items():
            train[EXTRA_TAGS.get(key, f"probe/{key}")] = value
        self.writer(TRAIN_DIR).write(epoch, scalars=train, serialized=histograms)
        self.writer(VALIDATION_DIR).write(epoch, scalars=val)

    def _flush(self) -> None:
        self.writer(TRAIN_DIR).flush()
        self.writer(VALIDATION_DIR).flush()

    def close(self) -> None:
        """Close the event files (idempotent)."""
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
