"""The corpus's runs: base training scripts x faults (DeepCrime's mutation operators) x seeds x log layouts.

A run's id says what it is: `<base>--<fault>--s<seed>--<layout>`. Its fault is what was injected; its labels
(labels.py) come from what was measured inside it, so a fault with no visible effect gives a healthy run.

Split: a run belongs to the tuning or the held-out half by a hash of `<base>--<fault>` (all seeds and layouts of one
configuration fall on the same side, so held-out runs are configurations the thresholds never saw). The EXTENSION
bases, added later, are all on the tuning side, so the held-out split stays the one every earlier report scored.
"""

from __future__ import annotations

import hashlib
from typing import Any

# Each base is a script shape learners and the Keras examples write (MLP / CNN / small RNN; softmax, logits,
# sigmoid-binary, regression). `task` is what the output and loss are.
BASES: dict[str, dict[str, Any]] = {
    "digits-mlp": {"data": "digits", "arch": "mlp", "task": "multiclass", "hidden": [64, 64], "epochs": 25},
    "digits-logits": {"data": "digits", "arch": "mlp", "task": "multiclass-logits", "hidden": [64], "epochs": 25},
    "digits-cnn": {
        "data": "digits",
        "arch": "cnn",
        "task": "multiclass",
        "filters": [16],
        "hidden": [32],
        "epochs": 15,
    },
    "digits-gru": {"data": "digits", "arch": "rnn", "task": "multiclass", "cell": "gru", "hidden": [32], "epochs": 15},
    "digits-binary": {"data": "digits-odd", "arch": "mlp", "task": "binary", "hidden": [32], "epochs": 25},
    "mnist-mlp": {"data": "mnist", "arch": "mlp", "task": "multiclass", "hidden": [128, 64], "epochs": 12, "batch": 64},
    "mnist-cnn": {
        "data": "mnist",
        "arch": "cnn",
        "task": "multiclass",
        "filters": [16, 32],
        "hidden": [64],
        "epochs": 8,
        "batch": 64,
    },
    "iris-mlp": {
        "data": "iris",
        "arch": "mlp",
        "task": "multiclass",
        "hidden": [16],
        "lr": 0.01,
        "batch": 16,
        "epochs": 60,
    },
    "cancer-mlp": {"data": "cancer", "arch": "mlp", "task": "binary", "hidden": [32, 16], "epochs": 40},
    "cancer-logits": {"data": "cancer", "arch": "mlp", "task": "binary-logits", "hidden": [16], "epochs": 40},
    "diabetes-mlp": {
        "data": "diabetes",
        "arch": "mlp",
        "task": "regression",
        "hidden": [64, 32],
        "lr": 0.003,
        "epochs": 60,
    },
    "friedman-mlp": {"data": "friedman", "arch": "mlp", "task": "regression", "hidden": [64, 64], "epochs": 40},
    # Added at stop 25, on the tuning side only (EXTENSION): more shapes to calibrate on, while the held-out split
    # stays the same 302 runs that every stop has reported.
    "wine-mlp": {"data": "wine", "arch": "mlp", "task": "multiclass", "hidden": [32], "batch": 16, "epochs": 80},
    "moons-binary": {"data": "moons", "arch": "mlp", "task": "binary", "hidden": [32, 32], "epochs": 40},
    "blobs-logits": {"data": "blobs", "arch": "mlp", "task": "multiclass-logits", "hidden": [64, 32], "epochs": 30},
    "wave-mlp": {"data": "wave", "arch": "mlp", "task": "regression", "hidden": [64, 64], "epochs": 50},
    # Added at stop 26, tuning side too: other optimisers, BatchNormalization, EarlyStopping / ReduceLROnPlateau
    # (runs that stop or slow down by themselves), a noisy problem whose healthy accuracy is far from 1.
    "circles-rmsprop": {
        "data": "circles", "arch": "mlp", "task": "binary", "hidden": [16, 16], "opt": "rmsprop", "epochs": 60,
        "stop": "early",
    },
    "digits-bn": {"data": "digits", "arch": "mlp", "task": "multiclass", "hidden": [128, 64], "norm": True,
                  "batch": 64, "epochs": 30},
    "hard-logits": {"data": "hard", "arch": "mlp", "task": "multiclass-logits", "hidden": [64], "batch": 64,
                    "epochs": 40, "stop": "plateau-lr"},
    "linreg-early": {"data": "linreg", "arch": "mlp", "task": "regression", "hidden": [32], "opt": "rmsprop",
                     "epochs": 60, "stop": "early"},
    # Added at stop 27, tuning side too (LATER): other validation splits (10 %, 25 %, 30 %: a noisier or a steadier
    # validation curve), an MNIST CNN with SGD + momentum and dropout, an LSTM with Nadam, GELU, Nesterov SGD with
    # logits on a problem no linear model solves.
    "mnist-cnn-sgd": {"data": "mnist", "arch": "cnn", "task": "multiclass", "filters": [32], "hidden": [128],
                      "dropout": 0.25, "opt": "sgd", "lr": 0.01, "momentum": 0.9, "batch": 128, "epochs": 10,
                      "val_split": 0.1},
    "digits-lstm": {"data": "digits", "arch": "rnn", "task": "multiclass", "cell": "lstm", "hidden": [64],
                    "opt": "nadam", "epochs": 20, "val_split": 0.25},
    "quantiles-mlp": {"data": "quantiles", "arch": "mlp", "task": "multiclass", "hidden": [64, 64, 64],
                      "act": "gelu", "epochs": 50, "val_split": 0.1},
    "hastie-logits": {"data": "hastie", "arch": "mlp", "task": "binary-logits", "hidden": [32, 32], "opt": "sgd",
                      "lr": 0.01, "momentum": 0.9, "nesterov": True, "epochs": 40, "val_split": 0.3},
    # Added at stop 28, tuning side too (NEWEST), first scored unseen with the rules frozen: tanh + SGD with momentum
    # and small batches, logits with RMSprop on a small data set, a regression trained by SGD, ELU with Nadam.
    "digits-tanh-sgd": {"data": "digits", "arch": "mlp", "task": "multiclass", "hidden": [128], "act": "tanh",
                        "opt": "sgd", "lr": 0.05, "momentum": 0.9, "batch": 16, "epochs": 30, "val_split": 0.15},
    "wine-logits-rmsprop": {"data": "wine", "arch": "mlp", "task": "multiclass-logits", "hidden": [64, 32],
                            "opt": "rmsprop", "batch": 8, "epochs": 60, "val_split": 0.25},
    "friedman-sgd": {"data": "friedman", "arch": "mlp", "task": "regression", "hidden": [32], "opt": "sgd",
                     "lr": 0.01, "momentum": 0.9, "epochs": 50, "val_split": 0.25},
    "cancer-elu": {"data": "cancer", "arch": "mlp", "task": "binary", "hidden": [64, 32], "act": "elu",
                   "opt": "nadam", "batch": 16, "epochs": 40},
}  # fmt: skip
EXTENSION = (
    "wine-mlp", "moons-binary", "blobs-logits", "wave-mlp", "circles-rmsprop", "digits-bn", "hard-logits",
    "linreg-early",
)  # fmt: skip
# Added at stop 27: every fault (FAULTS and EXTRA_FAULTS) on each, in a third loop after the others.
LATER = ("mnist-cnn-sgd", "digits-lstm", "quantiles-mlp", "hastie-logits")
# Added at stop 28: every fault on each, in a fourth loop after the others.
NEWEST = ("digits-tanh-sgd", "wine-logits-rmsprop", "friedman-sgd", "cancer-elu")
# no raw form: their "raw input" is the features x 1000
SYNTHETIC = ("friedman", "moons", "blobs", "wave", "circles", "hard", "linreg", "quantiles", "hastie")

