"""Shared option stacks and parameter types: the train flags, reused by sweep."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kerasdiag.cli.base import remember_lang
from kerasdiag.cli.param_types import BoundedInt, ExistingDir, FiniteFloat, OutputDir, RunName
from kerasdiag.config import (
    ACTIVATIONS,
    INITIALIZERS,
    LINEAR,
    Backend,
    Dataset,
    FitMode,
    ModelKind,
    Optimizer,
    Pool,
    RunConfig,
)
from kerasdiag.errors import ConfigError
from kerasdiag.limits import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_LAYERS, MAX_SEED
from kerasdiag.messages import say
from kerasdiag.messages.language import language_from_locale

MAX_TRAIN_SIZE = 10**9


class IntList(click.ParamType):
    """Comma-separated integers, e.g. `256,128`."""

    name = "N[,N...]"

    def __init__(self, minimum: int = 0):
        self.minimum = minimum

    def convert(self, value: Any, param: Any, ctx: Any) -> list[int]:
        if isinstance(value, list):
            return value
        try:
            numbers = [int(part) for part in str(value).split(",") if part.strip()]
        except ValueError:
            self.fail(f"Expected comma-separated integers. Received: {value!r}", param, ctx)
        if not numbers or min(numbers) < self.minimum:
            self.fail(f"Expected comma-separated integers >= {self.minimum}. Received: {value!r}", param, ctx)
        return numbers


def data_options(func: Callable) -> Callable:
    options = [
        click.option("--dataset", type=click.Choice([d.value for d in Dataset]), default="mnist", help="Data set."),
        click.option(
            "--data-dir",
            envvar="KERASDIAG_DATA_DIR",
            type=click.Path(path_type=Path, exists=True, readable=True),
            help="Folder (or .npz) with MNIST: a Keras-layout mnist.npz or the IDX .gz files. "
            "Default: Keras's cache ~/.keras/datasets/mnist.npz. Also $KERASDIAG_DATA_DIR.",
        ),
        click.option(
            "--train-size", type=BoundedInt(2, MAX_TRAIN_SIZE), help="Subsample the training set (stratified)."
        ),
        click.option("--classes", type=IntList(), help="Keep only these labels, re-indexed, e.g. 3,8 (two classes)."),
        click.option(
            "--validation-split",
            type=FiniteFloat(0, 1, low_open=True, high_open=True),
            default=0.2,
            help="Fraction of the training data held out for validation (taken from the end, like Keras).",
        ),
        click.option(
            "--shuffle/--no-shuffle",
            default=True,
            help="Shuffle before the validation split; --no-shuffle keeps file order (Keras's behaviour).",
        ),
        click.option(
            "--normalize/--no-normalize",
            default=True,
            help="Scale inputs (pixels to [0, 1], features to mean 0 and std 1); --no-normalize leaves them raw.",
        ),
        click.option("--seed", type=BoundedInt(0, MAX_SEED), default=0, help="Random seed for data and weights."),
    ]
    return _stack(func, options)


def model_options(func: Callable) -> Callable:
    options = [
        click.option("--model", type=click.Choice([m.value for m in ModelKind]), default="mlp", help="Model family."),
        click.option(
            "--layers",
            type=BoundedInt(0, MAX_LAYERS),
            default=2,
            help="Number of hidden Dense layers (the softmax output layer is extra).",
        ),
        click.option(
            "--units", type=IntList(minimum=1), default="128", help="Units per hidden layer, or one per layer."
        ),
        click.option("--activation", type=click.Choice(ACTIVATIONS), default="relu", help="Hidden activation."),
        click.option("--no-activation", is_flag=True, help="Identity hidden layers (no non-linearity)."),
        click.option("--dropout", type=FiniteFloat(0, 1, high_open=True), default=0.0, help="Dropout rate."),
        click.option("--l1", type=FiniteFloat(0), default=0.0, help="L1 kernel penalty."),
        click.option("--l2", type=FiniteFloat(0), default=0.0, help="L2 kernel penalty (weight decay)."),
        click.option("--batch-norm", is_flag=True, help="Batch normalisation after each hidden layer."),
        click.option("--residual", is_flag=True, help="Shortcut connections between equal-width hidden layers."),
        click.option("--init", type=click.Choice(INITIALIZERS), default="glorot_uniform", help="Kernel initialiser."),
        click.option("--conv-filters", type=IntList(minimum=1), default="32,64", help="CNN: filters per conv block."),
        click.option("--kernel-size", type=BoundedInt(1, 28), default=3, help="CNN: convolution kernel size."),
        click.option("--pool", type=click.Choice([p.value for p in Pool]), default="max", help="CNN: pooling."),
    ]
    return _stack(func, options)


def fit_options(func: Callable) -> Callable:
    options = [
        click.option("--optimizer", type=click.Choice([o.value for o in Optimizer]), default="sgd", help="Optimizer."),
        click.option(
            "--lr", type=FiniteFloat(0, low_open=True), help="Learning rate. Default: 0.01 sgd, 0.001 others."
        ),
        click.option("--momentum", type=FiniteFloat(0, 1), default=0.0, help="Momentum (sgd, rmsprop)."),
        click.option("--weight-decay", type=FiniteFloat(0), default=0.0, help="Decoupled decay (adamw, sgd)."),
        click.option("--epochs", type=BoundedInt(1, MAX_EPOCHS), default=20, help="Training epochs."),
        click.option("--batch-size", type=BoundedInt(1, MAX_BATCH_SIZE), default=128, help="Batch size."),
        click.option(
            "--backend", type=click.Choice([b.value for b in Backend]), default="tensorflow", help="Keras backend."
        ),
        click.option("--logdir", type=OutputDir(), default="runs", help="Runs folder."),
        click.option(
            "--name", type=RunName(), help="Run directory name (default: time stamp and flags). Never overwritten."
        ),
        click.option("--probe-every", type=BoundedInt(1, MAX_EPOCHS), default=1, help="Epochs between probes."),
        click.option(
            "--fit-mode",
            type=click.Choice([m.value for m in FitMode]),
            default="auto",
            help="auto: compiled whole epochs where supported (JAX backend), else model.fit; "
            "fast: require the compiled path; keras: always model.fit.",
        ),
    ]
    return _stack(func, options)


def lang_option(help: str) -> Callable:
    """`--lang en|ja`, defaulting to the locale (LANG and friends), else English."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "ja"]),
        default=language_from_locale,
        show_default="from LANG, else en",
        callback=remember_lang,
        is_eager=True,
        help=help,
    )


def _stack(func: Callable, options: list[Callable]) -> Callable:
    for option in reversed(options):
        func = option(func)
    return func


def config_from_flags(flags: dict[str, Any]) -> RunConfig:
    """RunConfig from the parsed train flags (shared by train and sweep)."""
    flags = dict(flags)
    if flags.pop("no_activation", False):
        flags["activation"] = LINEAR
    for key in ("data_dir", "logdir"):
        if flags.get(key) is not None:
            flags[key] = str(flags[key])
    try:
        return RunConfig(**flags).validate()
    except TypeError as exc:  # pragma: no cover - a flag without a RunConfig field is a bug
        raise ConfigError(say("config.flags"), str(exc)) from None


# An existing run directory (or folder of runs), as compare, report and board take it.
RUN_PATH = ExistingDir()
