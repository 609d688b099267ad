"""Runs side by side: the comparison tables in the terminal, and the overlay figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from rich.console import Console

from kerasdiag.experiments.compare import RunSummary, config_diff, findings_diff, metric_rows
from kerasdiag.measures.threshold import Threshold


def write_figures(runs: list[RunSummary], out: Path) -> list[Path]:
    """`loss.png` overlay for all runs; `probabilities.png` and `reliability.png` where runs have predictions."""
    from kerasdiag.render import figures as plots

    out.mkdir(parents=True, exist_ok=True)
    written = [plots.curves_figure([(r.name, r.record) for r in runs], "loss", out / "loss.png")]
    with_predictions = [r for r in runs if r.record.predictions is not None]
    predicted = [(r.name, r.record.predictions) for r in with_predictions if r.record.predictions is not None]
    if predicted:
        thresholds = [r.threshold.value if r.threshold else None for r in with_predictions]
        written.append(plots.probabilities_figure(predicted, out / "probabilities.png", thresholds))
        written.append(plots.reliability_figure(predicted, out / "reliability.png"))
    return written


def print_compare(console: Console, runs: list[RunSummary]) -> None:
    """The side-by-side tables: flags that differ, metrics, findings that differ, thresholds."""
    from rich.markup import escape
    from rich.table import Table

    names = [escape(r.name) for r in runs]

    def table(title: str, rows: dict[str, list[Any]], fmt: Any) -> None:
        grid = Table(title=title, title_justify="left")
        grid.add_column("")
        for name in names:
            grid.add_column(name, justify="right")
        for key, values in rows.items():
            grid.add_row(escape(key), *(escape(fmt(key, v)) for v in values))
        console.print(grid)

    diff = config_diff(runs)
    if diff:
        table("Flags that differ", diff, lambda _, v: "-" if v is None else json.dumps(v))
    else:
        console.print("The runs have the same flags (apart from their seeds and names, if those differ).")
    table("Metrics", metric_rows(runs), _number)
    different = findings_diff(runs)
    if different:
        table("Findings that differ", different, lambda _, v: v or "-")
    shared = sorted(set.intersection(*(set(r.findings) for r in runs))) if runs else []
    console.print("Findings in every run: " + (", ".join(shared) if shared else "none"))
    for r in runs:
        if r.threshold is not None:
            console.print(_threshold_line(r.name, r.threshold))


def _threshold_line(name: str, t: Threshold) -> str:
    from rich.markup import escape

    return (
        f"[bold]{escape(name)}[/bold]: suggested threshold P(class 1) >= {t.value:.3f} ({t.criterion}; "
        f"balanced accuracy there {t.val_balanced_accuracy:.4f}); on {t.split} data it gives accuracy "
        f"{t.accuracy:.4f}, balanced accuracy {t.balanced_accuracy:.4f} (at 0.5: accuracy {t.accuracy_at_half:.4f})"
    )


def _number(key: str, value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.0f}" if "epoch" in key else f"{value:.4f}"
