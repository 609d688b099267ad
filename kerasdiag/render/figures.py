"""PNG figures of runs and sweeps, with matplotlib's non-interactive backend.

matplotlib is imported inside `_pyplot`, so only the commands that draw (report, compare,
sweep) pay for it. Every figure has a title, axis labels and a legend, and is saved at a size
that reads well in a README.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.measures.calibration import reliability
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import GRAD_NORM
from kerasdiag.rundir.summaries import Predictions

DPI = 110
Labelled = tuple[str, RunRecord]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    _pyplot().close(fig)
    return path


def best_epoch(record: RunRecord) -> int | None:
    """The epoch (1-based) with the lowest validation loss, if any."""
    val_loss = record.series("val_loss")
    if not len(val_loss) or not np.isfinite(val_loss).any():
        return None
    return int(record.epoch_numbers[int(np.nanargmin(val_loss))])


def curves_figure(runs: Sequence[Labelled], metric: str, path: Path) -> Path:
    """Training (solid) and validation (dashed) `metric` of each run in one chart, best epoch marked.

    The best epoch is the one with the lowest validation loss, marked on the validation curve.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    colors = plt.get_cmap("tab10")
    for i, (label, record) in enumerate(runs):
        color, epochs = colors(i % 10), record.epoch_numbers
        prefix = f"{label}: " if len(runs) > 1 else ""
        ax.plot(epochs, record.series(metric), "-", color=color, lw=2, label=f"{prefix}training")
        val = record.series(f"val_{metric}")
        ax.plot(epochs, val, "--", color=color, lw=2, label=f"{prefix}validation")
        best = best_epoch(record)
        if best is not None:
            y = val[list(epochs).index(best)]
            ax.plot([best], [y], "o", color=color, ms=9, mfc="white", mew=2, zorder=5)
            ax.annotate(f"best epoch {best}", (best, y), textcoords="offset points", xytext=(6, 8), color=color)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " "))
    title = "Loss" if metric == "loss" else metric.replace("_", " ").capitalize()
    ax.set_title(f"{title}: training (solid) vs validation (dashed); o = lowest validation loss")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=1 if len(runs) < 3 else 2)
    return _save(fig, path)


def gradients_figure(record: RunRecord, path: Path) -> Path:
    """Per-layer gradient norm across epochs on a log scale, input side in dark colours."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    layers = [name for name in record.probe_layers() if np.isfinite(record.probe_series(name, GRAD_NORM)).any()]
    cmap = plt.get_cmap("viridis")
    for i, name in enumerate(layers):
        values = record.probe_series(name, GRAD_NORM)
        values = np.where(values > 0, values, np.nan)
        ax.plot(record.epoch_numbers, values, "o-", ms=3, color=cmap(0.85 * i / max(len(layers) - 1, 1)), label=name)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("gradient norm (log scale)")
    ax.set_title("Gradient norm per layer (input side dark, output side light)")
    ax.grid(alpha=0.3, which="both")
    if layers:
        ax.legend(fontsize=8, ncol=2 if len(layers) > 6 else 1)
    else:
        ax.text(0.5, 0.5, "no gradient probes recorded", ha="center", transform=ax.transAxes)
    return _save(fig, path)


def probabilities_figure(
    runs: Sequence[tuple[str, Predictions]], path: Path, thresholds: Sequence[float | None] = ()
) -> Path:
    """Per run, histograms of the predicted probability on held-out data, one per true class.

    Two classes: P(class 1) for samples of each true class (where to put a threshold), with the
    suggested threshold drawn where `thresholds` gives one. More classes: P(true class) for each true class.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(runs), figsize=(6 * len(runs), 4.5), squeeze=False, sharey=True)
    for i, (ax, (label, pred)) in enumerate(zip(axes[0], runs)):
        k = pred.probs.shape[1]
        bins = np.linspace(0, 1, 26)
        colors = plt.get_cmap("tab10")
        for c in range(k):
            rows = pred.probs[pred.y_true == c]
            values = rows[:, 1] if k == 2 else rows[:, c]
            if k == 2:
                ax.hist(values, bins=bins, alpha=0.55, color=colors(c), label=f"true class {c} (n={len(rows)})")
            else:
                ax.hist(values, bins=bins, histtype="step", lw=1.5, color=colors(c % 10), label=f"class {c}")
        threshold = thresholds[i] if i < len(thresholds) else None
        if k == 2 and threshold is not None:
            ax.axvline(threshold, color="black", ls="--", lw=1.5, label=f"suggested threshold {threshold:.2f}")
        ax.set_xlabel("predicted P(class 1)" if k == 2 else "predicted P(true class)")
        ax.set_title(f"{label}\n{pred.split} data, {len(pred.y_true)} samples", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, ncol=1 if k <= 4 else 2, title="true class" if k > 2 else None)
    axes[0][0].set_ylabel("samples")
    fig.suptitle("Predicted probability on held-out data, by true class")
    return _save(fig, path)


