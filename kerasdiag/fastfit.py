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
Callbacks get the Keras protocol: `set_model`, `set_params`, train, epoch and
(replayed after the epoch, with Keras's running-mean logs) batch hooks; a
callback with an `on_epoch_steps(epoch, steps)` method also gets the per-step
`StepStats`. `model.stop_training` is honoured at epoch ends.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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

    trainer_class = _EpochTrainer if keras.backend.backend() == "jax" else _TfEpochTrainer
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


class _Trainer:
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
        self.val: tuple[Any, ...] = _eval_batches(splits.x_val, splits.y_val)

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


class _EpochTrainer(_Trainer):
    """JAX: the compiled epoch and evaluation, state passed in and out and assigned back each epoch."""

    def __init__(self, model: Any, splits: Any, batch_size: int, seed: int):
        import jax.numpy as jnp

        super().__init__(model, splits, batch_size, seed)
        self.x, self.y = jnp.asarray(splits.x_train, jnp.float32), jnp.asarray(splits.y_train, jnp.int32)
        self.val = tuple(jnp.asarray(a) for a in self.val)
        self.epoch_fn, self.eval_fn = self._compile()

    def _compile(self) -> tuple[Any, Any]:
        """Trace both programs here, then let XLA compile them side by side (compiling releases the GIL)."""
        import jax.numpy as jnp

        state = self.state()
        epoch = _epoch_program(self.model, self.n, self.batch_size, self.kernel_index)
        lowered = [
            epoch.lower(state, self.x, self.y, jnp.arange(self.n, dtype=jnp.int32)),  # shapes only
            _eval_program(self.model).lower(state[0], state[1], *self.val),
        ]
        with ThreadPoolExecutor(len(lowered)) as pool:
            epoch_fn, eval_fn = pool.map(lambda program: program.compile(), lowered)
        return epoch_fn, eval_fn

    def state(self) -> tuple[list[Any], list[Any], list[Any]]:
        model = self.model
        return (
            [v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables],
            [v.value for v in model.optimizer.variables],
        )

    def run_epoch(self) -> tuple[dict[str, float], StepStats]:
        state, losses, hits, norms = self.epoch_fn(self.state(), self.x, self.y, self.next_order())
        val_loss, val_accuracy = self.eval_fn(state[0], state[1], *self.val)
        self._assign(state)
        return self.summarise(losses, hits, norms, val_loss, val_accuracy)

    def _assign(self, state: tuple[list[Any], list[Any], list[Any]]) -> None:
        model = self.model
        variables = (model.trainable_variables, model.non_trainable_variables, model.optimizer.variables)
        for refs, values in zip(variables, state):
            for ref, value in zip(refs, values):
                ref.assign(value)


def _eval_batches(x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
    """Validation data padded to whole evaluation batches, with a mask of the real samples."""
    batch = min(EVAL_BATCH, len(y))
    chunks = -(-len(y) // batch)
    pad = chunks * batch - len(y)
    xs = np.concatenate([x, np.zeros((pad, *x.shape[1:]), x.dtype)]).astype(np.float32)
    ys = np.concatenate([y, np.zeros(pad, y.dtype)]).astype(np.int32)
    mask = np.concatenate([np.ones(len(y)), np.zeros(pad)]).astype(np.float32)
    shape = (chunks, batch)
    return xs.reshape(*shape, *x.shape[1:]), ys.reshape(shape), mask.reshape(shape)


def _forward(model: Any, trainable: Any, non_trainable: Any, x: Any, y: Any, training: bool) -> Any:
    """Per-sample losses, the summed penalties, per-sample hits and the new non-trainable state."""
    import jax.numpy as jnp
    import keras

    probs, non_trainable, penalties = model.stateless_call(
        trainable, non_trainable, x, training=training, return_losses=True
    )
    per_sample = keras.losses.sparse_categorical_crossentropy(y, probs)
    penalty = sum(jnp.sum(p) for p in penalties) if penalties else jnp.float32(0.0)
    hits = jnp.argmax(probs, axis=-1) == y
    return per_sample, penalty, hits, non_trainable


def _epoch_program(model: Any, n: int, batch_size: int, kernel_index: list[int]) -> Any:
    import jax
    import jax.numpy as jnp

    full, rest = divmod(n, batch_size)

    def loss_fn(trainable: Any, non_trainable: Any, x: Any, y: Any) -> Any:
        per_sample, penalty, hits, non_trainable = _forward(model, trainable, non_trainable, x, y, training=True)
        return jnp.mean(per_sample) + penalty, (non_trainable, jnp.sum(hits))

    def step(state: Any, x: Any, y: Any) -> Any:
        trainable, non_trainable, optimizer_vars = state
        (loss, (non_trainable, hits)), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable, non_trainable, x, y)
        trainable, optimizer_vars = model.optimizer.stateless_apply(optimizer_vars, grads, trainable)
        norms = jnp.stack([jnp.linalg.norm(grads[i]) for i in kernel_index])
        return (trainable, non_trainable, optimizer_vars), (loss, hits, norms)

    @jax.jit
    def epoch(state: Any, x: Any, y: Any, order: Any) -> Any:
        batches = order[: full * batch_size].reshape(full, batch_size)
        state, (losses, hits, norms) = jax.lax.scan(lambda s, idx: step(s, x[idx], y[idx]), state, batches)
        if rest:
            tail = order[full * batch_size :]
            state, (loss, hit, norm) = step(state, x[tail], y[tail])
            losses, hits = jnp.append(losses, loss), jnp.append(hits, hit)
            norms = jnp.concatenate([norms, norm[None]])
        return state, losses, hits, norms

    return epoch


def _eval_program(model: Any) -> Any:
    import jax
    import jax.numpy as jnp

    @jax.jit
    def evaluate(trainable: Any, non_trainable: Any, xs: Any, ys: Any, masks: Any) -> Any:
        def batch(carry: Any, data: Any) -> Any:
            x, y, mask = data
            per_sample, penalty, hits, _ = _forward(model, trainable, non_trainable, x, y, training=False)
            return carry, (jnp.sum(per_sample * mask), jnp.sum(hits * mask), penalty)

        _, (loss_sums, hit_sums, penalties) = jax.lax.scan(batch, 0, (xs, ys, masks))
        count = jnp.sum(masks)
        return jnp.sum(loss_sums) / count + penalties[0], jnp.sum(hit_sums) / count

    return evaluate


class _TfEpochTrainer(_Trainer):
    """TensorFlow: one XLA-compiled `tf.while_loop` per epoch that updates the Keras variables in place."""

    def __init__(self, model: Any, splits: Any, batch_size: int, seed: int):
        import tensorflow as tf

        super().__init__(model, splits, batch_size, seed)
        self.x, self.y = tf.constant(splits.x_train, tf.float32), tf.constant(splits.y_train, tf.int32)
        self.val = tuple(tf.constant(a) for a in self.val)
        self.epoch_fn = tf.function(self._epoch, jit_compile=True)
        self.eval_fn = tf.function(self._evaluate, jit_compile=True)

    def run_epoch(self) -> tuple[dict[str, float], StepStats]:
        losses, hits, norms = self.epoch_fn(self.next_order())
        return self.summarise(losses, hits, norms, *self.eval_fn(*self.val))

    def _step(self, x: Any, y: Any) -> Any:
        import tensorflow as tf

        model = self.model
        with tf.GradientTape() as tape:
            per_sample, penalty, hits = _tf_forward(model, x, y, training=True)
            loss = tf.reduce_mean(per_sample) + penalty
        grads = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply(grads, model.trainable_variables)
        norms = tf.stack([tf.norm(grads[i]) for i in self.kernel_index])
        return loss, tf.reduce_sum(tf.cast(hits, tf.int32)), norms

    def _epoch(self, order: Any) -> Any:
        import tensorflow as tf

        full = self.n // self.batch_size
        batches = tf.reshape(order[: full * self.batch_size], (full, self.batch_size))
        arrays = [tf.TensorArray(dtype, size=full) for dtype in (tf.float32, tf.int32, tf.float32)]

        def body(i: Any, *arrays: Any) -> Any:
            outputs = self._step(tf.gather(self.x, batches[i]), tf.gather(self.y, batches[i]))
            return (i + 1, *(a.write(i, o) for a, o in zip(arrays, outputs)))

        _, *arrays = tf.while_loop(lambda i, *_: i < full, body, (tf.constant(0), *arrays))
        stacked = [a.stack() for a in arrays]
        if self.n % self.batch_size:
            tail = order[full * self.batch_size :]
            outputs = self._step(tf.gather(self.x, tail), tf.gather(self.y, tail))
            stacked = [tf.concat([s, o[None]], 0) for s, o in zip(stacked, outputs)]
        return tuple(stacked)

    def _evaluate(self, xs: Any, ys: Any, masks: Any) -> Any:
        import tensorflow as tf

        def body(i: Any, loss_sum: Any, hit_sum: Any, penalty: Any) -> Any:
            per_sample, penalty, hits = _tf_forward(self.model, xs[i], ys[i], training=False)
            mask = masks[i]
            hits = tf.reduce_sum(tf.cast(hits, tf.float32) * mask)
            return i + 1, loss_sum + tf.reduce_sum(per_sample * mask), hit_sum + hits, penalty

        start = (tf.constant(0), tf.constant(0.0), tf.constant(0.0), tf.constant(0.0))
        _, loss_sum, hit_sum, penalty = tf.while_loop(lambda i, *_: i < tf.shape(xs)[0], body, start)
        count = tf.reduce_sum(masks)
        return loss_sum / count + penalty, hit_sum / count


def _tf_forward(model: Any, x: Any, y: Any, training: bool) -> Any:
    import keras
    import tensorflow as tf

    probs = model(x, training=training)
    per_sample = keras.losses.sparse_categorical_crossentropy(y, probs)
    penalty = tf.add_n([tf.reduce_sum(p) for p in model.losses]) if model.losses else tf.constant(0.0)
    hits = tf.equal(tf.argmax(probs, axis=-1, output_type=tf.int32), y)
    return per_sample, penalty, hits
