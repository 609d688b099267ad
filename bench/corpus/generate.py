"""Train the diagnosis corpus: every run of specs.py, in its log layout, with the measurements its labels need.

NOT run in CI: CI and `make bench-diagnosis` read the stored files. For each run this writes

- `bench/corpus/runs/<id>/`: the logs exactly as the learner's script left them (kerasdiag's run directory without
  its cached diagnosis and TensorBoard copies, Keras's TensorBoard folders, a CSVLogger file, a History JSON,
  the TensorBoard tutorial's GradientTape `train/` + `test/` layout, tensorboardX (torch's SummaryWriter format)
  with `add_scalar` or `add_scalars`);
- `bench/corpus/measured/<id>.json`: what was measured inside the training (measure.py) and the data's facts (class
  counts of the training and validation parts, the inputs' robust scale). labels.py turns these into labels.

Usage (from the repository root; two processes side by side take about 25 minutes on two cores):

    .venv/bin/pip install tf_keras==2.21.0 tensorboardX==2.6.5      # the corpus extra: `pip install -e .[corpus]`
    .venv/bin/python bench/corpus/generate.py --layouts plain [--shard 0/2] [--only SUBSTRING] [--force]
    .venv/bin/python bench/corpus/generate.py --layouts kerasdiag [--shard 0/2]
    .venv/bin/python bench/corpus/labels.py                          # writes bench/corpus/manifest.json

kerasdiag's layout trains in its own process: kerasdiag replaces TensorFlow's tensorboard module with a light
writer that Keras's own TensorBoard callback cannot use.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import measured_callback  # noqa: E402
from specs import runs  # noqa: E402

RUNS = HERE / "runs"
MEASURED = HERE / "measured"
ROOT = HERE.parents[1]
MNIST = next(p for p in (ROOT.parent / "shared/data/mnist-10k", ROOT / "tests/data/mnist-10k") if p.exists())
TF_KERAS_LAYOUTS = ("tf-keras-tb", "tf-keras-csv")
PREDICTIONS_MAX_BYTES = 120_000


# --- data -------------------------------------------------------------------------------------------------------


def _raw_data(name: str, scale: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn import datasets

    if name == "mnist":
        with np.load(MNIST / "mnist.npz") as data:
            x = np.concatenate([data["x_train"], data["x_test"]]).astype("float32")
            y = np.concatenate([data["y_train"], data["y_test"]]).astype("int64")
        return (x if scale == "raw" else x / 255.0), y
    if name in ("digits", "digits-odd"):
        bunch = datasets.load_digits()
        x = bunch.data.astype("float32")
        y = bunch.target if name == "digits" else bunch.target % 2
        return (x if scale == "raw" else x / 16.0), y.astype("int64")
    if name == "wine":
        bunch = datasets.load_wine()
        x = bunch.data.astype("float32")
        x = x if scale == "raw" else (x - x.mean(0)) / x.std(0)
        return x.astype("float32"), bunch.target.astype("int64")
    if name in ("moons", "blobs", "wave", "circles", "hard", "linreg", "quantiles", "hastie"):
        x, y = _synthetic(name)
        x = x * 1000.0 if scale == "x1000" else x
        if name in ("wave", "linreg") and scale == "raw-target":
            y = y * 50.0 + 200.0  # a target in its own units (a price, a temperature), not standardised
        return x.astype("float32"), y.astype("float32" if name in ("wave", "linreg") else "int64")
    if name == "friedman":
        x, y = datasets.make_friedman1(n_samples=1500, noise=1.0, random_state=0)
        x = x * 1000.0 if scale == "x1000" else (x - x.mean(0)) / x.std(0)
        return x.astype("float32"), ((y - y.mean()) / y.std()).astype("float32")
    if name == "diabetes":
        x, y = datasets.load_diabetes(return_X_y=True, scaled=False)
        if scale != "raw":
            x = (x - x.mean(0)) / x.std(0)
        if scale != "raw-target":
            y = (y - y.mean()) / y.std()
        return x.astype("float32"), y.astype("float32")
    bunch = datasets.load_iris() if name == "iris" else datasets.load_breast_cancer()
    x = bunch.data.astype("float32")
    if scale != "raw":
        x = (x - x.mean(0)) / x.std(0)
    return x, bunch.target.astype("int64")


def _synthetic(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Tutorial-style generated data: two moons, two circles and Hastie's 10-feature problem (binary), Gaussian
    clusters (5 classes; 3 classes with 15 % flipped labels, a problem whose best accuracy is far from 1), Gaussian
    quantile shells (4 classes), a noisy sine and a linear target with noise (regression)."""
    from sklearn import datasets

    if name == "moons":
        return datasets.make_moons(n_samples=1500, noise=0.25, random_state=0)
    if name == "circles":
        return datasets.make_circles(n_samples=1500, noise=0.1, factor=0.5, random_state=0)
    if name == "hard":
        return datasets.make_classification(
            n_samples=2500, n_features=12, n_informative=5, n_classes=3, flip_y=0.15, class_sep=0.7, random_state=0
        )
    if name == "quantiles":  # 4 nested shells of a Gaussian: no straight line separates them
        return datasets.make_gaussian_quantiles(n_samples=2000, n_features=6, n_classes=4, random_state=0)
    if name == "hastie":  # Hastie et al.'s 10-feature problem: y = 1 where the squared norm exceeds 9.34
        x, y = datasets.make_hastie_10_2(n_samples=2500, random_state=0)
        return x, (y > 0).astype("int64")
    if name == "linreg":
        x, y = datasets.make_regression(n_samples=1200, n_features=8, n_informative=6, noise=20.0, random_state=0)
        return (x - x.mean(0)) / x.std(0), (y - y.mean()) / y.std()
    if name == "blobs":
        return datasets.make_classification(
            n_samples=3000, n_features=20, n_informative=10, n_redundant=4, n_classes=5, random_state=0
        )
    rng = np.random.default_rng(0)
    x = rng.uniform(-3.0, 3.0, size=(2000, 2))
    y = np.sin(2.0 * x[:, 0]) * np.cos(x[:, 1]) + 0.1 * rng.normal(size=2000)
    return (x - x.mean(0)) / x.std(0), (y - y.mean()) / y.std()


