"""A sweep's conclusion: the best setting, how much is seed noise, what stands out of it, and what depends on length.

Every claim is measured against the noise band of a difference between two settings (`measures.noise`): the
spread across seeds with repeats, the epoch-to-epoch noise of each run's validation curve with one seed. A
difference inside the band is never a "turn" and never a reason to try larger or smaller values. Two more
sentences say when the order could change with the training length: the best setting by the best-epoch value
is another than by the final value, or some settings were still improving in their last epochs.
"""

from __future__ import annotations

import math

from kerasdiag.experiments.sweep.summary import HIGHER_IS_BETTER, SettingRow, best_row, heading, mean_pm
from kerasdiag.measures.noise import NOISE_EPOCHS, NoiseBand, noise_band
from kerasdiag.messages import join, text

# The validation curve whose epoch-to-epoch noise stands for a metric's noise with one seed (none: not estimated).
CURVE = {
    "val_accuracy": "val_accuracy",
    "best_val_accuracy": "val_accuracy",
    "gap": "val_accuracy",
    "val_loss": "val_loss",
    "best_val_loss": "val_loss",
}
# The same measure at the other end of training: final <-> best epoch.
OTHER_END = {
    "val_accuracy": "best_val_accuracy",
    "best_val_accuracy": "val_accuracy",
    "val_loss": "best_val_loss",
    "best_val_loss": "val_loss",
}
LAST_EPOCHS = 0.1  # a best epoch in the last 10% of the epochs (at least the last one) is "still improving"
MAX_NAMED = 4  # settings named in one sentence; the rest are counted


def metric_noise(rows: list[SettingRow], metric: str) -> NoiseBand:
    """The noise band of a difference between two settings' means of `metric`."""
    curve = CURVE.get(metric)
    epoch_sds = [v for r in rows for v in r.samples.get(f"noise:{curve}", [])] if curve else []
    return noise_band([r.samples.get(metric, []) for r in rows], epoch_sds)


def conclusion(rows: list[SettingRow], metric: str, lang: str = "en") -> list[str]:
    """Sentences in `lang`: best setting, seed noise, runner-up and range, where the metric turns, training length."""
    best = best_row(rows, metric)
    if best is None:
        return [text("exp.sweep.no_metric", lang)]
    name, band = heading(metric, lang), metric_noise(rows, metric)
    lines = [text("exp.sweep.best", lang, metric=name, setting=best.name, value=mean_pm(best, metric, 4))]
    lines.append(noise_line(band, metric, lang))
    others = [r for r in rows if r is not best and math.isfinite(r.mean(metric))]
    if others:
        runner = best_row(others, metric)
        worst = best_row(others, metric, worst=True)
        assert runner is not None and worst is not None
        difference = abs(best.mean(metric) - runner.mean(metric))
        if band.within(difference):
            lines.append(text("exp.sweep.runner_up", lang, setting=runner.name, diff=f"{difference:.4f}"))
        low, high = mean_pm(worst, metric, 4), mean_pm(best, metric, 4)
        lines.append(text("exp.sweep.range", lang, worst=low, worst_setting=worst.name, best=high))
    lines += _turn(rows, metric, band, lang)
    lines += training_length(rows, metric, lang)
    return lines


def noise_line(band: NoiseBand, metric: str, lang: str = "en") -> str:
    """How much of a difference is noise: the spread over seeds, or with one seed the estimate from the epochs."""
    facts = {"metric": heading(metric, lang), "seeds": band.seeds, "threshold": f"{band.threshold:.4f}"}
    if band.source == "unknown" and band.seeds < 2:
        return text("exp.sweep.noise.unknown" if metric in CURVE else "exp.sweep.noise.no_curve", lang, **facts)
    if band.source == "unknown":
        return text("exp.sweep.noise.tied_unknown", lang, **facts)
    if band.seeds < 2:
        return text("exp.sweep.noise.one_seed", lang, curve=CURVE[metric], window=NOISE_EPOCHS, **facts)
    if band.source == "epochs":
        return text("exp.sweep.noise.tied", lang, spread=f"{band.spread:.4f}", **facts)
    return text("exp.sweep.noise.seeds", lang, spread=f"{band.spread:.4f}", **facts)


