"""PNG figures of runs and sweeps, with matplotlib's non-interactive backend.

matplotlib is imported inside `_pyplot`, so only the commands that draw (report, compare,
sweep) pay for it. Every figure has a title, axis labels and a legend, and is saved at a size
that reads well in a README.

Words come from the message catalog in the figure's `lang`. Japanese is drawn with IPAexGothic, the font
that the `matplotlib-fontja` package ships, inside `fonts_for("ja")` (an `rc_context`: matplotlib's global
settings, and so English figures, stay as they are). Names read from files (runs, layers, settings, flags)
go through `literal`, so a `$` in them is drawn as a dollar sign, never parsed as mathtext.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.measures.calibration import Reliability, reliability
from kerasdiag.measures.threshold import Threshold
from kerasdiag.messages import catalog, render, text
from kerasdiag.render.files import write_atomic
from kerasdiag.render.safe import printable
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import GRAD_NORM
from kerasdiag.rundir.summaries import Predictions

DPI = 110
# Per run, at most this many true classes get a histogram in probabilities.png (those with the most samples):
# one per class made 5,000 classes take 39 s and 50,000 more than 2 minutes; the others are named in a note.
MAX_CLASSES_DRAWN = 20
Labelled = tuple[str, RunRecord]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@contextmanager
def fonts_for(lang: str) -> Iterator[None]:
    """Draw text in `lang`: for Japanese, IPAexGothic (DejaVu Sans for the glyphs it lacks), only inside the block.

    Create and save a figure inside the block: matplotlib picks a text's font when the text is made.
    """
    if lang != "ja":
        yield
        return
    import matplotlib

    with matplotlib.rc_context():
        # Importing matplotlib_fontja registers its font with matplotlib's font manager and sets the global
        # font family (its `japanize()`, run once on import); the rc_context takes that setting back.
        import matplotlib_fontja
        from matplotlib import font_manager

        japanese = font_manager.FontProperties(fname=matplotlib_fontja.get_font_ttf_path()).get_name()
        matplotlib.rcParams["font.family"] = [japanese, "DejaVu Sans"]
        yield


def literal(name: object) -> str:
    """Text from a file (a run, layer or setting name), drawn as it is: `$` is not mathtext, and control
    characters are shown escaped (`render.safe.printable`)."""
    return printable(name).replace("$", r"\$")


def _save(fig: Any, path: Path) -> Path:
    """Save `fig` as a PNG at `path`, written whole (`render.files.write_atomic`: never through a link there)."""
    buffer = io.BytesIO()
    try:
        fig.tight_layout()
        fig.savefig(buffer, format="png", dpi=DPI)
    finally:
        _pyplot().close(fig)
    return write_atomic(path, buffer.getvalue())


def best_epoch(record: RunRecord) -> int | None:
    """The epoch (1-based) with the lowest validation loss, if any."""
    val_loss = record.series("val_loss")
    if not len(val_loss) or not np.isfinite(val_loss).any():
        return None
    return int(record.epoch_numbers[int(np.nanargmin(val_loss))])


def curves_figure(runs: Sequence[Labelled], metric: str, path: Path, lang: str = "en") -> Path:
    """Training (solid) and validation (dashed) `metric` of each run in one chart, best epoch marked.

    The best epoch is the one with the lowest validation loss, marked on the validation curve.
    """
    with fonts_for(lang):
        return _curves(runs, metric, path, lang)


def _curves(runs: Sequence[Labelled], metric: str, path: Path, lang: str) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    colors = plt.get_cmap("tab10")
    for i, (label, record) in enumerate(runs):
        color, epochs = colors(i % 10), record.epoch_numbers
        prefix = f"{literal(label)}: " if len(runs) > 1 else ""
        ax.plot(epochs, record.series(metric), "-", color=color, lw=2, label=prefix + render("figure.training", lang))
        val = record.series(f"val_{metric}")
        ax.plot(epochs, val, "--", color=color, lw=2, label=prefix + render("figure.validation", lang))
        best = best_epoch(record)
        if best is not None:
            y = val[list(epochs).index(best)]
            ax.plot([best], [y], "o", color=color, ms=9, mfc="white", mew=2, zorder=5)
            note = text("figure.best_epoch", lang, epoch=best)
            ax.annotate(note, (best, y), textcoords="offset points", xytext=(6, 8), color=color)
    name = _metric_name(metric, lang)
    ax.set_xlabel(render("figure.epoch", lang))
    ax.set_ylabel(name)
    ax.set_title(text("figure.curves.title", lang, metric=name.capitalize()))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=1 if len(runs) < 3 else 2)
    return _save(fig, path)


def _metric_name(metric: str, lang: str) -> str:
    """A metric as an axis names it: `loss`, `val accuracy`; in Japanese 損失, 正解率 (others as in English)."""
    key = f"figure.metric.{metric}"
    return render(key, lang) if key in catalog("en") else literal(metric.replace("_", " "))


def gradients_figure(record: RunRecord, path: Path, lang: str = "en") -> Path:
    """Per-layer gradient norm across epochs on a log scale, input side in dark colours."""
    with fonts_for(lang):
        return _gradients(record, path, lang)


def _gradients(record: RunRecord, path: Path, lang: str) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    layers = [name for name in record.probe_layers() if np.isfinite(record.probe_series(name, GRAD_NORM)).any()]
    cmap = plt.get_cmap("viridis")
    for i, name in enumerate(layers):
        values = record.probe_series(name, GRAD_NORM)
        values = np.where(values > 0, values, np.nan)
        color = cmap(0.85 * i / max(len(layers) - 1, 1))
        ax.plot(record.epoch_numbers, values, "o-", ms=3, color=color, label=literal(name))
    ax.set_yscale("log")
    ax.set_xlabel(render("figure.epoch", lang))
    ax.set_ylabel(render("figure.gradients.y", lang))
    ax.set_title(render("figure.gradients.title", lang))
    ax.grid(alpha=0.3, which="both")
    if layers:
        ax.legend(fontsize=8, ncol=2 if len(layers) > 6 else 1)
    else:
        ax.text(0.5, 0.5, render("figure.gradients.none", lang), ha="center", transform=ax.transAxes)
    return _save(fig, path)


@dataclass(frozen=True)
class HeldOut:
    """One run's held-out predictions as probabilities.png and reliability.png draw them (report and compare).

    Args:
        name: The run's name, drawn as typed (`literal`).
        predictions: Its held-out predictions (test where there are some, else validation).
        labels: The class of each output, in output order (`experiments.compare.class_labels`: `--classes 3,8`
            gives `("3", "8")`). Defaults to `()`: the outputs' indices.
        threshold: The suggested two-class threshold on P(`labels[threshold.positive]`), drawn where given.
            Defaults to `None`.
        calibration: Its reliability bins. Defaults to `None`: measured from `predictions`.
    """

    name: str
    predictions: Predictions
    labels: tuple[str, ...] = ()
    threshold: Threshold | None = None
    calibration: Reliability | None = None

    def label(self, column: int) -> str:
        """The class of output `column` (its index where the labels are unknown)."""
        return self.labels[column] if column < len(self.labels) else str(column)

    @property
    def bins(self) -> Reliability:
        """The reliability bins, with their sample counts."""
        pred = self.predictions
        return self.calibration if self.calibration is not None else reliability(pred.y_true, pred.probs)


def _held_out(run: HeldOut | tuple[str, Predictions]) -> HeldOut:
    """A `(name, predictions)` pair is a run with its outputs' indices for labels and no threshold."""
    return run if isinstance(run, HeldOut) else HeldOut(*run)


