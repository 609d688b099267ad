"""kerasdiag.keras: the data a learner's fit holds, and the Diagnose callback driven by hand (no training)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kerasdiag.training.script.fit_data import class_labels, resolve_fit_data


def _iris_like(rows_per_class: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Rows ordered by class, like the UCI Iris CSV; one-hot labels, as categorical_crossentropy wants."""
    labels = np.repeat(np.arange(3), rows_per_class)
    x = np.random.default_rng(0).normal(size=(len(labels), 4)).astype(np.float32)
    return x, np.eye(3, dtype=np.float32)[labels]


def test_validation_split_takes_the_last_rows_like_keras():
    x, y = _iris_like()
    data, reason = resolve_fit_data(x, y, validation_split=0.2)
    assert reason == "" and data is not None
    assert data.validation == "split" and data.num_classes == 3
    assert np.bincount(data.y_train, minlength=3).tolist() == [50, 50, 20]
    assert np.bincount(data.y_val, minlength=3).tolist() == [0, 0, 30]
    summary = data.summary("iris")
    assert summary.validation is not None and summary.validation.class_counts == {0: 0, 1: 0, 2: 30}


@pytest.mark.parametrize(
    ("y", "expected", "width"),
    [
        (np.eye(3)[[2, 0, 1]], [2, 0, 1], 3),
        (np.array([[1], [0], [1]]), [1, 0, 1], None),
        (np.array([1.0, 0.0, 2.0]), [1, 0, 2], None),
        (np.array([0.5, 1.2, 3.3]), None, None),
    ],
    ids=["one-hot", "column-of-ints", "float-ints", "regression-targets"],
)
def test_class_labels_from_one_hot_or_integers(y, expected, width):
    labels, found_width = class_labels(y)
    assert (None if labels is None else labels.tolist()) == expected
    assert found_width == width


def test_validation_data_with_integer_labels():
    x, y = np.zeros((10, 2)), np.arange(10) % 2
    data, _ = resolve_fit_data(x, y, validation_data=(np.ones((4, 2)), np.array([0, 1, 1, 1])))
    assert data is not None and data.validation == "data"
    assert data.y_val.tolist() == [0, 1, 1, 1] and len(data.y_train) == 10


def test_a_dataset_is_not_read_and_says_why():
    data, reason = resolve_fit_data(iter([1, 2]), None)
    assert data is None and "not arrays" in reason
    data, reason = resolve_fit_data(None, None)
    assert data is None and "Diagnose(x=x, y=y)" in reason


def test_probe_batch_spreads_over_class_ordered_rows():
    x, y = _iris_like(rows_per_class=400)
    data, _ = resolve_fit_data(x, y)
    assert data is not None
    _, labels = data.probe_batch(size=300)
    assert len(labels) == 300 and set(np.unique(labels)) == {0, 1, 2}


# The callback itself, driven by hand the way Keras's own callback tests drive theirs.


@pytest.fixture
def iris_model():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")],
        name="iris_mlp",
    )
    model.compile(optimizer=keras.optimizers.Adam(0.0005), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


class Recorder:
    """Collects what a Diagnose would print."""

    def __init__(self, callback):
        self.live, self.diagnoses = [], []
        callback.on_live_finding = lambda epoch, finding: self.live.append((epoch, finding.rule))
        callback.on_diagnosis = self.diagnoses.append


def _drive(callback, model, rows):
    callback.set_model(model)
    callback.set_params({"epochs": len(rows), "steps": 1, "verbose": 0})
    callback.on_train_begin()
    for epoch, logs in enumerate(rows):
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, logs=logs)
        if model.stop_training:
            break
    callback.on_train_end()


def _logs(loss, val_loss=None):
    return {"loss": loss, "accuracy": 0.5, "val_loss": val_loss if val_loss is not None else loss, "val_accuracy": 0.5}


def test_hand_driven_callback_writes_the_run_directory(tmp_path, iris_model):
    import kerasdiag.keras as kd

    x, y = _iris_like()
    callback = kd.Diagnose(logdir=tmp_path, verbose=0, x=x, y=y, validation_split=0.2, script="iris.py")
    recorder = Recorder(callback)
    _drive(callback, iris_model, [_logs(1.0 - 0.05 * e) for e in range(6)])
    path = callback.path
    assert path is not None and path.parent == tmp_path and path.name.endswith("-iris-iris_mlp")
    meta = json.loads((path / "run.json").read_text())
    assert meta["status"] == "completed" and meta["epochs_completed"] == 6
    assert meta["config"]["optimizer"] == "adam" and meta["config"]["lr"] == 0.0005
    assert meta["config"]["loss"] == "categorical_crossentropy" and meta["config"]["validation_split"] == 0.2
    assert meta["data"]["validation"]["class_counts"] == {"0": 0, "1": 0, "2": 30}
    assert [layer["units"] for layer in meta["model"]["layers"] if layer["kind"] == "Dense"] == [8, 3]
    rows = [json.loads(line) for line in (path / "history.jsonl").read_text().splitlines()]
    assert [row["epoch"] for row in rows] == list(range(1, 7))
    assert set(rows[-1]["probes"]) == {"dense", "dense_1"} and rows[-1]["extra"]["probe_samples"] == 120
    with np.load(path / "predictions.npz") as predictions:
        assert predictions["val_y"].tolist() == [2] * 30 and predictions["val_probs"].shape == (30, 3)
    rules = [f["rule"] for f in json.loads((path / "diagnosis.json").read_text())["findings"]]
    assert "validation-mismatch" in rules
    assert [d.findings[0].rule for d in recorder.diagnoses] == ["validation-mismatch"]
    assert (path / "train").is_dir() and (path / "validation").is_dir()


