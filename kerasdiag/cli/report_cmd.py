"""`kerasdiag report RUN`: PNG figures and one self-contained HTML page in the run directory."""

from __future__ import annotations

from pathlib import Path

import click

from kerasdiag.cli.options import RUN_PATH, lang_option
from kerasdiag.messages import text


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
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    from kerasdiag.render.html import write_report
    from kerasdiag.rundir.find import load_record
    from kerasdiag.rundir.writer import cannot_write, writable_dir

    record = load_record(run)
    writable_dir(run)
    try:
        page = write_report(record, diagnose_run(record), run, lang)
    except OSError as exc:
        raise cannot_write(Path(exc.filename or run), exc) from None
    for name in ("loss.png", "accuracy.png", "gradients.png", "probabilities.png", "reliability.png"):
        if (run / name).is_file():
            console.print(text("cli.wrote", lang, path=run / name))
    console.print(text("report.page", lang, path=page))
    if open_browser:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())
