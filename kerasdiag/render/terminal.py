"""Diagnoses in the terminal, with Rich: one block per finding, and a summary table for many runs.

Everything printed from a run (its name, a finding's texts, which carry metric, layer and tag names) goes
through `render.safe.printable` before it is laid out: a control character read from a file is shown as
`\\x1b`, never sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kerasdiag.diagnosis.findings import Diagnosis, Finding, Fix, Severity, Skipped, Status, rule_name
from kerasdiag.diagnosis.markdown import verdict
from kerasdiag.messages import aside, render
from kerasdiag.render.safe import LINE_BREAK, printable
from kerasdiag.render.wrap import wrap_text

SYMBOL = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
EPOCH_SKIPS = ("skip.too_few_epochs", "gradients.skip.few_epochs")  # reasons that only want more epochs


def print_diagnosis(console: Console, diagnosis: Diagnosis, lang: str = "en", verbose: bool = True) -> None:
    """The terminal form: one block per finding, worst first."""
    console.print(f"[bold]{escape(printable(diagnosis.run))}[/bold]")
    if diagnosis.source and diagnosis.source.read:
        _indented(console, f"[muted]{escape(diagnosis.source.line(lang))}[/muted]", lang, left=2)
    head = verdict(diagnosis, lang)
    if head:
        status = diagnosis.status
        mark = "✓ " if status is Status.HEALTHY else ""  # never a tick beside a finding or on a run too short
        style = "metric" if status is Status.TOO_SHORT else "ok"
        _indented(console, f"[{style}]{mark}{escape(head)}[/{style}]", lang, left=2)
    first = diagnosis.first_fix
    if first is not None:
        heading = render("diagnosis.first_fix", lang)
        change = _change(first[1], lang)
        _indented(console, f"{heading}: {change}{escape(aside(rule_name(first[0], lang), lang))}", lang, 2)
    for finding in diagnosis.findings:
        _print_finding(console, finding, lang, verbose)
    if diagnosis.skipped and verbose:
        console.print(f"  [muted]{escape(render('diagnosis.skipped', lang))}:[/muted]")
        # a run too short to judge: the rules that only want more epochs in one line (the verdict said why)
        short = [s for s in diagnosis.skipped if diagnosis.too_short and _wants_epochs(s)]
        if len(short) > 1:
            rules = render("list.separator", lang).join(rule_name(s.rule, lang) for s in short)
            line = render("diagnosis.skipped.short", lang, {"count": len(short), "rules": rules})
            _indented(console, f"[muted]{escape(line)}[/muted]", lang, left=4)
        for skipped in diagnosis.skipped:
            if len(short) > 1 and skipped in short:
                continue
            line = f"{rule_name(skipped.rule, lang)}: {skipped.reason_in(lang)}"
            _indented(console, f"[muted]{escape(line)}[/muted]", lang, left=4)


def _wants_epochs(skipped: Skipped) -> bool:
    """Skipped for too few epochs only (`skip.too_few_epochs`, a rule's `.skip.short`, probes on too few epochs)."""
    name = str(getattr(skipped.why, "id", ""))
    return name in EPOCH_SKIPS or name.endswith(".skip.short")


def _print_finding(console: Console, finding: Finding, lang: str, verbose: bool) -> None:
    style = f"severity.{finding.severity.label}"
    label = f"{SYMBOL[finding.severity]} {finding.severity.shown(lang)}"
    cause = ""
    if finding.caused_by:
        cause = render("diagnosis.caused_by", lang, {"cause": rule_name(finding.caused_by, lang)})
        cause = f"[muted]{escape(aside(cause, lang))}[/muted]"
    pad = "    ↳ " if finding.caused_by else "  "
    name = escape(rule_name(finding.rule, lang))
    title = f"[{style}]{label}[/{style}] [bold]{name}[/bold]: {escape(finding.title.get(lang))}{cause}"
    _indented(console, title, lang, len(pad), first=pad)
    left = 10 if finding.caused_by else 6
    _indented(console, escape(finding.summary.get(lang)), lang, left)
    if not verbose:
        return
    _indented(console, f"[muted]{escape(finding.explanation.get(lang))}[/muted]", lang, left)
    for fix in finding.fixes:
        if fix.code is None:
            _indented(console, f"→ [metric]{escape(fix.flags)}[/metric]  {escape(fix.why.get(lang))}", lang, left)
        else:
            line = render("code.with_why", lang, {"code": fix.code.get(lang), "why": fix.why.get(lang)})
            _indented(console, f"→ {_place(fix)}{escape(line)}", lang, left)


def _change(fix: Fix, lang: str) -> str:
    """The change as markup: the flags, or (a script's run) its place and code."""
    if fix.code is None:
        return f"[metric]{escape(fix.flags)}[/metric]"
    return _place(fix) + escape(fix.code.get(lang))


def _place(fix: Fix) -> str:
    """`train.py:42: `, styled, before a code form (nothing when the fix names no place)."""
    return f"[metric]{escape(fix.at)}[/metric]: " if fix.at else ""


def _indented(console: Console, markup: str, lang: str, left: int = 6, first: str | None = None) -> None:
    """Print wrapped text whose every line keeps the indent (the first line may start with `first` instead).

    Japanese wraps between characters, never between a number and its counter; no line carries
    trailing spaces, so copied output stays clean.
    """
    text = Text.from_markup(printable(markup, keep=LINE_BREAK))
    for number, line in enumerate(wrap_text(console, text, max(console.width - left, 20), lang)):
        line.rstrip()
        lead = first if number == 0 and first is not None else " " * left
        console.print(Text(lead) + line, soft_wrap=True)


def summary_table(rows: Sequence[tuple[str, Diagnosis, dict[str, Any]]], lang: str = "en") -> Table:
    """One row per run: epochs, best validation accuracy, worst severity, rules found."""
    table = Table(title=render("table.diagnose.title", lang), show_lines=False)
    for column in ("run", "epochs", "best_val_acc", "worst", "findings"):
        table.add_column(render(f"table.diagnose.{column}", lang))
    for name, diagnosis, stats in rows:
        worst_cell = _worst_cell(diagnosis, lang)
        rules = render("list.separator", lang).join(rule_name(f.rule, lang) for f in diagnosis.findings) or "-"
        cells = (printable(name), printable(stats.get("epochs", "?")), printable(stats.get("best", "-")))
        table.add_row(*(escape(cell) for cell in cells), worst_cell, escape(printable(rules)))
    return table


def _worst_cell(diagnosis: Diagnosis, lang: str) -> str:
    """The worst severity; "too short" for a run shorter than the curve rules need (with no warning); "healthy"
    only for a run with no finding that was long enough to judge."""
    worst, status = diagnosis.worst, diagnosis.status
    if status is Status.TOO_SHORT:
        return f"[metric]{escape(render('table.diagnose.too_short', lang))}[/metric]"
    if worst is None:
        return f"[ok]{escape(render('table.diagnose.healthy', lang))}[/ok]"
    return f"[severity.{worst.label}]{worst.shown(lang)}[/]"
