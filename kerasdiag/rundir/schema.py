"""The run directory's contract (schema 1), shared by its writer and every reader.

File names, history.jsonl keys and the TensorBoard tags kerasdiag writes next to
Keras's own. A change here is a change of contract: bump SCHEMA_VERSION.
"""

from __future__ import annotations

SCHEMA_VERSION = 2  # 2: run.json `anatomy` (task, loss, classes, layer graph); 1 still read

RUN_JSON = "run.json"
HISTORY = "history.jsonl"
PREDICTIONS = "predictions.npz"
DIAGNOSIS = "diagnosis.json"
TRAIN_DIR = "train"
VALIDATION_DIR = "validation"

# Epoch metrics in history.jsonl (top-level keys of each line).
METRIC_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate")
# Other names Keras logs a metric under, read where a history line lacks kerasdiag's own (first found wins): Keras 2
# scripts' `metrics=["acc"]`, a metric object's own name, the learning rate as Keras 2 logged it.
_ACCURACY_NAMES = ("acc", "sparse_categorical_accuracy", "categorical_accuracy", "binary_accuracy")
METRIC_ALIASES = {
    "accuracy": _ACCURACY_NAMES,
    "val_accuracy": tuple(f"val_{name}" for name in _ACCURACY_NAMES),
    "learning_rate": ("lr",),
}

# Keys of the per-layer `probes` of a history line.
GRAD_NORM = "grad_norm"
DATA_GRAD_NORM = "data_grad_norm"  # with an L1/L2 penalty: the gradient of the data loss alone (the learning signal)
WEIGHT_NORM = "weight_norm"
UPDATE_RATIO = "update_ratio"
DEAD_FRACTION = "dead_fraction"
SATURATED_FRACTION = "saturated_fraction"
GRAD_NORM_STEP_MEAN = "grad_norm_step_mean"  # fast path: mean over every step of the epoch
GRAD_NORM_STEP_MAX = "grad_norm_step_max"  # fast path: largest single-step gradient norm

# What the probes measure: `ProbeCallback` and the vectorised program write them, the rules judge them.
PROBE_BATCH = 512  # probe samples: the first of the (shuffled) training split
DYING = ("relu",)  # DEAD_FRACTION is measured on these: units that output exactly 0 for negative inputs can die
SATURATING = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # SATURATED_FRACTION on these: output bounds
SATURATION_MARGIN = 0.01  # an output this close to a bound is saturated
NEAR_MARGIN = 0.15  # a wrong probe sample whose p(true) is this close to the winner's is near (`probe_near`)
# Activation families as model configs name them: dead-relu judges the ReLU family, saturation the squashing ones.
RELU_FAMILY = ("relu", "leaky_relu", "relu6", "elu", "selu", "gelu")
# Those whose output and gradient are exactly 0 for every negative input: units that can die (a model config names
# them as a layer's activation). Leaky ReLU, ELU, SELU and GELU keep a gradient there and cannot.
CAN_DIE = ("relu", "relu6")
SQUASHING = ("sigmoid", "tanh", "softsign", "hard_sigmoid")

# Keras's own scalar tags: history key -> tag (in train/ for `key`, in validation/ for `val_<key>`).
EPOCH_TAGS = {"loss": "epoch_loss", "accuracy": "epoch_accuracy"}
LEARNING_RATE_TAG = "epoch_learning_rate"
MODEL_CONFIG_TAG = "keras"  # text tag: the model's JSON config, as keras.callbacks.TensorBoard writes it
DIAGNOSIS_TAG = "diagnosis"  # text tag: the findings as Markdown
WEIGHTS_TAG = "weights"  # histogram tags weights/<layer>
BATCH_LOSS_TAG = "batch_loss"  # scalar tags batch_loss/<mean|std|min|max>

# TensorBoard tag (in train/) of each key of a history line's `extra`.
EXTRA_TAGS = {
    "data_loss": "probe/data_loss",
    "penalty_loss": "penalty_loss",
    "probe_samples": "probe/samples",
    "probe_wrong": "probe/wrong",
    "probe_near": "probe/near",
    "near_margin": "probe/near_margin",
    "probe_mean_p_true": "probe/mean_p_true",
}