def plotted_column(run: HeldOut) -> int:
    """The output whose probability a two-class run's histograms show: the threshold's, else the first."""
    from kerasdiag.experiments.compare import FIRST_OUTPUT

    return run.threshold.positive if run.threshold is not None else FIRST_OUTPUT


def probabilities_figure(runs: Sequence[HeldOut | tuple[str, Predictions]], path: Path, lang: str = "en") -> Path:
    """Per run, histograms of a predicted probability on held-out data, one per true class, named by class label.

    Two classes: P(first class) (`experiments.compare.FIRST_OUTPUT`: `--classes 3,8` plots P(3)) for the samples
    of each true class, with the suggested threshold on it where the run has one. More classes: P(true class)
    for each true class (at most `MAX_CLASSES_DRAWN`; the others are named in a note).
    """
    with fonts_for(lang):
        return _probabilities([_held_out(r) for r in runs], path, lang)


def _probabilities(runs: Sequence[HeldOut], path: Path, lang: str) -> Path:
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(runs), figsize=(6 * len(runs), 4.5), squeeze=False, sharey=True)
    for ax, run in zip(axes[0], runs):
        _probabilities_axis(ax, run, plt.get_cmap("tab10"), lang)
    axes[0][0].set_ylabel(render("figure.probabilities.y", lang))
    fig.suptitle(render("figure.probabilities.title", lang))
    return _save(fig, path)


