"""`kerasdiag compare RUN RUN...`: runs side by side, as a table and as figures."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kerasdiag.cli.options import RUN_PATH, lang_option
from kerasdiag.cli.param_types import OutputDir
from kerasdiag.limits import safe_run_name
from kerasdiag.messages import text


@click.command()
@click.argument("runs", nargs=-1, required=True, type=RUN_PATH)
@click.option(
    "--out",
    type=OutputDir(),
    help="Folder for the PNGs. Default: compare-<run>-vs-<run> beside the first run.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output form.")
@lang_option("Language of the table, the figures and the findings.")
def compare(runs: tuple[Path, ...], out: Path | None, fmt: str, lang: str) -> None:
    """Compare runs side by side: flags, metrics, findings, curves, probabilities, calibration.

    Writes loss.png (training solid, validation dashed, best epoch marked),
    probabilities.png (per-true-class histograms on held-out data) and
    reliability.png (calibration, ECE). Two-class runs get a suggested
    decision threshold: the one that maximises balanced accuracy on validation data.

    \b
    Example:
      kerasdiag compare runs/cnn-full runs/cnn-300 --out compare/
    """
    from rich.markup import escape

    from kerasdiag.experiments.compare import compare_json, summarise_run
    from kerasdiag.render.compare import print_compare, write_figures
    from kerasdiag.render.console import print_prose, stdout_console
    from kerasdiag.render.files import OwnedFiles, refuse_in_the_way
    from kerasdiag.render.safe import json_text, printable
    from kerasdiag.rundir.writer import cannot_write, writable_dir

    console = stdout_console()

    if len(runs) < 2:
        raise click.UsageError(text("compare.too_few", lang, count=len(runs)))
    summaries = [summarise_run(path) for path in runs]
    if out is None:
        out = _default_out(runs)
        if out.is_symlink():  # a link found beside the runs, not named by the user, is never followed
            refuse_in_the_way(out)
    out = writable_dir(out)
    owned = OwnedFiles.read(out)
    try:
        figures = write_figures(summaries, out, lang=lang, owned=owned)
    except OSError as exc:
        raise cannot_write(Path(printable(exc.filename or out)), exc) from None
    if fmt == "json":
        payload = {**compare_json(summaries, lang=lang), "figures": [str(f) for f in figures]}
        # Japanese readable as is; control characters and lone surrogates as \u escapes either way
        click.echo(json_text(json.dumps(payload, indent=2, ensure_ascii=lang == "en")))
        return
    print_compare(console, summaries, lang=lang)
    for figure in figures:
        console.print(text("cli.wrote", lang, path=escape(printable(figure))))
    for name, new in owned.beside.items():
        note = text("views.files.beside", lang, name=name, folder=printable(out), new=new)
        print_prose(console, escape(printable(note)), lang)


def _default_out(runs: tuple[Path, ...]) -> Path:
    name = "compare-" + "-vs-".join(path.resolve().name for path in runs)
    return runs[0].resolve().parent / safe_run_name(name)