def _turn(rows: list[SettingRow], metric: str, band: NoiseBand, lang: str) -> list[str]:
    """For one numeric swept flag: where the metric is best, and its sharpest change, each only beyond the noise."""
    keys = {key for row in rows for key in row.values}
    if len(keys) != 1 or len(rows) < 3 or band.source == "unknown":
        return []
    (key,) = keys
    try:
        ordered = sorted((r for r in rows if math.isfinite(r.mean(metric))), key=lambda r: float(r.values[key]))
    except ValueError:
        return []
    if len(ordered) < 3:
        return []
    higher = HIGHER_IS_BETTER[metric]
    means = [r.mean(metric) for r in ordered]
    peak = max(range(len(means)), key=lambda i: means[i] if higher else -means[i])
    near = [i for i, m in enumerate(means) if band.within(m - means[peak])]
    name, values = heading(metric, lang), [r.values[key] for r in ordered]
    facts = {"metric": name, "key": key, "threshold": f"{band.threshold:.4f}"}
    if len(near) == len(ordered):
        return [text("exp.sweep.flat", lang, **facts)]
    if len(near) > 1:
        others = join((values[i] for i in near if i != peak), lang)
        lines = [text("exp.sweep.near_best", lang, value=values[peak], others=others, **facts)]
    elif peak == len(ordered) - 1:
        lines = [text("exp.sweep.largest", lang, **facts)]
    elif peak == 0:
        lines = [text("exp.sweep.smallest", lang, **facts)]
    else:
        lines = [text("exp.sweep.peak", lang, value=values[peak], **facts)]
    steps = [(b - a, i) for i, (a, b) in enumerate(zip(means, means[1:])) if not band.within(b - a)]
    worse = [(step, i) for step, i in steps if (step < 0 if higher else step > 0)]
    if worse:
        _, i = max(worse, key=lambda s: abs(s[0]))
        low, high = f"{means[i]:.4f}", f"{means[i + 1]:.4f}"
        lines.append(
            text("exp.sweep.sharpest", lang, before=values[i], after=values[i + 1], low=low, high=high, **facts)
        )
    return lines


def training_length(rows: list[SettingRow], metric: str, lang: str = "en") -> list[str]:
    """When the conclusion depends on how long the runs trained: best vs final disagree, or runs still improving."""
    lines = []
    other = OTHER_END.get(metric)
    best, rival = best_row(rows, metric), best_row(rows, other) if other else None
    if other and best is not None and rival is not None and rival is not best:
        facts = {"metric": heading(metric, lang), "other": heading(other, lang), "setting": best.name}
        lines.append(text("exp.sweep.ends_disagree", lang, other_setting=rival.name, **facts))
    improving = still_improving(rows, metric)
    if improving:
        named = join((f"{r.name} ({_epochs(r, metric)})" for r in improving[:MAX_NAMED]), lang)
        more = len(improving) - MAX_NAMED
        named += text("exp.sweep.and_more", lang, count=more) if more > 0 else ""
        lines.append(text("exp.sweep.still_improving", lang, settings=named, count=len(improving), total=len(rows)))
    return lines


def still_improving(rows: list[SettingRow], metric: str) -> list[SettingRow]:
    """Settings whose best epoch (mean over seeds) lies in the last `LAST_EPOCHS` of their epochs."""
    out = []
    for row in rows:
        epochs, at = row.mean("epochs"), row.mean(_best_epoch_key(metric))
        known = math.isfinite(epochs) and math.isfinite(at) and epochs >= 2
        if known and at > epochs - max(1.0, LAST_EPOCHS * epochs):
            out.append(row)
    return out


def _best_epoch_key(metric: str) -> str:
    """The best epoch that matters for `metric`: of the highest val_acc for accuracy measures, else lowest val_loss."""
    return "epochs_to_best_accuracy" if CURVE.get(metric) == "val_accuracy" else "epochs_to_best"


def _epochs(row: SettingRow, metric: str) -> str:
    """`19/20`: the mean best epoch over the epochs trained."""
    return f"{row.mean(_best_epoch_key(metric)):.0f}/{row.mean('epochs'):.0f}"
