"""Write the log files that tests/rundir/test_log_formats.py reads, with the real libraries that write them.

Each part trains the same tiny, deliberately overfitting classifier (60 samples with noisy labels,
a wide hidden layer, 30 epochs) and logs it the way that library's users do. The tests need none of
these libraries: they read the committed files and compare with `expected.json`.

Regenerate (from the repository root; each part needs its own environment, so run them one by one):

    # Keras 3 (this repo's .venv, TensorFlow backend): keras3/, csv/, history/, tf-summary/
    KERAS_BACKEND=tensorflow .venv/bin/python tests/data/logs/make_logs.py keras3
    # Keras 2: a throwaway venv with `pip install tf_keras` matching the installed TensorFlow
    python tests/data/logs/make_logs.py keras2
    python tests/data/logs/make_logs.py keras2-v1   # TF1 graph mode: simple_value scalars in one folder
    # PyTorch: a throwaway venv with `pip install torch==2.13.0 tensorboard numpy`
    python tests/data/logs/make_logs.py torch

Every part rewrites its own folders and its own entries of `expected.json` (first and last values of
each metric, as the writing library saw them).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected.json"
EPOCHS = 30
SAMPLES, FEATURES, UNITS = 60, 8, 128


def make_data() -> tuple[np.ndarray, np.ndarray]:
    """60 samples, 2 classes; a third of the labels flipped so a wide layer can only memorise them."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(SAMPLES, FEATURES)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    flip = rng.random(SAMPLES) < 0.33
    y[flip] = 1 - y[flip]
    return x, y


def fresh(name: str) -> Path:
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def save_expected(name: str, source: str, history: dict[str, list[float]], first_epoch: int = 1) -> None:
    """Records, per metric, the epoch count and the first and last value for the tests."""
    expected = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    expected[name] = {
        "source": source,
        "epochs": len(history["loss"]),
        "first_epoch": first_epoch,
        "first": {key: float(values[0]) for key, values in history.items()},
        "last": {key: float(values[-1]) for key, values in history.items()},
        "overfitting": True,
    }
    EXPECTED.write_text(json.dumps(dict(sorted(expected.items())), indent=2) + "\n")


