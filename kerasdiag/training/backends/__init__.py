"""The only backend-specific code: the gradient of the loss on one probe batch.

`gradient_probe(model, layers)` returns a function `(x, y) -> (data_loss,
penalty, kernel_grad_norms)` compiled for the active Keras backend
(TensorFlow: `tf.function`; JAX: `jax.jit` over `stateless_call`; torch:
`torch.autograd.grad`). It reads the model's weights, never changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

GradientProbe = Callable[[np.ndarray, np.ndarray], tuple[float, float, list[float]]]


def gradient_probe(model: Any, layers: list[Any]) -> GradientProbe:
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        from kerasdiag.training.backends.tensorflow import make_probe
    elif backend == "jax":
        from kerasdiag.training.backends.jax import make_probe
    elif backend == "torch":
        from kerasdiag.training.backends.torch import make_probe
    else:  # pragma: no cover - Keras has no other backend today
        raise NotImplementedError(f"Expected a tensorflow, jax or torch backend. Received: backend={backend}")
    return make_probe(model, layers)
