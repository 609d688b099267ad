"""ModelSummary: the model's layers as diagnosis needs them, from kerasdiag's run.json or any Keras model config.

run.json's `model` section round-trips through `ModelSummary.to_dict` / `from_dict`;
`model_summary_from_keras_config` reads `model.get_config()` or the `keras` TensorBoard text tag.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

IDENTITY_ACTIVATIONS = ("linear", None)
PARAMETRIC_LAYERS = ("Dense", "Conv2D")


@dataclass
class LayerInfo:
    """One layer of the model, as far as diagnosis needs it."""

    name: str
    kind: str
    units: int | None = None
    activation: str | None = None
    params: int | None = None
    l1: float = 0.0
    l2: float = 0.0
    rate: float | None = None
    kernel_init: str | None = None  # initialiser class name, e.g. "RandomNormal", "GlorotUniform"
    kernel_stddev: float | None = None  # its stddev (RandomNormal, TruncatedNormal) where it has one
    bias_init: str | None = None
    bias_value: float | None = None  # the constant of a Constant/Zeros/Ones bias initialiser

    @property
    def parametric(self) -> bool:
        return self.kind in PARAMETRIC_LAYERS


@dataclass
class ModelSummary:
    layers: list[LayerInfo]
    total_params: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ModelSummary:
        """The `model` section of run.json; raises KeyError, TypeError or ValueError when malformed."""
        layers = [LayerInfo(**layer) for layer in raw["layers"]]
        return cls(layers=layers, total_params=raw.get("total_params"))

    @property
    def parametric_layers(self) -> list[LayerInfo]:
        return [layer for layer in self.layers if layer.parametric]

    @property
    def hidden_layers(self) -> list[LayerInfo]:
        """Parametric layers before the output layer."""
        return self.parametric_layers[:-1]

    @property
    def output_layer(self) -> LayerInfo | None:
        layers = self.parametric_layers
        return layers[-1] if layers else None


def model_summary_from_keras_config(config: dict[str, Any], params: dict[str, int] | None = None) -> ModelSummary:
    """Build a ModelSummary from a Keras model config (`model.get_config()` or the `keras` TensorBoard tag).

    Works for Sequential and Functional configs, a nested model's layers in its place; unknown layer kinds are kept
    with their class name.
    """
    params = params or {}
    inner = config.get("config", config)
    layers = []
    for entry in inner.get("layers", []):
        kind = entry.get("class_name", "?")
        cfg = entry.get("config", {})
        if isinstance(cfg, dict) and isinstance(cfg.get("layers"), list):  # a nested model (a frozen base): its layers
            layers += model_summary_from_keras_config(entry, params).layers
            continue
        name = cfg.get("name", entry.get("name", kind))
        reg = cfg.get("kernel_regularizer") or {}
        reg_cfg = reg.get("config", {}) if isinstance(reg, dict) else {}
        units = cfg.get("units", cfg.get("filters"))
        activation = _activation_name(cfg.get("activation")) if ("activation" in cfg) else None
        layers.append(
            LayerInfo(
                name=name,
                kind=kind,
                units=units,
                activation=activation,
                params=params.get(name),
                l1=float(reg_cfg.get("l1", 0.0) or 0.0),
                l2=float(reg_cfg.get("l2", 0.0) or 0.0),
                rate=cfg.get("rate"),
                **_initializers(cfg),
            )
        )
    total = sum(params.values()) if params else None
    return ModelSummary(layers=layers, total_params=total)


CONSTANT_INITIALIZERS = {"Zeros": 0.0, "zeros": 0.0, "Ones": 1.0, "ones": 1.0}


def _initializers(cfg: dict[str, Any]) -> dict[str, Any]:
    """Kernel and bias initialiser facts of one layer config (names, stddev, constant), where given."""
    out: dict[str, Any] = {}
    kernel, bias = cfg.get("kernel_initializer"), cfg.get("bias_initializer")
    if kernel is not None:
        name, settings = _initializer_parts(kernel)
        out["kernel_init"] = name
        if isinstance(settings.get("stddev"), (int, float)):
            out["kernel_stddev"] = float(settings["stddev"])
    if bias is not None:
        name, settings = _initializer_parts(bias)
        out["bias_init"] = name
        value = settings.get("value", CONSTANT_INITIALIZERS.get(name or ""))
        if isinstance(value, (int, float)):
            out["bias_value"] = float(value)
    return out


def _initializer_parts(value: Any) -> tuple[str | None, dict[str, Any]]:
    """(class name, config) of a serialized initialiser: a dict, or a bare name like "zeros"."""
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict):
        settings = value.get("config")
        return value.get("class_name"), settings if isinstance(settings, dict) else {}
    return None, {}


def _activation_name(value: Any) -> str | None:
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # serialized object, e.g. {"class_name": "LeakyReLU", ...}
        return str(value.get("config", {}).get("name") or value.get("class_name", "?")).lower()
    return str(value)
