"""divergence and oscillation: a loss that blows up, or curves that swing up and down.

Neither needs anything from the run's anatomy: NaN/Inf, a loss far above its own minimum and swings mean the same
for every loss. Divergence judges the data loss where an L1/L2 penalty is in Keras's loss (`loss_series`), and
compares the end loss with the chance level only where that is known (`base.chance`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.measure.record import validation_samples
from kerasdiag.diagnosis.measure.series import Swings, count_swings, finite_prefix
from kerasdiag.diagnosis.rules.base import NotEvaluable, about, config_value, finding, fix, fmt, learning_rate, pct
from kerasdiag.diagnosis.rules.loss_series import loss_series
from kerasdiag.diagnosis.rules.needs import Chance, chance, chance_bound, not_a_classifier
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

LOSS_KEYS = ("loss", "val_loss")
# Why a rule that reads a diverged model's state (gradients, probabilities) defers to divergence: a catalog
# message (`str()` of it is the English text), to pass as a placeholder of the rule's own reason.
DIVERGED_SKIP = say("skip.diverged")
DIVERGE = about("divergence")
OSC = about("oscillation")
LN_2 = float(np.log(2))


def non_finite_epochs(record: RunRecord) -> list[int]:
    """Epochs whose loss, val_loss or largest batch loss is NaN or Inf (a logged None counts too)."""
    table = record.epochs
    columns = [table.metrics.get(k) for k in LOSS_KEYS] + [table.batch_loss.get("max")]
    bad = np.zeros(len(table), dtype=bool)
    for column in columns:
        bad |= table.logged(column) & ~np.isfinite(table.array(column))
    return [int(n) for n in record.epoch_numbers[bad]]


def check_divergence(record: RunRecord, th: Thresholds) -> list[Finding]:
    """NaN/Inf losses, or a finite loss that blew up and stayed up.

    Needs nothing from the anatomy (any loss can blow up). The blow-up is judged on the data loss where Keras's
    loss holds an L1/L2 penalty, and against the chance level only where the anatomy tells it: ln k, ln 2, or the
    targets' variance of an MSE regression (never ln k of a guessed k for a regression's MSE).
    """
    if not record.epochs:
        raise NotEvaluable(say("skip.no_epochs"))
    bad = non_finite_epochs(record)
    series = loss_series(record)
    loss = series.finite_train()
    level = chance_bound(record)  # a classifier's logs without k: a loss far above ln 1000 blew up whatever k is
    blowup = _blowup(loss, th, level.loss)
    if not bad and record.status != "diverged" and blowup is None:
        return []
    evidence: dict[str, Any] = {
        "non_finite_epochs": bad,
        "status": record.status,
        "last_finite_loss": float(loss[-1]) if loss.size else None,
        "min_loss": float(loss.min()) if loss.size else None,
        "first_loss": float(loss[0]) if loss.size else None,
        "blowup_factor": blowup,
        "chance_loss": level.loss,
        "end_vs_chance_loss": _end(loss) / level.loss if loss.size and level.loss else None,
        "learning_rate": learning_rate(record),
        "threshold_rise": th.divergence_rise,
        "threshold_chance_factor": th.divergence_chance_factor,
        **level.evidence(),
        **series.evidence(),
    }
    non_finite = bool(bad) or record.status == "diverged"
    severity = Severity.ERROR if non_finite else series.severity(Severity.WARNING)
    summary = _divergence_summary(evidence, level)
    summary = summary if non_finite else series.told(summary)
    return [finding("divergence", severity, summary, evidence, _divergence_fixes(record), DIVERGE)]


def diverging(record: RunRecord, th: Thresholds) -> bool:
    """Whether the loss went NaN/Inf or blew up: other rules defer to divergence then."""
    if record.status == "diverged" or non_finite_epochs(record):
        return True
    return _blowup(loss_series(record).finite_train(), th, chance_bound(record).loss) is not None


def _end(loss: np.ndarray) -> float:
    return float(loss[-2:].mean())


def _blowup(loss: np.ndarray, th: Thresholds, chance: float | None = None) -> float | None:
    """End loss / lowest loss when the loss blew up and stayed up, though finite.

    Either it ended above both `divergence_rise` x its minimum and epoch 1, or it ended above
    `divergence_chance_factor` x the chance loss (ln k, ln 2, the targets' variance) without falling below
    `divergence_keep_share` of epoch 1 (the jump happened within epoch 1, and it stays).
    """
    if loss.size < 3:
        return None
    end, low = _end(loss), float(loss.min())
    if low > 0 and end >= th.divergence_rise * low and end > loss[0]:
        return end / low
    if chance and low > 0 and end >= th.divergence_chance_factor * chance and end >= th.divergence_keep_share * loss[0]:
        return end / low
    return None


def _divergence_summary(ev: dict[str, Any], level: Chance) -> Message:
    lr = fmt(ev["learning_rate"]) if ev["learning_rate"] else "?"
    if ev["non_finite_epochs"] or ev["blowup_factor"] is None:
        first = ev["non_finite_epochs"][0] if ev["non_finite_epochs"] else "?"
        if ev["last_finite_loss"] is None:
            last = say("divergence.no_finite_loss")
        else:
            last = say("divergence.last_finite_loss", last=fmt(ev["last_finite_loss"]), lowest=fmt(ev["min_loss"]))
        return say("divergence.summary.non_finite", epoch=first, status=ev["status"], lr=lr, last=last)
    factor, low = fmt(ev["blowup_factor"]), fmt(ev["min_loss"])
    if ev["end_vs_chance_loss"] and ev["end_vs_chance_loss"] >= ev["threshold_chance_factor"]:
        return say(
            "divergence.summary.above_chance",
            end=fmt(ev["last_finite_loss"]),
            times=fmt(ev["end_vs_chance_loss"]),
            chance=level.loss_phrase(),
            threshold=fmt(ev["threshold_chance_factor"]),
            first=fmt(ev["first_loss"]),
            lowest=low,
            lr=lr,
        )
    return say(
        "divergence.summary.rose",
        factor=factor,
        lowest=low,
        first=fmt(ev["first_loss"]),
        threshold=fmt(ev["threshold_rise"]),
        lr=lr,
    )


def _divergence_fixes(record: RunRecord) -> list[Fix]:
    lr = learning_rate(record)
    fixes = [fix(f"--lr {lr / 10:g}" if lr else "--lr 0.001", say("divergence.fix.lr"))]
    if config_value(record, "normalize", True) is False:
        fixes.append(fix("--normalize", say("divergence.fix.normalize")))
    fixes.append(fix("--batch-norm", say("divergence.fix.batch_norm")))
    return fixes


def measure_oscillation(record: RunRecord, th: Thresholds) -> dict[str, Swings]:
    """Swings of val_loss, loss (relative) and val_accuracy (absolute) after the warm-up epochs."""
    needed = th.oscillation_warmup + th.min_epochs
    found: dict[str, Swings] = {}
    # A regression's (or multi-label model's) `accuracy` counts exact matches: its swings say nothing.
    classifier = not_a_classifier(record) is None
    names = ("val_loss", "loss", "val_accuracy") if classifier else ("val_loss", "loss")
    level = chance(record).loss
    for name in names:
        if not record.has(name):
            continue
        curve = finite_prefix(record.series(name))
        values = curve[th.oscillation_warmup :]
        if values.size < th.min_epochs:
            continue
        relative = name.endswith("loss")
        threshold = th.oscillation_swing if relative else _acc_swing(record, th)
        # A loss near zero swings by crumbs: moves count against at least a share of the chance loss, so a smooth
        # fall to 0.015 with bumps of 0.005 is no oscillation. Where it is unknown: the judged epochs' median (a first
        # epoch that blew up is no yardstick), and for a run logging accuracy at least ln 2, the least chance loss
        # of a cross-entropy classifier.
        reference = level or max(float(np.median(values)), LN_2 if classifier and record.has("accuracy") else 0.0)
        floor = max(th.oscillation_loss_floor, th.oscillation_reference_floor * reference)
        found[name] = count_swings(values, threshold, relative, floor=floor)
    if not found:
        raise NotEvaluable(say("oscillation.skip.short", needed=needed))
    return found


def _acc_swing(record: RunRecord, th: Thresholds) -> float:
    samples = validation_samples(record)  # plain logs: counted from the val_accuracy values
    if not samples:
        return th.oscillation_acc_swing
    return max(th.oscillation_acc_swing, th.oscillation_acc_samples / samples)


def oscillation_hits(record: RunRecord, th: Thresholds) -> dict[str, Swings]:
    """The series that swing often and far enough to count as oscillating (empty when none does)."""
    return {
        n: s
        for n, s in measure_oscillation(record, th).items()
        if min(s.up, s.down) >= th.oscillation_min_swings and s.share >= th.oscillation_min_share
    }


def oscillating(record: RunRecord, th: Thresholds) -> bool:
    try:
        return bool(oscillation_hits(record, th))
    except NotEvaluable:
        return False


def _never_sane(record: RunRecord, th: Thresholds) -> bool:
    """After the warm-up epochs the training loss never came below `divergence_chance_factor` x the chance loss (it
    blew up and stayed there): its swings are a broken model's, not an optimizer bouncing around a minimum. Where
    the logs give no k, a bound above any classifier's chance loss (`chance_bound`)."""
    level = chance_bound(record).loss
    loss = loss_series(record).finite_train()[th.oscillation_warmup :]
    return bool(level and loss.size and float(loss.min()) >= th.divergence_chance_factor * level)


def check_oscillation(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Curves that swing up and down. Needs nothing from the anatomy; val_accuracy counts only for a classifier."""
    hits = oscillation_hits(record, th)
    if not hits or _never_sane(record, th):  # the swings of a loss that never came near chance: divergence's
        return []
    name, worst = max(hits.items(), key=lambda item: min(item[1].up, item[1].down))
    evidence = {
        "series": {n: {**s.__dict__, "share": s.share} for n, s in hits.items()},
        "worst_series": name,
        "learning_rate": learning_rate(record),
        "batch_size": config_value(record, "batch_size"),
        "threshold_swing": th.oscillation_swing if name.endswith("loss") else _acc_swing(record, th),
        "threshold_min_swings": th.oscillation_min_swings,
        "threshold_min_share": th.oscillation_min_share,
        "warmup_epochs": th.oscillation_warmup,
    }
    size = pct(evidence["threshold_swing"]) if name.endswith("loss") else fmt(evidence["threshold_swing"])
    summary = say(
        "oscillation.summary",
        series=name,
        up=worst.up,
        down=worst.down,
        size=size,
        warmup=th.oscillation_warmup,
        share=pct(worst.share),
        median=fmt(worst.median_move),
        min_swings=th.oscillation_min_swings,
        min_share=pct(th.oscillation_min_share),
    )
    return [finding("oscillation", Severity.WARNING, summary, evidence, _oscillation_fixes(record), OSC)]


def _oscillation_fixes(record: RunRecord) -> list[Fix]:
    lr = learning_rate(record)
    fixes = [fix(f"--lr {lr / 3:.2g}" if lr else "--lr 0.0003", say("oscillation.fix.lr"))]
    batch = config_value(record, "batch_size")
    if batch:
        fixes.append(fix(f"--batch-size {int(batch) * 2}", say("oscillation.fix.batch_size")))
    return fixes
