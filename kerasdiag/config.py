"""RunConfig: every `kerasdiag train` flag as one validated, JSON-friendly dataclass."""

from __future__ import annotations

import dataclasses
import enum
import math
import os
from dataclasses import dataclass
from typing import Any

from kerasdiag.errors import ConfigError
from kerasdiag.limits import (
    DATA_SHAPES,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_SEED,
    RUN_NAME_RULE,
    check_size,
    run_name_problem,
)
from kerasdiag.messages import say


class Dataset(str, enum.Enum):
    MNIST = "mnist"
    IRIS = "iris"
    DIGITS = "digits"


class ModelKind(str, enum.Enum):
    MLP = "mlp"
    CNN = "cnn"


class Optimizer(str, enum.Enum):
    SGD = "sgd"
    ADAM = "adam"
    RMSPROP = "rmsprop"
    ADAMW = "adamw"


class Backend(str, enum.Enum):
    TENSORFLOW = "tensorflow"
    JAX = "jax"
    TORCH = "torch"


class FitMode(str, enum.Enum):
    AUTO = "auto"
    FAST = "fast"
    KERAS = "keras"


class Pool(str, enum.Enum):
    MAX = "max"
    AVG = "avg"


ACTIVATIONS = ("relu", "sigmoid", "tanh", "elu", "selu", "gelu", "leaky_relu")
LINEAR = "linear"  # what --no-activation means: identity hidden layers
INITIALIZERS = (
    "glorot_uniform",
    "glorot_normal",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "random_normal",
    "zeros",
)
DEFAULT_LR = {"sgd": 0.01, "adam": 0.001, "rmsprop": 0.001, "adamw": 0.001}


