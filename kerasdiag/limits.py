"""Limits on what a flag may ask for: run names that stay one folder, and models that fit one machine.

Checked before any data is loaded or any Keras layer is built, so a mistyped `--units 1000000000`
is refused at once with the reason, not after minutes or an out-of-memory kill. The caps are
named here; each error message says which one was hit.

Example:

```python
run_name_problem("../x")  # "name='../x' (a path, not one folder name)" (a `Said`: `.get("ja")` too)
estimate_size(RunConfig(dataset="mnist", layers=2, units=[128]))  # Size(params=118282, ...)
```
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from kerasdiag.errors import ConfigError
from kerasdiag.messages import say
from kerasdiag.messages.said import Said

MAX_NAME_LENGTH = 100  # characters of a run, sweep or output-folder name (one path component)
MAX_SEED = 2**31 - 1  # numpy and the backends take 32-bit seeds; per-layer seeds are derived from it
MAX_EPOCHS = 1_000_000
MAX_BATCH_SIZE = 2**31 - 1
MAX_LAYERS = 256  # hidden Dense layers
MAX_UNITS = 65_536  # units of one hidden layer, or filters of one conv block
MAX_PARAMS = 100_000_000  # weights of the whole model (400 MB of float32, several times that to train)
MAX_ACTIVATION_BYTES = 4 * 2**30  # float32 activations of one batch through the model
MAX_SWEEP_RUNS = 1_000  # settings x repeats of one sweep
MAX_FIX_SEEDS = 100  # seeds per config of `kerasdiag fix` (each fix trains this many runs)

# What a reader takes from a file (rundir/): checked before a byte is read or an array allocated, so that no file
# (a 3.5 GB event file, a zip bomb, a line without an end, /dev/zero behind a symlink) makes `diagnose`, `report`
# or `compare` run out of memory or time. Past a cap a file is not read (or not read further), and the run's
# problems say which file and which cap, by these names.
MAX_RUN_JSON_BYTES = 16 * 2**20  # run.json (a few KB; read whole)
MAX_DIAGNOSIS_JSON_BYTES = 16 * 2**20  # diagnosis.json (read whole)
MAX_HISTORY_BYTES = 2 * 2**30  # history.jsonl (read one line at a time; about 2 KB an epoch with probes)
MAX_HISTORY_LINE_BYTES = 2**20  # one history.jsonl line (a 256-layer model's probes take about 40 KB)
MAX_READ_EPOCHS = MAX_EPOCHS  # epochs of one run read from any log; later ones are not read
MAX_LOG_FILE_BYTES = 50_000_000  # a CSVLogger file or a History JSON file (read whole)
MAX_EVENT_FILE_BYTES = 2**30  # one TensorBoard event file (read one record at a time; the rest not read)
MAX_EVENT_RECORD_BYTES = 64 * 2**20  # one TFRecord of an event file (a larger declared length is damage)
MAX_EVENT_FILES = 1_000  # event files per split folder (the newest are read)
MAX_EVENT_VALUES = 5_000_000  # scalar values (tag x step) kept from one split folder, all its files together
MAX_PREDICTION_BYTES = 2**30  # predictions.npz: its arrays' size once loaded, all together
MAX_CLASSES = 100_000  # classes of a run's data summary or prediction columns (ImageNet-21k has 21,843)

RUN_NAME_RULE = Said("limits.run_name_rule", max=MAX_NAME_LENGTH)

# What kerasdiag knows about each data set before loading it: sample shape, classes, most training samples.
DATA_SHAPES: dict[str, tuple[tuple[int, ...], int, int]] = {
    "mnist": ((28, 28, 1), 10, 60_000),
    "digits": ((8, 8, 1), 10, 1_437),
    "iris": ((4,), 3, 150),
}


def run_name_problem(name: str) -> str | None:
    """What makes `name` unusable as one folder name under `--logdir`, or None when it is fine."""
    shown = repr(name if len(name) <= 40 else name[:37] + "...")
    if not name.strip():
        return Said("limits.name.empty", name=shown)
    if len(name) > MAX_NAME_LENGTH:
        return Said("limits.name.too_long", name=shown, length=len(name))
    if "/" in name or "\\" in name:
        return Said("limits.name.path", name=shown)
    if name in (".", "..") or ".." in name:
        return Said("limits.name.dots", name=shown)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return Said("limits.name.control", name=shown)
    return None


def safe_run_name(text: str) -> str:
    """`text` made into an acceptable run name: path separators replaced, long names cut with a hash kept."""
    name = "".join("_" if ch in "/\\" or ord(ch) < 32 or ord(ch) == 127 else ch for ch in text).replace("..", "_")
    if len(name) > MAX_NAME_LENGTH:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        name = f"{name[: MAX_NAME_LENGTH - 9]}-{digest}"
    return name or "run"


@dataclass(frozen=True)
class Size:
    """What a config's model will need, estimated from the flags alone."""

    params: int
    activation_bytes: int


def estimate_size(config: Any) -> Size:
    """Parameters of the model `config` describes, and float32 activation bytes of one batch (forward only)."""
    shape, classes, samples = DATA_SHAPES.get(config.dataset, DATA_SHAPES["mnist"])
    if config.classes:
        classes = len(config.classes)
    params, per_sample = 0, 0
    features = math.prod(shape)
    if config.model == "cnn" and len(shape) == 3:
        height, width, channels = shape
        for filters in config.conv_filters:
            params += config.kernel_size**2 * channels * filters + filters
            per_sample += height * width * filters
            if height >= 2 and width >= 2:
                height, width = height // 2, width // 2
            channels = filters
        features = height * width * channels
    for units in config.layer_units:
        params += features * units + units
        per_sample += units
        features = units
    params += features * classes + classes
    batch = min(config.batch_size, samples)
    return Size(params=params, activation_bytes=4 * batch * (per_sample + classes))


def check_size(config: Any) -> None:
    """Raise ConfigError when `config` asks for more than one machine should try (caps above)."""
    if config.layers > MAX_LAYERS:
        expected = say("limits.at_most", flag="--layers", limit=MAX_LAYERS, name="MAX_LAYERS")
        raise ConfigError(expected, f"layers={config.layers}", flag="--layers")
    for flag, values in (("--units", config.units), ("--conv-filters", config.conv_filters)):
        if max(values, default=0) > MAX_UNITS:
            expected = say("limits.each_at_most", flag=flag, limit=f"{MAX_UNITS:,}", name="MAX_UNITS")
            raise ConfigError(expected, f"{max(values):,}", flag=flag)
    shape = DATA_SHAPES.get(config.dataset, DATA_SHAPES["mnist"])[0]
    if config.model == "cnn" and len(shape) == 3 and config.kernel_size > min(shape[:2]):
        raise ConfigError(
            say("limits.kernel_size", side=min(shape[:2]), dataset=config.dataset),
            f"kernel_size={config.kernel_size}",
            flag="--kernel-size",
        )
    size = estimate_size(config)
    if size.params > MAX_PARAMS:
        raise ConfigError(
            say("limits.params", limit=f"{MAX_PARAMS:,}"),
            say(
                "limits.params.received",
                count=f"{size.params:,}",
                layers=config.layers,
                units=",".join(map(str, config.units)),
            ),
            flag="--units",
        )
    if size.activation_bytes > MAX_ACTIVATION_BYTES:
        raise ConfigError(
            say("limits.activations", limit=f"{MAX_ACTIVATION_BYTES / 2**30:.0f}"),
            say(
                "limits.activations.received",
                size=f"{size.activation_bytes / 2**30:,.1f}",
                batch_size=config.batch_size,
            ),
            flag="--batch-size",
        )
