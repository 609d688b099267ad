"""`kerasdiag board [LOGDIR]`: TensorBoard on a folder of runs, on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click

from kerasdiag.cli.options import RUN_PATH


@click.command()
@click.argument("logdir", required=False, default="runs", type=RUN_PATH)
@click.option("--port", type=click.IntRange(1, 65535), default=6006, help="Port on 127.0.0.1.")
def board(logdir: Path, port: int) -> None:
    """Start TensorBoard on a folder of runs (127.0.0.1 only); Ctrl-C stops it.

    Shows Keras's epoch scalars, kerasdiag's probes (grad_norm/<layer>, ...),
    weight histograms and each run's diagnosis (Text tab).

    \b
    Example:
      kerasdiag board runs --port 6007
    """
    from rich.markup import escape

    from kerasdiag.experiments.board import Board
    from kerasdiag.render.console import stdout_console

    console = stdout_console()

    server = Board(logdir, port).start()
    try:
        console.print(f"TensorBoard at {server.url}  (Ctrl-C to stop)", soft_wrap=True)
        console.print(f"  showing [path]{escape(str(logdir))}[/path]", soft_wrap=True)
        server.wait_until_ready(timeout=120)
        console.print("  ready", soft_wrap=True)
        server.wait()
    except KeyboardInterrupt:
        console.print("Stopping TensorBoard.")
    finally:
        server.stop()
