"""Gradient probe for the JAX backend: `jax.value_and_grad` of `stateless_call`, jitted."""

from __future__ import annotations

from typing import Any

import numpy as np


def make_probe(model: Any, layers: list[Any]) -> Any:
    import jax
    import jax.numpy as jnp
    import keras

    kernel_ids = {id(layer.kernel) for layer in layers}
    index = [i for i, v in enumerate(model.trainable_variables) if id(v) in kernel_ids]

    def loss_fn(trainable: list[Any], non_trainable: list[Any], x: Any, y: Any) -> Any:
        probs, _, losses = model.stateless_call(trainable, non_trainable, x, training=False, return_losses=True)
        data_loss = jnp.mean(keras.losses.sparse_categorical_crossentropy(y, probs))
        penalty = sum(losses) if losses else jnp.float32(0.0)
        return data_loss + penalty, (data_loss, penalty)

    @jax.jit
    def step(trainable: list[Any], non_trainable: list[Any], x: Any, y: Any) -> Any:
        grads, (data_loss, penalty) = jax.grad(loss_fn, has_aux=True)(trainable, non_trainable, x, y)
        return data_loss, penalty, jnp.stack([jnp.linalg.norm(grads[i]) for i in index])

    def probe(x: np.ndarray, y: np.ndarray) -> tuple[float, float, list[float]]:
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        data_loss, penalty, norms = step(trainable, non_trainable, x, y)
        return float(data_loss), float(penalty), [float(n) for n in np.asarray(norms)]

    return probe