def splits(p: dict[str, Any]) -> dict[str, Any]:
    """Training part (what `fit` gets, validation_split takes its last share) and a random test part."""
    x, y = _raw_data(p["data"], p["scale"])
    data_rng = np.random.default_rng(1234)
    order = data_rng.permutation(len(y))
    n_test = min(len(y) // 5, 1000)
    test, train = order[:n_test], order[n_test:]
    if p["data"] == "mnist":
        train = train[: p["train_size"] or 1500]
    rng = np.random.default_rng(p["seed"])
    train = rng.permutation(train)
    if p["train_size"] and p["data"] != "mnist":
        train = train[: p["train_size"]]
    classifier = p["task"] != "regression"
    if p["imbalance"] > 1 and classifier:
        k = int(y.max()) + 1
        minor = set(range(k // 2, k)) if k > 2 else {1}
        keep_share = 1.0 / p["imbalance"]
        train = np.array([i for i in train if y[i] not in minor or rng.random() < keep_share])
    yt = y[train].copy()
    if p["label_noise"]:
        flip = rng.random(len(yt)) < p["label_noise"]
        if classifier:
            yt[flip] = rng.integers(0, int(y.max()) + 1, flip.sum())
        else:
            yt[flip] = rng.permutation(yt[flip])
    xt = x[train]
    if p["sort"]:
        by = np.argsort(yt, kind="stable")
        xt, yt = xt[by], yt[by]
    return {"x": xt, "y": yt, "x_test": x[test], "y_test": y[test]}


def shaped(x: np.ndarray, arch: str, data: str) -> np.ndarray:
    side = 28 if data == "mnist" else 8
    if arch == "cnn":
        return x.reshape(len(x), side, side, 1)
    if arch == "rnn":
        return x.reshape(len(x), side, side)
    return x.reshape(len(x), -1)


# --- model ------------------------------------------------------------------------------------------------------


def build(K: Any, p: dict[str, Any], input_shape: tuple, k: int) -> Any:  # noqa: N803 - keras or tf_keras
    init: Any = {"large": K.initializers.RandomNormal(stddev=2.0), "zeros": "zeros"}.get(p["init"], "glorot_uniform")
    bias: Any = K.initializers.Constant(-3.0) if p["init"] == "dead-bias" else "zeros"
    reg = K.regularizers.L1L2(l1=p["l1"], l2=p["l2"]) if (p["l1"] or p["l2"]) else None
    inputs = K.Input(shape=input_shape)
    h = inputs
    if p["arch"] == "cnn":
        for filters in p["filters"]:
            h = K.layers.Conv2D(
                filters, 3, padding="same", activation=p["act"], kernel_initializer=init, kernel_regularizer=reg
            )(h)
            h = K.layers.MaxPooling2D(2)(h)
        h = K.layers.Flatten()(h)
    if p["arch"] == "rnn":
        cell = K.layers.LSTM if p["cell"] == "lstm" else K.layers.GRU
        h = cell(p["hidden"][0], kernel_initializer=init, kernel_regularizer=reg)(h)
    for units in p["hidden"] if p["arch"] != "rnn" else p["hidden"][1:]:
        h = K.layers.Dense(
            units, activation=p["act"], kernel_initializer=init, bias_initializer=bias, kernel_regularizer=reg
        )(h)
        if p["norm"]:
            h = K.layers.BatchNormalization()(h)
        if p["dropout"]:
            h = K.layers.Dropout(p["dropout"])(h)
    if p["arch"] != "mlp" and p["dropout"] and not p["hidden"][1:]:
        h = K.layers.Dropout(p["dropout"])(h)
    task = p["task"]
    width = 1 if task in ("binary", "binary-logits", "regression") else k
    activation = {"multiclass": "softmax", "mse-classifier": "softmax", "binary": "sigmoid"}.get(task)
    outputs = K.layers.Dense(width, activation=activation, kernel_regularizer=reg)(h)
    model = K.Model(inputs, outputs)
    lr = p["lr"]
    optimizer = {
        "sgd": lambda: K.optimizers.SGD(learning_rate=lr, momentum=p["momentum"], nesterov=p["nesterov"]),
        "nadam": lambda: K.optimizers.Nadam(learning_rate=lr),
        "rmsprop": lambda: K.optimizers.RMSprop(learning_rate=lr),
        "adagrad": lambda: K.optimizers.Adagrad(learning_rate=lr),
    }.get(p["opt"], lambda: K.optimizers.Adam(learning_rate=lr))()
    loss: Any = {
        "multiclass": "sparse_categorical_crossentropy",
        "multiclass-logits": K.losses.SparseCategoricalCrossentropy(from_logits=True),
        "binary": "binary_crossentropy",
        "binary-logits": K.losses.BinaryCrossentropy(from_logits=True),
        "regression": "mse",
        "mse-classifier": "mse",
    }[task]
    if task == "regression":
        metrics: list[Any] = ["mae"]
    elif task == "binary-logits":
        metrics = [K.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)]
    else:
        metrics = ["accuracy"]
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    return model


# --- layouts ----------------------------------------------------------------------------------------------------


def layout_callbacks(K: Any, p: dict[str, Any], folder: Path) -> list[Any]:  # noqa: N803
    layout = p["layout"]
    metric = "mae" if p["task"] == "regression" else "accuracy"
    if layout == "kerasdiag":
        import kerasdiag.keras as kd

        return [kd.Diagnose(logdir=str(folder.parent), name=folder.name, verbose=0)]
    if layout in ("keras-tb", "tf-keras-tb"):
        return [K.callbacks.TensorBoard(log_dir=str(folder))]
    if layout == "keras-tb-batch":
        return [K.callbacks.TensorBoard(log_dir=str(folder), update_freq=10)]
    if layout in ("csv", "tf-keras-csv"):
        folder.mkdir(parents=True, exist_ok=True)
        return [K.callbacks.CSVLogger(str(folder / "training.log"))]
    if layout == "tape":
        return [_TapeLayout(K, folder, metric)]
    if layout in ("torch-scalars", "torch-add-scalars"):
        return [_TorchLayout(K, folder, metric, layout == "torch-add-scalars")]
    return []  # history-json: written after fit


def _TapeLayout(K: Any, folder: Path, metric: str) -> Any:  # noqa: N802, N803
    """The TensorBoard tutorial's GradientTape loop: `train/` and `test/` writers, tags `loss` and `accuracy`."""
    import tensorflow as tf

    class TapeLayout(K.callbacks.Callback):  # type: ignore[misc, name-defined]
        def on_train_begin(self, logs: Any = None) -> None:
            self.train = tf.summary.create_file_writer(str(folder / "train"))
            self.test = tf.summary.create_file_writer(str(folder / "test"))

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            logs = logs or {}
            for writer, prefix in ((self.train, ""), (self.test, "val_")):
                with writer.as_default():
                    for name in ("loss", metric):
                        if prefix + name in logs:
                            tf.summary.scalar(name, float(logs[prefix + name]), step=epoch)

        def on_train_end(self, logs: Any = None) -> None:
            self.train.close()
            self.test.close()

    return TapeLayout()


def _TorchLayout(K: Any, folder: Path, metric: str, grouped: bool) -> Any:  # noqa: N802, N803
    """torch's SummaryWriter format (tensorboardX): `add_scalar('Loss/train')` or `add_scalars('Loss', {...})`."""
    from tensorboardX import SummaryWriter

    title = {"accuracy": "Accuracy", "mae": "MAE"}[metric]

    class TorchLayout(K.callbacks.Callback):  # type: ignore[misc, name-defined]
        def on_train_begin(self, logs: Any = None) -> None:
            self.writer = SummaryWriter(str(folder))

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            logs = logs or {}
            for key, tag in (("loss", "Loss"), (metric, title)):
                pair = {"train": logs.get(key), "val": logs.get("val_" + key)}
                pair = {side: float(v) for side, v in pair.items() if v is not None}
                if grouped:
                    self.writer.add_scalars(tag, pair, epoch)
                else:
                    for side, value in pair.items():
                        self.writer.add_scalar(f"{tag}/{side}", value, epoch)

        def on_train_end(self, logs: Any = None) -> None:
            self.writer.close()

    return TorchLayout()


def stop_callbacks(K: Any, p: dict[str, Any]) -> list[Any]:  # noqa: N803
    """The script's own training control: stop when val_loss stops improving, or lower the learning rate."""
    if p["stop"] == "early":
        return [K.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)]
    if p["stop"] == "plateau-lr":
        return [K.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3)]
    return []


