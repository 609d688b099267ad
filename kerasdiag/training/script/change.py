"""Apply a `kerasdiag fix` change to a learner's own compiled model and `fit` arguments.

A change is a dict of `kerasdiag train` field names (`{"lr": 0.001}`, `{"shuffle": True}`), the
fields a fix flag sets. Three kinds map onto a script's model or `fit` call:

- compile: `optimizer`, `lr`, `momentum`, `weight_decay` (the learning rate is set on the compiled
  optimizer; anything else recompiles with a new optimizer and the same loss and metrics);
- rebuild: `dropout`, `l1`, `l2`, `activation` (the model is rebuilt from its edited config,
  `Sequential.from_config` / `Model.from_config`: Dropout rates, hidden kernel regularizers,
  hidden activations; only where such layers exist);
- fit: `epochs`, `batch_size`, `shuffle` (shuffle permutes `x` and `y` alike before Keras's
  `validation_split` takes the last rows).

Keras is imported inside the functions: the planning side reads the field names without it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.config import LINEAR
from kerasdiag.errors import ConfigError
from kerasdiag.messages import say

COMPILE_FIELDS = ("optimizer", "lr", "momentum", "weight_decay")
REBUILD_FIELDS = ("dropout", "l1", "l2", "activation")
FIT_FIELDS = ("epochs", "batch_size", "shuffle")
SCRIPT_FIELDS = COMPILE_FIELDS + REBUILD_FIELDS + FIT_FIELDS
DROPOUT_LAYERS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout")
OPTIMIZER_KEYS = {"momentum": "momentum", "weight_decay": "weight_decay"}


def changed_model(model: Any, change: dict[str, Any]) -> Any:
    """The model to train with `change`: `model` itself (maybe recompiled), or a rebuilt, compiled copy.

    Raises:
        ConfigError: When the model cannot take the change (no Dropout layer, a subclassed model, an
            optimizer without momentum).
    """
    rebuild = {key: change[key] for key in REBUILD_FIELDS if key in change}
    compile_change = {key: change[key] for key in COMPILE_FIELDS if key in change}
    if not rebuild and not compile_change:
        return model
    if not rebuild and set(compile_change) == {"lr"} and _set_learning_rate(model, compile_change["lr"]):
        return model
    target = rebuilt_model(model, rebuild) if rebuild else model
    recompile(model, target, new_optimizer(model.optimizer, compile_change))
    return target


def _set_learning_rate(model: Any, lr: float) -> bool:
    """Set the compiled optimizer's learning rate in place; False when it is a schedule (then: recompile)."""
    import keras

    optimizer = model.optimizer
    if optimizer is None or isinstance(optimizer._learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        return False
    optimizer.learning_rate = float(lr)
    return True


def new_optimizer(old: Any, change: dict[str, Any]) -> Any:
    """An optimizer with `change` applied: the named class (default: the old one's), the old or new learning rate."""
    import keras

    if old is None:
        raise ConfigError(say("change.compiled"), say("change.no_optimizer"))
    name = change.get("optimizer")
    cls = type(keras.optimizers.get(name)) if name else type(old)
    config = old.get_config() if cls is type(old) else cls().get_config()
    config["learning_rate"] = float(change["lr"]) if "lr" in change else _float_lr(old)
    for field, key in OPTIMIZER_KEYS.items():
        if field in change:
            if key not in config:
                expected = say("change.optimizer_key", key=key, flag=f"--{field.replace('_', '-')}")
                raise ConfigError(expected, cls.__name__)
            config[key] = float(change[field])
    return cls.from_config(config)


def _float_lr(optimizer: Any) -> Any:
    import keras

    lr = optimizer._learning_rate
    if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
        return lr
    from kerasdiag.training.callbacks.probe import to_numpy

    return float(to_numpy(optimizer.learning_rate))


def recompile(old: Any, target: Any, optimizer: Any) -> None:
    """Compile `target` with `optimizer` and `old`'s loss, metrics and other compile arguments."""
    import keras

    config = keras.saving.deserialize_keras_object(old.get_compile_config())
    config["optimizer"] = optimizer
    target.compile(**config)


def rebuilt_model(model: Any, change: dict[str, Any]) -> Any:
    """`model` rebuilt from its config with Dropout rates, hidden regularizers or hidden activations changed."""
    try:
        config = model.get_config()
    except NotImplementedError:
        config = None
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list):
        raise ConfigError(
            say("change.rebuildable"),
            say("change.subclassed", kind=type(model).__name__, name=repr(model.name)),
        )
    edit_layer_configs(layers, change)
    return type(model).from_config(config)


def edit_layer_configs(layers: list[dict[str, Any]], change: dict[str, Any]) -> None:
    """Edit a model config's layer list in place; every change must find the layers it applies to."""
    import keras

    kernel = [layer["config"] for layer in layers if "kernel_initializer" in layer.get("config", {})]
    hidden = kernel[:-1]  # the last layer with weights is the output layer: its activation and weights stay
    if "dropout" in change:
        dropout = [layer["config"] for layer in layers if layer.get("class_name") in DROPOUT_LAYERS]
        if not dropout:
            raise ConfigError(say("change.dropout"), say("change.none"))
        for layer in dropout:
            layer["rate"] = float(change["dropout"])
    if "l1" in change or "l2" in change:
        _need(hidden, "--l1/--l2")
        regularizer = keras.regularizers.L1L2(l1=float(change.get("l1", 0.0)), l2=float(change.get("l2", 0.0)))
        for layer in hidden:
            layer["kernel_regularizer"] = keras.regularizers.serialize(regularizer)
    if "activation" in change:
        with_activation = [layer for layer in hidden if "activation" in layer]
        _need(with_activation, "--activation")
        for layer in with_activation:
            layer["activation"] = "linear" if change["activation"] == LINEAR else change["activation"]


def _need(layers: list[Any], flag: str) -> None:
    if not layers:
        raise ConfigError(say("change.hidden", flag=flag), say("change.output_only"))


def changed_fit_arguments(arguments: dict[str, Any], change: dict[str, Any], seed: int) -> dict[str, Any]:
    """`fit`'s arguments with `epochs`, `batch_size` set and, for `shuffle`, `x`/`y` permuted alike.

    Raises:
        ConfigError: For `shuffle` when `x` and `y` are not arrays (a dataset or generator).
    """
    out = dict(arguments)
    for key in ("epochs", "batch_size"):
        if key in change:
            out[key] = int(change[key])
    if change.get("shuffle"):
        arrays: dict[str, Any] = {k: out[k] for k in ("x", "y", "sample_weight") if out.get(k) is not None}
        readable = all(hasattr(value, "__len__") and hasattr(value, "shape") for value in arrays.values())
        if not readable or "x" not in arrays or "y" not in arrays:
            kinds = ", ".join(f"{k}={type(v).__name__}" for k, v in arrays.items())
            raise ConfigError(say("change.shuffle"), kinds)
        order = np.random.default_rng(seed).permutation(len(arrays["x"]))
        out.update({key: np.asarray(value)[order] for key, value in arrays.items()})
    return out


def copy_weights(source: Any, target: Any) -> bool:
    """Copy a rebuilt model's trained weights back into the script's own model, where the shapes match."""
    try:
        target.set_weights(source.get_weights())
    except ValueError:
        return False
    return True
