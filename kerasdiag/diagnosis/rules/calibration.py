"""overconfidence: held-out probabilities more extreme than the accuracy justifies.

It needs a classifier whose saved predictions are softmax probabilities over k classes: logits are scores, not
probabilities, and a regression's outputs have no confidence to calibrate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.rules.base import NotEvaluable, about, finding, fix, fmt, pct
from kerasdiag.diagnosis.rules.curves import diverging, oscillating
from kerasdiag.diagnosis.rules.needs import needs, unmet_need
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.measures.calibration import reliability
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

ABOUT = about("overconfidence")


def true_class_histograms(probs: np.ndarray, y_true: np.ndarray, bins: int) -> dict[str, list[int]]:
    """Per true class c, counts of P(c) in `bins` equal bins over [0, 1]."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    return {
        str(c): np.histogram(probs[y_true == c, c], bins=edges)[0].tolist()
        for c in range(probs.shape[1])
        if (y_true == c).any()
    }


@dataclass(frozen=True)
class Calibration:
    samples: int
    accuracy: float
    mean_confidence: float
    gap: float  # mean confidence - accuracy
    ece: float
    extreme_share: float  # share of max probabilities above `extreme_probability`
    extreme_true_share: float  # share of P(true class) above `extreme_probability` or below 1 - it


def measure_calibration(probs: np.ndarray, y_true: np.ndarray, th: Thresholds) -> Calibration:
    confidence = probs.max(axis=1)
    accuracy = float((probs.argmax(axis=1) == y_true).mean())
    p_true = probs[np.arange(y_true.size), y_true]
    extreme = (p_true > th.extreme_probability) | (p_true < 1.0 - th.extreme_probability)
    return Calibration(
        samples=int(y_true.size),
        accuracy=accuracy,
        mean_confidence=float(confidence.mean()),
        gap=float(confidence.mean()) - accuracy,
        ece=reliability(y_true, probs).ece,
        extreme_share=float((confidence > th.extreme_probability).mean()),
        extreme_true_share=float(extreme.mean()),
    )


