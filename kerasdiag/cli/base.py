"""The `kerasdiag` group: global flags, and domain errors turned into one-line messages."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kerasdiag import __version__
from kerasdiag.cli.param_types import LANG_META, command_lang
from kerasdiag.errors import ConfigError, ExitCode, KerasdiagError
from kerasdiag.messages import LANGUAGES, text
from kerasdiag.render.safe import printable


class KerasdiagGroup(click.Group):
    """Turns domain errors into one-line messages in the command's `--lang` (else the locale's): exit 2 for bad
    flag combinations, 1 otherwise. Click's own usage errors (unknown options, bad values) stay in English.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Read the command's `--lang` first, so that refused flag values are already in that language."""
        for index, arg in enumerate(args):
            if arg == "--":
                break
            value = args[index + 1] if arg == "--lang" and index + 1 < len(args) else arg.partition("=")[2]
            if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGUAGES:
                ctx.meta[LANG_META] = value
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.UsageError(printable(exc.get(command_lang(ctx))), ctx) from None
        except KerasdiagError as exc:
            if _debug(ctx):
                raise
            raise click.ClickException(printable(exc.get(command_lang(ctx)))) from None
        except KeyboardInterrupt:
            click.echo(text("cli.interrupted", command_lang(ctx)), err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            message = printable(text("cli.unexpected", command_lang(ctx), kind=type(exc).__name__, error=exc))
            raise click.ClickException(message) from None


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug")) or bool(os.environ.get("KERASDIAG_DEBUG"))


def remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """`--lang`'s callback: keep the language where `KerasdiagGroup` finds it for error messages."""
    ctx.meta[LANG_META] = value
    return value


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
