"""`kerasdiag train`: one run from flags, its static checks before and its diagnosis after."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape

from kerasdiag.cli.options import config_from_flags, data_options, fit_options, lang_option, model_options
from kerasdiag.errors import ExitCode
from kerasdiag.messages import text
from kerasdiag.render.console import print_prose


@click.command()
@data_options
@model_options
@fit_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no diagnosis details.")
@lang_option("Language of the diagnosis.")
def train(quiet: bool, lang: str, **flags: Any) -> None:
    """Train a Keras model from flags; write runs/<run>/ and diagnose it.

    \b
    Examples:
      kerasdiag train --layers 5 --no-activation                    # scenario 1 (MNIST)
      kerasdiag train --dataset iris --layers 1 --units 8 --optimizer adam \\
          --lr 0.0005 --epochs 200 --batch-size 5 --no-shuffle       # scenario 4
      kerasdiag train --model cnn --classes 3,8 --train-size 2000    # a small two-class CNN
    """
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    from kerasdiag.render.terminal import print_diagnosis
    from kerasdiag.training.flags.run import train as run_training

    config = config_from_flags(flags)

    def show_static(diagnosis: Any) -> None:
        if diagnosis.findings:
            print_prose(console, text("train.before", lang), lang)
            print_diagnosis(console, diagnosis, lang, verbose=not quiet)

    progress = console if (console.is_terminal and not quiet) else None
    result = run_training(config, progress_console=progress, on_static=show_static, lang=lang)
    _print_summary(result, lang)
    print_diagnosis(console, result.diagnosis, lang, verbose=not quiet)
    if result.status == "interrupted":
        raise click.exceptions.Exit(ExitCode.INTERRUPTED)


def _print_summary(result: Any, lang: str) -> None:
    from kerasdiag.render.console import stdout_console

    console = stdout_console()

    record = result.record
    val_acc = record.series("val_accuracy")
    val_loss = record.series("val_loss")
    status = text(f"run.status.{result.status}", lang)
    seconds = f"{result.seconds:.1f}"
    print_prose(
        console,
        text(
            "train.summary",
            lang,
            name=escape(result.path.name),
            status=status,
            epochs=len(record.epochs),
            seconds=seconds,
        ),
        lang,
    )
    if len(val_acc) and result.best_epoch:
        best = result.best_epoch - 1
        numbers = {
            "val_acc": f"{val_acc[-1]:.4f}",
            "val_loss": f"{val_loss[-1]:.4f}",
            "best_loss": f"{val_loss[best]:.4f}",
            "best_epoch": result.best_epoch,
            "best_acc": f"{val_acc[best]:.4f}",
        }
        print_prose(console, text("train.final", lang, **numbers), lang)
    _print_gradients(record, lang)
    print_prose(console, text("cli.run_directory", lang, path=escape(str(result.path))), lang)
    print_prose(console, text("cli.tensorboard", lang, logdir=escape(str(result.path.parent))), lang)


def _print_gradients(record: Any, lang: str) -> None:
    """The last probed epoch's gradient norm per layer, input side first, and the first/last ratio."""
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    from kerasdiag.rundir.schema import GRAD_NORM

    probed = [e for e in record.epochs if e.probes]
    if not probed:
        return
    last = probed[-1]
    norms = [(name, values[GRAD_NORM]) for name, values in last.probes.items() if GRAD_NORM in values]
    if len(norms) < 2:
        return
    cells = "  ".join(f"{name} {value:.3g}" for name, value in norms)
    ratio = norms[0][1] / norms[-1][1] if norms[-1][1] else float("inf")
    print_prose(console, text("train.gradients", lang, epoch=last.epoch, cells=cells, ratio=f"{ratio:.3g}"), lang)
