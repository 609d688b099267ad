"""The plain-log layouts of test_layouts_tensorboard.py, written by TensorFlow and Keras themselves.

One subprocess (Keras fixes its backend at import, and TensorFlow stays out of pytest) writes the TensorBoard
tutorial's `tf.GradientTape` layout with `tf.summary`, and fits a tiny Keras 3 model twice with
`keras.callbacks.TensorBoard`: `update_freq=2` (epoch scalars at epochs 2 and 4 only, a validation point at every
epoch) and `update_freq="epoch"` with `histogram_freq=1`. The History of each fit is what the logs must give back.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kerasdiag.rundir.find import load_record

REPO = Path(__file__).resolve().parents[2]
WRITERS = """
import json, sys
from pathlib import Path
import numpy as np
import keras
import tensorflow as tf

root = Path(sys.argv[1])
train, test = (tf.summary.create_file_writer(str(root / "tape" / name)) for name in ("train", "test"))
for epoch in range(3):
    for writer, scale in ((train, 1.0), (test, 1.5)):
        with writer.as_default():
            tf.summary.scalar("loss", scale / (epoch + 1), step=epoch)
            tf.summary.scalar("accuracy", 0.5 + epoch / 10 - (scale - 1) / 5, step=epoch)
for writer in (train, test):
    writer.close()

rng = np.random.default_rng(0)
x = rng.normal(size=(80, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
histories = {}
for name, update_freq, histogram_freq, epochs in (("every2", 2, 0, 4), ("epoch", "epoch", 1, 3)):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    board = keras.callbacks.TensorBoard(str(root / name), update_freq=update_freq, histogram_freq=histogram_freq)
    # 48 training samples in batches of 16: 3 steps an epoch; 32 validation samples: 2 validation batches
    history = model.fit(
        x[:48], y[:48], validation_data=(x[48:], y[48:]), batch_size=16, epochs=epochs, verbose=0, callbacks=[board]
    )
    histories[name] = history.history
(root / "histories.json").write_text(json.dumps(histories))
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("TensorFlow is not installed")
    root = tmp_path_factory.mktemp("layouts")
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        KERAS_BACKEND="tensorflow",
        TF_CPP_MIN_LOG_LEVEL="3",
        KERAS_HOME=str(root / "keras_home"),
    )
    result = subprocess.run(
        [sys.executable, "-c", WRITERS, str(root)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return root, json.loads((root / "histories.json").read_text())


def f32(values):
    return np.asarray(values, dtype=np.float32).astype(float).tolist()


@pytest.mark.training
def test_tf_summary_gradient_tape_layout(written):
    root, _ = written
    record = load_record(root / "tape")
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3]
    assert record.series("loss").tolist() == f32([1.0, 1 / 2, 1 / 3])
    assert record.series("val_loss").tolist() == f32([1.5, 1.5 / 2, 1.5 / 3])
    assert record.series("accuracy").tolist() == f32([0.5, 0.6, 0.7])
    assert record.series("val_accuracy").tolist() == f32([0.4, 0.5, 0.6])
    assert record.read_tags["test/loss"] == "val_loss"


@pytest.mark.training
def test_keras_update_freq_gives_one_value_per_epoch(written):
    root, histories = written
    history = histories["every2"]
    record = load_record(root / "every2")
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3, 4]
    for name in ("val_loss", "val_accuracy"):  # epochs 1 and 3 from evaluation_*_vs_iterations
        assert record.series(name).tolist() == f32(history[name]), name
    loss = record.series("loss")
    assert loss[[1, 3]].tolist() == f32([history["loss"][1], history["loss"][3]])  # epoch_loss
    # epochs 1 and 3: the running mean at batch 2 of 3 (batch_loss), near the epoch's loss
    assert np.allclose(loss[[0, 2]], [history["loss"][0], history["loss"][2]], rtol=0.1)
    assert record.read_tags["train/batch_loss"] == "loss"
    assert record.read_tags["validation/evaluation_loss_vs_iterations"] == "val_loss"


@pytest.mark.training
def test_keras_histograms_every_epoch_read_as_before(written):
    root, histories = written
    history = histories["epoch"]
    record = load_record(root / "epoch")
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3]
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert record.series(name).tolist() == f32(history[name]), name
    assert sum(tag.endswith("/histogram") for tag in record.ignored_tags) == 4
    assert "validation/evaluation_loss_vs_iterations" in record.ignored_tags  # every epoch has its epoch_loss
