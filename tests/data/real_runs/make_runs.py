"""Train the labelled real runs of the per-rule table and store their logs (NOT run in CI).

Two kinds of run, both real trainings on Iris, digits or MNIST-10k (a few seconds each, one process):

- `kerasdiag` runs: `kerasdiag.training.flags.run.train(config)` writes a full run directory (run.json, history.jsonl,
  probes, predictions.npz);
- `keras-logs` runs: a tiny plain Keras script with `keras.callbacks.TensorBoard(log_dir)`, as a learner writes it.

Each run's label (the rules that must fire, at which severity, and the rules tolerated besides them) is written by
hand below, from what the training does, and stored in `manifest.json`. `tests/diagnosis/rules/test_real_runs.py`
diagnoses the stored logs and checks the per-rule table; it never retrains.

Usage (from the repository root; about 3-5 minutes on two cores):

    KERAS_BACKEND=tensorflow .venv/bin/python tests/data/real_runs/make_runs.py [ID_SUBSTRING ...]
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"
MANIFEST = HERE / "manifest.json"
MNIST = Path(os.environ.get("KERASDIAG_MNIST", "/work/shared/data/mnist-10k"))
W, E = "warning", "error"
PREDICTIONS_MAX_BYTES = 200_000  # larger predictions.npz files are dropped (the rules that need them skip)


@dataclass
class Spec:
    id: str
    source: str  # "kerasdiag" or "keras-logs"
    params: dict[str, Any]
    expect: dict[str, str] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    note: str = ""
    unseen: dict[str, str] = field(default_factory=dict)  # real problems its logs cannot show: not scored

    @property
    def healthy(self) -> bool:
        return not self.expect and not self.unseen


def K(id: str, flags: dict[str, Any], expect: dict[str, str] | None = None, allow=(), note="") -> Spec:  # noqa: N802
    return Spec(id, "kerasdiag", flags, expect or {}, list(allow), note)


def P(id: str, params: dict[str, Any], expect: dict[str, str] | None = None, allow=(), note="", unseen=None) -> Spec:  # noqa: N802
    return Spec(id, "keras-logs", params, expect or {}, list(allow), note, unseen or {})


MN = {"train_size": 2000}
SPECS = [
    # --- divergence without NaN -------------------------------------------------------------------------------------
    K(
        "k-digits-tanh-sgd-lr5-diverges",
        {"dataset": "digits", "activation": "tanh", "lr": 5.0, "epochs": 12, "batch_size": 32},
        {"divergence": W},
        allow=["underfitting", "oscillation", "loss-plateau", "saturation"],
        note="SGD lr 5 on tanh: the loss jumps far above ln(10) and stays",
    ),
    K(
        "k-mnist-tanh-sgd-lr5-diverges",
        {**MN, "activation": "tanh", "lr": 5.0, "epochs": 8},
        {"divergence": W},
        allow=["underfitting", "oscillation", "loss-plateau", "saturation"],
    ),
    P(
        "p-digits-tanh-sgd-lr5-diverges",
        {"data": "digits", "hidden": [64, 64], "act": "tanh", "opt": "sgd", "lr": 5.0, "epochs": 12, "batch": 32},
        {"divergence": W},
        allow=["underfitting", "oscillation", "loss-plateau", "saturation"],
    ),
    P(
        "p-mnist-tanh-sgd-lr5-diverges",
        {"data": "mnist", "hidden": [128, 128], "act": "tanh", "opt": "sgd", "lr": 5.0, "epochs": 8, "batch": 128},
        {"divergence": W},
        allow=["underfitting", "oscillation", "loss-plateau", "saturation"],
    ),
    # --- oscillation of the validation curve ------------------------------------------------------------------------
    K(
        "k-digits-sgd-lr0.5-momentum0.9-batch8-dies",
        {"dataset": "digits", "lr": 0.5, "momentum": 0.9, "epochs": 20, "batch_size": 8},
        {"dead-relu": E},
        allow=["underfitting", "loss-plateau", "accuracy-plateau", "oscillation"],
        note="meant to oscillate; every ReLU of the second layer died in epoch 1 (probes), the loss sits at chance",
    ),
    K(
        "k-digits-tanh-sgd-lr0.1-momentum0.9-batch8-oscillates",
        {"dataset": "digits", "activation": "tanh", "lr": 0.1, "momentum": 0.9, "epochs": 20, "batch_size": 8},
        {"oscillation": W, "divergence": W},
        allow=["underfitting", "loss-plateau", "saturation", "overfitting"],
        note="tanh cannot die: small batches, a large step and momentum; the loss climbs to ~20, val_loss zig-zags",
    ),
    K(
        "k-digits-adam-lr0.05-batch8-oscillates",
        {"dataset": "digits", "optimizer": "adam", "lr": 0.05, "epochs": 20, "batch_size": 8},
        {"oscillation": W},
        allow=["overfitting", "dead-relu", "divergence"],
    ),
    P(
        "p-digits-sgd-lr0.5-momentum0.9-batch8-dies",
        {
            "data": "digits",
            "hidden": [128, 128],
            "act": "relu",
            "opt": "sgd",
            "lr": 0.5,
            "momentum": 0.9,
            "epochs": 20,
            "batch": 8,
        },
        {"dead-relu": W},
        allow=["underfitting", "loss-plateau", "accuracy-plateau"],
        note="meant to oscillate; the network died in epoch 1 (accuracy pinned at chance, loss flat)",
    ),
    P(
        "p-digits-sgd-lr0.2-momentum0.9-batch8-dies",
        {
            "data": "digits",
            "hidden": [128, 128],
            "act": "relu",
            "opt": "sgd",
            "lr": 0.2,
            "momentum": 0.9,
            "epochs": 20,
            "batch": 8,
        },
        {"dead-relu": W},
        allow=["underfitting", "loss-plateau", "accuracy-plateau", "oscillation"],
        note="meant to oscillate; it swung for 5 epochs, then died in epoch 6 (accuracy pinned at chance, loss flat)",
    ),
    P(
        "p-digits-tanh-sgd-lr0.1-momentum0.9-batch8-oscillates",
        {
            "data": "digits",
            "hidden": [64, 64],
            "act": "tanh",
            "opt": "sgd",
            "lr": 0.1,
            "momentum": 0.9,
            "epochs": 20,
            "batch": 8,
        },
        {"oscillation": W, "divergence": W},
        allow=["underfitting", "loss-plateau", "saturation", "overfitting"],
        note="tanh cannot die: the loss climbs from 1.1 to about 6 and val_loss zig-zags by 20-80 %",
    ),
    P(
        "p-digits-adam-lr0.05-batch8-oscillates",
        {"data": "digits", "hidden": [128, 128], "act": "relu", "opt": "adam", "lr": 0.05, "epochs": 20, "batch": 8},
        {"oscillation": W},
        allow=["overfitting", "dead-relu", "divergence"],
    ),
    # --- validation holds classes training never saw ----------------------------------------------------------------
    K(
        "k-iris-unshuffled-validation-mismatch",
        {
            "dataset": "iris",
            "layers": 1,
            "units": [8],
            "optimizer": "adam",
            "lr": 0.01,
            "epochs": 30,
            "batch_size": 8,
            "shuffle": False,
        },
        {"validation-mismatch": E},
        allow=["overfitting", "accuracy-plateau", "divergence"],
    ),
    P(
        "p-iris-sorted-validation-split",
        {
            "data": "iris",
            "sort": True,
            "hidden": [8],
            "act": "relu",
            "opt": "adam",
            "lr": 0.01,
            "epochs": 30,
            "batch": 8,
        },
        allow=["overfitting", "accuracy-plateau", "divergence"],
        unseen={"validation-mismatch": W},
        note=(
            "the last 20 % are class 2 only, which training also saw (20 of 120 samples): validation accuracy "
            "ends at 0.83, so no curve shows it; only class counts would (kerasdiag runs have them)"
        ),
    ),
    P(
        "p-iris-sorted-validation-split-0.34",
        {
            "data": "iris",
            "sort": True,
            "val_split": 0.34,
            "hidden": [8],
            "act": "relu",
            "opt": "adam",
            "lr": 0.01,
            "epochs": 30,
            "batch": 8,
        },
        {"validation-mismatch": W},
        allow=["overfitting", "accuracy-plateau", "divergence"],
        note="validation holds class 2, never trained on",
    ),
    P(
        "p-digits-sorted-validation-split",
        {"data": "digits", "sort": True, "hidden": [64], "act": "relu", "opt": "adam", "epochs": 12, "batch": 32},
        {"validation-mismatch": W},
        allow=["overfitting", "accuracy-plateau", "divergence"],
        note="the last 20 % are classes 8 and 9",
    ),
    # --- first-epoch loss far above ln(k): unscaled inputs or a bad init --------------------------------------------
    K(
        "k-mnist-raw-pixels",
        {**MN, "normalize": False, "epochs": 8},
        {"unnormalized-input": W},
        allow=["dead-relu", "underfitting", "loss-plateau", "divergence", "accuracy-plateau", "oscillation"],
    ),
    K(
        "k-digits-random-normal-init-raw",
        {"dataset": "digits", "normalize": False, "init": "random_normal", "epochs": 10, "batch_size": 32},
        {"unnormalized-input": W},
        allow=[
            "dead-relu",
            "underfitting",
            "loss-plateau",
            "divergence",
            "accuracy-plateau",
            "oscillation",
            "overfitting",
        ],
    ),
    P(
        "p-mnist-raw-pixels-sgd",
        {
            "data": "mnist",
            "raw": True,
            "hidden": [128],
            "act": "relu",
            "opt": "sgd",
            "lr": 0.01,
            "epochs": 8,
            "batch": 128,
        },
        {"unnormalized-input": W},
        allow=["dead-relu", "underfitting", "loss-plateau", "divergence", "accuracy-plateau", "oscillation"],
    ),
    P(
        "p-digits-init-stddev10",
        {
            "data": "digits",
            "hidden": [64],
            "act": "relu",
            "opt": "adam",
            "kernel_stddev": 10.0,
            "out_stddev": 10.0,
            "epochs": 10,
            "batch": 32,
        },
        {"unnormalized-input": W},
        allow=[
            "dead-relu",
            "underfitting",
            "loss-plateau",
            "divergence",
            "accuracy-plateau",
            "oscillation",
            "overfitting",
        ],
        note="a bad init, not the data: the rule names both",
    ),
    # --- accuracy pinned from epoch 1: a majority-class predictor ---------------------------------------------------
    P(
        "p-digits-0-vs-rest-bias-minus5-majority",
        {
            "data": "digits",
            "binary0": True,
            "hidden": [32],
            "act": "relu",
            "opt": "adam",
            "bias": -5.0,
            "epochs": 12,
            "batch": 32,
        },
        {"class-imbalance": W, "dead-relu": W},
        allow=["loss-plateau", "underfitting", "accuracy-plateau"],
        note="90 % of labels are 'not 0' and every ReLU starts dead: a majority-class predictor",
    ),
    P(
        "p-digits-relu-bias-minus5-dead",
        {"data": "digits", "hidden": [64, 64], "act": "relu", "opt": "adam", "bias": -5.0, "epochs": 12, "batch": 32},
        {"dead-relu": W},
        allow=["loss-plateau", "underfitting", "accuracy-plateau"],
        note="every ReLU starts dead",
    ),
    P(
        "p-mnist-relu-bias-minus10-dead",
        {
            "data": "mnist",
            "hidden": [128],
            "act": "relu",
            "opt": "sgd",
            "lr": 0.01,
            "bias": -10.0,
            "epochs": 8,
            "batch": 128,
        },
        {"dead-relu": W},
        allow=["loss-plateau", "underfitting", "accuracy-plateau"],
    ),
    K(
        "k-mnist-init-zeros-dead",
        {**MN, "init": "zeros", "epochs": 8},
        {"dead-relu": E},
        allow=["loss-plateau", "underfitting", "accuracy-plateau"],
        note="zero weights: every ReLU outputs 0",
    ),
    # --- over-regularization (heavy dropout; train accuracy below validation) ---------------------------------------
    K(
        "k-mnist-dropout-0.9",
        {**MN, "units": [128], "dropout": 0.9, "optimizer": "adam", "epochs": 10},
        {"over-regularization": W},
        allow=["underfitting"],
    ),
    K(
        "k-mnist-l2-0.1",
        {"train_size": 1000, "units": [512], "optimizer": "adam", "l2": 0.1, "epochs": 12},
        {"over-regularization": W},
        allow=["underfitting", "loss-plateau"],
    ),
    P(
        "p-digits-dropout-0.9",
        {"data": "digits", "hidden": [64, 64], "act": "relu", "opt": "adam", "dropout": 0.9, "epochs": 15, "batch": 32},
        {"over-regularization": W},
        allow=["underfitting"],
    ),
    P(
        "p-mnist-dropout-0.85",
        {
            "data": "mnist",
            "hidden": [128, 128],
            "act": "relu",
            "opt": "adam",
            "dropout": 0.85,
            "epochs": 10,
            "batch": 64,
        },
        {"over-regularization": W},
        allow=["underfitting"],
    ),
    # --- the model config: saturation, vanishing gradients --------------------------------------------------------
    P(
        "p-digits-sigmoid-stddev4-saturates",
        {
            "data": "digits",
            "hidden": [64, 64],
            "act": "sigmoid",
            "opt": "sgd",
            "lr": 0.01,
            "kernel_stddev": 4.0,
            "epochs": 12,
            "batch": 32,
        },
        {"saturation": W},
        allow=["underfitting", "loss-plateau", "vanishing-gradients", "unnormalized-input"],
    ),
    P(
        "p-digits-tanh-stddev5-saturates",
        {
            "data": "digits",
            "hidden": [64, 64],
            "act": "tanh",
            "opt": "sgd",
            "lr": 0.01,
            "kernel_stddev": 5.0,
            "epochs": 12,
            "batch": 32,
        },
        {"saturation": W},
        allow=["underfitting", "loss-plateau", "vanishing-gradients", "unnormalized-input", "overfitting"],
    ),
    P(
        "p-digits-6-sigmoid-sgd-vanishing",
        {"data": "digits", "hidden": [64] * 6, "act": "sigmoid", "opt": "sgd", "lr": 0.01, "epochs": 12, "batch": 32},
        {"vanishing-gradients": W},
        allow=["underfitting", "loss-plateau", "accuracy-plateau", "saturation", "class-imbalance"],
    ),
    K(
        "k-mnist-6-sigmoid-sgd-vanishing",
        {**MN, "layers": 6, "activation": "sigmoid", "epochs": 8},
        {"vanishing-gradients": W},
        allow=["underfitting", "loss-plateau", "saturation", "accuracy-plateau"],
    ),
    # --- other problems: overfitting, too small a learning rate -------------------------------------------------------
    K(
        "k-mnist-512-500-samples-overfits",
        {"train_size": 500, "units": [512], "epochs": 25, "optimizer": "adam"},
        {"overfitting": W},
        allow=["oscillation", "overconfidence"],
    ),
    P(
        "p-mnist-512-500-samples-overfits",
        {"data": "mnist", "train_size": 500, "hidden": [512], "act": "relu", "opt": "adam", "epochs": 25, "batch": 32},
        {"overfitting": W},
        allow=["oscillation"],
    ),
    K("k-mnist-sgd-lr1e-5", {**MN, "lr": 1e-5, "epochs": 8}, {"underfitting": W, "loss-plateau": W}),
    P(
        "p-digits-sgd-lr1e-5",
        {"data": "digits", "hidden": [64], "act": "relu", "opt": "sgd", "lr": 1e-5, "epochs": 10, "batch": 32},
        {"underfitting": W, "loss-plateau": W},
        allow=["class-imbalance"],
    ),
    # --- healthy twins: no warning, no error ------------------------------------------------------------------------
    K("healthy-k-mnist-mlp-adam", {"train_size": 3000, "optimizer": "adam", "epochs": 6}),
    K(
        "healthy-k-digits-tanh-sgd-lr0.05",
        {"dataset": "digits", "activation": "tanh", "lr": 0.05, "epochs": 15, "batch_size": 32},
    ),
    K(
        "healthy-k-digits-sgd-lr0.05-momentum0.9-batch64",
        {"dataset": "digits", "lr": 0.05, "momentum": 0.9, "epochs": 15, "batch_size": 64},
    ),
    K(
        "healthy-k-iris-shuffled-adam",
        {"dataset": "iris", "layers": 1, "units": [8], "optimizer": "adam", "lr": 0.01, "epochs": 40, "batch_size": 8},
    ),
    K(
        "healthy-k-digits-classes-shuffled-adam",
        {"dataset": "digits", "optimizer": "adam", "epochs": 12, "batch_size": 32, "classes": [0, 1, 2]},
    ),
    K(
        "healthy-k-mnist-dropout-0.3",
        {"train_size": 2000, "units": [256], "dropout": 0.3, "optimizer": "adam", "epochs": 8},
    ),
    K("healthy-k-mnist-2-sigmoid-adam", {**MN, "activation": "sigmoid", "optimizer": "adam", "epochs": 8}),
    K(
        "healthy-k-digits-he-normal-sgd-lr0.05",
        {"dataset": "digits", "init": "he_normal", "lr": 0.05, "epochs": 20, "batch_size": 32},
    ),
    P(
        "healthy-p-digits-relu-adam",
        {"data": "digits", "hidden": [64], "act": "relu", "opt": "adam", "epochs": 15, "batch": 32},
    ),
    P(
        "healthy-p-digits-tanh-sgd-lr0.05",
        {"data": "digits", "hidden": [64, 64], "act": "tanh", "opt": "sgd", "lr": 0.05, "epochs": 15, "batch": 32},
    ),
    P(
        "healthy-p-digits-sgd-lr0.05-momentum0.9-batch64",
        {
            "data": "digits",
            "hidden": [128, 128],
            "act": "relu",
            "opt": "sgd",
            "lr": 0.05,
            "momentum": 0.9,
            "epochs": 15,
            "batch": 64,
        },
    ),
    P(
        "healthy-p-iris-shuffled-adam",
        {"data": "iris", "hidden": [8], "act": "relu", "opt": "adam", "lr": 0.01, "epochs": 40, "batch": 8},
    ),
    P(
        "healthy-p-digits-shuffled-validation-split",
        {"data": "digits", "hidden": [64], "act": "relu", "opt": "adam", "epochs": 12, "batch": 32},
    ),
    P(
        "healthy-p-mnist-normalized-adam",
        {"data": "mnist", "hidden": [128], "act": "relu", "opt": "adam", "epochs": 6, "batch": 64},
    ),
    P(
        "healthy-p-digits-dropout-0.2",
        {
            "data": "digits",
            "hidden": [128, 128],
            "act": "relu",
            "opt": "adam",
            "dropout": 0.2,
            "epochs": 15,
            "batch": 32,
        },
    ),
    P(
        "healthy-p-digits-2-sigmoid-adam",
        {"data": "digits", "hidden": [64, 64], "act": "sigmoid", "opt": "adam", "lr": 0.01, "epochs": 15, "batch": 32},
    ),
    P(
        "healthy-p-digits-0-vs-rest-adam",
        {"data": "digits", "binary0": True, "hidden": [32], "act": "relu", "opt": "adam", "epochs": 10, "batch": 32},
    ),
    P(
        "healthy-p-digits-he-normal-bias0",
        {
            "data": "digits",
            "hidden": [64, 64],
            "act": "relu",
            "opt": "adam",
            "init": "he_normal",
            "epochs": 12,
            "batch": 32,
        },
    ),
    P(
        "healthy-p-digits-rerun-twice",
        {"data": "digits", "hidden": [64], "act": "relu", "opt": "adam", "epochs": 10, "batch": 32, "reruns": 2},
        note="the script ran twice into one log folder",
    ),
]


def load_data(params: dict[str, Any]):
    import numpy as np

    name = params["data"]
    if name == "mnist":
        with np.load(MNIST / "mnist.npz") as data:
            x, y = data["x_train"], data["y_train"]
        rng = np.random.default_rng(0)
        pick = rng.permutation(len(x))[: int(params.get("train_size", 2000) / 0.8)]
        x, y = x[pick].reshape(len(pick), -1).astype("float32"), y[pick].astype("int32")
        if not params.get("raw"):
            x = x / 255.0
    else:
        from sklearn import datasets

        bunch = datasets.load_iris() if name == "iris" else datasets.load_digits()
        x, y = bunch.data.astype("float32"), bunch.target.astype("int32")
        x = x / 16.0 if name == "digits" else (x - x.mean(0)) / x.std(0)
        order = np.argsort(y, kind="stable") if params.get("sort") else np.random.default_rng(0).permutation(len(y))
        x, y = x[order], y[order]
    if params.get("binary0"):
        y = (y != 0).astype("int32")
    return x, y


def plain_keras_run(spec: Spec, folder: Path) -> None:
    """What a learner's script does: build, compile, fit with the TensorBoard callback."""
    import keras

    p = spec.params
    x, y = load_data(p)
    classes = int(y.max()) + 1
    for _ in range(p.get("reruns", 1)):
        keras.utils.set_random_seed(0)
        kernel = (
            keras.initializers.RandomNormal(stddev=p["kernel_stddev"]) if "kernel_stddev" in p else p.get("init")
        ) or "glorot_uniform"
        bias = keras.initializers.Constant(p["bias"]) if "bias" in p else "zeros"
        layers: list[Any] = [keras.Input((x.shape[1],))]
        for units in p["hidden"]:
            layers.append(
                keras.layers.Dense(units, activation=p["act"], kernel_initializer=kernel, bias_initializer=bias)
            )
            if p.get("dropout"):
                layers.append(keras.layers.Dropout(p["dropout"]))
        out_init = keras.initializers.RandomNormal(stddev=p["out_stddev"]) if "out_stddev" in p else "glorot_uniform"
        layers.append(keras.layers.Dense(classes, activation="softmax", kernel_initializer=out_init))
        model = keras.Sequential(layers)
        if p["opt"] == "sgd":
            optimizer = keras.optimizers.SGD(learning_rate=p.get("lr", 0.01), momentum=p.get("momentum", 0.0))
        else:
            optimizer = keras.optimizers.Adam(learning_rate=p.get("lr", 0.001))
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(
            x,
            y,
            epochs=p["epochs"],
            batch_size=p["batch"],
            validation_split=p.get("val_split", 0.2),
            verbose=0,
            callbacks=[keras.callbacks.TensorBoard(log_dir=str(folder))],
        )


