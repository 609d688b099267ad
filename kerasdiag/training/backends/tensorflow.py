"""Gradient probe for the TensorFlow backend: one `tf.function` with a GradientTape."""

from __future__ import annotations

from typing import Any

import numpy as np


def make_probe(model: Any, layers: list[Any]) -> Any:
    import keras
    import tensorflow as tf

    kernels = [layer.kernel for layer in layers]

    @tf.function(reduce_retracing=True)
    def step(x: Any, y: Any) -> Any:
        with tf.GradientTape() as tape:
            probs = model(x, training=False)
            data_loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, probs))
            penalty = tf.add_n(model.losses) if model.losses else tf.constant(0.0)
            loss = data_loss + penalty
        grads = tape.gradient(loss, [k.value for k in kernels])
        return data_loss, penalty, tf.stack([tf.norm(g) for g in grads])

    def probe(x: np.ndarray, y: np.ndarray) -> tuple[float, float, list[float]]:
        data_loss, penalty, norms = step(tf.constant(x), tf.constant(y))
        return float(data_loss), float(penalty), [float(n) for n in norms.numpy()]

    return probe
