"""Runs side by side: the comparison tables in the terminal, and the overlay figures."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    with_predictions = [r for r in runs if r.record.predictions is not None]
    predicted = [r for r in with_predictions if r.record.predictions is not None]
    plans: list[tuple[str, Callable[[Path], Path]]] = [
        ("loss.png", lambda path: plots.curves_figure(curves, "loss", path, lang))
    ]
    if predicted:
        plans.append(("probabilities.png", lambda path: probabilities_figure(with_predictions, path, lang)))
        plans.append(("reliability.png", lambda path: reliability_figure(with_predictions, path, lang)))
    places = [owned.place(name) for name, _ in plans]  # a link or folder in the way: refused before any is drawn
    return [owned.record(draw(place)) for (_, draw), place in zip(plans, places)]


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

    split = split_name(t.split, lang)
    scored = "view.compare.scored.half" if t.half else "view.compare.scored.held_out"
    facts = {
        "value": f"{t.value:.3f}",
        "label": label_of(run, t.positive),
        "other": label_of(run, 1 - t.positive),
        "criterion": criterion(t, lang),
        "chosen": t.chosen_samples,
        "val_balanced": f"{t.val_balanced_accuracy:.4f}",
        "scored": text(scored, lang, count=t.scored_samples, split=split),
        "accuracy": f"{t.accuracy:.4f}",
        "balanced": f"{t.balanced_accuracy:.4f}",
        "at_half": f"{t.accuracy_at_half:.4f}",
    }
    return f"[bold]{escape(printable(run.name))}[/bold]: {escape(text('view.compare.threshold', lang, **facts))}"


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


def probabilities_figure(runs: list[RunSummary], path: Path, lang: str = "en") -> Path:
    """Per run, histograms of a predicted probability on held-out data, one per true class, named by class label.

    Two classes: P(first class) (`experiments.compare.FIRST_OUTPUT`) for samples of each true class, with the
    suggested threshold on it. More classes: P(true class) for each true class.
    """
    from kerasdiag.render import figures as plots

    with plots.fonts_for(lang):
        plt = plots._pyplot()
        fig, axes = plt.subplots(1, len(runs), figsize=(6 * len(runs), 4.5), squeeze=False, sharey=True)
        for ax, run in zip(axes[0], runs):
            _probabilities_axis(ax, run, plt.get_cmap("tab10"), lang)
        axes[0][0].set_ylabel(render("figure.probabilities.y", lang))
        fig.suptitle(render("figure.probabilities.title", lang))
        return plots._save(fig, path)


def _probabilities_axis(ax: Any, run: RunSummary, colors: Any, lang: str) -> None:
    import numpy as np

    from kerasdiag.experiments.compare import FIRST_OUTPUT
    from kerasdiag.render import figures as plots

    pred = run.record.predictions
    assert pred is not None
    k, bins = pred.probs.shape[1], np.linspace(0, 1, 26)
    drawn = plots.drawn_classes(pred.y_true, k)
    for c in drawn:
        rows = pred.probs[pred.y_true == c]
        values = rows[:, FIRST_OUTPUT] if k == 2 else rows[:, c]
        values = values[np.isfinite(values)]  # NaN after a divergence: nothing to draw, no warning
        label = plots.literal(label_of(run, c))
        if k == 2:
            name = text("view.compare.figure.true_class", lang, label=label, count=len(rows))
            ax.hist(values, bins=bins, alpha=0.55, color=colors(c), label=name)
        else:
            name = text("view.compare.figure.class", lang, label=label, count=len(rows))
            ax.hist(values, bins=bins, histtype="step", lw=1.5, color=colors(c % 10), label=name)
    first = plots.literal(label_of(run, FIRST_OUTPUT))
    if k == 2 and run.threshold is not None:
        name = text("view.compare.figure.threshold", lang, label=first, value=f"{run.threshold.value:.2f}")
        ax.axvline(run.threshold.value, color="black", ls="--", lw=1.5, label=name)
    x_label = text("view.compare.figure.x2", lang, label=first) if k == 2 else render("figure.probabilities.xk", lang)
    ax.set_xlabel(x_label)
    split = plots.literal(split_name(pred.split, lang))
    ax.set_title(
        text("figure.probabilities.run", lang, run=plots.literal(run.name), split=split, count=len(pred.y_true))
    )
    ax.grid(alpha=0.3)
    legend_title = render("figure.probabilities.legend", lang) if k > 2 else None
    ax.legend(fontsize=8, ncol=1 if len(drawn) <= 4 else 2, title=legend_title)


def reliability_figure(runs: list[RunSummary], path: Path, lang: str = "en") -> Path:
    """Reliability diagram: accuracy against confidence per bin, one line per run, ECE in the legend; each point's
    area follows its bin's sample count, and the count is written beside it."""
    from kerasdiag.render import figures as plots

    with plots.fonts_for(lang):
        plt = plots._pyplot()
        fig, ax = plt.subplots(figsize=(6, 6))
        ax.plot([0, 1], [0, 1], ":", color="grey", label=render("figure.reliability.perfect", lang))
        note = render("figure.reliability.marker", lang)
        ax.text(0.97, 0.03, note, ha="right", fontsize=8, color="grey", transform=ax.transAxes)
        colors = plt.get_cmap("tab10")
        for i, run in enumerate(r for r in runs if r.calibration is not None):
            _reliability_line(ax, run, colors(i % 10), lang)
        low = min((1 / len(r.labels) for r in runs if r.labels), default=0.0)
        ax.set_xlim(low - 0.02, 1.01)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(render("figure.reliability.x", lang))
        ax.set_ylabel(render("figure.reliability.y", lang))
        ax.set_title(render("figure.reliability.title", lang))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
        return plots._save(fig, path)


def _reliability_line(ax: Any, run: RunSummary, color: Any, lang: str) -> None:
    from kerasdiag.render import figures as plots

    rel = run.calibration
    assert rel is not None
    used = rel.counts > 0
    ece = f"{rel.ece:.3f}" if math.isfinite(rel.ece) else "-"
    name = text("figure.reliability.run", lang, run=plots.literal(run.name), ece=ece)
    xs, ys, counts = rel.confidence[used], rel.accuracy[used], rel.counts[used]
    ax.plot(xs, ys, "-", color=color, label=name)
    if len(counts):
        sizes = 20 + 300 * counts / counts.max()  # marker area ~ samples in the bin
        ax.scatter(xs, ys, s=sizes, color=color, alpha=0.7, zorder=3)
    for x, y, n in zip(xs, ys, counts):
        count = text("view.compare.figure.bin_count", lang, count=int(n))
        ax.annotate(count, (x, y), textcoords="offset points", xytext=(5, -11), fontsize=7, color=color)