def _probabilities_axis(ax: Any, run: HeldOut, colors: Any, lang: str) -> None:
    pred = run.predictions
    k, bins, column = pred.probs.shape[1], np.linspace(0, 1, 26), plotted_column(run)
    drawn = drawn_classes(pred.y_true, k)
    for c in drawn:
        rows = pred.probs[pred.y_true == c]
        values = rows[:, column] if k == 2 else rows[:, c]
        values = values[np.isfinite(values)]  # NaN after a divergence: nothing to draw, no warning
        facts = {"label": literal(run.label(c)), "count": len(rows)}
        if k == 2:
            name = text("figure.probabilities.true_class", lang, **facts)
            ax.hist(values, bins=bins, alpha=0.55, color=colors(c), label=name)
        else:
            name = text("figure.probabilities.class", lang, **facts)
            ax.hist(values, bins=bins, histtype="step", lw=1.5, color=colors(c % 10), label=name)
    shown = literal(run.label(column))
    if k == 2 and run.threshold is not None:
        name = text("figure.probabilities.threshold", lang, label=shown, value=f"{run.threshold.value:.2f}")
        ax.axvline(run.threshold.value, color="black", ls="--", lw=1.5, label=name)
    ax.set_xlabel(
        text("figure.probabilities.x2", lang, label=shown) if k == 2 else render("figure.probabilities.xk", lang)
    )
    split = _split(pred.split, lang)
    title = text("figure.probabilities.run", lang, run=literal(run.name), split=split, count=len(pred.y_true))
    if len(drawn) < k:
        counts = {"drawn": f"{len(drawn):,}", "total": f"{k:,}", "rest": f"{k - len(drawn):,}"}
        title = f"{title}\n{text('figure.probabilities.classes_drawn', lang, **counts)}"
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    legend_title = render("figure.probabilities.legend", lang) if k > 2 else None
    ax.legend(fontsize=8, ncol=1 if len(drawn) <= 4 else 2, title=legend_title)


def drawn_classes(y_true: np.ndarray, k: int) -> list[int]:
    """The true classes that get a histogram, in class order: all of them up to MAX_CLASSES_DRAWN, else the
    MAX_CLASSES_DRAWN with the most held-out samples (ties: the lower class). Two classes are always both drawn."""
    if k <= MAX_CLASSES_DRAWN:
        return list(range(k))
    labels = np.asarray(y_true).astype(np.int64, copy=False).ravel()
    counts = np.bincount(labels[(labels >= 0) & (labels < k)], minlength=k)
    most = np.argsort(-counts, kind="stable")[:MAX_CLASSES_DRAWN]
    return sorted(int(c) for c in most)


def _split(split: str, lang: str) -> str:
    """A held-out split by name: `val` / `test` in English, 検証データ / テストデータ in Japanese."""
    from kerasdiag.experiments.compare import split_name

    return literal(split_name(split, lang))


def reliability_figure(runs: Sequence[HeldOut | tuple[str, Predictions]], path: Path, lang: str = "en") -> Path:
    """Reliability diagram: accuracy against confidence per bin, one line per run, ECE in the legend; each point's
    area follows its bin's sample count, and the count is written beside it (`n=12`)."""
    with fonts_for(lang):
        return _reliability([_held_out(r) for r in runs], path, lang)


