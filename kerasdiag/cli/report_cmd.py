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
    and opens in any browser without a server. A file there that kerasdiag did
    not write (your own loss.png) is kept: the new one goes beside it
    (loss-2.png). kerasdiag lists what it wrote in RUN/.kerasdiag-files.

    \b
    Example:
      kerasdiag report runs/20261124-101500-mnist-mlp-l5-linear --open
    """
    from rich.markup import escape

    from kerasdiag.diagnosis.engine import diagnose_run
    from kerasdiag.render.console import print_prose, stdout_console
    from kerasdiag.render.files import OwnedFiles
    from kerasdiag.render.html import write_report
    from kerasdiag.render.safe import printable
    from kerasdiag.rundir.find import load_record
    from kerasdiag.rundir.writer import cannot_write, writable_dir

    console = stdout_console()
    record = load_record(run)
    writable_dir(run)
    owned = OwnedFiles.read(run)
    try:
        page = write_report(record, diagnose_run(record), run, lang, owned)
    except OSError as exc:
        raise cannot_write(Path(printable(exc.filename or run)), exc) from None
    for figure in owned.written:
        if figure != page:
            console.print(text("cli.wrote", lang, path=escape(printable(figure))))
    console.print(text("report.page", lang, path=escape(printable(page))))
    for name, new in owned.beside.items():
        note = text("views.files.beside", lang, name=name, folder=printable(run), new=new)
        print_prose(console, escape(printable(note)), lang)
    if open_browser:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())
