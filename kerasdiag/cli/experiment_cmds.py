"""`kerasdiag compare`, `report` and `board`: look at runs side by side, as pictures, in TensorBoard."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kerasdiag.cli.options import lang_option

RUN_PATH = click.Path(path_type=Path, exists=True, file_okay=False)


@click.command()
@click.argument("runs", nargs=-1, required=True, type=RUN_PATH)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the PNGs. Default: compare-<run>-vs-<run> beside the first run.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output form.")
def compare(runs: tuple[Path, ...], out: Path | None, fmt: str) -> None:
    """Compare runs side by side: flags, metrics, findings, curves, probabilities, calibration.

    Writes loss.png (training solid, validation dashed, best epoch marked),
    probabilities.png (per-true-class histograms on held-out data) and
    reliability.png (calibration, ECE). Two-class runs get a suggested
    decision threshold: the one that maximises balanced accuracy on validation data.

    \b
    Example:
      kerasdiag compare runs/cnn-full runs/cnn-300 --out compare/
    """
    from kerasdiag.experiments.compare import compare_json, print_compare, summarise_run, write_figures
    from kerasdiag.render.console import console

    if len(runs) < 2:
        raise click.UsageError(f"Expected two or more runs to compare. Received: {len(runs)}")
    summaries = [summarise_run(path) for path in runs]
    out = out or _default_out(runs)
    figures = write_figures(summaries, out)
    if fmt == "json":
        click.echo(json.dumps({**compare_json(summaries), "figures": [str(f) for f in figures]}, indent=2))
        return
    print_compare(console, summaries)
    for figure in figures:
        console.print(f"Wrote [path]{figure}[/path]")


def _default_out(runs: tuple[Path, ...]) -> Path:
    name = "compare-" + "-vs-".join(path.resolve().name for path in runs)
    return runs[0].resolve().parent / name[:120]


@click.command()
@click.argument("run", type=RUN_PATH)
@click.option("--open", "open_browser", is_flag=True, help="Open report.html in the web browser.")
@lang_option("Language of the findings.")
def report(run: Path, open_browser: bool, lang: str) -> None:
    """Write PNG figures and a self-contained report.html into a run directory.

    loss.png, accuracy.png, gradients.png, probabilities.png and reliability.png;
    report.html embeds them with the findings (evidence and fixes) and the config,
    and opens in any browser without a server.

    \b
    Example:
      kerasdiag report runs/20261124-101500-mnist-mlp-l5-linear --open
    """
    from kerasdiag.diagnosis.engine import diagnose_run
    from kerasdiag.render.console import console
    from kerasdiag.render.html import write_report
    from kerasdiag.rundir.find import load_record

    record = load_record(run)
    page = write_report(record, diagnose_run(record), run, lang)
    for name in ("loss.png", "accuracy.png", "gradients.png", "probabilities.png", "reliability.png"):
        if (run / name).is_file():
            console.print(f"Wrote [path]{run / name}[/path]")
    console.print(f"Report: [path]{page}[/path]")
    if open_browser:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


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
    from kerasdiag.render.console import console

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
