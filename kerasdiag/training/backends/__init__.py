"""The only backend-specific code: one compiled pass of the probe batch through the model.

`compiled_probe(model, forward, layers)` returns a function `(x, y) -> ProbeResult`:
the data loss, the penalty (`model.losses`), the gradient norm of their sum for
each kernel of `layers`, and the outputs of `forward` (a model sharing `model`'s
layers: the watched activations, then the softmax). It is compiled once per model
for the active Keras backend (TensorFlow: one `tf.function`; JAX: one `jax.jit`
over `stateless_call`, with fast XLA:CPU options; torch: eager, `torch.autograd.grad`)
and reads the model's weights, never changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np


class ProbeResult(NamedTuple):
    """What one probe pass measures on the probe batch, as host values."""

    data_loss: float
    penalty: float
    grad_norms: list[float]
    outputs: list[np.ndarray]


CompiledProbe = Callable[[np.ndarray, np.ndarray], ProbeResult]


def compiled_probe(model: Any, forward: Any, layers: list[Any]) -> CompiledProbe:
    """The probe pass of `model` for the active backend (see the module docstring)."""
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
    return make_probe(model, forward, layers)


def as_list(outputs: Any) -> list[Any]:
    """A model's outputs as a list (a one-output model may return a bare tensor)."""
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def shares_variables(model: Any, forward: Any) -> bool:
    """Whether `forward` computes `model` exactly: a Sequential or functional model, the same variables in order."""
    import keras
    from keras.src.models.functional import Functional

    if type(model) not in (keras.Sequential, Functional) or len(model.losses) != len(forward.losses):
        return False
    same = [id(v) for v in model.trainable_variables] == [id(v) for v in forward.trainable_variables]
    return same and [id(v) for v in model.non_trainable_variables] == [id(v) for v in forward.non_trainable_variables]
