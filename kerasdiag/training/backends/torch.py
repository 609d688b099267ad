"""Probe pass for the torch backend: `torch.autograd.grad`, which leaves `.grad` untouched; eager."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.training.backends.probe_result import ProbeResult, as_list
from kerasdiag.training.models import kernel_of


def make_probe(model: Any, forward: Any, layers: list[Any], loss: Any) -> Any:
    import keras
    import torch

    def probe(x: np.ndarray, y: np.ndarray) -> ProbeResult:
        kernels = [kernel_of(layer).value for layer in layers]
        inputs = keras.ops.convert_to_tensor(x)
        data_loss = loss(keras.ops.convert_to_tensor(y), as_list(model(inputs, training=False))[0])
        losses = model.losses
        penalty = sum(losses) if losses else torch.tensor(0.0)
        penalised = bool(losses) and bool(getattr(penalty, "requires_grad", False))  # a constant add_loss has no grad
        data_grads = torch.autograd.grad(data_loss, kernels, retain_graph=penalised)
        pulls = torch.autograd.grad(penalty, kernels, allow_unused=True) if penalised else [None] * len(kernels)
        grads = [g if p is None else g + p for g, p in zip(data_grads, pulls)]
        with torch.no_grad():
            outputs = [keras.ops.convert_to_numpy(o) for o in as_list(forward(inputs, training=False))]
        norms = [float(torch.linalg.norm(g)) for g in grads]
        data_norms = [float(torch.linalg.norm(g)) for g in data_grads] if penalised else None
        return ProbeResult(float(data_loss.detach()), float(penalty.detach()), norms, outputs, data_norms)

    return probe