DEFAULTS: dict[str, Any] = {
    "act": "relu",
    "opt": "adam",
    "lr": 1e-3,
    "momentum": 0.0,
    "batch": 32,
    "init": "glorot_uniform",
    "l1": 0.0,
    "l2": 0.0,
    "dropout": 0.0,
    "scale": "standard",
    "label_noise": 0.0,
    "sort": False,
    "imbalance": 1.0,
    "train_size": None,
    "loss": None,
    "norm": False,  # BatchNormalization after every hidden Dense
    "stop": None,  # "early": EarlyStopping(patience=5); "plateau-lr": ReduceLROnPlateau(patience=3)
    "val_split": 0.2,  # fit(validation_split=...)
    "cell": "gru",  # the recurrent layer of arch "rnn": "gru" or "lstm"
    "nesterov": False,  # SGD(nesterov=True)
}

CLASSIFIER = ("multiclass", "multiclass-logits", "binary", "binary-logits")


def _fault(base: dict[str, Any], fault: str) -> dict[str, Any] | None:
    """The changes one fault makes to a base, or None where the operator does not apply."""
    task, arch = base["task"], base["arch"]
    deep = [base["hidden"][0]] * 6
    table: dict[str, dict[str, Any] | None] = {
        "none": {},
        "none-sgd": {"opt": "sgd", "lr": 0.05, "momentum": 0.9},
        "none-long": {"epochs": base["epochs"] * 2},
        "lr-high": {"lr": 0.3 if task != "regression" else 0.5},
        "lr-huge-sgd": {"opt": "sgd", "lr": 5.0 if task != "regression" else 0.5},
        "lr-tiny": {"lr": 1e-6},
        "sgd-slow": {"opt": "sgd", "lr": 1e-3},
        "act-linear-deep": {"act": None, "hidden": deep} if arch == "mlp" else None,
        "act-sigmoid-deep": {"act": "sigmoid", "hidden": [32] * 8, "opt": "sgd", "lr": 0.05} if arch == "mlp" else None,
        "act-tanh": {"act": "tanh"},
        "loss-mse": {"task": "mse-classifier"} if task == "multiclass" else None,
        "init-zeros": {"init": "zeros"} if arch == "mlp" else None,
        "init-large": {"init": "large"},
        "init-dead-bias": {"init": "dead-bias"} if arch == "mlp" else None,
        "batch-2": {"batch": 2, "lr": 0.01} if base["data"] not in ("mnist",) else None,
        "batch-full": {"batch": 4096, "opt": "sgd", "lr": 0.01},
        "epochs-few": {"epochs": 3},
        "raw-input": {"scale": "raw"} if base["data"] not in SYNTHETIC else {"scale": "x1000"},
        "raw-target": {"scale": "raw-target"} if task == "regression" else None,
        "label-noise": {"label_noise": 0.5},
        "class-order": {"sort": True} if task in CLASSIFIER else None,
        "imbalance": {"imbalance": 25.0} if task in CLASSIFIER else None,
        "l2-strong": {"l2": 0.5},
        "l1-strong": {"l1": 0.02},
        "l2-mild": {"l2": 1e-4},
        "dropout-high": {"dropout": 0.85} if arch == "mlp" else {"dropout": 0.7},
        "dropout-mild": {"dropout": 0.2},
        "layers-removed": {"hidden": []} if arch == "mlp" else None,
        "overfit-small-data": {"train_size": 120, "hidden": [512, 512], "epochs": base["epochs"] * 3}
        if arch == "mlp" and base["data"] not in ("iris",)
        else None,
        # EXTRA_FAULTS (extension bases only)
        "lr-mid": {"lr": 0.01} if base.get("opt", "adam") != "sgd" else {"lr": 0.1},
        "opt-adagrad": {"opt": "adagrad", "lr": 1e-3},
        "label-noise-mild": {"label_noise": 0.2},
        "batch-large": {"batch": 512},
        "epochs-many": {"epochs": base["epochs"] * 4, "stop": None},
        "train-small": {"train_size": 200},
    }
    return table[fault]


