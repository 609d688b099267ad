"""Probe pass for the TensorFlow backend: gradient and activations in one `tf.function`.

When `forward` holds exactly `model`'s variables (a Sequential or functional model),
one forward pass gives both the loss and the activations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.training.backends.probe_result import ProbeResult, as_list, shares_variables
from kerasdiag.training.models import kernel_of


def make_probe(model: Any, forward: Any, layers: list[Any], loss: Any) -> Any:
    import tensorflow as tf

    kernels = [kernel_of(layer) for layer in layers]
    one_pass = shares_variables(model, forward)
    loss_model = forward if one_pass else model

    @tf.function(reduce_retracing=True)
    def step(x: Any, y: Any) -> Any:
        with tf.GradientTape(persistent=True) as tape:
            outputs = as_list(forward(x, training=False)) if one_pass else None
            predicted = outputs[-1] if outputs is not None else as_list(model(x, training=False))[0]
            data_loss = loss(y, predicted)
            losses = loss_model.losses  # after the forward pass: weight and activity penalties, add_loss terms
            penalty = tf.add_n(losses) if losses else tf.constant(0.0)
        weights = [k.value for k in kernels]
        data_grads = tape.gradient(data_loss, weights)
        pulls = tape.gradient(penalty, weights) if losses else [None] * len(weights)
        grads = [g if p is None else g + p for g, p in zip(data_grads, pulls)]
        if outputs is None:
            outputs = as_list(forward(x, training=False))
        data_norms = tf.stack([tf.norm(g) for g in data_grads])
        return data_loss, penalty, tf.stack([tf.norm(g) for g in grads]), data_norms, tf.constant(bool(losses)), outputs

    def probe(x: np.ndarray, y: np.ndarray) -> ProbeResult:
        data_loss, penalty, norms, data_norms, penalised, outputs = step(tf.constant(x), tf.constant(y))
        return ProbeResult(
            float(data_loss),
            float(penalty),
            [float(n) for n in norms.numpy()],
            [o.numpy() for o in outputs],
            [float(n) for n in data_norms.numpy()] if bool(penalised) else None,
        )

    return probe
