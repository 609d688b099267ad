"""The compiled probe pass (`backends.compiled_probe`) against the same numbers worked out in NumPy.

A tiny MLP (relu with an L2 penalty and one dead unit, tanh, softmax) whose gradients are
written out by hand: loss, penalty, per-kernel gradient norms (of loss + penalty and of the data loss alone),
the activations and what
`ProbeCallback` makes of them (dead and saturated shares, wrong probe samples). Both of each
backend's paths are checked: one pass when the forward model computes the model itself (a
Sequential), two passes otherwise (a subclass); on JAX, a second model of the same architecture
reuses the compiled program and still gets its own numbers. TensorFlow here; JAX in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
L2 = 0.01


def _model(kind: str, seed: int):
    import keras

    class Subclassed(keras.Sequential):
        """Not a plain Sequential: the probe takes the two-pass path."""

    keras.utils.set_random_seed(seed)
    make = keras.Sequential if kind == "sequential" else Subclassed
    model = make(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, activation="relu", kernel_regularizer=keras.regularizers.L2(L2)),
            keras.layers.Dense(4, activation="tanh"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    kernel, bias = model.layers[0].get_weights()
    kernel[:, 4], bias[4] = 0.0, -1.0  # unit 4 outputs 0 for every input: dead
    model.layers[0].set_weights([kernel, bias])
    return model


def _reference(weights: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> dict:
    """Forward and backward pass of the MLP in float64 NumPy."""
    w1, b1, w2, b2, w3, b3 = (w.astype(np.float64) for w in weights)
    z1 = x @ w1 + b1
    a1 = np.maximum(z1, 0.0)
    a2 = np.tanh(a1 @ w2 + b2)
    logits = a2 @ w3 + b3
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    data_loss = -np.mean(np.log(probs[np.arange(len(y)), y]))
    d3 = (probs - np.eye(3)[y]) / len(y)
    d2 = (d3 @ w3.T) * (1.0 - a2**2)
    d1 = (d2 @ w2.T) * (z1 > 0)
    data_grads = [x.T @ d1, a1.T @ d2, a2.T @ d3]
    grads = [data_grads[0] + 2 * L2 * w1, *data_grads[1:]]
    return {
        "data_loss": data_loss,
        "penalty": L2 * np.sum(w1**2),
        "grad_norms": [np.linalg.norm(g) for g in grads],
        "data_grad_norms": [np.linalg.norm(g) for g in data_grads],
        "outputs": [a1, a2, probs],
    }


def check_probe_pass(kind: str) -> None:
    """Two models of the same architecture, each checked by `_check_model` (run on any backend).

    On JAX the second model reuses the first one's compiled probe program (one executable).
    """
    import keras

    for seed in (3, 4):
        _check_model(_model(kind, seed))
    if keras.backend.backend() == "jax":
        from kerasdiag.training.backends.jax import _EXECUTABLES, PROBE_COMPILE, probe_compile_options

        assert len(_EXECUTABLES) == 1
        assert probe_compile_options(_model(kind, 5)) == PROBE_COMPILE
        conv = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten()])
        assert probe_compile_options(keras.Sequential([conv, keras.layers.Dense(3)])) == {}  # XLA's defaults
    _check_without_penalty()
    _check_activity_penalty()


def _started_probe(model, x: np.ndarray, y: np.ndarray):
    """A ProbeCallback on `model` as `fit` starts it (one epoch)."""
    from kerasdiag.training.callbacks.probe import ProbeCallback

    probe = ProbeCallback(x, y)
    probe.set_model(model)
    probe.set_params({"epochs": 1})
    probe.on_train_begin()
    return probe


def _check_activity_penalty() -> None:
    """An activity regularizer's penalty exists only after a forward pass: the probe still counts it."""
    import keras

    from kerasdiag.training.backends import compiled_probe

    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(4, activation="relu", activity_regularizer=keras.regularizers.L2(0.1)),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    x, y = np.random.default_rng(2).normal(size=(32, 6)).astype(np.float32), np.arange(32) % 3
    probe = _started_probe(model, x, y)
    hidden = np.maximum(x @ model.layers[0].get_weights()[0] + model.layers[0].get_weights()[1], 0.0)
    expected = 0.1 * np.sum(hidden**2) / len(x)  # Keras averages an activity penalty over the batch
    result = compiled_probe(model, probe.forward, probe.layers)(probe.x, probe.y)
    assert result.penalty == pytest.approx(expected, rel=1e-4)