FAULTS = [
    "none", "none-sgd", "none-long", "lr-high", "lr-huge-sgd", "lr-tiny", "sgd-slow", "act-linear-deep",
    "act-sigmoid-deep", "act-tanh", "loss-mse", "init-zeros", "init-large", "init-dead-bias", "batch-2", "batch-full",
    "epochs-few", "raw-input", "raw-target", "label-noise", "class-order", "imbalance", "l2-strong", "l1-strong",
    "l2-mild", "dropout-high", "dropout-mild", "layers-removed", "overfit-small-data",
]  # fmt: skip

# Plain logs a learner's script writes, and kerasdiag's own run directory. `tf_keras` only writes what it can.
# kerasdiag's own runs come up 4 times in 13: they carry the probes that the gradient and unit labels are scored on.
LAYOUTS = ["kerasdiag", "keras-tb", "csv", "kerasdiag", "history-json", "tape", "kerasdiag", "torch-scalars",
           "torch-add-scalars", "kerasdiag", "tf-keras-tb", "keras-tb-batch", "tf-keras-csv"]  # fmt: skip
SEEDS = (0, 1)
# More operators, run on the EXTENSION bases only (so every earlier run keeps its id and layout).
EXTRA_FAULTS = ["lr-mid", "opt-adagrad", "label-noise-mild", "batch-large", "epochs-many", "train-small"]


def split_of(base: str, fault: str) -> str:
    """`tune` or `held-out`, by a hash of the configuration (about 50/50, the same for every seed and layout);
    the EXTENSION, LATER and NEWEST bases are all tuning."""
    if base in EXTENSION or base in LATER or base in NEWEST:
        return "tune"
    digest = hashlib.sha256(f"{base}--{fault}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "held-out"


def runs() -> list[dict[str, Any]]:
    """Every run of the corpus, each a full parameter dict with `id`, `seed`, `layout`, `split`."""
    found = []
    turn = 0
    pairs = [(name, fault) for name in BASES if name not in LATER and name not in NEWEST for fault in FAULTS]
    pairs += [(name, fault) for name in EXTENSION for fault in EXTRA_FAULTS]
    pairs += [(name, fault) for name in LATER for fault in FAULTS + EXTRA_FAULTS]
    pairs += [(name, fault) for name in NEWEST for fault in FAULTS + EXTRA_FAULTS]
    for base_name, fault in pairs:
        base = BASES[base_name]
        change = _fault(base, fault)
        if change is None:
            continue
        for seed in SEEDS:
            layout = LAYOUTS[turn % len(LAYOUTS)]
            turn += 1
            params = {**DEFAULTS, **base, **change, "seed": seed, "layout": layout, "base": base_name, "fault": fault}
            params["id"] = f"{base_name}--{fault}--s{seed}--{layout}"
            params["split"] = split_of(base_name, fault)
            found.append(params)
    return found
