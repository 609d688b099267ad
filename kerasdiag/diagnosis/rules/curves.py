"""divergence and oscillation: a loss that blows up, or curves that swing up and down."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.rules.base import (
    About,
    NotEvaluable,
    config_value,
    finding,
    fix,
    fmt,
    learning_rate,
    pct,
    text,
)
from kerasdiag.diagnosis.measure.record import chance_loss
from kerasdiag.diagnosis.measure.series import Swings, count_swings, finite_prefix
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord

LOSS_KEYS = ("loss", "val_loss")
# Why a rule that reads a diverged model's state (gradients, probabilities) defers to divergence.
DIVERGED_SKIP = "the loss diverged (see divergence)"


def non_finite_epochs(record: RunRecord) -> list[int]:
    """Epochs whose loss, val_loss or largest batch loss is NaN or Inf (a logged None counts too)."""
    table = record.epochs
    columns = [table.metrics.get(k) for k in LOSS_KEYS] + [table.batch_loss.get("max")]
    bad = np.zeros(len(table), dtype=bool)
    for column in columns:
        bad |= table.logged(column) & ~np.isfinite(table.array(column))
    return [int(n) for n in record.epoch_numbers[bad]]


def check_divergence(record: RunRecord, th: Thresholds) -> list[Finding]:
    if not record.epochs:
        raise NotEvaluable("no finished epoch in this run")
    bad = non_finite_epochs(record)
    loss = finite_prefix(record.series("loss")) if record.has("loss") else np.array([])
    blowup = _blowup(loss, th, chance_loss(record))
    if not bad and record.status != "diverged" and blowup is None:
        return []
    chance = chance_loss(record)
    evidence: dict[str, Any] = {
        "non_finite_epochs": bad,
        "status": record.status,
        "last_finite_loss": float(loss[-1]) if loss.size else None,
        "min_loss": float(loss.min()) if loss.size else None,
        "first_loss": float(loss[0]) if loss.size else None,
        "blowup_factor": blowup,
        "chance_loss": chance,
        "end_vs_chance_loss": _end(loss) / chance if loss.size and chance else None,
        "learning_rate": learning_rate(record),
        "threshold_rise": th.divergence_rise,
        "threshold_chance_factor": th.divergence_chance_factor,
    }
    severity = Severity.ERROR if bad or record.status == "diverged" else Severity.WARNING
    summary = _divergence_summary(evidence)
    return [finding("divergence", severity, summary, evidence, _divergence_fixes(record), DIVERGE)]


def diverging(record: RunRecord, th: Thresholds) -> bool:
    """Whether the loss went NaN/Inf or blew up: other rules defer to divergence then."""
    if record.status == "diverged" or non_finite_epochs(record):
        return True
    return record.has("loss") and _blowup(finite_prefix(record.series("loss")), th, chance_loss(record)) is not None


def _end(loss: np.ndarray) -> float:
    return float(loss[-2:].mean())


def _blowup(loss: np.ndarray, th: Thresholds, chance: float | None = None) -> float | None:
    """End loss / lowest loss when the loss blew up and stayed up, though finite.

    Either it ended above both `divergence_rise` x its minimum and epoch 1, or it ended above
    `divergence_chance_factor` x ln(k) (a guess scores ln(k)) without falling below
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


def _divergence_summary(ev: dict[str, Any]) -> Any:
    lr = fmt(ev["learning_rate"]) if ev["learning_rate"] else "?"
    if ev["non_finite_epochs"] or ev["blowup_factor"] is None:
        first = ev["non_finite_epochs"][0] if ev["non_finite_epochs"] else "?"
        if ev["last_finite_loss"] is None:
            last_en, last_ja = "no epoch ended with a finite loss", "有限な損失で終わったエポックはない"
        else:
            last_en = f"last finite loss {fmt(ev['last_finite_loss'])} (lowest {fmt(ev['min_loss'])})"
            last_ja = f"最後の有限な損失は {fmt(ev['last_finite_loss'])}（最小 {fmt(ev['min_loss'])}）"
        return text(
            f"The loss became NaN/Inf at epoch {first} (status {ev['status']}, learning rate {lr}); {last_en}.",
            f"エポック {first} で損失が NaN/Inf になった（状態 {ev['status']}、学習率 {lr}）。{last_ja}。",
        )
    factor, low = fmt(ev["blowup_factor"]), fmt(ev["min_loss"])
    if ev["end_vs_chance_loss"] and ev["end_vs_chance_loss"] >= ev["threshold_chance_factor"]:
        times, chance = fmt(ev["end_vs_chance_loss"]), fmt(ev["chance_loss"])
        return text(
            f"The training loss stayed finite but blew up: it ended at {fmt(ev['last_finite_loss'])}, {times}x the "
            f"loss of guessing ln(k) = {chance} (threshold {fmt(ev['threshold_chance_factor'])}x; epoch 1 "
            f"{fmt(ev['first_loss'])}, lowest {low}; learning rate {lr}).",
            f"訓練損失は有限のまま爆発した: 最後は {fmt(ev['last_finite_loss'])} で、"
            f"当てずっぽうの損失 ln(k) = {chance} の "
            f"{times} 倍（しきい値 {fmt(ev['threshold_chance_factor'])} 倍、エポック 1 は {fmt(ev['first_loss'])}、"
            f"最小 {low}、学習率 {lr}）。",
        )
    return text(
        f"The training loss ended {factor}x above its lowest value {low} and above epoch 1's "
        f"{fmt(ev['first_loss'])} (threshold {fmt(ev['threshold_rise'])}x; learning rate {lr}).",
        f"訓練損失は最小値 {low} の {factor} 倍で終わり、エポック 1 の {fmt(ev['first_loss'])} も上回った"
        f"（しきい値 {fmt(ev['threshold_rise'])} 倍、学習率 {lr}）。",
    )


