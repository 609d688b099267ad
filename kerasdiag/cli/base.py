"""The `kerasdiag` group: global flags, and domain errors turned into one-line messages."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kerasdiag import __version__
from kerasdiag.errors import ConfigError, ExitCode, KerasdiagError


class KerasdiagGroup(click.Group):
    """Turns domain errors into one-line messages: exit 2 for bad flag combinations, 1 otherwise."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.UsageError(str(exc), ctx) from None
        except KerasdiagError as exc:
            if _debug(ctx):
                raise
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            message = f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)"
            raise click.ClickException(message) from None


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug")) or bool(os.environ.get("KERASDIAG_DEBUG"))


def default_lang() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return "ja" if os.environ[name].startswith("ja") else "en"
    return "en"


@click.group(cls=KerasdiagGroup, context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="kerasdiag")
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
def main(debug: bool) -> None:
    """Train small Keras models from flags and explain what went wrong, with evidence.

    \b
    Example:
      kerasdiag train --layers 5 --no-activation --data-dir ../shared/data/mnist-10k
      kerasdiag diagnose runs/
      tensorboard --logdir runs
    """