def keras_model(keras):
    """The same model for Keras 3 and Keras 2 (tf_keras): both spell these calls the same way."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((FEATURES,)),
            keras.layers.Dense(UNITS, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def make_keras3() -> None:
    """Keras 3: TensorBoard with histograms, CSVLogger, History JSON, and tf.summary scalars in one folder."""
    import keras
    import tensorflow as tf

    x, y = make_data()
    board, csv_dir, history_dir = fresh("keras3"), fresh("csv"), fresh("history")
    callbacks = [
        keras.callbacks.TensorBoard(log_dir=str(board), histogram_freq=1),
        keras.callbacks.CSVLogger(str(csv_dir / "training.csv")),
        keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=100),  # logs learning_rate
    ]
    history = (
        keras_model(keras)
        .fit(x, y, epochs=EPOCHS, batch_size=16, validation_split=0.3, verbose=0, callbacks=callbacks)
        .history
    )
    history = {key: [float(v) for v in values] for key, values in history.items()}
    (history_dir / "history.json").write_text(json.dumps(history))
    save_expected("keras3", "keras-logs", history)
    save_expected("history", "history-json", history)
    columns = (csv_dir / "training.csv").read_text().splitlines()[0].split(",")  # no learning_rate in Keras 3.15
    save_expected("csv", "csv-logger", {key: history[key] for key in columns if key in history})
    flat = fresh("tf-summary")
    writer = tf.summary.create_file_writer(str(flat))
    with writer.as_default():
        for step in range(EPOCHS):
            for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
                tf.summary.scalar(key, history[key][step], step=step)
    writer.close()
    save_expected(
        "tf-summary", "tensorboard-scalars", {k: history[k] for k in ("loss", "val_loss", "accuracy", "val_accuracy")}
    )


def make_keras2() -> None:
    """Keras 2 (tf_keras): its own TensorBoard callback, train/ and validation/ folders."""
    import tf_keras

    x, y = make_data()
    board = fresh("keras2")
    model = keras_model(tf_keras)
    history = model.fit(
        x,
        y,
        epochs=EPOCHS,
        batch_size=16,
        validation_split=0.3,
        verbose=0,
        callbacks=[tf_keras.callbacks.TensorBoard(log_dir=str(board))],
    ).history
    save_expected("keras2", "keras-logs", {k: [float(v) for v in vs] for k, vs in history.items()})


def make_keras2_v1() -> None:
    """Keras 2 (tf_keras) in TF1 graph mode: `callbacks_v1.TensorBoard` writes `simple_value` scalars
    (`loss`, `val_loss`, `accuracy`, ...) into one folder, with no train/ or validation/."""
    import tensorflow as tf

    tf.compat.v1.disable_eager_execution()
    import tf_keras
    from tf_keras.src import callbacks_v1

    x, y = make_data()
    board = fresh("keras2-v1")
    callback = callbacks_v1.TensorBoard(log_dir=str(board), write_graph=False)
    model = keras_model(tf_keras)
    legacy = tf_keras.optimizers.legacy.Adam(0.02)  # graph mode needs the legacy optimizer
    model.compile(optimizer=legacy, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x, y, epochs=EPOCHS, batch_size=16, validation_split=0.3, verbose=0, callbacks=[callback]
    ).history
    save_expected("keras2-v1", "tensorboard-scalars", {k: [float(v) for v in vs] for k, vs in history.items()})


TORCH_SPELLINGS = {
    # folder: (train loss tag, validation loss tag, train accuracy tag, validation accuracy tag, first step)
    "torch": ("Loss/train", "Loss/val", "Accuracy/train", "Accuracy/val", 0),
    "torch-flat": ("loss", "val_loss", "acc", "val_acc", 1),
    "torch-valid": ("train/loss", "valid/loss", "train/accuracy", "valid/accuracy", 1),
    "torch-test": ("Train/Loss", "Test/Loss", "Train/Accuracy", "Test/Accuracy", 0),
}


def make_torch() -> None:
    """PyTorch: torch.utils.tensorboard.SummaryWriter, every tag in one folder, step = epoch."""
    import torch
    from torch.utils.tensorboard import SummaryWriter

    x, y = (torch.from_numpy(a) for a in make_data())
    cut = int(SAMPLES * 0.7)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(FEATURES, UNITS), torch.nn.ReLU(), torch.nn.Linear(UNITS, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    history: dict[str, list[float]] = {"loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
    for _ in range(EPOCHS):
        for start in range(0, cut, 16):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(
                model(x[start : min(start + 16, cut)]), y[start : min(start + 16, cut)]
            ).backward()
            optimizer.step()
        with torch.no_grad():
            for prefix, rows in (("", slice(0, cut)), ("val_", slice(cut, None))):
                logits = model(x[rows])
                history[prefix + "loss"].append(float(torch.nn.functional.cross_entropy(logits, y[rows])))
                history[prefix + "accuracy"].append(float((logits.argmax(1) == y[rows]).float().mean()))
    for folder, (loss, val_loss, acc, val_acc, first) in TORCH_SPELLINGS.items():
        writer = SummaryWriter(log_dir=str(fresh(folder)))
        for epoch in range(EPOCHS):
            for tag, key in ((loss, "loss"), (val_loss, "val_loss"), (acc, "accuracy"), (val_acc, "val_accuracy")):
                writer.add_scalar(tag, history[key][epoch], epoch + first)
            writer.add_scalar("grad/total_norm", 1.0, epoch + first)  # a tag the reader must ignore
        writer.close()
        save_expected(folder, "tensorboard-scalars", history, first_epoch=1)


if __name__ == "__main__":
    {"keras3": make_keras3, "keras2": make_keras2, "keras2-v1": make_keras2_v1, "torch": make_torch}[sys.argv[1]]()