def reliability_figure(runs: Sequence[tuple[str, Predictions]], path: Path) -> Path:
    """Reliability diagram: accuracy against confidence per bin, one line per run, ECE in the legend."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1], ":", color="grey", label="perfectly calibrated")
    ax.text(
        0.97, 0.03, "marker area ~ samples in the bin", ha="right", fontsize=8, color="grey", transform=ax.transAxes
    )
    colors = plt.get_cmap("tab10")
    for i, (label, pred) in enumerate(runs):
        rel = reliability(pred.y_true, pred.probs)
        used = rel.counts > 0
        ax.plot(
            rel.confidence[used], rel.accuracy[used], "o-", color=colors(i % 10), label=f"{label} (ECE {rel.ece:.3f})"
        )
    low = min((1 / pred.probs.shape[1] for _, pred in runs), default=0.0)
    ax.set_xlim(low - 0.02, 1.01)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("confidence (top predicted probability)")
    ax.set_ylabel("accuracy in the bin")
    ax.set_title("Calibration: below the diagonal = over-confident")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return _save(fig, path)


def sweep_figure(rows: Sequence[Any], metric: str, label: str, path: Path, title: str) -> Path:
    """The sweep metric against the swept value, mean with error bars (std over repeats).

    One line when one flag is swept; with two or more, one line per value of the others.
    Each point is labelled with its setting's main finding.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    x_key = next(iter(rows[0].values), "setting") if rows else "setting"
    groups: dict[str, list[Any]] = {}
    for row in rows:
        rest = ", ".join(f"{k}={v}" for k, v in row.values.items() if k != x_key)
        groups.setdefault(rest, []).append(row)
    x_labels = list(dict.fromkeys(r.values.get(x_key, r.name) for r in rows))
    numeric = all(_is_number(v) for v in x_labels)
    findings = {r.main_finding for r in rows}
    positions = [float(v) for v in x_labels] if numeric else list(range(len(x_labels)))
    step = (max(positions) - min(positions) or 1) * 0.015
    for i, (rest, members) in enumerate(groups.items()):
        dodge = (i - (len(groups) - 1) / 2) * step  # keep error bars of different lines apart
        xs = [positions[x_labels.index(r.values.get(x_key, r.name))] + dodge for r in members]
        ys = [r.mean(metric) for r in members]
        line = ax.errorbar(xs, ys, yerr=[r.std(metric) for r in members], fmt="o-", capsize=4, lw=2, label=rest)
        for x, y, r in zip(xs, ys, members):
            if len(findings) > 1 and r.main_finding not in ("healthy", "-", "?") and np.isfinite(y):
                ax.annotate(
                    r.main_finding,
                    (x, y),
                    textcoords="offset points",
                    xytext=(4, -12),
                    fontsize=7,
                    color=line[0].get_color(),
                )
    if numeric and all(float(v).is_integer() for v in x_labels) and len(x_labels) <= 20:
        ax.set_xticks([float(v) for v in x_labels])
    elif not numeric:
        ax.set_xticks(range(len(x_labels)), x_labels)
    ax.set_xlabel(x_key.replace("_", " "))
    ax.set_ylabel(label)
    repeats = max((r.runs for r in rows), default=1)
    spread = f"mean ± std over {repeats} seeds" if repeats > 1 else "one seed per setting"
    labels = f"main finding of every setting: {next(iter(findings))}" if len(findings) == 1 else "labels: main finding"
    ax.set_title(f"{title}\n{spread}; {labels}", fontsize=11)
    ax.grid(alpha=0.3)
    if len(groups) > 1:
        ax.legend(fontsize=8)
    return _save(fig, path)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