# --- facts ------------------------------------------------------------------------------------------------------


def data_facts(x: np.ndarray, y: np.ndarray, task: str, val_split: float) -> dict[str, Any]:
    """Class counts of the training and validation parts (`validation_split` takes the last share), input scale."""
    n_val = int(len(y) * val_split)
    train_y, val_y = y[: len(y) - n_val], y[len(y) - n_val :]
    flat = x.reshape(len(x), -1)
    q25, q50, q75 = np.percentile(flat, [25, 50, 75], axis=0)
    facts: dict[str, Any] = {
        "n_train": int(len(train_y)),
        "n_val": int(n_val),
        "x_abs_max": float(np.abs(flat).max()),
        "x_std": float(flat.std()),
        "x_robust_scale": float(max(np.abs(q50).max(), (q75 - q25).max())),
    }
    if task != "regression":
        facts["train_counts"] = np.bincount(train_y.astype(int)).tolist()
        facts["val_counts"] = np.bincount(val_y.astype(int)).tolist()
    else:
        facts["y_var"] = float(np.var(train_y))
    return facts


def model_facts(model: Any, p: dict[str, Any]) -> dict[str, Any]:
    hidden = [layer for layer in model.layers if getattr(layer, "kernel", None) is not None][:-1]
    acts = [getattr(getattr(layer, "activation", None), "__name__", "other") for layer in hidden]
    run, longest = 0, 0
    for act in acts:
        run = run + 1 if act == "linear" and p["arch"] == "mlp" else 0
        longest = max(longest, run)
    return {"hidden_activations": acts, "linear_chain": longest, "params": int(model.count_params())}


