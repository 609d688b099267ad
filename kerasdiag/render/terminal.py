"""Diagnoses in the terminal, with Rich: one block per finding, and a summary table for many runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kerasdiag.diagnosis.findings import Diagnosis, Finding, Severity
from kerasdiag.diagnosis.markdown import HEADINGS, problems

SYMBOL = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def print_diagnosis(console: Console, diagnosis: Diagnosis, lang: str = "en", verbose: bool = True) -> None:
    """The terminal form: one block per finding, worst first."""
    text = HEADINGS[lang]
    console.print(f"[bold]{escape(diagnosis.run)}[/bold]")
    if diagnosis.source and diagnosis.source.read:
        _indented(console, f"[muted]{escape(diagnosis.source.line())}[/muted]", left=2)
    if not problems(diagnosis):
        console.print(f"  [ok]✓ {text['healthy']}[/ok]")
    first = diagnosis.first_fix
    if first is not None:
        console.print(f"  {text['first_fix']}: [metric]{escape(first[1].flags)}[/metric] ({first[0]})")
    for finding in diagnosis.findings:
        _print_finding(console, finding, lang, verbose)
    if diagnosis.skipped and verbose:
        console.print(f"  [muted]{text['skipped']}:[/muted]")
        for skipped in diagnosis.skipped:
            _indented(console, f"[muted]{escape(skipped.rule)}: {escape(skipped.reason)}[/muted]", left=4)


def _print_finding(console: Console, finding: Finding, lang: str, verbose: bool) -> None:
    style = f"severity.{finding.severity.label}"
    label = f"{SYMBOL[finding.severity]} {finding.severity.label}"
    pad, cause = (
        ("    ↳ ", f" [muted]({HEADINGS[lang]['caused_by']} {finding.caused_by})[/muted]")
        if finding.caused_by
        else ("  ", "")
    )
    title = f"[{style}]{label}[/{style}] [bold]{finding.rule}[/bold]: {escape(finding.title.get(lang))}{cause}"
    _indented(console, title, len(pad), first=pad)
    left = 10 if finding.caused_by else 6
    _indented(console, escape(finding.summary.get(lang)), left)
    if not verbose:
        return
    _indented(console, f"[muted]{escape(finding.explanation.get(lang))}[/muted]", left)
    for fix in finding.fixes:
        _indented(console, f"→ [metric]{escape(fix.flags)}[/metric]  {escape(fix.why.get(lang))}", left)


def _indented(console: Console, markup: str, left: int = 6, first: str | None = None) -> None:
    """Print wrapped text whose every line keeps the indent (the first line may start with `first` instead).

    No line carries trailing spaces, so copied output stays clean.
    """
    text = Text.from_markup(markup)
    for number, line in enumerate(text.wrap(console, max(console.width - left, 20))):
        line.rstrip()
        lead = first if number == 0 and first is not None else " " * left
        console.print(Text(lead) + line, soft_wrap=True)


def summary_table(rows: Sequence[tuple[str, Diagnosis, dict[str, Any]]], lang: str = "en") -> Table:
    """One row per run: epochs, best validation accuracy, worst severity, rule ids found."""
    table = Table(title="kerasdiag diagnose", show_lines=False)
    for column in ("run", "epochs", "best val_acc", "worst", "findings"):
        table.add_column(column)
    for name, diagnosis, stats in rows:
        worst = diagnosis.worst
        worst_cell = f"[severity.{worst.label}]{worst.label}[/]" if worst else "[ok]healthy[/ok]"
        rules = ", ".join(f.rule for f in diagnosis.findings) or "-"
        table.add_row(escape(name), str(stats.get("epochs", "?")), stats.get("best", "-"), worst_cell, rules)
    return table
