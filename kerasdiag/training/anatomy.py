"""The anatomy of a live Keras model: its task, loss, classes, labels and layer graph (see `rundir.anatomy`).

Built once a model is built (a learner's unbuilt model: at the end of the first batch), from the
objects themselves, so a subclassed model whose `get_config` raises is described too. Nothing here
raises on a model it does not understand: what it cannot read stays `None` or `unknown`.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from kerasdiag.rundir.anatomy import (
    LINEAR,
    UNKNOWN,
    Anatomy,
    Node,
    Task,
    classes_of,
    nonlinearity_of,
    task_of,
)

# Keras's loss classes and functions by the name `compile(loss=...)` strings use.
LOSS_NAMES = {
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
    "BinaryCrossentropy": "binary_crossentropy",
    "BinaryFocalCrossentropy": "binary_focal_crossentropy",
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "Huber": "huber",
    "LogCosh": "log_cosh",
}
SHORT_LOSSES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error"}


def anatomy_of(model: Any, y: Any = None, source: str = "model") -> Anatomy:
    """The anatomy of a built Keras `model` trained on targets `y` (where known).

    Args:
        model: A built Keras model (Sequential, functional or subclassed).
        y: The training targets `fit` got (an array), or `None` when unknown (a dataset).
        source: `model` for a learner's model, `flags` for kerasdiag's own.
    """
    loss, from_logits, heads = loss_of(getattr(model, "loss", None))
    layers = graph(model)
    outputs = _outputs(model)
    anatomy = Anatomy(source=source, loss=loss, from_logits=from_logits, layers=layers)
    anatomy.outputs = max(outputs, heads, 1)
    anatomy.output_activation, anatomy.output_width = _output(model, layers)
    anatomy.penalty = _has_penalty(model)
    anatomy.task = (
        Task.UNKNOWN
        if anatomy.outputs > 1
        else task_of(loss, from_logits, anatomy.output_activation, anatomy.output_width)
    )
    anatomy.num_classes = classes_of(anatomy.task, anatomy.output_width)
    labels = _array(y)
    if labels is not None:
        anatomy.label_encoding = label_encoding(labels, anatomy.task)
        if anatomy.task == Task.REGRESSION and labels.size:
            anatomy.target_variance = float(np.var(labels.astype(np.float64)))
    return anatomy


def loss_of(loss: Any) -> tuple[str | None, bool | None, int]:
    """(The loss's name as `compile` strings spell it, its `from_logits`, the number of heads it names).

    A dict or list of losses (a multi-output model) names no single loss.
    """
    if isinstance(loss, dict):
        return None, None, len(loss)
    if isinstance(loss, (list, tuple)):
        return loss_of(loss[0]) if len(loss) == 1 else (None, None, len(loss))
    if loss is None:
        return None, None, 0
    if isinstance(loss, str):
        return SHORT_LOSSES.get(loss, loss), (False if loss in LOSS_FUNCTION_LOGITS else None), 1
    settings: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        settings = dict(loss.get_config())
    name = LOSS_NAMES.get(type(loss).__name__) or getattr(loss, "__name__", None) or type(loss).__name__
    logits = settings.get("from_logits", getattr(loss, "from_logits", None))
    if logits is None and callable(loss) and name in LOSS_FUNCTION_LOGITS:
        logits = False  # the plain function's default
    return SHORT_LOSSES.get(name, name), (bool(logits) if logits is not None else None), 1


LOSS_FUNCTION_LOGITS = (
    "sparse_categorical_crossentropy",
    "categorical_crossentropy",
    "binary_crossentropy",
)


def graph(model: Any) -> list[Node]:
    """The model's layers as Nodes, input side first; nested models keep their own graph."""
    nodes = []
    for layer in getattr(model, "layers", None) or []:
        kind = type(layer).__name__
        if _is_model(layer):
            node = Node(name=layer.name, kind=kind, layers=graph(layer))
        else:
            nonlinearity, weighted = nonlinearity_of(kind, _activation(layer), _builtin(layer))
            node = Node(layer.name, kind, nonlinearity, weighted or _has_kernel(layer), _units(layer))
        node.inputs = _inputs(layer)
        nodes.append(node)
    return nodes


def label_encoding(y: np.ndarray, task: Task) -> str:
    """How the targets are written: `integer`, `one-hot`, `binary`, `multi-hot` or `continuous`."""
    if y.ndim >= 2 and y.shape[-1] > 1:
        binary = bool(np.isin(y, (0, 1)).all())
        if binary and np.all(y.sum(axis=-1) == 1):
            return "one-hot"
        return "multi-hot" if binary else "continuous"
    flat = y.reshape(len(y)) if y.ndim == 2 else y
    if not np.issubdtype(flat.dtype, np.number) or not np.all(np.isfinite(flat)):
        return "continuous"
    whole = bool(np.all(flat == np.round(flat)))
    if task == Task.REGRESSION or not whole:
        return "continuous"
    return "binary" if np.isin(flat, (0, 1)).all() and task.binary else "integer"


def _output(model: Any, layers: list[Node]) -> tuple[str | None, int | None]:
    """The output's activation and width: the layer that makes `model.outputs[0]`, else the last one."""
    width = None
    with contextlib.suppress(Exception):
        shape = model.outputs[0].shape
        width = int(shape[-1]) if shape[-1] is not None else None
    last = None
    with contextlib.suppress(Exception):
        last = model.outputs[0]._keras_history.operation
    if last is None or _is_model(last):
        leaves = Anatomy(layers=layers).all_layers()
        chosen = next((n for n in reversed(leaves) if n.nonlinearity is not None or n.weighted), None)
        if chosen is None:
            return None, width
        activation = chosen.nonlinearity if chosen.nonlinearity != UNKNOWN else None
        if width is None:
            width = chosen.units if chosen.weighted else next((n.units for n in reversed(leaves) if n.units), None)
        return activation, width
    nonlinearity, _ = nonlinearity_of(type(last).__name__, _activation(last), _builtin(last))
    return (nonlinearity if nonlinearity != UNKNOWN else None), width or _units(last)


def _outputs(model: Any) -> int:
    with contextlib.suppress(Exception):
        return len(model.outputs)
    return 1


def _has_penalty(model: Any) -> bool | None:
    """Whether any layer adds a weight or activity penalty to the loss (`model.losses`)."""
    found = False
    for layer in _flat_layers(model):
        for name in ("kernel_regularizer", "bias_regularizer", "activity_regularizer", "depthwise_regularizer"):
            if getattr(layer, name, None) is not None:
                found = True
    if not found:
        with contextlib.suppress(Exception):
            return bool(model.losses)
    return found


def _flat_layers(model: Any) -> list[Any]:
    out = []
    for layer in getattr(model, "layers", None) or []:
        out.extend(_flat_layers(layer) if _is_model(layer) else [layer])
    return out


def _is_model(layer: Any) -> bool:
    return hasattr(layer, "layers") and hasattr(layer, "fit")


def _builtin(layer: Any) -> bool:
    """A Keras layer class (its `call` is known) rather than the learner's own."""
    return type(layer).__module__.startswith(("keras.", "tf_keras.", "tensorflow.python.keras"))


def _activation(layer: Any) -> str | None:
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    name = getattr(activation, "__name__", None) or type(activation).__name__
    return LINEAR if name in ("linear", "identity") else str(name).lower()


def _has_kernel(layer: Any) -> bool:
    """A `kernel`, or (a custom layer's `add_weight(shape=(inputs, units))`) a trainable matrix of its own."""
    with contextlib.suppress(Exception):
        if getattr(layer, "kernel", None) is not None:
            return True
        return any(len(weight.shape) >= 2 for weight in layer.trainable_weights)
    return False


def _units(layer: Any) -> int | None:
    for name in ("units", "filters"):
        value = getattr(layer, name, None)
        if isinstance(value, int):
            return value
    return None


def _inputs(layer: Any) -> list[str]:
    """Names of the layers that feed `layer` in a functional graph (empty where Keras keeps none)."""
    names: list[str] = []
    with contextlib.suppress(Exception):
        for node in layer._inbound_nodes:
            for parent in node.parent_nodes:
                names.append(parent.operation.name)
    return [name for name in names if name]


def _array(value: Any) -> np.ndarray | None:
    if value is None or isinstance(value, (dict, str, list, tuple)):
        return None
    if hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "__array__"):
        with contextlib.suppress(Exception):
            return np.asarray(value)
    return None
