"""ProbeCallback: what kerasdiag measures inside training, besides Keras's own metrics.

At every `freq`-th epoch, on one fixed probe batch, it measures per layer the
gradient norm of the kernel (of the run's own loss: `backends.run_loss`), the weight
norm, the update/weight ratio over the epoch, the share of dead ReLU units and of
saturated sigmoid/tanh activations; and for a classifier, on the probe samples, how
many are misclassified and how many of those sit just below the decision threshold
(on class probabilities: `to_probabilities`). Every epoch it also keeps the spread of
the batch losses. Results land in `self.latest`, which `RunLogger` writes out.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from kerasdiag.rundir.anatomy import Task
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
    SATURATION_MARGIN,
    UPDATE_RATIO,
    WEIGHT_NORM,
)
from kerasdiag.training.backends import compiled_probe
from kerasdiag.training.fastfit.base import StepStats
from kerasdiag.training.models import kernel_of, probed_layers


class ProbeCallback(keras.callbacks.Callback):
    """Measures gradients, updates, activations and batch-loss spread during `fit`.

    Args:
        x: Training inputs; the first `PROBE_BATCH` samples (after the caller's shuffle) are the probe batch.
        y: Their targets as `fit` takes them (integer labels, one-hot rows, a binary column, numbers): the
            run's own loss is taken on them.
        freq: Probe every `freq` epochs (the last epoch is always probed). Defaults to `1`.
        labels: Their integer classes, for the threshold margins; `None` with a classifier `task` takes `y`
            itself (integer labels, as `kerasdiag train` gives). Defaults to `None`.
        task: What the model predicts (`rundir.anatomy.Task`): how its output becomes class probabilities,
            and whether it has any (a regression gets no threshold margins). Defaults to `Task.SOFTMAX`.

    Example:

    ```python
    probe = ProbeCallback(x_train, y_train, freq=1)
    model.fit(x_train, y_train, epochs=5, callbacks=[probe])
    probe.latest["probes"]["dense_1"]["grad_norm"]
    ```
    """

    # Keras may then run `on_train_batch_end` in a worker thread instead of
    # syncing the device after every step; batches are keyed by index, so order does not matter.
    async_safe = True

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        freq: int = 1,
        *,
        labels: np.ndarray | None = None,
        task: Task = Task.SOFTMAX,
    ):
        super().__init__()
        self.x = as_fit_gives(x[:PROBE_BATCH])
        self.y = as_fit_gives(y[:PROBE_BATCH])
        if labels is None and task.classifier and np.ndim(y) == 1:
            labels = y
        self.labels = np.asarray(labels[:PROBE_BATCH], dtype=np.int64) if labels is not None else None
        self.task = task
        self.freq = freq
        self.latest: dict[str, Any] = {}

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.layers = probed_layers(self.model)
        self.watched = [layer for layer in self.layers[:-1] if _activation(layer) in (*DYING, *SATURATING)]
        outputs = [layer.output for layer in self.watched] + [self.model.outputs[0]]
        self.forward = keras.Model(self.model.inputs[0], outputs)
        self.probe = compiled_probe(self.model, self.forward, self.layers)  # compiled at its first call
        self.epochs = self.params.get("epochs", 1) if self.params else 1

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.start_kernels = [to_numpy(kernel_of(layer)) for layer in self.layers] if self._due(epoch) else None
        self.running: dict[int, Any] = {}  # batch index: Keras's running mean loss so far
        self.steps: StepStats | None = None
        self.latest = {}

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if logs and "loss" in logs:
            self.running[batch] = logs["loss"]  # a device scalar: read at the epoch's end, never waited for here

    def on_epoch_steps(self, epoch: int, steps: StepStats) -> None:
        """Exact per-step losses and gradient norms from the compiled fast path (`fastfit.StepStats`)."""
        self.steps = steps

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.steps is not None:
            losses = np.asarray(self.steps.losses, dtype=np.float64)
            self.latest = {"batch_loss": _spread(losses, np.asarray(self.steps.batch_sizes, dtype=np.float64))}
        else:
            self.latest = {"batch_loss": batch_loss_spread({b: float(v) for b, v in self.running.items()})}
        if self.start_kernels is not None:
            self.latest.update(self.measure())
        if self.steps is not None:
            add_step_grad_norms(self.latest.setdefault("probes", {}), self.steps)

    def _due(self, epoch: int) -> bool:
        return epoch % self.freq == 0 or epoch == self.epochs - 1

    def measure(self) -> dict[str, Any]:
        """Run every probe on the probe batch now; returns `probes` and `extra` like history.jsonl holds."""
        data_loss, penalty, grad_norms, outputs, data_grad_norms = self.probe(self.x, self.y)
        probes: dict[str, dict[str, float]] = {}
        for i, (layer, start, grad_norm) in enumerate(zip(self.layers, self.start_kernels or [], grad_norms)):
            kernel = to_numpy(kernel_of(layer))
            weight_norm = float(np.linalg.norm(kernel))
            probes[layer.name] = {
                GRAD_NORM: grad_norm,
                WEIGHT_NORM: weight_norm,
                UPDATE_RATIO: float(np.linalg.norm(kernel - start)) / max(float(np.linalg.norm(start)), 1e-12),
            }
            if data_grad_norms is not None:
                probes[layer.name][DATA_GRAD_NORM] = data_grad_norms[i]
        for layer, act in zip(self.watched, outputs[:-1]):
            probes[layer.name].update(activation_stats(_activation(layer), act))
        extra = {"data_loss": data_loss, "penalty_loss": penalty}
        probs = to_probabilities(outputs[-1], self.task)
        if probs is not None and self.labels is not None and probs.shape[1] > int(self.labels.max(initial=0)):
            extra.update(threshold_margins(probs, self.labels))
        return {"probes": probes, "extra": extra}


def add_step_grad_norms(probes: dict[str, dict[str, float]], steps: StepStats) -> None:
    """Mean and largest per-step gradient norm of each layer, from the compiled fast path's StepStats."""
    norms = np.asarray(steps.grad_norms, dtype=np.float64)
    for column, name in enumerate(steps.layers):
        values = probes.setdefault(name, {})
        values[GRAD_NORM_STEP_MEAN] = float(norms[:, column].mean())
        values[GRAD_NORM_STEP_MAX] = float(norms[:, column].max())


def to_probabilities(outputs: np.ndarray, task: Task) -> np.ndarray | None:
    """Class probabilities (rows: samples, columns: classes) from a classifier's outputs; `None` for other tasks.

    A softmax output is kept as it is; logits become their softmax; one sigmoid unit's P(class 1) or one
    logit's sigmoid becomes the two columns `[1 - p, p]`, so a binary run's probabilities are (n, 2) too.
    """
    values = np.asarray(outputs, dtype=np.float32)
    if task == Task.SOFTMAX:
        return values
    if task == Task.LOGITS:
        with np.errstate(invalid="ignore", over="ignore"):
            shifted = np.exp(values - values.max(axis=-1, keepdims=True))
            return shifted / shifted.sum(axis=-1, keepdims=True)
    if task.binary:
        column = values.reshape(len(values), -1)[:, 0]
        with np.errstate(invalid="ignore", over="ignore"):
            p = column if task == Task.SIGMOID else np.exp(-np.logaddexp(np.float32(0.0), -column))
        return np.stack([1.0 - p, p], axis=1).astype(np.float32)
    return None


def as_fit_gives(values: Any) -> np.ndarray:
    """An array as Keras's array adapters give it to a step: floats of another width as `floatx`, the rest kept."""
    array = np.asarray(values)
    floatx = keras.backend.floatx()
    return array.astype(floatx) if array.dtype.kind == "f" and array.dtype != np.dtype(floatx) else array


def to_numpy(value: Any) -> np.ndarray:
    """A backend tensor or Keras variable as a NumPy array (detached from any autograd graph)."""
    return np.asarray(keras.ops.convert_to_numpy(keras.ops.stop_gradient(value)))


def _activation(layer: keras.layers.Layer) -> str:
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", "linear") if activation is not None else "linear"


def batch_loss_spread(running_means: dict[int, float]) -> dict[str, float] | None:
    """Recover batch losses from Keras's running mean over the epoch (`{batch index: mean so far}`).

    With `steps_per_execution > 1` Keras reports every few steps; each recovered
    value is then the mean loss of the steps since the previous report.
    """
    if not running_means:
        return None
    batches = np.array(sorted(running_means), dtype=np.float64)
    means = np.array([running_means[int(b)] for b in batches], dtype=np.float64)
    seen = batches + 1
    totals = means * seen
    return _spread(np.diff(totals, prepend=0.0) / np.diff(seen, prepend=0.0))


def _spread(losses: np.ndarray, batch_sizes: np.ndarray | None = None) -> dict[str, float]:
    """Mean (weighted by batch size, like Keras's epoch loss), std, min and max of the batch losses."""
    return {
        "mean": float(np.average(losses, weights=batch_sizes)),
        "std": float(losses.std()),
        "min": float(losses.min()),
        "max": float(losses.max()),
    }


def activation_stats(activation: str, values: np.ndarray) -> dict[str, float]:
    """Dead units (relu: zero for every probe sample) or saturated activations (sigmoid/tanh)."""
    flat = values.reshape(len(values), -1)
    if activation in SATURATING:
        low, high = SATURATING[activation]
        saturated = (flat <= low + SATURATION_MARGIN) | (flat >= high - SATURATION_MARGIN)
        return {SATURATED_FRACTION: float(saturated.mean())}
    dead = np.all(flat <= 0.0, axis=0)
    return {DEAD_FRACTION: float(dead.mean())}


def threshold_margins(probs: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """How many probe samples are wrong, and how many of those are within NEAR_MARGIN of being right."""
    p_true = probs[np.arange(len(y)), y]
    p_best = probs.max(axis=1)
    wrong = probs.argmax(axis=1) != y
    near = wrong & (p_best - p_true <= NEAR_MARGIN)
    return {
        "probe_samples": float(len(y)),
        "probe_wrong": float(wrong.sum()),
        "probe_near": float(near.sum()),
        "near_margin": NEAR_MARGIN,
        "probe_mean_p_true": float(p_true.mean()),
    }
