"""The only backend-specific code: one compiled pass of the probe batch through the model.

`compiled_probe(model, forward, layers)` returns a function `(x, y) -> ProbeResult`:
the data loss (the run's own loss, `run_loss.run_loss`, on the targets `y` as `fit`
takes them), the penalty (`model.losses`), the gradient norm of their sum for
each kernel of `layers`, and the outputs of `forward` (a model sharing `model`'s
layers: the watched activations, then the model's output). It is compiled once per model
for the active Keras backend (TensorFlow: one `tf.function`; JAX: one `jax.jit`
over `stateless_call`, with fast XLA:CPU options; torch: eager, `torch.autograd.grad`)
and reads the model's weights, never changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from kerasdiag.training.backends.probe_result import CompiledProbe, ProbeResult, as_list, shares_variables

__all__ = ["CompiledProbe", "ProbeResult", "as_list", "compiled_predict", "compiled_probe", "shares_variables"]


def compiled_probe(model: Any, forward: Any, layers: list[Any], loss: Any = None) -> CompiledProbe:
    """The probe pass of `model` for the active backend (see the module docstring).

    Args:
        model: The model being trained.
        forward: A model sharing `model`'s layers whose last output is `model`'s output.
        layers: The layers whose kernels' gradient norms are measured.
        loss: `(y_true, y_pred) -> scalar`. Defaults to the run's own loss (`run_loss.run_loss(model)`).
    """
    import keras

    from kerasdiag.training.backends.run_loss import run_loss

    backend = keras.backend.backend()
    if backend == "tensorflow":
        from kerasdiag.training.backends.tensorflow import make_probe
    elif backend == "jax":
        from kerasdiag.training.backends.jax import make_probe
    elif backend == "torch":
        from kerasdiag.training.backends.torch import make_probe
    else:  # pragma: no cover - Keras has no other backend today
        raise NotImplementedError(f"Expected a tensorflow, jax or torch backend. Received: backend={backend}")
    return make_probe(model, forward, layers, loss if loss is not None else run_loss(model))


def compiled_predict(model: Any) -> Callable[[np.ndarray], np.ndarray] | None:
    """`x -> model(x)` compiled for the JAX backend (see `backends.jax.make_predict`); `None` elsewhere."""
    import keras

    if keras.backend.backend() != "jax":
        return None
    from kerasdiag.training.backends.jax import make_predict

    return make_predict(model)  # type: ignore[no-any-return]
