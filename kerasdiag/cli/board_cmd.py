"""`kerasdiag board [LOGDIR]`: TensorBoard on a folder of runs, on 127.0.0.1 unless exposed on purpose."""

from __future__ import annotations

from pathlib import Path

import click

from kerasdiag.cli.options import RUN_PATH, lang_option
from kerasdiag.cli.param_types import BoundedInt
from kerasdiag.messages import text


@click.command()
@click.argument("logdir", required=False, default="runs", type=RUN_PATH)
@click.option("--port", type=BoundedInt(1, 65535), default=6006, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", help="Address to listen on; other than loopback only with --expose.")
@click.option(
    "--expose", is_flag=True, help="Allow a --host other than loopback: anyone who can reach it sees the runs."
)
@lang_option("Language of kerasdiag's own lines (TensorBoard's pages stay as TensorBoard writes them).")
def board(logdir: Path, port: int, host: str, expose: bool, lang: str) -> None:
    """Start TensorBoard on a folder of runs (on 127.0.0.1 unless --host and --expose); Ctrl-C stops it.

    Shows Keras's epoch scalars, kerasdiag's probes (grad_norm/<layer>, ...),
    weight histograms and each run's diagnosis (Text tab).

    On a sweep's folder (runs/<sweep>, which the sweep prints at its end), TensorBoard shows that
    sweep's runs only.

    \b
    Examples:
      kerasdiag board runs --port 6007
      kerasdiag board runs/sweep-layers
    """
    from rich.markup import escape

    from kerasdiag.board.server import Board, is_loopback
    from kerasdiag.render.console import stderr_console, stdout_console
    from kerasdiag.render.safe import printable

    console, err_console = stdout_console(), stderr_console()

    if not is_loopback(host):
        if not expose:
            # Click's own "Invalid value for '--host':" prefix is part of the message, so it reads in `lang` too.
            raise click.UsageError(text("board.host_refused", lang, host=host))
        err_console.print(text("board.exposed", lang, host=escape(host)), soft_wrap=True)
    from kerasdiag.training.signals import interrupt_on_termination

    with interrupt_on_termination():  # SIGTERM and SIGHUP stop TensorBoard as Ctrl-C does, child included
        server = Board(logdir, port, host).start()
        try:
            console.print(text("board.at", lang, url=server.url), soft_wrap=True)
            console.print(text("board.showing", lang, logdir=escape(printable(logdir))), soft_wrap=True)
            server.wait_until_ready(timeout=120)
            console.print(text("board.ready", lang), soft_wrap=True)
            server.wait()
        except KeyboardInterrupt:
            console.print(text("board.stopping", lang))
        finally:
            server.stop()
