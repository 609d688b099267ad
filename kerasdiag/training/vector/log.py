"""MemberLog: one vectorised member's chunk of epochs, written through its own `RunLogger`.

The compiled program (`vector/chunk.py`) measures what `ProbeCallback` measures; this turns a
member's slice of its outputs into the same epoch logs and `probe.latest` rows, so history.jsonl,
TensorBoard and the in-memory RunRecord hold what a sequential fast-path run writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.rundir.schema import (
    DATA_GRAD_NORM,
    DEAD_FRACTION,
    DYING,
    GRAD_NORM,
    GRAD_NORM_STEP_MAX,
    GRAD_NORM_STEP_MEAN,
    NEAR_MARGIN,
    PROBE_BATCH,
    SATURATED_FRACTION,
    SATURATING,
    UPDATE_RATIO,
    WEIGHT_NORM,
    WEIGHTS_TAG,
)
from kerasdiag.rundir.tensorboard.write.histograms import histogram_rows
from kerasdiag.training.callbacks.probe import _activation, to_numpy
from kerasdiag.training.models import probed_layers


class MemberLog:
    """Feeds one member's epochs to a `RunLogger` on its own run directory and record.

    Args:
        model: The member's Keras model (its optimizer gives the logged learning rate).
        session: The member's `training.session.RunSession`; its `logger` is set here.
        plan: The group's `vector.program.Plan`: `batch_sizes` of an epoch, `epochs`, `total` training samples.
        probe_every: Probe every this many epochs (and at the last), as `--probe-every`.
    """

    def __init__(self, model: Any, session: Any, plan: Any, probe_every: int):
        from kerasdiag.training.callbacks.run_logger import RunLogger

        layers = probed_layers(model)
        self.model = model
        self.watched = [layer for layer in layers[:-1] if _activation(layer) in (*DYING, *SATURATING)]
        self.names = [layer.name for layer in layers]
        self.penalised = bool(model.losses)  # L1/L2: the data loss's own gradient is logged too
        self.batch_sizes = plan.batch_sizes
        self.freq, self.epochs = probe_every, plan.epochs
        self.probe_samples = min(PROBE_BATCH, plan.total)
        session.logger = self.logger = RunLogger(session.run, session.record)  # probe rows come with each chunk
        self.logger.set_model(model)
        self.logger.on_train_begin()
        self.progress: Any = None
        self.learning_rate = float(to_numpy(model.optimizer.learning_rate))  # the program never changes it

    def show_progress(self, console: Any, title: str = "epochs") -> None:
        """Draw an epoch bar titled `title` on `console`, advanced as each chunk's epochs are written."""
        from kerasdiag.training.callbacks.progress import ProgressCallback

        self.progress = ProgressCallback(console, title)
        self.progress.set_params({"epochs": self.epochs})
        self.progress.on_train_begin()

    def end(self) -> None:
        """Stop the epoch bar, if any (the logger stays open for the diagnosis text)."""
        if self.progress is not None:
            self.progress.on_train_end()
            self.progress = None

    def forward_model(self, template: Any) -> tuple[Any, list[str]]:
        """A model giving the watched layers' outputs and the softmax of `template` (same layer names)."""
        import keras

        watched = [template.get_layer(layer.name) for layer in self.watched]
        outputs = [layer.output for layer in watched] + [template.outputs[0]]
        return keras.Model(template.inputs[0], outputs), [_activation(layer) for layer in watched]

    def write_chunk(self, start: int, out: Any, seconds: float) -> bool:
        """Log the chunk's epochs from `start` on; False once the run stopped (a NaN loss)."""
        losses, hits, norms, val_loss, val_acc, probes = out
        count = len(val_loss)
        logs = self._logs(losses, hits, val_loss, val_acc)
        latest = self._latest(losses, norms, probes, start)
        done = self.logger.on_epochs_end(start, logs, latest, self._histograms(probes["kernels"], count), seconds)
        if self.progress is not None:
            for e in range(done):
                self.progress.on_epoch_end(start + e, logs[e])
        return not self.model.stop_training

    def _logs(self, losses: Any, hits: Any, val_loss: Any, val_acc: Any) -> list[dict[str, float]]:
        """Each epoch's Keras logs; a column at a time (each row's sums are those of `np.sum` on the row)."""
        n = float(self.batch_sizes.sum())
        columns = (
            (np.asarray(losses) * self.batch_sizes).sum(axis=1) / n,
            np.asarray(hits).sum(axis=1) / n,
            np.asarray(val_loss, np.float64),
            np.asarray(val_acc, np.float64),
        )
        rate = self.learning_rate
        return [
            {"loss": loss, "accuracy": accuracy, "val_loss": vl, "val_accuracy": va, "learning_rate": rate}
            for loss, accuracy, vl, va in zip(*(column.tolist() for column in columns))
        ]

    def _histograms(self, kernels: list[Any], count: int) -> list[list[bytes]]:
        """Each epoch's weight histograms (every epoch's row has probes), every epoch of a layer in one pass."""
        per_layer = [histogram_rows(k[:count], f"{WEIGHTS_TAG}/{name}") for name, k in zip(self.names, kernels)]
        return [[h for h in epoch if h is not None] for epoch in zip(*per_layer)] if per_layer else [[]] * count

    def _due(self, epoch: int) -> bool:
        return epoch % self.freq == 0 or epoch == self.epochs - 1

    def _latest(self, losses: Any, step_norms: Any, probes: dict[str, Any], start: int) -> list[dict[str, Any]]:
        """The row `ProbeCallback.latest` would hold after each epoch of the chunk (as `_spread` and NumPy per row)."""
        spreads = _spreads(np.asarray(losses, np.float64), self.batch_sizes)
        norms = np.ascontiguousarray(np.swapaxes(np.asarray(step_norms, np.float64), 1, 2))  # (epochs, layers, steps)
        step_mean, step_max = norms.mean(axis=2).tolist(), norms.max(axis=2).tolist()
        keys = (GRAD_NORM, WEIGHT_NORM, UPDATE_RATIO, *((DATA_GRAD_NORM,) if self.penalised else ()))
        measured = {key: np.asarray(probes[key]).tolist() for key in keys}
        activation, extra = np.asarray(probes["activation"]).tolist(), np.asarray(probes["extra"]).tolist()
        rows = []
        for e, spread in enumerate(spreads):
            latest: dict[str, Any] = {"batch_loss": spread}
            table: dict[str, dict[str, float]] = {}
            if self._due(start + e):
                for j, name in enumerate(self.names):
                    table[name] = {key: measured[key][e][j] for key in keys}
                for j, layer in enumerate(self.watched):
                    key = SATURATED_FRACTION if _activation(layer) in SATURATING else DEAD_FRACTION
                    table[layer.name][key] = activation[e][j]
                latest["probes"] = table
                latest["extra"] = self._extra(extra[e])
            for j, name in enumerate(self.names):
                values = latest.setdefault("probes", table).setdefault(name, {})
                values[GRAD_NORM_STEP_MEAN] = step_mean[e][j]
                values[GRAD_NORM_STEP_MAX] = step_max[e][j]
            rows.append(latest)
        return rows

    def _extra(self, values: Any) -> dict[str, float]:
        data_loss, penalty, wrong, near, p_true = (float(v) for v in values)
        return {
            "data_loss": data_loss,
            "penalty_loss": penalty,
            "probe_samples": float(self.probe_samples),
            "probe_wrong": wrong,
            "probe_near": near,
            "near_margin": NEAR_MARGIN,
            "probe_mean_p_true": p_true,
        }


def _spreads(losses: np.ndarray, batch_sizes: np.ndarray) -> list[dict[str, float]]:
    """`probe._spread` of each row of `losses` (epochs x batches), a column at a time."""
    columns = (
        np.average(losses, axis=1, weights=np.broadcast_to(batch_sizes, losses.shape)),
        losses.std(axis=1),
        losses.min(axis=1),
        losses.max(axis=1),
    )
    return [dict(zip(("mean", "std", "min", "max"), row)) for row in zip(*(c.tolist() for c in columns))]