def _reliability(runs: Sequence[HeldOut], path: Path, lang: str) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1], ":", color="grey", label=render("figure.reliability.perfect", lang))
    note = render("figure.reliability.marker", lang)
    ax.text(0.97, 0.03, note, ha="right", fontsize=8, color="grey", transform=ax.transAxes)
    colors = plt.get_cmap("tab10")
    for i, run in enumerate(runs):
        _reliability_line(ax, run, colors(i % 10), lang)
    low = min((1 / run.predictions.probs.shape[1] for run in runs if run.predictions.probs.shape[1]), default=0.0)
    ax.set_xlim(low - 0.02, 1.01)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(render("figure.reliability.x", lang))
    ax.set_ylabel(render("figure.reliability.y", lang))
    ax.set_title(render("figure.reliability.title", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return _save(fig, path)


def _reliability_line(ax: Any, run: HeldOut, color: Any, lang: str) -> None:
    rel = run.bins
    used = rel.counts > 0
    ece = f"{rel.ece:.3f}" if np.isfinite(rel.ece) else "-"  # no row of probabilities (NaN, a divergence)
    ax.plot([], [], "o-", color=color, label=text("figure.reliability.run", lang, run=literal(run.name), ece=ece))
    xs, ys, counts = rel.confidence[used], rel.accuracy[used], rel.counts[used]
    if not len(counts):
        return
    ax.plot(xs, ys, "-", color=color)
    ax.scatter(xs, ys, s=20 + 300 * counts / counts.max(), color=color, alpha=0.7, zorder=3)  # area ~ samples
    for x, y, n in zip(xs, ys, counts):
        count = text("figure.reliability.bin_count", lang, count=int(n))
        ax.annotate(count, (x, y), textcoords="offset points", xytext=(5, -11), fontsize=7, color=color)


def sweep_figure(rows: Sequence[Any], metric: str, label: str | None, path: Path, title: str, lang: str = "en") -> Path:
    """The sweep metric against the swept value, mean with error bars (std over repeats).

    One line when one flag is swept; with two or more, one line per value of the others.
    Each point is labelled with its setting's main finding. `label` (the y axis) defaults to the
    metric's axis label in `lang`; `title` is drawn as given, `$` included.
    """
    with fonts_for(lang):
        return _sweep(rows, metric, label, path, title, lang)


def _sweep(rows: Sequence[Any], metric: str, label: str | None, path: Path, title: str, lang: str) -> Path:
    from kerasdiag.experiments.sweep.summary import axis_label

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    x_key = next(iter(rows[0].values), "setting") if rows else "setting"
    groups: dict[str, list[Any]] = {}
    for row in rows:
        rest = render("list.separator", lang).join(f"{k}={v}" for k, v in row.values.items() if k != x_key)
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
        yerr = [r.std(metric) for r in members]
        line = ax.errorbar(xs, ys, yerr=yerr, fmt="o-", capsize=4, lw=2, label=literal(rest))
        for x, y, r in zip(xs, ys, members):
            if len(findings) > 1 and r.main_finding not in ("healthy", "-", "?") and np.isfinite(y):
                ax.annotate(
                    literal(r.main_finding_in(lang)),
                    (x, y),
                    textcoords="offset points",
                    xytext=(4, -12),
                    fontsize=7,
                    color=line[0].get_color(),
                )
    if numeric and all(float(v).is_integer() for v in x_labels) and len(x_labels) <= 20:
        ax.set_xticks([float(v) for v in x_labels])
    elif not numeric:
        ax.set_xticks(range(len(x_labels)), [literal(v) for v in x_labels])
    if x_key == "setting":
        ax.set_xlabel(render("view.sweep.setting", lang))
    else:
        ax.set_xlabel(literal(x_key.replace("_", " ") if lang == "en" else x_key))
    ax.set_ylabel(axis_label(metric, lang) if label is None else literal(label))
    repeats = max((r.runs for r in rows), default=1)
    spread = text("figure.sweep.spread", lang, seeds=repeats) if repeats > 1 else render("figure.sweep.one_seed", lang)
    if len(findings) == 1:
        finding = literal(rows[0].main_finding_in(lang))
        labels = text("figure.sweep.one_finding", lang, finding=finding)
    else:
        labels = render("figure.sweep.labels", lang)
    ax.set_title(text("figure.sweep.title", lang, title=literal(title), spread=spread, labels=labels), fontsize=11)
    ax.grid(alpha=0.3)
    if len(groups) > 1:
        ax.legend(fontsize=8)
    return _save(fig, path)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