def _require_predictions(
    record: RunRecord, th: Thresholds, min_samples: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The saved probabilities and true labels, from `min_samples` (default `overconfidence_min_samples`) on, less the
    samples of classes the training split never held (a class-ordered split): no model can predict those, so their
    confidently wrong answers say nothing about calibration (validation-mismatch reports them)."""
    needed = th.overconfidence_min_samples if min_samples is None else min_samples
    if record.predictions is None:
        raise NotEvaluable(say("overconfidence.skip.no_predictions"))
    probs = np.asarray(record.predictions.probs, dtype=float)
    y_true = np.asarray(record.predictions.y_true).astype(int).ravel()
    if probs.ndim != 2 or probs.shape[0] != y_true.size:
        raise NotEvaluable(say("overconfidence.skip.shape", shape=str(probs.shape), labels=y_true.size))
    if not np.isfinite(probs).all():
        raise NotEvaluable(say("overconfidence.skip.not_finite"))
    seen = _seen_in_training(record, y_true)
    if not seen.all() and seen.sum() < needed:
        unseen, count = int((~seen).sum()), int(seen.sum())
        raise NotEvaluable(say("overconfidence.skip.unseen_classes", unseen=unseen, count=count, needed=needed))
    probs, y_true = probs[seen], y_true[seen]
    if y_true.size < needed:
        raise NotEvaluable(say("overconfidence.skip.few_samples", count=y_true.size, needed=needed))
    return probs, y_true


def _seen_in_training(record: RunRecord, y_true: np.ndarray) -> np.ndarray:
    """Per sample: its class is one the training split held (all True where no class counts were recorded)."""
    counts = record.data.train.class_counts if record.data is not None else {}
    if not counts:
        return np.ones(y_true.size, dtype=bool)
    held = [c for c, n in counts.items() if n > 0]
    return np.isin(y_true, held)


def calibration_facts(record: RunRecord, th: Thresholds) -> dict[str, Any]:
    """Calibration of the held-out predictions (for other rules' evidence); empty when there are none."""
    if unmet_need(check_overconfidence, record) is not None:
        return {}
    try:
        probs, y_true = _require_predictions(record, th)
    except NotEvaluable:
        return {}
    m = measure_calibration(probs, y_true, th)
    facts: dict[str, Any] = {
        "heldout_samples": m.samples,
        "heldout_accuracy": m.accuracy,
        "heldout_ece": m.ece,
        "heldout_extreme_true_share": m.extreme_true_share,
        "true_class_histograms": true_class_histograms(probs, y_true, th.histogram_bins),
    }
    predictions = record.predictions
    if predictions is not None and predictions.best_probs is not None:
        best = measure_calibration(np.asarray(predictions.best_probs, dtype=float), y_true, th)
        facts |= {"best_epoch_ece": best.ece, "best_epoch_extreme_true_share": best.extreme_true_share}
    return facts


@needs(classifier=True, probabilities=True)
def check_overconfidence(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Held-out confidence above accuracy (ECE and gap), far from chance.

    Needs softmax probabilities over k classes (a multi-class softmax model): calibration compares predicted
    probabilities with how often they are right; logits and a single sigmoid unit are not stored as such.
    """
    probs, y_true = _require_predictions(record, th, th.overconfidence_few_samples)
    if diverging(record, th):
        raise NotEvaluable(say("overconfidence.skip.diverged", diverged=say("skip.diverged")))
    m = measure_calibration(probs, y_true, th)
    chance = 1.0 / probs.shape[1]
    confidence_skill = (m.mean_confidence - chance) / (1.0 - chance)
    needed_gap = max(th.overconfidence_gap, _sampling_gap(m, th))
    if m.ece < th.overconfidence_ece or m.gap < needed_gap or confidence_skill < th.overconfidence_min_confidence:
        return []
    evidence: dict[str, Any] = {
        **m.__dict__,
        "split": record.predictions.split if record.predictions else None,
        "true_class_histograms": true_class_histograms(probs, y_true, th.histogram_bins),
        "histogram_bins": th.histogram_bins,
        "threshold_ece": th.overconfidence_ece,
        "threshold_gap": needed_gap,
        "few_samples": m.samples < th.overconfidence_min_samples,
        "confidence_skill": confidence_skill,
        "threshold_confidence": th.overconfidence_min_confidence,
        "extreme_probability": th.extreme_probability,
    }
    evidence.update(_best_epoch_calibration(record, y_true, th))
    # Calibrated at the best epoch and miscalibrated only at the end of a run whose curves swing: the end state
    # is one swing of the oscillation (its finding names the fix), so this is a note, not a second problem.
    swing = evidence.get("best_epoch_ece", 1.0) < th.overconfidence_ece and oscillating(record, th)
    evidence["end_of_swings"] = swing
    summary = _summary(m, evidence, th)
    severity = Severity.INFO if swing else Severity.WARNING
    return [finding("overconfidence", severity, summary, evidence, _fixes(evidence), ABOUT)]


def _sampling_gap(m: Calibration, th: Thresholds) -> float:
    """On fewer than `overconfidence_min_samples` predictions: the gap their accuracy's sampling noise could make,
    `overconfidence_noise_z` binomial standard errors (the variance floored at 1/n, so an accuracy of 1 is no proof
    either); 0 from `overconfidence_min_samples` on."""
    if m.samples >= th.overconfidence_min_samples:
        return 0.0
    variance = max(m.accuracy * (1.0 - m.accuracy), 1.0 / m.samples)
    return th.overconfidence_noise_z * float(np.sqrt(variance / m.samples))


def _best_epoch_calibration(record: RunRecord, y_true: np.ndarray, th: Thresholds) -> dict[str, Any]:
    predictions = record.predictions
    if predictions is None or predictions.best_probs is None:
        return {}
    best = measure_calibration(np.asarray(predictions.best_probs, dtype=float), y_true, th)
    return {
        "best_epoch": predictions.best_epoch,
        "best_epoch_ece": best.ece,
        "best_epoch_accuracy": best.accuracy,
        "best_epoch_extreme_share": best.extreme_share,
    }


def _summary(m: Calibration, ev: dict[str, Any], th: Thresholds) -> Message:
    best: Message | str = ""
    if "best_epoch_ece" in ev:
        best = say("overconfidence.best_epoch", epoch=ev["best_epoch"], ece=fmt(ev["best_epoch_ece"]))
    summary = say(
        "overconfidence.summary",
        samples=m.samples,
        confidence=fmt(m.mean_confidence),
        accuracy=fmt(m.accuracy),
        gap=fmt(m.gap),
        threshold_gap=fmt(ev["threshold_gap"]),
        ece=fmt(m.ece),
        threshold_ece=fmt(th.overconfidence_ece),
        extreme_share=pct(m.extreme_share),
        extreme=fmt(th.extreme_probability),
        extreme_low=fmt(1 - th.extreme_probability),
        extreme_true_share=pct(m.extreme_true_share),
        best=best,
    )
    if not ev["few_samples"]:
        return summary
    return say(
        "overconfidence.few_samples",
        summary=summary,
        samples=m.samples,
        needed=th.overconfidence_min_samples,
        z=fmt(th.overconfidence_noise_z),
    )


def _fixes(ev: dict[str, Any]) -> list[Fix]:
    fixes = []
    if ev.get("best_epoch"):
        fixes.append(fix(f"--epochs {ev['best_epoch']}", say("overconfidence.fix.best_epoch")))
    fixes += [
        fix("--dropout 0.3", say("overconfidence.fix.dropout")),
        fix("--l2 1e-4", say("overconfidence.fix.l2")),
    ]
    return fixes
