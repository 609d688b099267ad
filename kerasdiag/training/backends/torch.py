"""Gradient probe for the torch backend: `torch.autograd.grad`, which leaves `.grad` untouched."""

from __future__ import annotations

from typing import Any

import numpy as np


def make_probe(model: Any, layers: list[Any]) -> Any:
    import keras
    import torch

    def probe(x: np.ndarray, y: np.ndarray) -> tuple[float, float, list[float]]:
        kernels = [layer.kernel.value for layer in layers]
        probs = model(keras.ops.convert_to_tensor(x), training=False)
        data_loss = torch.mean(keras.losses.sparse_categorical_crossentropy(keras.ops.convert_to_tensor(y), probs))
        penalty = sum(model.losses) if model.losses else torch.tensor(0.0)
        grads = torch.autograd.grad(data_loss + penalty, kernels)
        return float(data_loss.detach()), float(penalty.detach()), [float(torch.linalg.norm(g)) for g in grads]

    return probe
