"""The model config text a Keras TensorBoard log holds (`keras` tag): layers and parameter counts."""

from __future__ import annotations

import json
import math
from typing import Any, TypeGuard

from kerasdiag.messages import say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.anatomy import Anatomy, anatomy_from_config
from kerasdiag.rundir.files import may_hold_surrogates, printable, valid_json
from kerasdiag.rundir.model_summary import ModelSummary, model_summary_from_keras_config

MODEL_TAG = "keras"
# Layers that hold no weights, so a total parameter count stays exact.
POOLING_LAYERS = ("MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D")
WEIGHTLESS_LAYERS = frozenset(("InputLayer", "Dropout", "Flatten", "Activation", "Reshape", *POOLING_LAYERS))


def anatomy_from_text(text: str | None) -> Anatomy | None:
    """The anatomy the `keras` tag tells (task from the output layer; the loss is not in it), or None."""
    if text is None:
        return None
    try:
        config = json.loads(text)
        return anatomy_from_config(config) if isinstance(config, dict) else None
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError, RecursionError):
        return None  # model_summary_from_text names the damage


def model_summary_from_text(text: str | None, problems: list[str]) -> ModelSummary | None:
    """Parses the `keras` tag (JSON of `model.to_json()`): damage is a problem, absence is not."""
    if text is None:
        return None
    try:
        config = json.loads(text)
        if may_hold_surrogates(text):
            config = valid_json(config)
        if not isinstance(config, dict):
            raise ValueError(f"a JSON {type(config).__name__}, not an object")
        summary = model_summary_from_keras_config(config, _layer_params(config))
        _check_types(summary)
    except RecursionError:
        problems.append(Said("rundir.tb.model_config", tag=f"train/{MODEL_TAG}", error=say("rundir.too_deep")))
        return None
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
        problems.append(Said("rundir.tb.model_config", tag=f"train/{MODEL_TAG}", error=printable(str(error)[:80])))
        return None
    if _has_unknown_weights(summary):
        summary.total_params = None
    return summary


def _layer_params(config: dict[str, Any]) -> dict[str, int]:
    """Weights per Dense or Conv2D layer, from the input shape Keras stores in each layer's `build_config`."""
    params: dict[str, int] = {}
    for entry in config.get("config", config).get("layers", []):
        cfg = entry.get("config", {})
        shape = (entry.get("build_config") or {}).get("input_shape") or []
        inputs = shape[1 if cfg.get("data_format") == "channels_first" else -1] if shape else None
        if not _count(inputs) or entry.get("class_name") not in ("Dense", "Conv2D"):
            continue
        outputs = cfg.get("units") or cfg.get("filters") or 0
        sides = cfg.get("kernel_size") or [1]
        if not _count(outputs) or not isinstance(sides, list) or not all(_count(side) for side in sides):
            continue  # a number of the wrong type (`"units": "8"`) is never multiplied
        bias = outputs if cfg.get("use_bias", True) else 0
        params[str(cfg.get("name", "?"))] = math.prod(sides) * inputs * outputs + bias
    return params


def _count(value: Any) -> TypeGuard[int]:
    """A whole number >= 0 (not a bool) of a size a model can have."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63


def _has_unknown_weights(summary: ModelSummary) -> bool:
    """True if some layer may hold weights that `_layer_params` does not count."""
    return any(layer.params is None and layer.kind not in WEIGHTLESS_LAYERS for layer in summary.layers)


def _check_types(summary: ModelSummary) -> None:
    """Raise TypeError unless every layer field read from the config has the type a rule expects."""
    for layer in summary.layers:
        for key, kind in _LAYER_TYPES.items():
            value = getattr(layer, key)
            if value is None:
                continue
            wrong = isinstance(value, bool) or not isinstance(value, kind)
            if wrong or (isinstance(value, float) and not math.isfinite(value)):
                raise TypeError(f"layer {printable(str(layer.name))[:30]!r}: {key} is {str(value)[:20]!r}")
            if isinstance(value, int) and key in ("units", "params") and value < 0:
                raise TypeError(f"layer {printable(str(layer.name))[:30]!r}: {key} is {value}")


_LAYER_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "kind": str,
    "units": int,
    "activation": str,
    "params": int,
    "l1": (int, float),
    "l2": (int, float),
    "rate": (int, float),
    "kernel_init": str,
    "kernel_stddev": (int, float),
    "bias_init": str,
    "bias_value": (int, float),
}