@dataclass
class RunConfig:
    """The full description of one training run; `run.json` stores it verbatim."""

    dataset: str = "mnist"
    data_dir: str | None = None
    train_size: int | None = None
    classes: list[int] | None = None
    validation_split: float = 0.2
    shuffle: bool = True
    normalize: bool = True
    seed: int = 0
    model: str = "mlp"
    layers: int = 2
    units: list[int] = dataclasses.field(default_factory=lambda: [128])
    activation: str = "relu"
    dropout: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    batch_norm: bool = False
    residual: bool = False
    init: str = "glorot_uniform"
    conv_filters: list[int] = dataclasses.field(default_factory=lambda: [32, 64])
    kernel_size: int = 3
    pool: str = "max"
    optimizer: str = "sgd"
    lr: float | None = None
    momentum: float = 0.0
    weight_decay: float = 0.0
    epochs: int = 20
    batch_size: int = 128
    backend: str = "tensorflow"
    logdir: str = "runs"
    name: str | None = None
    probe_every: int = 1
    fit_mode: str = "auto"

    @property
    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimizer]

    @property
    def layer_units(self) -> list[int]:
        """Units of each hidden Dense layer: one value repeated, or one per layer."""
        if len(self.units) == 1:
            return self.units * self.layers
        return list(self.units)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def validate(self) -> RunConfig:
        """Check the combinations single flags cannot; raise ConfigError naming both sides."""
        _check_choice("dataset", self.dataset, [d.value for d in Dataset])
        _check_choice("model", self.model, [m.value for m in ModelKind])
        _check_choice("activation", self.activation, [*ACTIVATIONS, LINEAR])
        _check_choice("optimizer", self.optimizer, [o.value for o in Optimizer])
        _check_choice("backend", self.backend, [b.value for b in Backend])
        _check_choice("pool", self.pool, [p.value for p in Pool])
        _check_choice("fit_mode", self.fit_mode, [m.value for m in FitMode])
        _check_range("layers", self.layers, 0, None)
        _check_range("epochs", self.epochs, 1, MAX_EPOCHS)
        _check_range("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        _check_range("probe_every", self.probe_every, 1, None)
        _check_range("kernel_size", self.kernel_size, 1, None)
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(say("config.dropout"), f"dropout={self.dropout}")
        if not 0.0 < self.validation_split < 1.0:
            raise ConfigError(say("config.validation_split"), f"validation_split={self.validation_split}")
        problem = run_name_problem(self.name) if self.name is not None else None
        if problem:
            raise ConfigError(say("config.name", rule=RUN_NAME_RULE), problem, flag="--name")
        for name in ("lr", "l1", "l2", "momentum", "weight_decay", "dropout", "validation_split"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ConfigError(say("config.finite", flag=f"--{name.replace('_', '-')}"), f"{name}={value}")
        _check_range("seed", self.seed, 0, MAX_SEED)
        for name in ("l1", "l2", "momentum", "weight_decay"):
            if getattr(self, name) < 0:
                expected = say("config.at_least", flag=f"--{name.replace('_', '-')}", low=0)
                raise ConfigError(expected, f"{name}={getattr(self, name)}")
        if self.lr is not None and self.lr <= 0:
            raise ConfigError(say("config.positive", flag="--lr"), f"lr={self.lr}")
        if len(self.units) not in (1, self.layers) or any(u < 1 for u in self.units):
            raise ConfigError(
                say("config.units", layers=self.layers),
                f"units={','.join(map(str, self.units))}",
            )
        self._validate_structure()
        check_size(self)
        return self

    def _validate_structure(self) -> None:
        if self.classes is not None and len(set(self.classes)) != len(self.classes):
            raise ConfigError(say("config.classes_distinct"), f"classes={self.classes}")
        if self.classes is not None and len(self.classes) < 2:
            raise ConfigError(say("config.classes_two"), f"classes={self.classes}")
        if self.residual and self.layers < 2:
            raise ConfigError(say("config.residual"), f"layers={self.layers}")
        if self.model == ModelKind.CNN.value and self.dataset == Dataset.IRIS.value:
            raise ConfigError(say("config.cnn_images"), "dataset=iris")
        if self.weight_decay and self.optimizer not in ("sgd", "adamw"):
            raise ConfigError(say("config.weight_decay"), f"optimizer={self.optimizer}")
        if self.train_size is not None and self.train_size < 2:
            raise ConfigError(say("config.at_least", flag="--train-size", low=2), f"train_size={self.train_size}")
        known = self.known_samples()
        if self.train_size is not None and known is not None and self.train_size > known:
            expected = say("safety.train_size.at_most", samples=f"{known:,}", dataset=self.dataset)
            raise ConfigError(expected, f"train_size={self.train_size}", flag="--train-size")

    def known_samples(self) -> int | None:
        """How many samples `--train-size` can take from the data set, where the flags alone tell (else None).

        Iris has 150 (50 a class), digits' training split 1,437, Keras's MNIST 60,000; with `--classes` on
        digits or MNIST, or MNIST from `--data-dir` or `$KERASDIAG_DATA_DIR`, only loading the data tells.
        """
        _, _, samples = DATA_SHAPES.get(self.dataset, (None, 0, 0))
        if self.dataset == Dataset.IRIS.value:
            return samples if self.classes is None else samples // 3 * len(set(self.classes))
        if self.classes is not None or not samples:
            return None
        if self.dataset == Dataset.MNIST.value and (self.data_dir or os.environ.get("KERASDIAG_DATA_DIR")):
            return None
        return int(samples)

    def short_name(self) -> str:
        """A readable run-name stem: `mnist-mlp-l5-linear`."""
        act = "linear" if self.activation == LINEAR else self.activation
        parts = [self.dataset, self.model, f"l{self.layers}", act]
        if self.dropout:
            parts.append(f"do{self.dropout:g}")
        if self.l1:
            parts.append(f"l1-{self.l1:g}")
        if self.l2:
            parts.append(f"l2-{self.l2:g}")
        return "-".join(parts)


def _check_choice(name: str, value: str, choices: list[str]) -> None:
    if value not in choices:
        raise ConfigError(say("config.one_of", flag=f"--{name}", choices=", ".join(choices)), f"{name}={value}")


def _check_range(name: str, value: int, low: int, high: int | None) -> None:
    if value < low or (high is not None and value > high):
        flag = f"--{name.replace('_', '-')}"
        expected = (
            say("config.at_least", flag=flag, low=low)
            if high is None
            else say("config.in_range", flag=flag, low=low, high=high)
        )
        raise ConfigError(expected, f"{name}={value}")
