"""The model config text a Keras TensorBoard log holds (`keras` tag): layers and parameter counts."""

from __future__ import annotations

import json
import math
from typing import Any

from kerasdiag.messages.said import Said
from kerasdiag.rundir.model_summary import ModelSummary, model_summary_from_keras_config

MODEL_TAG = "keras"
# Layers that hold no weights, so a total parameter count stays exact.
POOLING_LAYERS = ("MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D")
WEIGHTLESS_LAYERS = frozenset(("InputLayer", "Dropout", "Flatten", "Activation", "Reshape", *POOLING_LAYERS))


def model_summary_from_text(text: str | None, problems: list[str]) -> ModelSummary | None:
    """Parses the `keras` tag (JSON of `model.to_json()`): damage is a problem, absence is not."""
    if text is None:
        return None
    try:
        config = json.loads(text)
        if not isinstance(config, dict):
            raise ValueError(f"a JSON {type(config).__name__}, not an object")
        summary = model_summary_from_keras_config(config, _layer_params(config))
    except (ValueError, TypeError, AttributeError) as error:
        problems.append(Said("rundir.tb.model_config", tag=f"train/{MODEL_TAG}", error=str(error)[:80]))
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
        if not isinstance(inputs, int) or entry.get("class_name") not in ("Dense", "Conv2D"):
            continue
        outputs = cfg.get("units") or cfg.get("filters") or 0
        kernel = math.prod(cfg.get("kernel_size") or [1])
        bias = outputs if cfg.get("use_bias", True) else 0
        params[cfg.get("name", "?")] = kernel * inputs * outputs + bias
    return params


def _has_unknown_weights(summary: ModelSummary) -> bool:
    """True if some layer may hold weights that `_layer_params` does not count."""
    return any(layer.params is None and layer.kind not in WEIGHTLESS_LAYERS for layer in summary.layers)
