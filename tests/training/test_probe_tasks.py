"""Probes take gradients of the run's own loss, for every task; predictions are stored as class probabilities.

A learner's `fit` with `kd.Diagnose` on tiny seeded models of each task (softmax with one-hot rows,
logits, one sigmoid unit, one logit, a regression): the probe's data loss plus penalty is what
`model.evaluate` reports on the same rows (so it is the run's own loss, on the targets as the script
gave them), and predictions.npz holds probabilities. Runs kerasdiag cannot probe with their own loss
(several outputs, a custom `compute_loss`, a loss that fails on the probe batch) are not probed and
say why. TensorFlow here; JAX in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.rundir.anatomy import Task
from kerasdiag.rundir.reader import read_run
from kerasdiag.training.callbacks.probe import to_probabilities

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("task", "outputs", "expected"),
    [
        (Task.SOFTMAX, [[0.2, 0.8]], [[0.2, 0.8]]),
        (Task.LOGITS, [[0.0, np.log(3.0)]], [[0.25, 0.75]]),
        (Task.LOGITS, [[1000.0, 0.0]], [[1.0, 0.0]]),
        (Task.SIGMOID, [[0.9]], [[0.1, 0.9]]),
        (Task.BINARY_LOGITS, [[0.0], [np.log(3.0)]], [[0.5, 0.5], [0.25, 0.75]]),
        (Task.BINARY_LOGITS, [[-1000.0]], [[1.0, 0.0]]),
    ],
    ids=["softmax-as-is", "logits", "huge-logit", "sigmoid-two-columns", "binary-logit", "huge-negative-logit"],
)
def test_outputs_become_class_probabilities(task, outputs, expected):
    probs = to_probabilities(np.array(outputs, dtype=np.float32), task)
    assert probs is not None and probs.dtype == np.float32
    np.testing.assert_allclose(probs, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("task", [Task.REGRESSION, Task.MULTILABEL, Task.UNKNOWN])
def test_tasks_without_class_probabilities(task):
    assert to_probabilities(np.zeros((3, 2), np.float32), task) is None


def test_probe_targets_are_the_rows_fit_got():
    from kerasdiag.training.script.fit_data import resolve_fit_data, training_arrays

    labels = np.arange(1000) % 3
    x, one_hot = np.arange(1000.0).reshape(-1, 1), np.eye(3, dtype=np.float32)[labels]
    data, _ = resolve_fit_data(x, one_hot, validation_split=0.2)
    assert data is not None
    rows, classes = data.probe_batch(size=100)
    targets = data.probe_targets(size=100)
    assert targets.shape == (100, 3) and targets.argmax(axis=1).tolist() == classes.tolist()
    assert rows[:, 0].astype(int).tolist() == [int(r) for r in rows[:, 0]] and rows.max() < 800
    found = training_arrays(x, x[:, 0] * 0.5, validation_split=0.2)
    assert found is not None and len(found[1]) == 800 and found[1][-1] == 399.5


def _mlp(outputs: int, activation: str | None, seed: int = 0, l2: float = 0.0):
    import keras

    keras.utils.set_random_seed(seed)
    regularizer = keras.regularizers.L2(l2) if l2 else None
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="relu", kernel_regularizer=regularizer),
            keras.layers.Dense(5, activation="tanh"),
            keras.layers.Dense(outputs, activation=activation),
        ]
    )


def _cases() -> dict[str, tuple]:
    """name: (output units, output activation, loss, training targets, validation targets), on `_data()`'s x."""
    import keras

    x, labels = _data()
    one_hot = np.eye(3, dtype=np.float32)[labels]
    binary = (labels > 0).astype(np.float32)
    regression = (x[:, 0] * 2.0 + x[:, 1]).astype(np.float64)  # float64, as a learner's NumPy column is
    return {
        "one-hot-softmax": (3, "softmax", "categorical_crossentropy", one_hot),
        "logits": (3, None, keras.losses.SparseCategoricalCrossentropy(from_logits=True), labels),
        "sigmoid-binary": (1, "sigmoid", "binary_crossentropy", binary),
        "binary-logits": (1, None, keras.losses.BinaryCrossentropy(from_logits=True), binary.reshape(-1, 1)),
        "regression": (1, None, "mse", regression),
        "softmax-mse": (3, "softmax", "mse", one_hot),  # a classifier trained with a squared error
    }


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6)).astype(np.float32)
    labels = ((x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0.5)).astype(np.int64)
    return x, labels


TASKS = {
    "one-hot-softmax": "multiclass-softmax",
    "logits": "multiclass-logits",
    "sigmoid-binary": "binary-sigmoid",
    "binary-logits": "binary-logits",
    "regression": "regression",
    "softmax-mse": "multiclass-softmax",
}