def _divergence_fixes(record: RunRecord) -> list[Fix]:
    lr = learning_rate(record)
    fixes = [
        fix(
            f"--lr {lr / 10:g}" if lr else "--lr 0.001",
            "Take ten times smaller steps.",
            "学習率を 1/10 にする。",
        )
    ]
    if config_value(record, "normalize", True) is False:
        fixes.append(fix("--normalize", "Scale inputs to [0, 1].", "入力を [0, 1] にスケールする。"))
    fixes.append(
        fix(
            "--batch-norm",
            "Keep each layer's inputs at a steady scale.",
            "各層の入力のスケールを一定に保つ。",
        )
    )
    return fixes


def measure_oscillation(record: RunRecord, th: Thresholds) -> dict[str, Swings]:
    """Swings of val_loss, loss (relative) and val_accuracy (absolute) after the warm-up epochs."""
    needed = th.oscillation_warmup + th.min_epochs
    found: dict[str, Swings] = {}
    for name in ("val_loss", "loss", "val_accuracy"):
        if not record.has(name):
            continue
        values = finite_prefix(record.series(name))[th.oscillation_warmup :]
        if values.size < th.min_epochs:
            continue
        relative = name.endswith("loss")
        threshold = th.oscillation_swing if relative else _acc_swing(record, th)
        found[name] = count_swings(values, threshold, relative, floor=th.oscillation_loss_floor)
    if not found:
        raise NotEvaluable(f"needs at least {needed} finite epochs of loss or val_loss")
    return found


def _acc_swing(record: RunRecord, th: Thresholds) -> float:
    validation = record.data.validation if record.data is not None else None
    if validation is None or not validation.samples:
        return th.oscillation_acc_swing
    return max(th.oscillation_acc_swing, th.oscillation_acc_samples / validation.samples)


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


def check_oscillation(record: RunRecord, th: Thresholds) -> list[Finding]:
    hits = oscillation_hits(record, th)
    if not hits:
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
    summary = text(
        f"{name} swung up {worst.up} times and down {worst.down} times by more than {size} after epoch "
        f"{th.oscillation_warmup}: {pct(worst.share)} of its moves (median move {fmt(worst.median_move)}; "
        "thresholds "
        f"{th.oscillation_min_swings} each way, {pct(th.oscillation_min_share)} of moves).",
        f"{name} はエポック {th.oscillation_warmup} 以降、{size} を超えて {worst.up} 回上がり "
        f"{worst.down} 回下がった"
        f"（変化の {pct(worst.share)}、変化の中央値 {fmt(worst.median_move)}、しきい値は各方向 "
        f"{th.oscillation_min_swings} 回かつ変化の {pct(th.oscillation_min_share)}）。",
    )
    return [finding("oscillation", Severity.WARNING, summary, evidence, _oscillation_fixes(record), OSC)]


def _oscillation_fixes(record: RunRecord) -> list[Fix]:
    lr = learning_rate(record)
    fixes = [fix(f"--lr {lr / 3:.2g}" if lr else "--lr 0.0003", "Take smaller steps.", "学習率を下げる。")]
    batch = config_value(record, "batch_size")
    if batch:
        fixes.append(
            fix(
                f"--batch-size {int(batch) * 2}",
                "Larger batches give less noisy gradients.",
                "バッチを大きくすると勾配のばらつきが減る。",
            )
        )
    return fixes


DIVERGE_TITLE = text("Divergence: the loss blew up", "発散: 損失が爆発した")
DIVERGE_EXPLANATION = text(
    "Each update overshot the minimum by so much that the loss grew instead of falling, until the numbers "
    "overflowed (NaN or Inf). The usual cause is a learning rate too large for the scale of the inputs and "
    "gradients; once the loss is NaN, training cannot recover.",
    "更新のたびに最小値を大きく飛び越えてしまい、損失が下がるどころか増え続け、ついには数値があふれました"
    "（NaN や Inf）。たいていの原因は、入力や勾配のスケールに対して学習率が大きすぎることです。"
    "損失が一度 NaN になると学習は回復しません。",
)
OSC_TITLE = text("Oscillation: the curves swing up and down", "振動: 曲線が上下に揺れている")
OSC_EXPLANATION = text(
    "Steps that are too large jump across the valley of the loss instead of descending into it, so the loss "
    "goes up and down from epoch to epoch. Small batches add noise to each step. A smaller learning rate or "
    "a larger batch smooths the descent. A small validation set also makes its curve jumpy: a few samples "
    "flipping change the numbers a lot.",
    "更新幅が大きすぎると、損失の谷に降りていく代わりに谷を飛び越えてしまい、損失がエポックごとに上下します。"
    "小さなバッチは各更新にノイズを加えます。学習率を下げるかバッチを大きくすると降下がなめらかになります。"
    "検証データが少ない場合も曲線は跳ねやすくなります（数サンプルの判定が変わるだけで値が大きく動くため）。",
)
OSC = About(OSC_TITLE, OSC_EXPLANATION)
DIVERGE = About(DIVERGE_TITLE, DIVERGE_EXPLANATION)
