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
The backend-specific trainers live in `fastfit/jax.py` and
`fastfit/tensorflow.py`, on the base class in `fastfit/base.py`. `model.stop_training` is honoured at epoch ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kerasdiag.messages.said import Said
from kerasdiag.training.fastfit.base import EpochTrainer

if TYPE_CHECKING:
    import keras

    from kerasdiag.config import RunConfig
    from kerasdiag.training.flags.datasets import Splits

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
# On TensorFlow, tracing and XLA-compiling the epoch costs about 2-3 s more than `fit`'s first epoch on a CPU,
# and each compiled step saves about 3 ms: in auto mode shorter runs keep `fit`.
TF_MIN_STEPS = 1000
# On a JAX CPU device the compiled loop runs convolutions about 2.5x slower than `fit` (scenario 2's 2-class CNN,
# 1,272 samples, 3 epochs, 2 cores: 78-81 s against 31 s), so in auto mode CNNs on the CPU keep `fit`.
CNN_ON_CPU = Said("training.fast.cnn_on_cpu")


def fast_fit_supported(model: keras.Model, config: RunConfig, splits: Splits) -> tuple[bool, str]:
    """Whether `fast_fit` can train `model` on `splits`; when not, the reason in one phrase (a `Said`)."""
    import keras

    if getattr(config, "fit_mode", "auto") == "keras":
        return False, Said("training.fast.fit_mode_keras")
    if keras.backend.backend() not in FAST_BACKENDS:
        return False, Said("training.fast.backend", backend=keras.backend.backend())
    unsupported = [f"{layer.name} ({type(layer).__name__})" for layer in model.layers if not _supported(layer)]
    if unsupported:
        return False, Said("training.fast.layers", layers=", ".join(unsupported))
    if getattr(model, "loss", None) != SUPPORTED_LOSS:
        return False, Said("training.fast.loss", loss=repr(getattr(model, "loss", None)), expected=SUPPORTED_LOSS)
    if config.fit_mode == "auto" and keras.backend.backend() == "jax" and _cnn_on_cpu(model):
        return False, CNN_ON_CPU
    steps = config.epochs * -(-len(splits.y_train) // config.batch_size)
    if keras.backend.backend() == "tensorflow" and config.fit_mode == "auto" and steps < TF_MIN_STEPS:
        return False, Said("training.fast.short_tensorflow", steps=steps, minimum=TF_MIN_STEPS)
    needed, limit = _data_bytes(splits), _device_bytes() * DEVICE_FRACTION
    if needed > limit:
        return False, Said("training.fast.memory", needed=f"{needed / 2**20:.0f}", limit=f"{limit / 2**20:.0f}")
    return True, ""


def _cnn_on_cpu(model: keras.Model) -> bool:
    import jax

    from kerasdiag.training.models import has_convolutions

    return jax.devices()[0].platform == "cpu" and has_convolutions(model)


def _supported(layer: keras.layers.Layer) -> bool:
    return type(layer).__name__ in SUPPORTED_LAYERS and type(layer).__module__.startswith("keras.")


def _data_bytes(splits: Splits) -> int:
    arrays = (splits.x_train, splits.y_train, splits.x_val, splits.y_val)
    return sum(int(np.prod(a.shape)) * 4 for a in arrays)


def _device_bytes() -> float:
    import keras

    if keras.backend.backend() != "jax":
        return float(CPU_DEVICE_BYTES)
    import jax

    stats = jax.devices()[0].memory_stats() or {}
    return float(stats.get("bytes_limit", CPU_DEVICE_BYTES))


def fast_fit(
    model: keras.Model, splits: Splits, config: RunConfig, callbacks: list[keras.callbacks.Callback]
) -> keras.callbacks.History:
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
        from kerasdiag.training.fastfit.jax import JaxEpochTrainer

        trainer_class = JaxEpochTrainer
    else:
        from kerasdiag.training.fastfit.tensorflow import TfEpochTrainer

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
