"""fast_fit: whole epochs in one compiled program, driving the same callbacks as `model.fit`.

`model.fit` dispatches one small program per batch and pays Python and
host-device overhead at every step; for the small models kerasdiag trains that
overhead is most of the time. `fast_fit` puts the data on the device once and
runs each epoch as one compiled loop over shuffled batches:
- JAX: one `jax.jit`-ted `jax.lax.scan` with `model.stateless_call` and
  `model.optimizer.stateless_apply` (the JAX trainer's own building blocks);
- TensorFlow: one `tf.function(jit_compile=True)` `tf.while_loop` calling the
  model and `optimizer.apply` (XLA; `fit` runs TensorFlow without XLA on CPU).
Either way any Keras model kerasdiag builds (Dense, Conv2D, Dropout,
BatchNormalization, penalties) trains the way Keras would train it, and the
step also measures the loss and the gradient norm of every probed kernel at
every step, almost for free.

Semantics, chosen to match `model.fit(shuffle=True)`:
- every epoch visits every training sample once, in a new random order; the
  last batch holds the remainder (`n % batch_size` samples), as in Keras;
- `loss` is the batch-size-weighted mean over the epoch of (data loss +
  regularisation penalties), `accuracy` the share of samples classified right;
- `val_loss` and `val_accuracy` come from one jitted pass in inference mode.

At every epoch's end the state goes back into the Keras variables, so
callbacks, `model.get_weights()` and `model.predict` see the current weights.
Callbacks get the Keras protocol: `set_model`, `set_params`, train and epoch
hooks (no batch hooks: the batches run inside the compiled epoch); a callback
with an `on_epoch_steps(epoch, steps)` method also gets the per-step
`StepStats` (every batch's loss and every probed kernel's gradient norm).
The backend-specific trainers live in `backends/jax_epoch.py` and
`backends/tensorflow_epoch.py`. `model.stop_training` is honoured at epoch ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.model import probed_layers

SUPPORTED_LAYERS = frozenset(
    {
        "InputLayer",
        "Dense",
        "Conv2D",
        "MaxPooling2D",
        "AveragePooling2D",
        "Flatten",
        "Dropout",
        "BatchNormalization",
        "Add",
        "Activation",
    }
)
SUPPORTED_LOSS = "sparse_categorical_crossentropy"
FAST_BACKENDS = ("jax", "tensorflow")
DEVICE_FRACTION = 0.5  # the data may take at most this share of the device's memory
CPU_DEVICE_BYTES = 4 * 2**30  # JAX reports no memory limit for CPU devices
EVAL_BATCH = 1024
# On TensorFlow, tracing and XLA-compiling the epoch costs about 2-3 s more than `fit`'s first epoch on a CPU,
# and each compiled step saves about 3 ms: in auto mode shorter runs keep `fit`.
TF_MIN_STEPS = 1000


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


def fast_fit_supported(model: Any, config: Any, splits: Any) -> tuple[bool, str]:
    """Whether `fast_fit` can train `model` on `splits`; when not, the reason in one phrase."""
    import keras

    if getattr(config, "fit_mode", "auto") == "keras":
        return False, "--fit-mode keras"
    if keras.backend.backend() not in FAST_BACKENDS:
        return False, f"the fast path needs --backend jax or tensorflow (received: {keras.backend.backend()})"
    unsupported = [f"{layer.name} ({type(layer).__name__})" for layer in model.layers if not _supported(layer)]
    if unsupported:
        return False, f"unsupported layers: {', '.join(unsupported)}"
    if getattr(model, "loss", None) != SUPPORTED_LOSS:
        return False, f"unsupported loss {getattr(model, 'loss', None)!r} (expected {SUPPORTED_LOSS})"
    steps = config.epochs * -(-len(splits.y_train) // config.batch_size)
    if keras.backend.backend() == "tensorflow" and config.fit_mode == "auto" and steps < TF_MIN_STEPS:
        return False, f"a short TensorFlow run ({steps} steps < {TF_MIN_STEPS}): compiling would not pay off"
    needed, limit = _data_bytes(splits), _device_bytes() * DEVICE_FRACTION
    if needed > limit:
        return False, f"the data ({needed / 2**20:.0f} MiB) exceed {limit / 2**20:.0f} MiB of device memory"
    return True, ""


def _supported(layer: Any) -> bool:
    return type(layer).__name__ in SUPPORTED_LAYERS and type(layer).__module__.startswith("keras.")


def _data_bytes(splits: Any) -> int:
    arrays = (splits.x_train, splits.y_train, splits.x_val, splits.y_val)
    return sum(int(np.prod(a.shape)) * 4 for a in arrays)


def _device_bytes() -> float:
    import keras

    if keras.backend.backend() != "jax":
        return float(CPU_DEVICE_BYTES)
    import jax

    stats = jax.devices()[0].memory_stats() or {}
    return float(stats.get("bytes_limit", CPU_DEVICE_BYTES))


def fast_fit(model: Any, splits: Any, config: Any, callbacks: list[Any]) -> Any:
    """Train `model` for `config.epochs` epochs like `model.fit(shuffle=True)` would, in compiled epochs.

    Args:
        model: A compiled Keras model (JAX backend) with sparse categorical cross-entropy.
        splits: The data: `x_train`, `y_train`, `x_val`, `y_val`.
        config: The run's flags; reads `epochs`, `batch_size` and `seed`.
        callbacks: Keras callbacks, driven as `fit` drives them.

    Returns:
        The `keras.callbacks.History` of the run, like `fit`.

    Example:

    ```python
    ok, reason = fast_fit_supported(model, config, splits)
    if ok:
        fast_fit(model, splits, config, callbacks=[probe, logger])
    ```
    """
    import keras

    trainer_class: type[EpochTrainer]
    if keras.backend.backend() == "jax":
        from kerasdiag.backends.jax_epoch import JaxEpochTrainer

        trainer_class = JaxEpochTrainer
    else:
        from kerasdiag.backends.tensorflow_epoch import TfEpochTrainer

        trainer_class = TfEpochTrainer
    trainer = trainer_class(model, splits, config.batch_size, config.seed)
    epochs = min(config.epochs, keras.config.max_epochs() or config.epochs)
    history = keras.callbacks.History()
    hooks = keras.callbacks.CallbackList(
        [*callbacks, history], model=model, epochs=epochs, steps=trainer.steps, verbose=0
    )
    model.stop_training = False
    hooks.on_train_begin()
    logs: dict[str, float] = {}
    for epoch in range(epochs):
        hooks.on_epoch_begin(epoch)
        logs, steps = trainer.run_epoch()
        for callback in callbacks:
            if hasattr(callback, "on_epoch_steps"):
                callback.on_epoch_steps(epoch, steps)
        hooks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    hooks.on_train_end(logs)
    return history


class EpochTrainer:
    """Device-resident data and the per-epoch shuffle; subclasses compile and run the epoch."""

    def __init__(self, model: Any, splits: Any, batch_size: int, seed: int):
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
