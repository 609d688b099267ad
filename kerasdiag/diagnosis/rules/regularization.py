"""over-regularization: a weight penalty or dropout so strong that training cannot fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import (
    About,
    NotEvaluable,
    chance_accuracy,
    config_value,
    finding,
    fix,
    fmt,
    pct,
    require_metric,
    skill,
    text,
)
from kerasdiag.diagnosis.measure.series import end_level
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord

RULE = "over-regularization"


@dataclass(frozen=True)
class Regularization:
    """How strongly a run is regularised, from the model (or flags) and the measured penalty."""

    dropout: float
    l1: float
    l2: float
    penalty_share: float | None  # penalty / loss over the last epochs, None when not measured

    def strong(self, th: Thresholds) -> list[Text]:
        """The settings at or above their thresholds, as short phrases."""
        reasons = []
        if self.penalty_share is not None and self.penalty_share >= th.overreg_penalty_share:
            share, least = pct(self.penalty_share), pct(th.overreg_penalty_share)
            reasons.append(text(f"penalty {share} of the loss >= {least}", f"ペナルティが損失の {share} >= {least}"))
        for name, value, limit in (
            ("dropout", self.dropout, th.overreg_dropout),
            ("l1", self.l1, th.overreg_l1),
            ("l2", self.l2, th.overreg_l2),
        ):
            if value >= limit:
                phrase = f"{name} {fmt(value)} >= {fmt(limit)}"
                reasons.append(text(phrase, phrase))
        return reasons


def measure_regularization(record: RunRecord, th: Thresholds) -> Regularization:
    """Strongest dropout / L1 / L2 of the model (or the flags) and the penalty's share of the loss."""
    if record.model is not None:
        rates = [layer.rate or 0.0 for layer in record.model.layers if layer.kind == "Dropout"]
        dropout = max(rates, default=0.0)
        l1 = max((layer.l1 for layer in record.model.layers), default=0.0)
        l2 = max((layer.l2 for layer in record.model.layers), default=0.0)
    elif record.config is not None:
        dropout, l1, l2 = (float(config_value(record, k, 0.0)) for k in ("dropout", "l1", "l2"))
    else:
        dropout = l1 = l2 = 0.0
    penalty = record.extra_series("penalty_loss")
    share = None
    if np.isfinite(penalty).any() and record.has("loss"):
        ratio = penalty / record.series("loss")
        share = min(1.0, end_level(ratio, th.patience)) if np.isfinite(ratio).any() else None
    if record.model is None and record.config is None and share is None:
        raise NotEvaluable("no regularisation settings or penalty measurements in these logs")
    return Regularization(dropout, l1, l2, share)


@dataclass(frozen=True)
class FitLevel:
    accuracy: float  # mean train accuracy over the last epochs
    val_accuracy: float | None
    skill: float  # (accuracy - chance) / (1 - chance)
    gain: float  # train accuracy gained over the last window
    window: int


def measure_fit_level(record: RunRecord, th: Thresholds) -> FitLevel:
    acc = require_metric(record, "accuracy", th.min_epochs)
    acc = acc[np.isfinite(acc)]
    window = min(th.plateau_window, acc.size - 1)
    end = end_level(acc, th.patience)
    val = end_level(record.series("val_accuracy"), th.patience) if record.has("val_accuracy") else None
    gain = end - float(acc[-window - 1 : -window - 1 + th.patience].mean())
    return FitLevel(end, val, skill(end, chance_accuracy(record)), gain, window)


def over_regularized(record: RunRecord, th: Thresholds) -> tuple[FitLevel, Regularization, list[Text]] | None:
    """The measurements when training is stuck below `overreg_skill` with strong regularisation."""
    level = measure_fit_level(record, th)
    reg = measure_regularization(record, th)
    reasons = reg.strong(th)
    stuck = level.skill < th.overreg_skill and level.gain < th.overreg_flat_gain
    if stuck and reasons:
        return level, reg, reasons
    gap = level.val_accuracy - level.accuracy if level.val_accuracy is not None else 0.0
    if gap >= th.overreg_val_gap and reg.dropout >= th.overreg_gap_dropout and level.skill < th.overreg_skill:
        # Dropout is off at validation: a model far better there than on its own (dropped) training batches.
        limit, rate = fmt(th.overreg_val_gap), fmt(reg.dropout)
        en = f"train accuracy {fmt(gap)} below validation (threshold {limit}) with dropout {rate}"
        ja = f"訓練正解率が検証より {fmt(gap)} 低い（しきい値 {limit}）、ドロップアウト {rate}"
        return level, reg, [*reasons, text(en, ja)]
    return None


