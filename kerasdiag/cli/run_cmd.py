"""`kerasdiag run`: run a learner's own Keras script unchanged, every `model.fit` inside diagnosed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kerasdiag.cli.options import lang_option
from kerasdiag.config import Backend
from kerasdiag.messages import text


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("script", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("script_args", nargs=-1, type=click.UNPROCESSED)
@click.option("--logdir", type=click.Path(path_type=Path, file_okay=False), default="runs", help="Runs folder.")
@click.option(
    "--backend",
    type=click.Choice([b.value for b in Backend]),
    help="Keras backend for the script. Default: $KERAS_BACKEND, else Keras's own (tensorflow).",
)
@click.option("--quiet", "-q", is_flag=True, help="Findings without explanations, and no live warnings.")
@lang_option("Language of the diagnosis.")
def run(script: Path, script_args: tuple[str, ...], logdir: Path, backend: str | None, quiet: bool, lang: str) -> None:
    """Run SCRIPT with its ARGS; every model.fit inside writes a run directory and is diagnosed.

    The script runs unchanged, in this process: its own callbacks (TensorBoard,
    EarlyStopping, ModelCheckpoint) keep working, several fits make several runs,
    Ctrl-C keeps every finished epoch, and the script's exit code is passed through.

    \b
    Examples:
      kerasdiag run examples/iris_flat_accuracy.py --data-dir ../shared/data/mnist-10k
      kerasdiag run --logdir runs my_script.py --epochs 5     # kerasdiag's options go before SCRIPT
    """
    from kerasdiag.training.backends.select import quiet_tensorflow_start, select_backend

    if backend is not None:
        select_backend(backend)
    quiet_tensorflow_start()  # the script's own `import keras` or TensorFlow, too
    from kerasdiag.training.script.instrument import run_script

    def make_callback() -> Any:
        from kerasdiag.keras import Diagnose  # imports keras: only once the script has imported it

        return Diagnose(logdir, verbose=2 if quiet else 1, lang=lang, script=str(script), progress=True)

    result = run_script(script, list(script_args), make_callback, lang)
    if not quiet and len(result.runs) > 1:
        click.echo(text("run.runs", lang, count=len(result.runs), paths=", ".join(str(p) for p in result.runs)))
    sys.exit(result.exit_code)
