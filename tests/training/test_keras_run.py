"""`kerasdiag run` and `kd.fit` on real tiny trainings: learners' scripts, their callbacks, exits and interrupts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from tests.helpers.processes import heed_ctrl_c

pytestmark = pytest.mark.training

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

IRIS_SCRIPT = """
import sys
import keras
from sklearn.datasets import load_iris

iris = load_iris()
x = ((iris.data - iris.data.mean(0)) / iris.data.std(0)).astype("float32")
y = keras.utils.to_categorical(iris.target, 3)
keras.utils.set_random_seed(0)

def make():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
"""


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "learner.py"
    path.write_text(IRIS_SCRIPT + textwrap.dedent(body), encoding="utf-8")
    return path


def _run(*args: str):
    result = CliRunner().invoke(main, ["run", *args], env={"COLUMNS": "120", "NO_COLOR": "1"})
    return result


def _runs(logdir: Path) -> list[Path]:
    return sorted(p for p in logdir.iterdir() if (p / "run.json").exists())


def _meta(run: Path) -> dict:
    return json.loads((run / "run.json").read_text())


def _rules(run: Path) -> list[str]:
    return [f["rule"] for f in json.loads((run / "diagnosis.json").read_text())["findings"]]


# Keras's own TensorBoard/ModelCheckpoint code calls np.array on a TF value under NumPy 2: not ours.
@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
def test_several_fits_make_several_runs_and_the_scripts_callbacks_keep_working(tmp_path):
    script = _script(
        tmp_path,
        f"""
        tb = keras.callbacks.TensorBoard(log_dir={str(tmp_path / "own_tb")!r})
        stop = keras.callbacks.EarlyStopping(monitor="loss", patience=50)
        save = keras.callbacks.ModelCheckpoint({str(tmp_path / "best.keras")!r})
        history = make().fit(x, y, epochs=2, batch_size=16, validation_split=0.2, verbose=0,
                             callbacks=[tb, stop, save])
        assert len(history.history["loss"]) == 2
        make().fit(x, y, epochs=3, batch_size=16, verbose=0)
        sys.exit(int(sys.argv[1]))
        """,
    )
    result = _run("--logdir", str(tmp_path / "runs"), "--quiet", str(script), "3")
    assert result.exit_code == 3, result.output
    first, second = _runs(tmp_path / "runs")
    assert _meta(first)["epochs_completed"] == 2 and _meta(second)["epochs_completed"] == 3
    assert [_meta(r)["config"]["fit_index"] for r in (first, second)] == [0, 1]  # what `kerasdiag fix` re-runs
    assert _meta(second)["config"]["argv"] == ["3"] and _meta(second)["config"]["script_path"] == str(script)
    assert "validation-mismatch" in _rules(first)
    assert "validation" not in _meta(second)["data"]
    assert (tmp_path / "best.keras").is_file() and (tmp_path / "own_tb" / "train").is_dir()


def test_an_exception_in_the_script_keeps_finished_epochs_and_marks_the_run_failed(tmp_path):
    script = _script(
        tmp_path,
        """
        class Boom(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    raise RuntimeError("the learner's bug")

        make().fit(x, y, epochs=5, batch_size=16, validation_split=0.2, verbose=0, callbacks=[Boom()])
        """,
    )
    result = _run("--logdir", str(tmp_path / "runs"), "--quiet", str(script))
    assert result.exit_code == 1, result.output
    (run,) = _runs(tmp_path / "runs")
    meta = _meta(run)
    assert meta["status"] == "failed" and "the learner's bug" in meta["error"]
    assert len((run / "history.jsonl").read_text().splitlines()) >= 1
    assert "run-incomplete" in _rules(run)


def test_kd_fit_with_integer_labels_writes_predictions(tmp_path):
    import keras

    import kerasdiag.keras as kd

    x = np.random.default_rng(0).normal(size=(200, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = kd.fit(model, x, y, logdir=tmp_path, verbose_diagnosis=0, epochs=2, validation_split=0.25, verbose=0)
    assert len(history.history["loss"]) == 2
    (run,) = _runs(tmp_path)
    with np.load(run / "predictions.npz") as predictions:
        assert predictions["val_y"].tolist() == y[150:].tolist() and predictions["val_probs"].shape == (50, 2)
    assert _meta(run)["config"]["validation_split"] == 0.25


@pytest.mark.parametrize("given", [False, True], ids=["bare-callback", "x-y-given"])
def test_the_callback_takes_the_validation_split_of_the_running_fit(tmp_path, given):
    """`callbacks=[kd.Diagnose()]` alone reads the fit call it runs in; with x=, y= it still splits like fit."""
    import keras

    import kerasdiag.keras as kd

    x = np.random.default_rng(0).normal(size=(90, 4)).astype("float32")
    y = keras.utils.to_categorical(np.repeat(np.arange(3), 30), 3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    callback = kd.Diagnose(tmp_path, verbose=0, **({"x": x, "y": y} if given else {}))
    model.fit(x, y, epochs=1, batch_size=30, validation_split=0.2, verbose=0, callbacks=[callback])
    meta = _meta(callback.path)
    assert meta["data"]["validation"]["class_counts"] == {"0": 0, "1": 0, "2": 18}
    assert meta["config"]["validation_split"] == 0.2 and meta["config"]["batch_size"] == 30


EXPECTED = {  # example -> rule ids its first two epochs must already show (static ones), and ones they must not
    "iris_flat_accuracy.py": ({"validation-mismatch"}, set()),
    "mnist_depth_linear.py": ({"linear-collapse"}, {"validation-mismatch"}),
    "mnist_regularization.py": (set(), {"validation-mismatch", "linear-collapse"}),
    "mnist_two_class_cnn.py": (set(), {"validation-mismatch", "linear-collapse"}),
    "own_callback.py": (set(), {"validation-mismatch", "linear-collapse"}),
}


@pytest.mark.parametrize("example", sorted(EXPECTED), ids=lambda name: name.removesuffix(".py"))
def test_every_example_runs_under_kerasdiag_run(tmp_path, mnist_dir, example):
    logdir = tmp_path / "runs"
    args = ["--data-dir", str(mnist_dir), "--epochs", "2"]
    if example == "mnist_two_class_cnn.py":
        args += ["--train-size", "300"]
    if example == "own_callback.py":
        args += ["--logdir", str(logdir)]
    result = _run("--logdir", str(logdir), str(EXAMPLES / example), *args)
    assert result.exit_code == 0, result.output
    (run,) = _runs(logdir)  # own_callback's explicit Diagnose is not doubled
    meta = _meta(run)
    assert meta["status"] == "completed" and meta["epochs_completed"] == 2
    assert meta["config"]["script_name"] == example.removesuffix(".py")
    rows = [json.loads(line) for line in (run / "history.jsonl").read_text().splitlines()]
    assert rows[-1]["probes"] and (run / "predictions.npz").is_file()
    must, must_not = EXPECTED[example]
    rules = set(_rules(run))
    assert must <= rules and not (must_not & rules), rules


INTERRUPTIBLE = """
import pathlib
class Marker(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        pathlib.Path(sys.argv[1]).write_text(str(epoch))

make().fit(x, y, epochs=100000, batch_size=150, validation_split=0.2, verbose=0, callbacks=[Marker()])
"""


@pytest.mark.jax
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_mid_training_leaves_an_interrupted_run_that_diagnoses(tmp_path, sig):
    """A real `kerasdiag run` process on the JAX backend, stopped mid-training the way a user or scheduler stops it."""
    pytest.importorskip("jax")
    script, marker = _script(tmp_path, INTERRUPTIBLE), tmp_path / "epochs"
    command = [sys.executable, "-m", "kerasdiag", "run", "--backend", "jax", "--logdir", str(tmp_path / "runs")]
    env = {**os.environ, "KERAS_BACKEND": "jax", "COLUMNS": "120"}
    process = subprocess.Popen(
        [*command, str(script), str(marker)], env=env, stderr=subprocess.PIPE, text=True, preexec_fn=heed_ctrl_c
    )
    deadline = time.monotonic() + 120
    while not (marker.exists() and int(marker.read_text() or 0) >= 2) and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    (run,) = _runs(tmp_path / "runs")
    meta = _meta(run)
    assert meta["status"] == "interrupted" and meta["versions"]["backend"] == "jax"
    assert meta["epochs_completed"] >= 2 and "run-incomplete" in _rules(run)  # the marker runs before Diagnose
    assert json.loads((run / "history.jsonl").read_text().splitlines()[0])["probes"]