def test_nan_loss_warns_once_and_marks_the_run_diverged(tmp_path, iris_model):
    import kerasdiag.keras as kd

    x, y = _iris_like()
    callback = kd.Diagnose(tmp_path, verbose=0, x=x, y=y, validation_split=0.2)
    recorder = Recorder(callback)
    _drive(callback, iris_model, [_logs(1.0), _logs(0.9), _logs(float("nan")), _logs(float("nan"))])
    assert recorder.live == [(3, "divergence")]
    meta = json.loads((callback.path / "run.json").read_text())
    # the learner's fit is not stopped: every epoch it asked for is trained and logged
    assert meta["status"] == "diverged" and meta["epochs_completed"] == 4 and not iris_model.stop_training


def test_without_data_the_diagnosis_says_which_rules_it_could_not_evaluate(tmp_path, iris_model):
    import kerasdiag.keras as kd

    callback = kd.Diagnose(tmp_path, verbose=0)
    recorder = Recorder(callback)
    _drive(callback, iris_model, [_logs(1.0 - 0.05 * e) for e in range(3)])
    skipped = {s.rule: s.reason for s in recorder.diagnoses[0].skipped}
    # Rules that need the data summary, probes or predictions say why; the ones that can fall back on the curves
    # and the model config (class-imbalance, unnormalized-input, vanishing-gradients, and validation-mismatch from
    # two epochs of accuracy) judge those instead.
    assert {"exploding-gradients", "overconfidence"} <= set(skipped) and "validation-mismatch" not in skipped
    assert all(reason for reason in skipped.values())
    meta = json.loads((callback.path / "run.json").read_text())
    assert meta["data"] is None and "Diagnose(x=x, y=y)" in meta["config"]["data_source"]
    assert not (callback.path / "predictions.npz").exists()


def test_state_is_reset_for_a_second_fit(tmp_path, iris_model):
    import kerasdiag.keras as kd

    x, y = _iris_like()
    callback = kd.Diagnose(logdir=tmp_path, verbose=0, x=x, y=y)
    _drive(callback, iris_model, [_logs(1.0)])
    first = callback.path
    _drive(callback, iris_model, [_logs(1.0), _logs(0.8)])
    assert callback.path != first and len(list(tmp_path.iterdir())) == 2
    assert len((callback.path / "history.jsonl").read_text().splitlines()) == 2


def test_log_dir_is_keras_spelling_and_bad_arguments_name_the_choices(tmp_path):
    import kerasdiag.keras as kd

    assert kd.Diagnose(log_dir=tmp_path / "a").logdir == tmp_path / "a"
    with pytest.raises(ValueError, match="Received: lang='fr'"):
        kd.Diagnose(lang="fr")
    with pytest.raises(ValueError, match="Received: verbose=3"):
        kd.Diagnose(verbose=3)


def test_the_callback_keeps_keras_async_dispatch():
    import kerasdiag.keras as kd

    assert kd.Diagnose.async_safe is True


def test_a_live_warning_is_one_line_on_stderr_not_a_flood(tmp_path, iris_model, capsys):
    import kerasdiag.keras as kd

    x, y = _iris_like()
    callback = kd.Diagnose(tmp_path, x=x, y=y, validation_split=0.2)
    nan = float("nan")
    _drive(callback, iris_model, [_logs(1.0), _logs(nan), _logs(nan)])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("kerasdiag: epoch")]
    assert len(lines) == 1 and lines[0].startswith("kerasdiag: epoch 2:") and " divergence: " in lines[0]


NO_TENSORFLOW = """
import sys
import keras
import numpy as np
import kerasdiag.keras as kd
from keras.src.utils import module_utils

x = np.random.default_rng(0).normal(size=(60, 4)).astype("float32")
y = np.arange(60) % 3
layers = [keras.Input((4,)), keras.layers.Dense(5, activation="relu"), keras.layers.Dense(3, activation="softmax")]
model = keras.Sequential(layers)
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=2, validation_split=0.2, verbose=0, callbacks=[kd.Diagnose(sys.argv[1], verbose=0)])
print("tensorflow" in sys.modules, module_utils.tensorflow._available)
"""


@pytest.mark.jax
@pytest.mark.training
def test_on_jax_the_callback_never_imports_tensorflow(tmp_path):
    """Serialising the model (run.json, TensorBoard) would import TensorFlow: 2-5 s of a learner's first fit."""
    import os
    import subprocess
    import sys

    pytest.importorskip("jax")
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    command = [sys.executable, "-c", NO_TENSORFLOW, str(tmp_path / "runs")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["False", "None"]  # not imported, and Keras's own answer restored after
    (run,) = (tmp_path / "runs").iterdir()
    assert json.loads((run / "run.json").read_text())["model"]["layers"]
