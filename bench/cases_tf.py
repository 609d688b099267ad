"""TensorFlow-backend cases: `fit` with and without kerasdiag's probes, and compiled whole-epoch loops."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from common import EpochClock, bench_config, build, fast_case, fit, kerasdiag_callbacks, without_batch_hooks


def run_tf_cases(splits: Any, epochs: int) -> list[dict[str, Any]]:
    config = bench_config(epochs)
    steps = -(-len(splits.y_train) // config.batch_size)
    results = [
        _fit_case("tf/fit", splits, config, probes=False),
        _fit_case("tf/fit+probes (kerasdiag)", splits, config, probes=True),
        _fit_case("tf/fit+probes, no batch hook", splits, config, probes=True, batch_hook=False),
        _fit_case("tf/fit spe=32", splits, config, probes=False, spe=32),
        _fit_case("tf/fit spe=epoch", splits, config, probes=False, spe=steps),
        _fit_case("tf/fit jit_compile", splits, config, probes=False, jit=True),
        _fit_case("tf/fit spe=epoch+jit", splits, config, probes=False, spe=steps, jit=True),
        _xla_epoch_case("tf/tf.function(jit) epoch loop, bare", splits, config),
        fast_case("tf/fast_fit, no callbacks", splits, config, probes=False),
        fast_case("tf/fast_fit+probes (kerasdiag)", splits, config, probes=True),
    ]
    return results


def _fit_case(
    name: str, splits: Any, config: Any, *, probes: bool, batch_hook: bool = True, spe: int = 1, jit: bool = False
) -> dict[str, Any]:
    model = build(config, steps_per_execution=spe, jit_compile=True if jit else "auto")
    inner: list[Any] = []
    logger = None
    if probes:
        inner, logger = kerasdiag_callbacks(config, splits)
        if not batch_hook:
            without_batch_hooks(inner[0])
    clock = EpochClock()
    fit(model, splits, config, clock.callbacks(inner))
    if logger is not None:
        logger.close()
    return clock.result(name)


def _xla_epoch_case(name: str, splits: Any, config: Any) -> dict[str, Any]:
    """One `tf.function(jit_compile=True)` per epoch over device-resident tensors (last partial batch dropped)."""
    import keras
    import tensorflow as tf

    model = build(config)
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    x, y = tf.constant(splits.x_train), tf.constant(splits.y_train)
    x_val, y_val = tf.constant(splits.x_val), tf.constant(splits.y_val)
    steps = len(splits.y_train) // config.batch_size

    @tf.function(jit_compile=True)
    def epoch(order: Any) -> Any:
        batches = tf.reshape(order[: steps * config.batch_size], (steps, config.batch_size))

        def body(i: Any, total: Any) -> Any:
            idx = batches[i]
            with tf.GradientTape() as tape:
                probs = model(tf.gather(x, idx), training=True)
                loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(tf.gather(y, idx), probs))
            optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
            return i + 1, total + loss

        _, total = tf.while_loop(lambda i, _: i < steps, body, (tf.constant(0), tf.constant(0.0)))
        probs = model(x_val, training=False)
        val_loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y_val, probs))
        val_acc = tf.reduce_mean(tf.cast(tf.argmax(probs, -1) == y_val, tf.float32))
        return total / steps, val_loss, val_acc

    rng = np.random.default_rng(config.seed)
    clock = EpochClock()
    times = []
    for _ in range(config.epochs):
        start = time.perf_counter()
        loss, val_loss, val_acc = epoch(tf.constant(rng.permutation(len(splits.y_train)).astype(np.int64)))
        clock.logs = {"loss": float(loss), "val_loss": float(val_loss), "val_accuracy": float(val_acc)}
        times.append(time.perf_counter() - start)
        if clock.first_end is None:
            clock.first_end = time.perf_counter() - clock.started
    clock.epochs = times
    return clock.result(name)