def _check_without_penalty() -> None:
    """No L1/L2 penalty: one gradient (the data loss's), no `data_grad_norm` written beside it."""
    import keras

    from kerasdiag.training.backends import compiled_probe

    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(3)])
    x, y = np.random.default_rng(1).normal(size=(32, 6)).astype(np.float32), np.arange(32) % 3
    probe = _started_probe(model, x, y)
    assert compiled_probe(model, probe.forward, probe.layers)(probe.x, probe.y).data_grad_norms is None
    probe.on_epoch_begin(0)
    probe.on_epoch_end(0, {"loss": 1.0})
    assert all("data_grad_norm" not in values for values in probe.latest["probes"].values())


def _check_model(model) -> None:
    """The compiled pass and a hand-driven ProbeCallback agree with `_reference`."""
    from kerasdiag.training.backends import compiled_probe, shares_variables

    kind = "sequential" if type(model).__name__ == "Sequential" else "subclassed"
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 6)).astype(np.float32), rng.integers(0, 3, 64)
    expected = _reference(model.get_weights(), x.astype(np.float64), y)
    probe = _started_probe(model, x, y)
    assert shares_variables(model, probe.forward) == (kind == "sequential")
    result = compiled_probe(model, probe.forward, probe.layers)(probe.x, probe.y)
    np.testing.assert_allclose(result.data_loss, expected["data_loss"], rtol=1e-5)
    np.testing.assert_allclose(result.penalty, expected["penalty"], rtol=1e-5)
    np.testing.assert_allclose(result.grad_norms, expected["grad_norms"], rtol=1e-4)
    np.testing.assert_allclose(result.data_grad_norms, expected["data_grad_norms"], rtol=1e-4)  # the L2 pull apart
    assert result.data_grad_norms[0] < result.grad_norms[0]
    for got, want in zip(result.outputs, expected["outputs"], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    probe.on_epoch_begin(0)
    probe.on_epoch_end(0, {"loss": 1.0})
    measured = probe.latest["probes"]
    assert measured[model.layers[0].name]["dead_fraction"] == pytest.approx(
        np.mean(np.all(expected["outputs"][0] <= 0, axis=0))
    )
    assert measured[model.layers[0].name]["dead_fraction"] >= 0.2  # unit 4 at least
    a2 = expected["outputs"][1]
    saturated = np.mean((a2 <= -1 + 0.01) | (a2 >= 1 - 0.01))
    assert measured[model.layers[1].name]["saturated_fraction"] == pytest.approx(saturated)
    assert [measured[layer.name]["grad_norm"] for layer in probe.layers] == pytest.approx(
        expected["grad_norms"], rel=1e-4
    )
    assert [measured[layer.name]["data_grad_norm"] for layer in probe.layers] == pytest.approx(
        expected["data_grad_norms"], rel=1e-4
    )
    wrong = np.sum(expected["outputs"][2].argmax(axis=1) != y)
    assert probe.latest["extra"]["probe_wrong"] == wrong and probe.latest["extra"]["probe_samples"] == 64


@pytest.mark.parametrize("kind", ["sequential", "subclassed"], ids=["one-pass", "two-passes"])
def test_compiled_probe_matches_numpy(kind):
    import keras

    check_probe_pass(kind)
    keras.backend.clear_session()  # Keras's layer-name counters back to 0: other tests assert names like `dense`


@pytest.mark.jax
@pytest.mark.parametrize("kind", ["sequential", "subclassed"], ids=["one-pass", "two-passes"])
def test_compiled_probe_matches_numpy_on_jax(kind):
    pytest.importorskip("jax")
    code = f"from tests.training.test_probe_pass import check_probe_pass; check_probe_pass({kind!r})"
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def check_compiled_predict() -> None:
    """JAX's compiled held-out predictions equal the model's direct calls, chunk padding and weight changes included."""
    from kerasdiag.training.backends.jax import make_predict
    from kerasdiag.training.session import probabilities

    x = np.random.default_rng(0).normal(size=(40, 6)).astype("float32")  # chunks of 16, 16 and 8 (padded to 16)
    first, second = _model("sequential", 0), _model("sequential", 1)
    predict = make_predict(first, rows=16)
    expected = probabilities(first, x)
    np.testing.assert_allclose(predict(x), expected, rtol=1e-5, atol=1e-7)
    first.set_weights(second.get_weights())  # new weights, same executable: the numbers must follow the weights
    changed = predict(x)
    assert not np.allclose(changed, expected)
    np.testing.assert_allclose(changed, probabilities(second, x), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(make_predict(second, rows=16)(x), changed, rtol=1e-6)  # a second model of the kind


@pytest.mark.jax
def test_compiled_predictions_match_direct_calls_on_jax():
    pytest.importorskip("jax")
    code = "from tests.training.test_probe_pass import check_compiled_predict; check_compiled_predict()"
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
