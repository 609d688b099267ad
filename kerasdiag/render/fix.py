"""`kerasdiag fix` results: the Rich table (one row per fix) and the PNG (metric per fix, 95% interval bars)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from kerasdiag.experiments.fix.run import FixRuns, Member, finished_members
from kerasdiag.experiments.fix.summary import FixRow, mean
from kerasdiag.experiments.sweep.summary import METRICS
from kerasdiag.measures.intervals import Difference

TABLE_METRICS = ("val_accuracy", "best_val_accuracy", "val_loss")  # the JSON also has best_val_loss


def change_cell(d: Difference, higher_is_better: bool) -> str:
    """`+0.0312 [+0.0101, +0.0523]` in green when the interval is all gain, red when all loss."""
    if not math.isfinite(d.diff):
        return "-"
    interval = f" [{d.low:+.3f}, {d.high:+.3f}]" if math.isfinite(d.low) else " [n<2]"
    text = f"{d.diff:+.3f}{interval}"
    if not d.excludes_zero:
        return text
    good = (d.low > 0) == higher_is_better
    return f"[{'ok' if good else 'severity.error'}]{text}[/]"


def fix_table(runs: FixRuns, rows: list[FixRow]) -> Table:
    """Baseline means on top, then per fix: runs, the change of each metric [95% interval], finding cleared?"""
    n = len(runs.plan.seeds)
    table = Table(title=f"Fixes of {escape(runs.plan.run.name)}: change vs the unchanged config, {n} seeds each")
    table.add_column("fix (finding)", no_wrap=True)
    table.add_column("runs", justify="right")
    for key in TABLE_METRICS:
        table.add_column(f"Δ {METRICS[key][0]}\n[95% interval]", justify="right")
    table.add_column("finding still\nfires (base)", justify="right")
    base = runs.baseline
    table.add_row(
        "baseline (means)", str(len(finished_members(base))), *(_value(mean(base, k)) for k in TABLE_METRICS), "-"
    )
    for row in rows:
        other = "*" if row.candidate.other_validation(runs.plan.base) else ""
        label = f"{row.candidate.flags}{other} ({', '.join(row.candidate.rules)})"
        cells = [change_cell(row.changes[k], METRICS[k][1]) for k in TABLE_METRICS]
        fired = f"{row.still_fires}/{row.runs} ({row.baseline_fires}/{row.baseline_runs})"
        table.add_row(escape(label), str(row.runs), *cells, fired)
    return table


def _value(x: float) -> str:
    return f"{x:.4f}" if math.isfinite(x) else "-"


def fix_figure(runs: FixRuns, rows: list[FixRow], metric: str, path: Path) -> Path:
    """Left: `metric` of every seed and the mean per config; right: each fix's change with its 95% interval."""
    from kerasdiag.render import figures as plots

    plt = plots._pyplot()
    labels = ["baseline"] + [r.candidate.flags for r in rows]
    groups: list[list[Member]] = [runs.baseline] + [r.members for r in rows]
    height = max(4.5, 1.2 + 0.55 * len(labels))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, height), sharey=True)
    ys = list(range(len(labels)))[::-1]
    colors = plt.get_cmap("tab10")
    for y, members, i in zip(ys, groups, range(len(groups))):
        values = [m.metrics.get(metric, math.nan) for m in finished_members(members)]
        left.plot(values, [y] * len(values), "o", color=colors(i % 10), alpha=0.6, ms=7)
        left.plot([mean(members, metric)], [y], "|", color="black", ms=22, mew=2.5)
    left.set_yticks(ys, labels)
    left.set_ylim(-0.6, len(labels) - 0.4)
    left.set_xlabel(f"{METRICS[metric][0]} (dots: seeds, bar: mean)")
    left.grid(alpha=0.3)
    for y, row, i in zip(ys[1:], rows, range(1, len(groups))):
        d = row.changes[metric]
        if not math.isfinite(d.diff):
            continue
        err = [[d.diff - d.low], [d.high - d.diff]] if math.isfinite(d.low) else None
        right.errorbar([d.diff], [y], xerr=err, fmt="o", color=colors(i % 10), capsize=6, lw=2, ms=8)
        right.annotate(f"{d.diff:+.3f}", (d.diff, y), textcoords="offset points", xytext=(0, 9), ha="center")
    right.axvline(0.0, color="grey", lw=1.5, ls="--")
    better = "right is better" if METRICS[metric][1] else "left is better"
    right.set_xlabel(f"Δ {METRICS[metric][0]} vs baseline, 95% t-interval ({better})")
    right.grid(alpha=0.3)
    n = len(runs.plan.seeds)
    fig.suptitle(f"kerasdiag fix {runs.plan.run.name}: {n} seeds per config", fontsize=11)
    return plots._save(fig, path)


def print_not_applied(console: Any, runs: FixRuns) -> None:
    """One line per fix that cannot be applied automatically, and why."""
    for c in runs.plan.candidates:
        if c.config is None:
            what = f"{c.flags} " if c.flags else ""
            console.print(f"[severity.warning]Not applied[/] {escape(what)}({', '.join(c.rules)}): {escape(c.reason)}")


def print_other_validation(console: Any, runs: FixRuns) -> None:
    """A footnote for fixes marked `*`: they change which samples are held out."""
    marked = [c.flags for c in runs.plan.applicable if c.other_validation(runs.plan.base)]
    if marked:
        console.print(
            f"* {escape(', '.join(marked))}: changes which samples are held out, so its validation metrics are "
            "measured on other samples than the baseline's (the finding column still says whether it cleared)."
        )