def check_over_regularization(record: RunRecord, th: Thresholds) -> list[Finding]:
    measured = over_regularized(record, th)
    if measured is None:
        return []
    level, reg, reasons = measured
    val = f", validation {fmt(level.val_accuracy)}" if level.val_accuracy is not None else ""
    val_ja = f"、検証 {fmt(level.val_accuracy)}" if level.val_accuracy is not None else ""
    joined = "; ".join(r.en for r in reasons)
    joined_ja = "、".join(r.ja for r in reasons)
    summary = text(
        f"Train accuracy stays at {fmt(level.accuracy)}{val} (gain {fmt(level.gain)} over the last "
        f"{level.window} epochs, skill {fmt(level.skill)} < {fmt(th.overreg_skill)}) with {joined}.",
        f"訓練正解率は {fmt(level.accuracy)}{val_ja} のまま（直近 {level.window} エポックの伸び "
        f"{fmt(level.gain)}、"
        f"スキル {fmt(level.skill)} < {fmt(th.overreg_skill)}）。正則化が強い: {joined_ja}。",
    )
    evidence = {
        "train_accuracy": level.accuracy,
        "val_accuracy": level.val_accuracy,
        "train_skill": level.skill,
        "accuracy_gain": level.gain,
        "window_epochs": level.window,
        "penalty_share": reg.penalty_share,
        "dropout": reg.dropout,
        "l1": reg.l1,
        "l2": reg.l2,
        "reasons": [r.en for r in reasons],
        "threshold_skill": th.overreg_skill,
        "threshold_penalty_share": th.overreg_penalty_share,
    }
    return [finding(RULE, Severity.WARNING, summary, evidence, _fixes(reg, th), ABOUT)]


def _fixes(reg: Regularization, th: Thresholds) -> list[Fix]:
    fixes = []
    if reg.l2 >= th.overreg_l2 or (reg.penalty_share and reg.l2 > 0):
        fixes.append(fix(f"--l2 {reg.l2 / 10:g}", "Weaken the L2 penalty tenfold.", "L2 ペナルティを 1/10 に弱める。"))
    if reg.l1 >= th.overreg_l1 or (reg.penalty_share and reg.l1 > 0):
        fixes.append(fix(f"--l1 {reg.l1 / 10:g}", "Weaken the L1 penalty tenfold.", "L1 ペナルティを 1/10 に弱める。"))
    if reg.dropout >= min(th.overreg_dropout, th.overreg_gap_dropout):
        fixes.append(fix("--dropout 0.3", "Drop fewer units.", "ドロップアウト率を下げる。"))
    return fixes


TITLE = text("Regularised too strongly: the model cannot fit", "正則化が強すぎてモデルが学習データに合わせられない")
EXPLANATION = text(
    "A weight penalty (L1/L2) or dropout keeps the model simple so that it does not memorise the training "
    "set. "
    "Too much of it stops learning altogether: the penalty dominates the loss, or dropout removes so many "
    "units "
    "that training accuracy stops rising well below what the model can reach. Weaken it step by step (a "
    "sweep "
    "over the strength) and keep the strongest setting whose training accuracy still rises.",
    "重みペナルティ（L1/L2）やドロップアウトはモデルを単純に保ち、訓練データの丸暗記（過学習）を防ぎます。"
    "しかし強すぎると学習そのものが止まります。ペナルティが損失の大部分を占めたり、"
    "ドロップアウトで多くのユニットが"
    "消されたりして、訓練正解率がモデル本来の実力よりずっと低いところで伸びなくなります。強さを段階的に弱めて"
    "（強さのスイープ）、訓練正解率がまだ伸びる範囲で最も強い設定を選んでください。",
)
ABOUT = About(TITLE, EXPLANATION)
