"""Flags to keras.Model: the MLP and CNN families kerasdiag trains; and what every pipeline asks of any model.

`build_model` serves `flags/` and `vector/`; `describe_model`, `probed_layers` and `has_convolutions` serve
all three pipelines (a learner's own model too) through the session, callbacks, fastfit and backends, so
this module stays at the root of `training/`. Layer names are stable (`conv_1`, `dense_1` ... `dense_N`,
`output`) so probes, TensorBoard tags and findings can name them.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from kerasdiag.config import LINEAR, RunConfig
from kerasdiag.rundir.model_summary import ModelSummary, model_summary_from_keras_config

if TYPE_CHECKING:  # keras is imported inside functions, after the backend is chosen
    import keras

OUTPUT_LAYER = "output"


def build_model(config: RunConfig, input_shape: tuple[int, ...], num_classes: int) -> keras.Model:
    """Build and compile the model `config` describes.

    Args:
        config: The run's flags.
        input_shape: Shape of one sample, without the batch axis.
        num_classes: Width of the softmax output.

    Returns:
        A compiled functional `keras.Model` with sparse categorical cross-entropy and accuracy.
    """
    import keras

    seed_everything(config.seed)
    inputs = keras.Input(shape=input_shape, name="input")
    x = _conv_blocks(inputs, config) if config.model == "cnn" else inputs
    if len(x.shape) > 2:
        x = keras.layers.Flatten(name="flatten")(x)
    x = _dense_stack(x, config)
    outputs = keras.layers.Dense(
        num_classes, activation="softmax", kernel_initializer=_initializer(config, 999), name=OUTPUT_LAYER
    )(x)
    model = keras.Model(inputs, outputs, name=config.short_name())
    model.compile(
        optimizer=build_optimizer(config),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and the backend, without importing TensorFlow on the other backends."""
    import random

    import keras
    import numpy as np

    if keras.backend.backend() == "tensorflow":
        keras.utils.set_random_seed(seed)  # also seeds TensorFlow, which this backend has imported anyway
        return
    random.seed(seed)
    np.random.seed(seed)
    if keras.backend.backend() == "torch":
        import torch

        torch.manual_seed(seed)


def _initializer(config: RunConfig, index: int) -> Any:
    """The kernel initialiser with its own seed, so every layer's start is reproducible on any backend."""
    import keras

    initializer = keras.initializers.get(config.init)
    settings = initializer.get_config()
    if "seed" not in settings:  # e.g. zeros
        return initializer
    return type(initializer).from_config({**settings, "seed": config.seed * 1000 + index})


def _activation(config: RunConfig) -> str | None:
    return None if config.activation == LINEAR else config.activation


def _regularizer(config: RunConfig) -> Any:
    import keras

    if not (config.l1 or config.l2):
        return None
    return keras.regularizers.L1L2(l1=config.l1, l2=config.l2)


def _conv_blocks(x: Any, config: RunConfig) -> Any:
    import keras

    pool = keras.layers.MaxPooling2D if config.pool == "max" else keras.layers.AveragePooling2D
    for i, filters in enumerate(config.conv_filters, start=1):
        x = keras.layers.Conv2D(
            filters,
            config.kernel_size,
            padding="same",
            activation=_activation(config),
            kernel_initializer=_initializer(config, i),
            kernel_regularizer=_regularizer(config),
            name=f"conv_{i}",
        )(x)
        if config.batch_norm:
            x = keras.layers.BatchNormalization(name=f"conv_bn_{i}")(x)
        if x.shape[1] >= 2 and x.shape[2] >= 2:
            x = pool(2, name=f"pool_{i}")(x)
    return x


def _dense_stack(x: Any, config: RunConfig) -> Any:
    import keras

    for i, units in enumerate(config.layer_units, start=1):
        h = keras.layers.Dense(
            units,
            activation=_activation(config),
            kernel_initializer=_initializer(config, 100 + i),
            kernel_regularizer=_regularizer(config),
            name=f"dense_{i}",
        )(x)
        if config.batch_norm:
            h = keras.layers.BatchNormalization(name=f"bn_{i}")(h)
        if config.residual and i > 1 and x.shape[-1] == units:
            h = keras.layers.Add(name=f"residual_{i}")([x, h])
        if config.dropout:
            h = keras.layers.Dropout(config.dropout, seed=config.seed * 1000 + 500 + i, name=f"dropout_{i}")(h)
        x = h
    return x


def build_optimizer(config: RunConfig) -> keras.optimizers.Optimizer:
    import keras

    lr = config.learning_rate
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(lr, momentum=config.momentum, weight_decay=config.weight_decay or None)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(lr)
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(lr, momentum=config.momentum)
    return keras.optimizers.AdamW(lr, weight_decay=config.weight_decay or 0.004)


def describe_model(model: keras.Model) -> ModelSummary:
    """The model summary run.json stores: the layers (kind, units, activation, penalties, parameters).

    Any model: a layer that holds no built weights has no parameter count, and a model whose `get_config`
    raises (a subclassed one with constructor arguments) or has no layer list is described from its layers.
    """
    params: dict[str, int] = {}
    for layer in [*model.layers, *(inner for nested in model.layers for inner in getattr(nested, "layers", []))]:
        with contextlib.suppress(Exception):  # an unbuilt layer (a Dropout before its first call) cannot count
            params.setdefault(layer.name, int(layer.count_params()))
    total = sum(params.get(layer.name, 0) for layer in model.layers)  # a nested model counts its own layers once
    config: Any = None
    with contextlib.suppress(Exception):
        config = model.get_config()
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        config = {"layers": [_layer_config(layer) for layer in model.layers]}
    summary = model_summary_from_keras_config(config, params)
    summary.total_params = total if params else None
    return summary


def _layer_config(layer: keras.layers.Layer) -> dict[str, Any]:
    settings: Any = None
    with contextlib.suppress(Exception):
        settings = layer.get_config()
    if not isinstance(settings, dict):
        settings = {}
    return {"class_name": type(layer).__name__, "config": {**settings, "name": layer.name}}


def probed_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The layers with a kernel (`kernel_of`), input side first: the ones probes measure."""
    return [layer for layer in model.layers if kernel_of(layer) is not None and layer.trainable_weights]


KERAS_MODULES = ("keras.", "tf_keras.", "tensorflow.")


def kernel_of(layer: Any) -> Any:
    """A layer's weight matrix: its `kernel`; for a learner's own layer class (not Keras's, not a nested model), its
    first trainable weight of two or more dimensions (`self.w = self.add_weight(shape=(inputs, units))`). None for
    a layer without one (Keras's RNN, Embedding and normalisation layers stay unprobed, as before)."""
    with contextlib.suppress(Exception):
        kernel = getattr(layer, "kernel", None)
        if kernel is not None:
            return kernel
        if hasattr(layer, "layers") or type(layer).__module__.startswith(KERAS_MODULES):
            return None
        return next((weight for weight in layer.trainable_weights if len(weight.shape) >= 2), None)
    return None


def has_convolutions(model: Any) -> bool:
    """Whether `model`, or a model nested in it, has a convolution layer.

    XLA:CPU's fast-compile options and the compiled loops run convolutions many times slower on a CPU
    (see `vector.program.SMALL_WORK`), so both check this.
    """
    return any("Conv" in type(layer).__name__ or has_convolutions(layer) for layer in getattr(model, "layers", []))
