"""Anatomy: one description of what a run is (its task, loss, output and layer graph), for every pipeline.

`kerasdiag train` builds it from its flags, a learner's script from the live model
(`training.anatomy.anatomy_of`), plain logs from the model config TensorBoard's `keras`
tag holds (`anatomy_from_config`), as far as each tells. run.json stores it under
`anatomy`; rules read what they need from it and are skipped, with the reason, where
it is missing (`diagnosis.rules.base.needs`).

A layer's `nonlinearity` is what it applies to its values: an activation name (`relu`,
`softmax`), `linear` for a weighted layer without one, `unknown` for a layer kerasdiag
does not know (a custom layer: never assumed linear), or `None` for a layer that passes
values on unchanged in kind (Flatten, Dropout, Reshape, Add).
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kerasdiag.rundir.model_summary import ModelSummary
    from kerasdiag.rundir.summaries import DataSummary

LINEAR = "linear"
UNKNOWN = "unknown"

# Keras layer classes that only move, drop, join or scale values: they add no non-linearity.
PASS_THROUGH = frozenset(
    {
        "InputLayer",
        "Flatten",
        "Reshape",
        "Permute",
        "RepeatVector",
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "AlphaDropout",
        "GaussianNoise",
        "GaussianDropout",
        "ActivityRegularization",
        "Add",
        "Subtract",
        "Average",
        "Concatenate",
        "AveragePooling1D",
        "AveragePooling2D",
        "AveragePooling3D",
        "GlobalAveragePooling1D",
        "GlobalAveragePooling2D",
        "GlobalAveragePooling3D",
        "ZeroPadding1D",
        "ZeroPadding2D",
        "ZeroPadding3D",
        "Cropping1D",
        "Cropping2D",
        "Cropping3D",
        "UpSampling1D",
        "UpSampling2D",
        "UpSampling3D",
        "Rescaling",
        "Normalization",
        "Identity",
        "BatchNormalization",
        "LayerNormalization",
        "GroupNormalization",
        "UnitNormalization",
    }
)
# Keras layer classes that are a non-linearity in themselves (name -> the activation they apply).
ACTIVATION_LAYERS = {
    "ReLU": "relu",
    "LeakyReLU": "leaky_relu",
    "PReLU": "prelu",
    "ELU": "elu",
    "Softmax": "softmax",
    "ThresholdedReLU": "relu",
    "MaxPooling1D": "max",
    "MaxPooling2D": "max",
    "MaxPooling3D": "max",
    "GlobalMaxPooling1D": "max",
    "GlobalMaxPooling2D": "max",
    "GlobalMaxPooling3D": "max",
    "Multiply": "product",
    "Maximum": "max",
    "Minimum": "min",
    "LSTM": "tanh",
    "GRU": "tanh",
    "SimpleRNN": "tanh",
    "Embedding": None,  # a lookup: linear in its one-hot input, no non-linearity of its own
}
# Layer classes whose `activation` config is the non-linearity they apply (Dense, Conv*, Activation ...).
WEIGHTED_PREFIXES = ("Dense", "EinsumDense", "Conv", "SeparableConv", "DepthwiseConv")
MODEL_CLASSES = ("Sequential", "Functional", "Model")


class Task(str, enum.Enum):
    """What the model predicts, from its output activation and its loss."""

    SOFTMAX = "multiclass-softmax"  # k >= 2 classes, softmax probabilities
    LOGITS = "multiclass-logits"  # k >= 2 classes, raw scores (from_logits=True)
    SIGMOID = "binary-sigmoid"  # one sigmoid unit, binary cross-entropy
    BINARY_LOGITS = "binary-logits"  # one raw score, binary cross-entropy from_logits=True
    MULTILABEL = "multi-label"  # several independent sigmoid (or logit) units
    REGRESSION = "regression"  # numbers, MSE/MAE/Huber-like loss
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    @property
    def classifier(self) -> bool:
        """One class per sample (multi-class or binary): accuracy and class rules apply."""
        return self in (Task.SOFTMAX, Task.LOGITS, Task.SIGMOID, Task.BINARY_LOGITS)

    @property
    def multiclass(self) -> bool:
        return self in (Task.SOFTMAX, Task.LOGITS)

    @property
    def binary(self) -> bool:
        return self in (Task.SIGMOID, Task.BINARY_LOGITS)

    @property
    def logits(self) -> bool:
        return self in (Task.LOGITS, Task.BINARY_LOGITS)


@dataclass
class Node:
    """One layer of the graph: what it is, what it applies, and where its inputs come from."""

    name: str
    kind: str
    nonlinearity: str | None = None
    weighted: bool = False  # has a kernel of its own (Dense, Conv ...)
    units: int | None = None
    inputs: list[str] = field(default_factory=list)  # names of the layers feeding it (empty: the model's input)
    layers: list[Node] = field(default_factory=list)  # a nested model's own graph

    @property
    def nonlinear(self) -> bool | None:
        """True when it applies a non-linearity, False when it does not, None when unknown."""
        if self.layers:
            inner = [layer.nonlinear for layer in self.layers]
            return True if any(inner) else (None if None in inner else False)
        if self.nonlinearity == UNKNOWN:
            return None
        return self.nonlinearity not in (None, LINEAR)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Node:
        return cls(
            name=str(raw["name"]),
            kind=str(raw["kind"]),
            nonlinearity=raw.get("nonlinearity"),
            weighted=bool(raw.get("weighted", False)),
            units=raw.get("units"),
            inputs=[str(name) for name in raw.get("inputs") or []],
            layers=[cls.from_dict(layer) for layer in raw.get("layers") or []],
        )


@dataclass
class Anatomy:
    """What a run is.

    Args:
        task: What the model predicts.
        source: Where it was read: `flags` (kerasdiag train), `model` (the live model of a script),
            `config` (a model config in plain logs), `logs` (the metric names alone).
        loss: The loss's name as Keras spells it (`sparse_categorical_crossentropy`, `mse`), where known.
        from_logits: Whether the loss takes raw scores, where known.
        num_classes: k for a classifier (2 for a binary one), labels for multi-label, None otherwise.
        label_encoding: `integer`, `one-hot`, `binary`, `multi-hot` or `continuous`, where the labels were seen.
        output_activation: The last layer's non-linearity (`softmax`, `sigmoid`, `linear`).
        output_width: Units of the (first) output.
        outputs: Number of output heads.
        penalty: Whether the loss Keras reports includes weight penalties (`model.losses`), where known.
        target_variance: For a regression, the variance of the training targets: the MSE of always
            predicting their mean.
        layers: The layer graph, input side first.
    """

    task: Task = Task.UNKNOWN
    source: str = "logs"
    loss: str | None = None
    from_logits: bool | None = None
    num_classes: int | None = None
    label_encoding: str | None = None
    output_activation: str | None = None
    output_width: int | None = None
    outputs: int = 1
    penalty: bool | None = None
    target_variance: float | None = None
    layers: list[Node] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["task"] = self.task.value
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Anatomy:
        """run.json's `anatomy`; raises KeyError, TypeError or ValueError when malformed."""
        if not isinstance(raw, dict):
            raise TypeError(f"Expected an object. Received: {type(raw).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in raw.items() if key in known}
        values["task"] = Task(values.get("task", Task.UNKNOWN.value))
        values["layers"] = [Node.from_dict(layer) for layer in values.get("layers") or []]
        anatomy = cls(**values)
        for name in ("num_classes", "output_width", "outputs"):
            value = getattr(anatomy, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ValueError(f"Expected {name} to be a whole number >= 0. Received: {value!r}")
        if anatomy.task == Task.REGRESSION and anatomy.outputs <= 1:  # written before a softmax + MSE was a classifier
            anatomy.task = task_of(anatomy.loss, anatomy.from_logits, anatomy.output_activation, anatomy.output_width)
            anatomy.num_classes = anatomy.num_classes or classes_of(anatomy.task, anatomy.output_width)
        return anatomy

    @property
    def chance_loss(self) -> float | None:
        """The loss of a model that has learnt nothing: ln k, ln 2, or the targets' variance for MSE (a classifier
        trained with MSE: (1 - 1/k) / k, its one-hot or 0/1 targets against 1/k everywhere)."""
        k = 2 if self.task.binary else self.num_classes if self.task.multiclass else None
        if k is not None and k >= 2:
            return (1 - 1 / k) / k if self.loss in MSE_NAMES else math.log(k)
        if self.task == Task.REGRESSION and self.loss in MSE_NAMES and self.target_variance is not None:
            return self.target_variance
        return None

    def all_layers(self) -> list[Node]:
        """Every layer, nested models' layers in place of the model."""
        out: list[Node] = []
        for node in self.layers:
            out.extend(Anatomy(layers=node.layers).all_layers() if node.layers else [node])
        return out


MSE_NAMES = ("mse", "mean_squared_error", "MeanSquaredError")
CLASS_LOSSES = {
    "sparse_categorical_crossentropy": "integer",
    "SparseCategoricalCrossentropy": "integer",
    "categorical_crossentropy": "one-hot",
    "CategoricalCrossentropy": "one-hot",
    "categorical_focal_crossentropy": "one-hot",
    "CategoricalFocalCrossentropy": "one-hot",
}
BINARY_LOSSES = ("binary_crossentropy", "BinaryCrossentropy", "binary_focal_crossentropy", "BinaryFocalCrossentropy")
REGRESSION_LOSSES = (
    *MSE_NAMES,
    "mae",
    "mean_absolute_error",
    "MeanAbsoluteError",
    "huber",
    "Huber",
    "log_cosh",
    "LogCosh",
    "mean_squared_logarithmic_error",
    "MeanSquaredLogarithmicError",
    "mape",
    "mean_absolute_percentage_error",
    "MeanAbsolutePercentageError",
)


def task_of(loss: str | None, from_logits: bool | None, activation: str | None, width: int | None) -> Task:
    """The task from the loss (where known) and the output layer's activation and width.

    The loss decides where it is known; without it the output activation does (softmax: multi-class;
    one sigmoid unit: binary; several: multi-label); a linear output without a loss stays unknown
    (logits and regression look alike). A regression loss on a softmax (outputs that sum to 1) or on one sigmoid
    unit is a classifier trained with that loss (`loss="mse"` on one-hot or 0/1 targets, as older tutorials do):
    its accuracy and chance level still apply.
    """
    if loss in CLASS_LOSSES:
        logits = from_logits if from_logits is not None else activation not in ("softmax", None)
        return Task.LOGITS if logits else Task.SOFTMAX
    if loss in BINARY_LOSSES:
        logits = bool(from_logits) if from_logits is not None else activation in (LINEAR, None)
        if width is not None and width > 1:
            return Task.MULTILABEL
        return Task.BINARY_LOGITS if logits else Task.SIGMOID
    if loss in REGRESSION_LOSSES:
        return _squared_classifier(activation, width) or Task.REGRESSION
    if loss is not None:
        return Task.UNKNOWN
    if activation == "softmax":
        return Task.SOFTMAX
    if activation == "sigmoid":
        return Task.SIGMOID if width == 1 else Task.MULTILABEL
    return Task.UNKNOWN


def _squared_classifier(activation: str | None, width: int | None) -> Task | None:
    if activation == "softmax" and width is not None and width > 1:
        return Task.SOFTMAX
    return Task.SIGMOID if activation == "sigmoid" and width == 1 else None


def classes_of(task: Task, width: int | None) -> int | None:
    """Number of classes the output tells: its width for multi-class and multi-label, 2 for binary."""
    if task.binary:
        return 2
    if task in (Task.SOFTMAX, Task.LOGITS, Task.MULTILABEL) and width:
        return width
    return None


def nonlinearity_of(kind: str, activation: str | None, builtin: bool) -> tuple[str | None, bool]:
    """(What a layer of class `kind` applies, whether it has a kernel of its own).

    Args:
        kind: The layer's class name.
        activation: Its `activation` (config or attribute name), where it has one.
        builtin: Whether the class is Keras's own (a custom layer's `call` is unknown).
    """
    if not builtin:
        return UNKNOWN, False
    if kind in PASS_THROUGH:
        return None, False
    if kind in ACTIVATION_LAYERS:
        return ACTIVATION_LAYERS[kind], False
    if kind == "Activation":
        return activation or LINEAR, False
    if kind.startswith(WEIGHTED_PREFIXES):
        return activation or LINEAR, True
    return UNKNOWN, False


def anatomy_from_config(config: dict[str, Any], loss: str | None = None) -> Anatomy:
    """The anatomy a Keras model config tells (`model.to_json()`, TensorBoard's `keras` tag).

    Layers whose class is in `keras.layers` are known; any other class is `unknown`. The task comes from the
    output layer (the last one) and `loss` where the caller knows it.
    """
    layers = _config_graph(config)
    return _with_output(Anatomy(source="config", loss=loss, layers=layers, penalty=_regularised(config)))


def _regularised(value: Any) -> bool:
    """Whether a config names any weight or activity regularizer (`kernel_regularizer`: {...} rather than null)."""
    if isinstance(value, dict):
        return any(
            (key.endswith("_regularizer") and item is not None) or _regularised(item) for key, item in value.items()
        )
    return isinstance(value, list) and any(_regularised(item) for item in value)


def _config_graph(config: dict[str, Any]) -> list[Node]:
    inner = config.get("config", config) if isinstance(config, dict) else {}
    nodes = []
    previous: str | None = None
    sequential = config.get("class_name") == "Sequential" if isinstance(config, dict) else False
    for entry in inner.get("layers", []) if isinstance(inner, dict) else []:
        if not isinstance(entry, dict):
            continue
        kind = str(entry.get("class_name", "?"))
        raw = entry.get("config")
        cfg: dict[str, Any] = raw if isinstance(raw, dict) else {}
        name = str(cfg.get("name", entry.get("name", kind)))
        module = str(entry.get("module") or "keras.layers")  # Keras 3 names a custom class's own module
        if kind in MODEL_CLASSES or "layers" in cfg:
            node = Node(name=name, kind=kind, layers=_config_graph(entry))
        else:
            activation = _activation(cfg.get("activation")) if "activation" in cfg else None
            nonlinearity, weighted = nonlinearity_of(kind, activation, module.startswith("keras"))
            units = cfg.get("units", cfg.get("filters"))
            node = Node(name, kind, nonlinearity, weighted, units if isinstance(units, int) and units >= 0 else None)
        node.inputs = _inbound(entry) if not sequential else ([previous] if previous else [])
        if kind != "InputLayer":
            nodes.append(node)
            previous = name
    return nodes


def _inbound(entry: dict[str, Any]) -> list[str]:
    """The names of the layers feeding a functional config's layer (Keras 3's `inbound_nodes` format)."""
    names: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            history = (
                value.get("config", {}).get("keras_history") if value.get("class_name") == "__keras_tensor__" else None
            )
            if isinstance(history, list) and history:
                names.append(str(history[0]))
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(entry.get("inbound_nodes", []))
    return names


def _activation(value: Any) -> str | None:
    if value is None:
        return LINEAR
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("config", {}).get("name") or value.get("class_name", UNKNOWN)).lower()
    return UNKNOWN


def _with_output(anatomy: Anatomy) -> Anatomy:
    """Fill the output facts (activation, width, task, classes) from the graph's last layer."""
    last = _last_leaf(anatomy.layers)
    if last is not None:
        anatomy.output_activation = last.nonlinearity if last.nonlinearity != UNKNOWN else None
        anatomy.output_width = last.units
        if last.kind == "Activation" or last.kind in ACTIVATION_LAYERS:
            width = _last_width(anatomy.layers)
            anatomy.output_width = width
    anatomy.task = task_of(anatomy.loss, anatomy.from_logits, anatomy.output_activation, anatomy.output_width)
    anatomy.num_classes = classes_of(anatomy.task, anatomy.output_width)
    return anatomy


def _last_leaf(layers: list[Node]) -> Node | None:
    for node in reversed(layers):
        if node.layers:
            found = _last_leaf(node.layers)
            if found is not None:
                return found
        elif node.nonlinearity is not None or node.weighted:
            return node
    return None


def _last_width(layers: list[Node]) -> int | None:
    for node in reversed(Anatomy(layers=layers).all_layers()):
        if node.units:
            return node.units
    return None


def inferred_anatomy(
    config: dict[str, Any] | None, data: DataSummary | None, model: ModelSummary | None
) -> Anatomy | None:
    """The anatomy of a run directory written before run.json stored one (schema 1), as far as it tells.

    A `kerasdiag train` run is always a softmax classifier over the data set's classes; a script's run
    tells its output layer and its loss; with neither, `None`.
    """
    config = config or {}
    classes = data.num_classes if data is not None else None
    if config and "script" not in config and config.get("model") in ("mlp", "cnn"):
        return Anatomy(
            task=Task.SOFTMAX,
            source="flags",
            loss="sparse_categorical_crossentropy",
            from_logits=False,
            num_classes=classes,
            label_encoding="integer",
            output_activation="softmax",
            output_width=classes,
            penalty=bool(config.get("l1") or config.get("l2")),
        )
    if model is None or not model.layers:
        return None
    nodes = []
    for layer in model.layers:
        nonlinearity, weighted = nonlinearity_of(layer.kind, layer.activation, True)
        nodes.append(Node(layer.name, layer.kind, nonlinearity, weighted, layer.units))
    loss = config.get("loss") if isinstance(config.get("loss"), str) else None
    anatomy = _with_output(Anatomy(source="config", loss=loss, layers=nodes))
    anatomy.penalty = any(layer.l1 or layer.l2 for layer in model.layers)
    return anatomy