# --- one run ----------------------------------------------------------------------------------------------------


def train_one(p: dict[str, Any]) -> dict[str, Any]:
    if p["layout"] in TF_KERAS_LAYOUTS:
        import tf_keras as K  # noqa: N812
    else:
        import keras as K  # noqa: N812
    import tensorflow as tf

    K.backend.clear_session()
    K.utils.set_random_seed(p["seed"])
    data = splits(p)
    x, x_test = shaped(data["x"], p["arch"], p["data"]), shaped(data["x_test"], p["arch"], p["data"])
    y, y_test = data["y"], data["y_test"]
    k = int(max(y.max(), y_test.max())) + 1 if p["task"] != "regression" else 1
    model = build(K, p, x.shape[1:], k)
    fit_y = np.eye(k, dtype="float32")[y] if p["task"] == "mse-classifier" else y
    probe_rows = np.random.default_rng(99).permutation(len(y) - int(len(y) * p["val_split"]))[:256]
    measured = measured_callback(K, p["task"], (x[probe_rows], y[probe_rows]), (x_test, y_test), one_hot=False)
    folder = RUNS / p["id"]
    shutil.rmtree(folder, ignore_errors=True)
    callbacks = [measured, *layout_callbacks(K, p, folder), *stop_callbacks(K, p)]
    started = time.perf_counter()
    history = model.fit(
        x,
        fit_y,
        epochs=p["epochs"],
        batch_size=p["batch"],
        validation_split=p["val_split"],
        verbose=0,
        callbacks=callbacks,
        shuffle=not p["sort"],
    )
    seconds = time.perf_counter() - started
    if p["layout"] == "history-json":
        folder.mkdir(parents=True, exist_ok=True)
        clean = {
            key: [None if not np.isfinite(v) else float(v) for v in values] for key, values in history.history.items()
        }
        (folder / "history.json").write_text(json.dumps(clean), encoding="utf-8")
    if p["layout"] == "kerasdiag":
        for extra in ("train", "validation", "diagnosis.json"):
            target = folder / extra
            shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
        predictions = folder / "predictions.npz"
        if predictions.exists() and predictions.stat().st_size > PREDICTIONS_MAX_BYTES:
            predictions.unlink()
    del tf
    return {
        "params": {key: value for key, value in p.items()},
        "history": {key: [float(v) for v in values] for key, values in history.history.items()},
        "measured": measured.epochs,
        "final": measured.final,
        "data": data_facts(data["x"], y, p["task"], p["val_split"]),
        "model": model_facts(model, p),
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layouts", choices=("plain", "kerasdiag"), required=True)
    parser.add_argument("--shard", default="0/1")
    parser.add_argument("--only", default="")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--reverse", action="store_true", help="last run first (a second process from the other end)")
    args = parser.parse_args()
    index, count = (int(v) for v in args.shard.split("/"))
    todo = [p for p in runs() if (p["layout"] == "kerasdiag") == (args.layouts == "kerasdiag") and args.only in p["id"]]
    todo = todo[index::count][:: -1 if args.reverse else 1]
    MEASURED.mkdir(parents=True, exist_ok=True)
    for number, p in enumerate(todo, 1):
        out = MEASURED / f"{p['id']}.json"
        if out.exists() and not args.force:
            continue
        try:
            result = train_one(p)
        except Exception:  # noqa: BLE001 - one broken configuration must not stop the corpus
            print(f"FAILED {p['id']}\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            continue
        out.write_text(json.dumps(result, default=float) + "\n", encoding="utf-8")
        print(f"[{number}/{len(todo)}] {p['id']} {result['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
