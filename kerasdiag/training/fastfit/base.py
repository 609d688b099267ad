"""The backend-independent half of the compiled epoch: device data, shuffle order, per-step statistics.

`EpochTrainer` holds what every backend's compiled epoch needs (the probed
kernels, batch sizes, the shuffle order, the padded validation batches) and
turns the compiled outputs into Keras-style epoch logs plus `StepStats`.
`fastfit/jax.py` and `fastfit/tensorflow.py` subclass it; `fastfit/loop.py`
drives them. Nothing here imports a backend at module level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from kerasdiag.training.models import probed_layers

if TYPE_CHECKING:
    import keras

    from kerasdiag.training.flags.datasets import Splits

EVAL_BATCH = 1024


@dataclass
class StepStats:
    """What the compiled epoch measured at every step.

    Attributes:
        losses: Loss of each batch (data loss + penalties), shape `(steps,)`.
        batch_sizes: Samples in each batch, shape `(steps,)`.
        grad_norms: Gradient norm of each probed kernel at each step, shape `(steps, layers)`.
        layers: Names of the probed layers, the columns of `grad_norms`.
    """

    losses: np.ndarray
    batch_sizes: np.ndarray
    grad_norms: np.ndarray
    layers: list[str]


class EpochTrainer:
    """Device-resident data and the per-epoch shuffle; subclasses compile and run the epoch."""

    def __init__(self, model: keras.Model, splits: Splits, batch_size: int, seed: int):
        import keras

        self.model = model
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        layers = probed_layers(model)
        kernel_ids = {id(layer.kernel) for layer in layers}
        self.kernel_index = [i for i, v in enumerate(model.trainable_variables) if id(v) in kernel_ids]
        self.layer_names = [layer.name for layer in layers]
        self.total = len(splits.y_train)
        self.batch_size = min(batch_size, self.total)
        cap = keras.config.max_steps_per_epoch()
        self.n = min(self.total, cap * self.batch_size) if cap else self.total  # samples used per epoch
        full, rest = divmod(self.n, self.batch_size)
        self.batch_sizes = np.array([self.batch_size] * full + ([rest] if rest else []), dtype=np.float64)
        self.steps = len(self.batch_sizes)
        self.order = np.random.default_rng(seed)
        self.val: tuple[Any, ...] = eval_batches(splits.x_val, splits.y_val)

    def next_order(self) -> np.ndarray:
        return self.order.permutation(self.total)[: self.n].astype(np.int32)

    def summarise(self, losses: Any, hits: Any, norms: Any, val_loss: Any, val_acc: Any) -> tuple[dict, StepStats]:
        losses = np.asarray(losses, dtype=np.float64)
        logs = {
            "loss": float(np.sum(losses * self.batch_sizes) / self.n),
            "accuracy": float(np.sum(np.asarray(hits)) / self.n),
            "val_loss": float(val_loss),
            "val_accuracy": float(val_acc),
        }
        return logs, StepStats(losses, self.batch_sizes, np.asarray(norms), self.layer_names)


def eval_batches(x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
    """Validation data padded to whole evaluation batches, with a mask of the real samples."""
    batch = min(EVAL_BATCH, len(y))
    chunks = -(-len(y) // batch)
    pad = chunks * batch - len(y)
    xs = np.concatenate([x, np.zeros((pad, *x.shape[1:]), x.dtype)]).astype(np.float32)
    ys = np.concatenate([y, np.zeros(pad, y.dtype)]).astype(np.int32)
    mask = np.concatenate([np.ones(len(y)), np.zeros(pad)]).astype(np.float32)
    shape = (chunks, batch)
    return xs.reshape(*shape, *x.shape[1:]), ys.reshape(shape), mask.reshape(shape)