def kerasdiag_run(spec: Spec, folder: Path) -> None:
    from kerasdiag.config import RunConfig
    from kerasdiag.training.flags.run import train

    flags = dict(spec.params)
    if flags.get("dataset", "mnist") == "mnist":
        flags["data_dir"] = str(MNIST)
    train(RunConfig(logdir=str(folder.parent), name=folder.name, **flags))
    predictions = folder / "predictions.npz"
    if predictions.exists() and predictions.stat().st_size > PREDICTIONS_MAX_BYTES:
        predictions.unlink()


def main(selected: list[str]) -> None:
    RUNS.mkdir(parents=True, exist_ok=True)
    # Plain Keras first: kerasdiag installs a TensorFlow-free tensorboard stub that Keras's callback cannot use.
    for spec in sorted(SPECS, key=lambda s: s.source != "keras-logs"):
        if selected and not any(s in spec.id for s in selected):
            continue
        folder = RUNS / spec.id
        shutil.rmtree(folder, ignore_errors=True)
        print(f"training {spec.id}", flush=True)
        (kerasdiag_run if spec.source == "kerasdiag" else plain_keras_run)(spec, folder)
    write_manifest()


# Reported as over-regularization's symptoms (the story groups them under it), so tolerated beside it.
SYMPTOMS = ("underfitting", "loss-plateau", "accuracy-plateau")


def write_manifest() -> None:
    """The labels of every run whose logs exist (a run that was not generated is left out)."""
    manifest = [
        {
            "id": s.id,
            "source": s.source,
            "expect": s.expect,
            "unseen": s.unseen,
            "allow": s.allow
            + [r for r in SYMPTOMS if "over-regularization" in s.expect and r not in s.allow + [*s.expect]],
            "note": s.note,
            "params": s.params,
        }
        for s in SPECS
        if (RUNS / s.id).is_dir()
    ]
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    main(sys.argv[1:])