def check_task(name: str, logdir: str) -> None:
    """Fit one case with `kd.Diagnose` and check its probes and predictions (runs on any backend)."""
    import keras

    import kerasdiag.keras as kd

    units, activation, loss, y = _cases()[name]
    x, _ = _data()
    model = _mlp(units, activation, l2=0.01 if name == "logits" else 0.0)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss=loss)
    train, val = slice(0, 160), slice(160, None)
    callback = kd.Diagnose(logdir, verbose=0, name=name)
    fit_data = {"validation_data": (x[val], y[val]), "epochs": 2, "batch_size": 32, "verbose": 0}
    model.fit(x[train], y[train], callbacks=[callback], **fit_data)
    path = callback.path
    assert path is not None
    meta = json.loads((path / "run.json").read_text())
    assert meta["anatomy"]["task"] == TASKS[name] and not meta.get("kerasdiag_errors") and "probes_off" not in meta
    last = json.loads((path / "history.jsonl").read_text().splitlines()[-1])
    extra, probes = last["extra"], last["probes"]
    assert [probes[layer.name]["grad_norm"] > 0 for layer in model.layers] == [True] * 3
    assert "dead_fraction" in probes[model.layers[0].name] and "saturated_fraction" in probes[model.layers[1].name]
    # The 160 training rows are the probe batch: the run's own loss on them, as Keras evaluates it.
    evaluated = model.evaluate(x[train], y[train], batch_size=160, verbose=0)
    np.testing.assert_allclose(extra["data_loss"] + extra["penalty_loss"], evaluated, rtol=1e-5)
    assert (extra["penalty_loss"] > 0) == (name == "logits")
    predictions = path / "predictions.npz"
    if name == "regression":
        assert "probe_wrong" not in extra and not predictions.exists()
        # its sizes and input range stay for unnormalized-input; class counts would mean nothing
        data = meta["data"]
        assert data["num_classes"] == 0 and data["train"] == {"samples": 160, "class_counts": {}}
        assert data["input_max"] == pytest.approx(float(x[train].max()), rel=1e-6)
        assert read_run(path).data is not None
        return
    assert extra["probe_samples"] == 160 and 0 <= extra["probe_wrong"] <= 160
    with np.load(predictions) as saved:
        probs, labels = saved["val_probs"], saved["val_y"]
    classes = np.asarray(y[val]).reshape(40, -1).argmax(axis=1) if units == 3 and name != "logits" else y[val]
    assert probs.shape == (40, max(units, 2)) and labels.tolist() == np.asarray(classes).reshape(40).tolist()
    assert probs.min() >= 0.0 and probs.max() <= 1.0
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    outputs = keras.ops.convert_to_numpy(model(x[val], training=False))
    threshold = 0.5 if activation == "sigmoid" else 0.0  # P(class 1) > 0.5: a sigmoid above 0.5, a logit above 0
    predicted = outputs.argmax(axis=1) if units == 3 else (outputs[:, 0] > threshold)
    assert np.array_equal(probs.argmax(axis=1), predicted)


def check_tasks(logdir: str) -> None:
    for name in TASKS:
        check_task(name, logdir)


@pytest.mark.training
@pytest.mark.parametrize("name", list(TASKS))
def test_probes_take_the_runs_own_loss(name, tmp_path):
    import keras

    check_task(name, str(tmp_path))
    keras.backend.clear_session()


@pytest.mark.training
@pytest.mark.jax
def test_probes_take_the_runs_own_loss_on_jax(tmp_path):
    pytest.importorskip("jax")
    code = f"from tests.training.test_probe_tasks import check_tasks; check_tasks({str(tmp_path)!r})"
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


# Runs whose loss kerasdiag cannot apply: no probes, the reason in run.json, and fit goes on (driven by hand).


def _drive(callback, model) -> dict:
    callback.set_model(model)
    callback.set_params({"epochs": 1, "steps": 1, "verbose": 0})
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    callback.on_epoch_end(0, logs={"loss": 1.0})
    callback.on_train_end()
    assert callback.probe is None
    return json.loads((callback.path / "run.json").read_text())


def _failing_loss(y_true, y_pred):
    raise ValueError("expects a dict of targets")


@pytest.mark.parametrize("case", ["two-outputs", "custom-compute-loss", "loss-fails", "subclassed"])
def test_a_loss_kerasdiag_cannot_apply_turns_probes_off_with_the_reason(case, tmp_path):
    import keras

    import kerasdiag.keras as kd

    x, labels = _data()
    y: object = labels.astype(np.float32)
    if case == "two-outputs":
        inputs = keras.Input((6,))
        hidden = keras.layers.Dense(4, activation="relu")(inputs)
        model = keras.Model(inputs, [keras.layers.Dense(1)(hidden), keras.layers.Dense(1)(hidden)])
        model.compile(optimizer="sgd", loss=["mse", "mse"])
        y, reason = [y, y], "1 input(s) and 2 output(s)"
    elif case == "custom-compute-loss":

        class OwnLoss(keras.Sequential):
            def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
                return keras.ops.mean(keras.ops.abs(y_pred - y))

        model = OwnLoss([keras.Input((6,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd")
        reason = "OwnLoss overrides compute_loss"
    elif case == "loss-fails":
        model = _mlp(1, None)
        model.compile(optimizer="sgd", loss=_failing_loss)
        reason = "the loss _failing_loss fails on the probe batch: ValueError: expects a dict of targets"
    else:

        class Subclassed(keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = keras.layers.Dense(1)

            def call(self, inputs):
                return self.dense(inputs)

        model = Subclassed()
        model(x[:2])
        model.compile(optimizer="sgd", loss="mse")
        reason = "Subclassed is a subclassed model"
    callback = kd.Diagnose(tmp_path, verbose=0, x=x, y=y)
    meta = _drive(callback, model)
    assert reason in meta["probes_off"] and not meta.get("kerasdiag_errors")
    assert meta["status"] == "completed"
    # The reason reaches the learner where a probe rule is skipped, in their language: read back, and in the
    # diagnosis printed at the end of fit (the record in memory).
    assert callback.session is not None and reason in str(callback.session.record.probes_off)
    skipped = {s.rule: s.why for s in diagnose_run(read_run(callback.path)).skipped}
    why = skipped["exploding-gradients"]
    assert reason in why.get("en") and "kerasdiag could not probe this model" in why.get("en")
    assert "層ごとに計測できませんでした" in why.get("ja") and "could not" not in why.get("ja")
