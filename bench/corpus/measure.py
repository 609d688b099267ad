"""What the corpus labels are read from: measurements taken inside each training, independent of kerasdiag.

`Measured` is a Keras callback (built for Keras 3 or tf_keras, whichever trains) that, at every epoch's end,
measures on a fixed probe batch of training samples and on the held-out TEST split (never shown to `fit`, never
written to the learner's logs):

- the data loss of the probe batch and the weight penalty (`sum(model.losses)`), apart;
- per weighted layer, the norm of the data loss's gradient with respect to its kernel;
- per layer with a ReLU, sigmoid or tanh activation, the share of dead units (never above 0 on the probe batch) or
  saturated activations (within 0.01 of the function's limits);
- the test loss and the test accuracy (classifiers) of the current weights.

At the end it keeps the test predictions' calibration (top-label ECE over 15 bins, mean confidence, accuracy).
Nothing here changes the weights, the optimizer or the random state of `fit`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def probabilities(raw: np.ndarray, task: str) -> np.ndarray | None:
    """Class probabilities (n, k) from the model's raw outputs, or None for a regression."""
    raw = np.asarray(raw, dtype=np.float64)
    if task == "regression":
        return None
    if task.endswith("logits"):
        if task.startswith("binary"):
            p = 1.0 / (1.0 + np.exp(-np.clip(raw.reshape(-1), -60, 60)))
            return np.stack([1 - p, p], axis=1)
        z = raw - raw.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
    if task.startswith("binary"):
        p = np.clip(raw.reshape(-1), 0.0, 1.0)
        return np.stack([1 - p, p], axis=1)
    return raw


def data_loss(raw: np.ndarray, y: np.ndarray, task: str, one_hot: bool) -> float | None:
    """The task's loss of raw outputs against integer (or one-hot) targets, in NumPy (mean over samples)."""
    eps = 1e-7
    if task == "regression":
        return _finite(np.mean((raw.reshape(len(y), -1) - y.reshape(len(y), -1)) ** 2))
    if task == "mse-classifier":
        target = np.eye(raw.shape[1])[y]
        return _finite(np.mean((raw - target) ** 2))
    p = probabilities(raw, task)
    if p is None or not np.all(np.isfinite(p)):
        return None
    picked = np.clip(p[np.arange(len(y)), y.astype(int)], eps, 1.0)
    return _finite(-np.mean(np.log(picked)))


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 15) -> dict[str, float]:
    top = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(top, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            ece += inside.mean() * abs(top[inside].mean() - correct[inside].mean())
    return {"ece": float(ece), "confidence": float(top.mean()), "accuracy": float(correct.mean())}


def measured_callback(keras_module: Any, task: str, probe: tuple, test: tuple, one_hot: bool) -> Any:
    """A `Measured` callback class for this Keras (3 or tf_keras), bound to its probe batch and test split."""
    import tensorflow as tf

    base = keras_module.callbacks.Callback
    x_probe, y_probe = probe
    x_test, y_test = test

    class Measured(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            self.epochs: list[dict[str, Any]] = []
            self.final: dict[str, Any] = {}
            self._inner: Any = None

        def _weighted(self) -> list[Any]:
            return [layer for layer in self.model.layers if getattr(layer, "kernel", None) is not None]

        def _activated(self) -> list[tuple[Any, str]]:
            found = []
            for layer in self.model.layers:
                act = getattr(layer, "activation", None)
                name = getattr(act, "__name__", "") if act is not None else ""
                if name in ("relu", "sigmoid", "tanh") and layer is not self.model.layers[-1]:
                    found.append((layer, name))
            return found

        def _probe_outputs(self) -> list[np.ndarray]:
            layers = [layer for layer, _ in self._activated()]
            if not layers:
                return []
            if self._inner is None:
                self._inner = keras_module.Model(self.model.inputs, [layer.output for layer in layers])
            out = self._inner(x_probe, training=False)  # a list for several layers
            return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]

        def _gradients(self) -> list[float | None]:
            weighted = self._weighted()
            kernels = [layer.kernel for layer in weighted]
            with tf.GradientTape() as tape:
                raw = self.model(x_probe, training=False)
                loss = self._tf_loss(raw)
            grads = tape.gradient(loss, kernels)
            return [None if g is None else _finite(tf.norm(tf.convert_to_tensor(g))) for g in grads]

        def _tf_loss(self, raw: Any) -> Any:
            y = tf.constant(y_probe)
            raw = tf.cast(raw, tf.float32)
            if task == "regression":
                return tf.reduce_mean(tf.square(raw - tf.reshape(tf.cast(y, tf.float32), tf.shape(raw))))
            if task == "mse-classifier":
                return tf.reduce_mean(tf.square(raw - tf.one_hot(tf.cast(y, tf.int32), tf.shape(raw)[1])))
            if task.startswith("binary"):
                target = tf.reshape(tf.cast(y, tf.float32), tf.shape(raw))
                if task.endswith("logits"):
                    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=raw))
                p = tf.clip_by_value(raw, 1e-7, 1 - 1e-7)
                return -tf.reduce_mean(target * tf.math.log(p) + (1 - target) * tf.math.log(1 - p))
            labels = tf.cast(y, tf.int32)
            if task.endswith("logits"):
                return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=raw))
            p = tf.clip_by_value(raw, 1e-7, 1.0)
            return -tf.reduce_mean(tf.math.log(tf.gather(p, labels, batch_dims=1)))

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            row: dict[str, Any] = {"epoch": epoch + 1}
            try:
                raw_probe = np.asarray(self.model(x_probe, training=False))
                row["probe_data_loss"] = data_loss(raw_probe, y_probe, task, one_hot)
                row["penalty"] = (
                    _finite(sum(float(np.asarray(v)) for v in self.model.losses)) if self.model.losses else 0.0
                )
                row["grad_norms"] = self._gradients()
                fractions = []
                for (layer, act), out in zip(self._activated(), self._probe_outputs()):
                    flat = out.reshape(-1, out.shape[-1])
                    if act == "relu":
                        fractions.append(
                            {"layer": layer.name, "act": act, "dead": float(np.mean(~(flat > 0).any(axis=0)))}
                        )
                    else:
                        low, high = (0.0, 1.0) if act == "sigmoid" else (-1.0, 1.0)
                        near = (flat < low + 0.01) | (flat > high - 0.01)
                        fractions.append({"layer": layer.name, "act": act, "saturated": float(np.mean(near))})
                row["units"] = fractions
                raw_test = np.asarray(self.model(x_test, training=False))
                row["test_loss"] = data_loss(raw_test, y_test, task, one_hot)
                p = probabilities(raw_test, task) if task != "mse-classifier" else raw_test
                if p is not None and np.all(np.isfinite(p)):
                    row["test_accuracy"] = float(np.mean(p.argmax(axis=1) == y_test))
                    self._last_p = p
            except Exception as error:  # noqa: BLE001 - a failed measurement is recorded, never stops the run
                row["error"] = f"{type(error).__name__}: {error}"[:200]
            self.epochs.append(row)

        def on_train_end(self, logs: Any = None) -> None:
            p = getattr(self, "_last_p", None)
            if p is not None and task not in ("regression", "mse-classifier"):
                self.final["calibration"] = calibration(p, y_test)

    return Measured()
