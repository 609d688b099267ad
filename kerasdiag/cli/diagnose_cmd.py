"""`kerasdiag diagnose`: findings with evidence and fixes for one run, or every run in a folder."""

from __future__ import annotations

from pathlib import Path

import click

from kerasdiag.cli.options import lang_option
from kerasdiag.errors import ExitCode


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", help="Output form.")
@lang_option("Language of the explanations.")
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error", "never"]),
    default="never",
    help=f"Exit {ExitCode.FINDINGS.value} when a finding reaches this severity.",
)
@click.option("--brief", is_flag=True, help="Titles and evidence only, no explanations or fixes.")
def diagnose(path: Path, fmt: str, lang: str, fail_on: str, brief: bool) -> None:
    """Explain what went wrong in a run, with the numbers that show it.

    PATH is a kerasdiag run directory, a folder of runs, Keras TensorBoard
    logs (train/ and validation/ written by keras.callbacks.TensorBoard), a
    folder of TensorBoard scalars (torch SummaryWriter: Loss/train, Loss/val),
    a CSVLogger .csv file, or a History.history .json file.

    \b
    Examples:
      kerasdiag diagnose runs/20261124-101500-mnist-mlp-l5-linear
      kerasdiag diagnose runs/ --format markdown
      kerasdiag diagnose my_logs/ --lang ja --fail-on warning
      kerasdiag diagnose training.csv --format json
    """
    from kerasdiag.diagnosis.findings import Severity
    from kerasdiag.diagnosis.markdown import diagnosis_markdown
    from kerasdiag.diagnosis.runs import diagnose_path
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    from kerasdiag.render.json import diagnosis_json
    from kerasdiag.render.safe import LINE_BREAK, printable
    from kerasdiag.render.terminal import print_diagnosis, summary_table

    results = diagnose_path(path, "en" if fmt == "json" else lang)  # JSON's `run` is a name: kept in English
    diagnoses = [r.diagnosis for r in results]
    if fmt == "json":
        click.echo(diagnosis_json(diagnoses, lang))
    elif fmt == "markdown":
        markdown = "\n".join(diagnosis_markdown(d, lang) for d in diagnoses)
        click.echo(printable(markdown, keep=LINE_BREAK))  # names from files: control characters shown escaped
    else:
        if len(results) > 1:
            console.print(summary_table([(r.name, r.diagnosis, r.stats) for r in results], lang))
        for diagnosis in diagnoses:
            print_diagnosis(console, diagnosis, lang, verbose=not brief)
    if fail_on != "never":
        threshold = Severity.parse(fail_on)
        if any(d.worst is not None and d.worst >= threshold for d in diagnoses):
            raise click.exceptions.Exit(ExitCode.FINDINGS)
