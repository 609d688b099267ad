"""Runs side by side: the comparison tables in the terminal, and the overlay figures."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from kerasdiag.experiments.compare import (
    RunSummary,
    config_diff,
    criterion,
    findings_diff,
    label_of,
    metric_rows,
    split_name,
)
from kerasdiag.experiments.sweep.summary import finding_shown
from kerasdiag.measures.threshold import Threshold
from kerasdiag.messages import catalog, join, render, text
from kerasdiag.render.console import print_prose
from kerasdiag.render.files import OwnedFiles
from kerasdiag.render.safe import printable

if TYPE_CHECKING:
    from kerasdiag.render.figures import HeldOut


def write_figures(runs: list[RunSummary], out: Path, lang: str = "en", owned: OwnedFiles | None = None) -> list[Path]:
    """`loss.png` overlay for all runs; `probabilities.png` and `reliability.png` where runs have predictions
    (classes named by their labels, every reliability bin with its sample count).

    Each goes where `owned` (`out`'s manifest, read when not given) places it: never over a file kerasdiag did
    not write, never through a link (`render.files`).
    """
    from kerasdiag.render import figures as plots

    out.mkdir(parents=True, exist_ok=True)
    owned = owned if owned is not None else OwnedFiles.read(out)
    curves = [(r.name, r.record) for r in runs]
    predicted = [held_out(r) for r in runs if r.record.predictions is not None]
    plans: list[tuple[str, Callable[[Path], Path]]] = [
        ("loss.png", lambda path: plots.curves_figure(curves, "loss", path, lang))
    ]
    if predicted:
        plans.append(("probabilities.png", lambda path: plots.probabilities_figure(predicted, path, lang)))
        plans.append(("reliability.png", lambda path: plots.reliability_figure(predicted, path, lang)))
    places = [owned.place(name) for name, _ in plans]  # a link or folder in the way: refused before any is drawn
    return [owned.record(draw(place)) for (_, draw), place in zip(plans, places)]


def held_out(run: RunSummary) -> HeldOut:
    """A compared run as the probability and reliability figures draw it: labels, threshold and bins as measured."""
    from kerasdiag.render.figures import HeldOut

    assert run.record.predictions is not None
    return HeldOut(run.name, run.record.predictions, run.labels, run.threshold, run.calibration)


def print_compare(console: Console, runs: list[RunSummary], lang: str = "en") -> None:
    """The side-by-side tables: flags that differ, metrics, findings that differ, thresholds (words in `lang`)."""
    from rich.markup import escape
    from rich.table import Table

    names = [escape(printable(r.name)) for r in runs]  # names, keys and values from files: control characters escaped

    def table(title: str, rows: dict[str, list[Any]], fmt: Any, label: Any = str) -> None:
        grid = Table(title=escape(title), title_justify="left")
        grid.add_column("")
        for name in names:
            grid.add_column(name, justify="right")
        for key, values in rows.items():
            grid.add_row(escape(printable(label(key))), *(escape(printable(fmt(key, v))) for v in values))
        console.print(grid)

    diff = config_diff(runs)
    if diff:
        table(render("view.compare.flags", lang), diff, lambda _, v: "-" if v is None else _json(v))
    else:
        print_prose(console, escape(render("view.compare.same_flags", lang)), lang)
    table(render("view.compare.metrics", lang), metric_rows(runs), _number, lambda key: metric_label(key, lang))
    different = findings_diff(runs)
    if different:

        def severity(_: str, label: str | None) -> str:
            if not label:
                return "-"
            return render(f"severity.{label}", lang) if f"severity.{label}" in catalog("en") else label

        table(render("view.compare.findings", lang), different, severity, lambda rule: finding_shown(rule, lang))
    shared = sorted(set.intersection(*(set(r.findings) for r in runs))) if runs else []
    found = join((finding_shown(rule, lang) for rule in shared), lang) if shared else render("view.compare.none", lang)
    print_prose(console, escape(text("view.compare.shared", lang, findings=found)), lang)
    for r in runs:
        if r.threshold is not None:
            print_prose(console, _threshold_line(r, r.threshold, lang), lang)
    print_bins(console, runs, lang)


def print_bins(console: Console, runs: list[RunSummary], lang: str = "en") -> None:
    """Every reliability bin of every run with predictions: samples, accuracy and mean confidence."""
    from rich.markup import escape
    from rich.table import Table

    shown = [r for r in runs if r.calibration is not None and r.calibration.counts.sum()]
    if not shown:
        return
    grid = Table(title=escape(render("view.compare.bins", lang)), title_justify="left")
    grid.add_column(render("view.compare.bin", lang))
    for r in shown:
        grid.add_column(escape(printable(r.name)), justify="right")
    bins = len(shown[0].calibration.counts) if shown[0].calibration is not None else 0
    lowest = min(int(bins / len(r.labels)) if r.labels else 0 for r in shown)  # no top probability below 1/k
    for i in range(min(lowest, bins - 1), bins):
        cells = [_bin_cell(r, i, lang) for r in shown]
        grid.add_row(f"{i / bins:.1f}-{(i + 1) / bins:.1f}", *cells)
    console.print(grid)


def _bin_cell(run: RunSummary, i: int, lang: str) -> str:
    c = run.calibration
    if c is None or i >= len(c.counts) or not c.counts[i]:
        return text("view.compare.bin_empty", lang)
    return text(
        "view.compare.bin_cell",
        lang,
        count=int(c.counts[i]),
        accuracy=f"{c.accuracy[i]:.2f}",
        confidence=f"{c.confidence[i]:.2f}",
    )


def metric_label(key: str, lang: str = "en") -> str:
    """A metric row's label (`final val_loss`, `best epoch (val_loss)`) in `lang`; the key itself in English."""
    for prefix in ("final", "best"):
        if key.startswith(f"{prefix} ") and " " not in key[len(prefix) + 1 :]:
            return text(f"view.metric.{prefix}", lang, name=key[len(prefix) + 1 :])
    known = {
        "epochs": "view.metric.epochs",
        "best epoch (val_loss)": "view.metric.best_epoch",
        "train-val acc gap": "view.metric.gap",
        "ECE (held-out)": "view.metric.ece",
    }
    return render(known[key], lang) if key in known and known[key] in catalog("en") else key


def _threshold_line(run: RunSummary, t: Threshold, lang: str = "en") -> str:
    from rich.markup import escape

    facts = {
        "value": f"{t.value:.3f}",
        "label": label_of(run, t.positive),
        "other": label_of(run, 1 - t.positive),
        "criterion": criterion(t, lang),
        "chosen": t.chosen_samples,
        "val_balanced": f"{t.val_balanced_accuracy:.4f}",
        "scored": scored_on(t, lang),
        "accuracy": f"{t.accuracy:.4f}",
        "balanced": f"{t.balanced_accuracy:.4f}",
        "at_half": f"{t.accuracy_at_half:.4f}",
    }
    return f"[bold]{escape(printable(run.name))}[/bold]: {escape(text('view.compare.threshold', lang, **facts))}"


def scored_on(t: Threshold, lang: str = "en") -> str:
    """The samples a suggested threshold was scored on, none of which chose it: `500 test samples (...)`, or
    without a test split the other half of the validation samples."""
    if t.half:
        return text("view.compare.scored.half", lang, count=t.scored_samples)
    return text("view.compare.scored.held_out", lang, count=t.scored_samples, split=split_name(t.split, lang))


def _json(value: Any) -> str:
    """A config value as JSON (non-ASCII and control characters as `\\u` escapes); its type where it has none."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return type(value).__name__


def _number(key: str, value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.0f}" if "epoch" in key else f"{value:.4f}"
