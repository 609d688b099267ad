"""vanishing-gradients and exploding-gradients: per-layer gradient norms on the probe batch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import About, NotEvaluable, config_value, finding, fix, fmt, text
from kerasdiag.diagnosis.rules.config_rules import vanishing_from_config
from kerasdiag.diagnosis.rules.curves import DIVERGED_SKIP, diverging
from kerasdiag.diagnosis.measure.series import column_medians, finite_median, held_share, row_max
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import GRAD_NORM, UPDATE_RATIO


@dataclass(frozen=True)
class GradientProfile:
    """Gradient norms per probed epoch (rows) and layer (columns, input side first)."""

    layers: list[str]
    norms: np.ndarray
    epochs: np.ndarray  # 1-based epoch numbers of the rows

    @property
    def ratio(self) -> np.ndarray:
        """Input-side / output-side gradient norm per epoch."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.norms[:, 0] / self.norms[:, -1]

    def window(self, size: int) -> np.ndarray:
        """Row indices of the last `size` epochs with a finite ratio."""
        return np.flatnonzero(np.isfinite(self.ratio) & (self.ratio > 0))[-size:]


def measure_gradients(record: RunRecord) -> GradientProfile:
    layers = [name for name in record.probe_layers() if np.isfinite(record.probe_series(name, GRAD_NORM)).any()]
    if not layers:
        raise NotEvaluable("no per-layer gradient probes in these logs")
    if len(layers) < 2:
        raise NotEvaluable(f"gradient probes for one layer only ({layers[0]}); need the input and output side")
    norms = np.stack([record.probe_series(name, GRAD_NORM) for name in layers], axis=1)
    return GradientProfile(layers, norms, record.epoch_numbers)


def _window_evidence(profile: GradientProfile, rows: np.ndarray) -> dict[str, Any]:
    medians = column_medians(profile.norms[rows])
    return {
        "layers": profile.layers,
        "median_grad_norms": medians.tolist(),
        "ratio_first_last": float(np.median(profile.ratio[rows])),
        "ratios_per_epoch": profile.ratio[rows].tolist(),
        "epochs": profile.epochs[rows].tolist(),
        "shrink_per_layer": _per_layer_factor(medians),
    }


def _per_layer_factor(medians: np.ndarray) -> float | None:
    """Geometric mean of the norm ratio between neighbouring layers, output towards input."""
    if len(medians) < 2 or not np.all(medians > 0):
        return None
    return float((medians[0] / medians[-1]) ** (1.0 / (len(medians) - 1)))


def _require_window(profile: GradientProfile, th: Thresholds) -> np.ndarray:
    rows = profile.window(th.probe_window)
    if rows.size < 2:
        raise NotEvaluable(f"gradient probes on {rows.size} epoch(s); need at least 2 to judge a trend")
    return rows


def check_vanishing(record: RunRecord, th: Thresholds) -> list[Finding]:
    if not any(np.isfinite(record.probe_series(name, GRAD_NORM)).any() for name in record.probe_layers()):
        return vanishing_from_config(
            record, th, VANISH, _vanishing_fixes(record, len(record.model.layers) if record.model else 0)
        )
    profile = measure_gradients(record)
    if diverging(record, th):
        raise NotEvaluable(f"{DIVERGED_SKIP}: tiny input-side gradients are its symptom (saturated units)")
    rows = _require_window(profile, th)
    share = held_share(profile.ratio[rows] < th.vanishing_ratio)
    if share < th.sustained_share:
        return []
    evidence = _window_evidence(profile, rows)
    update = record.probe_series(profile.layers[0], UPDATE_RATIO)[rows]
    evidence.update(
        first_layer_update_ratio=finite_median(update),
        held_share=share,
        threshold_ratio=th.vanishing_ratio,
    )
    ratio, first, last = evidence["ratio_first_last"], profile.layers[0], profile.layers[-1]
    span = f"{profile.epochs[rows][0]}-{profile.epochs[rows][-1]}"
    summary = text(
        f"Gradient norm of {first} (input side) is {fmt(ratio)} times that of {last} (output side), "
        "median over "
        f"epochs {span} (threshold {fmt(th.vanishing_ratio)}, held in {share:.0%} of them).",
        f"入力側の {first} の勾配ノルムは出力側の {last} の {fmt(ratio)} 倍（エポック {span} の中央値、"
        f"しきい値 {fmt(th.vanishing_ratio)}、その {share:.0%} で成立）。",
    )
    fixes = _vanishing_fixes(record, len(profile.layers))
    return [finding("vanishing-gradients", Severity.WARNING, summary, evidence, fixes, VANISH)]


def _vanishing_fixes(record: RunRecord, depth: int) -> list[Fix]:
    fixes = []
    if config_value(record, "activation") in ("linear", "sigmoid", "tanh"):
        fixes.append(
            fix(
                "--activation relu",
                "ReLU passes gradients back without squashing them.",
                "ReLU は勾配を押しつぶさずに逆伝播させる。",
            )
        )
    fixes += [
        fix(
            "--init he_normal",
            "Scale initial weights so that signals keep their size layer by layer.",
            "初期の重みを層ごとに信号の大きさが保たれるよう調整する。",
        ),
        fix("--batch-norm", "Re-centre and re-scale each layer's inputs.", "各層の入力を正規化し直す。"),
        fix(
            "--residual",
            "Shortcut connections carry gradients past layers (as in ResNet).",
            "ショートカット接続で勾配が層を飛び越えて伝わる（ResNet と同じ）。",
        ),
        fix(
            "--lr 0.001 --optimizer adam",
            "Adam scales each layer's step to its own gradient size.",
            "Adam は層ごとの勾配の大きさに合わせて更新幅を調整する。",
        ),
    ]
    if depth > 3:
        fixes.append(fix(f"--layers {max(1, depth // 2 - 1)}", "Use fewer layers.", "層の数を減らす。"))
    return fixes


def check_exploding(record: RunRecord, th: Thresholds) -> list[Finding]:
    non_finite = _non_finite_probe_epochs(record)
    try:
        profile = measure_gradients(record)
    except NotEvaluable:
        if not non_finite:
            raise
        # Gradients were NaN/Inf from the first probe on (a run that blew up in its first epoch).
        return [_exploding_finding(record, {"layers": record.probe_layers()}, non_finite, th)]
    largest = row_max(profile.norms)
    finite = np.flatnonzero(np.isfinite(largest))
    if finite.size < 2 and not non_finite:
        raise NotEvaluable(f"gradient probes on {finite.size} epoch(s); need at least 2 to judge a trend")
    base = float(np.median(largest[finite[:3]])) if finite.size else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = largest / base
    grew = int((growth[finite] >= th.exploding_growth).sum())
    rows = profile.window(th.probe_window)
    layer_share = held_share(profile.ratio[rows] > th.exploding_ratio) if rows.size >= 2 else 0.0
    if grew < 2 and not non_finite and layer_share < th.sustained_share:
        return []
    peak = int(finite[np.argmax(growth[finite])]) if finite.size else None
    measured = {
        "layers": profile.layers,
        "largest_grad_norm_per_epoch": largest.tolist(),
        "initial_grad_norm": base,
        "peak_growth": float(growth[peak]) if peak is not None else None,
        "peak_epoch": int(profile.epochs[peak]) if peak is not None else None,
        "epochs_over_growth": grew,
        "ratio_first_last": float(np.median(profile.ratio[rows])) if rows.size else None,
    }
    return [_exploding_finding(record, measured, non_finite, th)]


def _exploding_finding(record: RunRecord, measured: dict[str, Any], non_finite: list[int], th: Thresholds) -> Finding:
    diverged = record.status == "diverged" or not np.isfinite(record.series("loss")).all()
    evidence = {
        "layers": measured["layers"],
        "largest_grad_norm_per_epoch": measured.get("largest_grad_norm_per_epoch"),
        "initial_grad_norm": measured.get("initial_grad_norm"),
        "peak_growth": measured.get("peak_growth"),
        "peak_epoch": measured.get("peak_epoch"),
        "epochs_over_growth": measured.get("epochs_over_growth", 0),
        "non_finite_grad_epochs": non_finite,
        "ratio_first_last": measured.get("ratio_first_last"),
        "diverged": diverged,
        "threshold_growth": th.exploding_growth,
        "threshold_ratio": th.exploding_ratio,
    }
    severity = Severity.ERROR if diverged else Severity.WARNING
    summary = _exploding_summary(evidence)
    return finding("exploding-gradients", severity, summary, evidence, _exploding_fixes(record), EXPLODE)


def _non_finite_probe_epochs(record: RunRecord) -> list[int]:
    table = record.epochs
    bad = np.zeros(len(table), dtype=bool)
    for keys in table.probes.values():
        bad |= table.logged(keys.get(GRAD_NORM)) & ~np.isfinite(table.array(keys.get(GRAD_NORM)))
    return [int(n) for n in record.epoch_numbers[bad]]


def _exploding_summary(ev: dict) -> Text:
    bad = ev["non_finite_grad_epochs"]
    if ev["peak_growth"] is None or not math.isfinite(ev["peak_growth"]):
        return text(
            f"Gradient norms were NaN/Inf from epoch {bad[0]} on, in every probed layer "
            f"({len(ev['layers'])}): no finite gradient was measured before the numbers overflowed.",
            f"エポック {bad[0]} 以降、プローブしたすべての層（{len(ev['layers'])} 個）で勾配ノルムが NaN/Inf"
            "になった。数値があふれる前の有限な勾配は測れなかった。",
        )
    bad_en = f"; gradients became NaN/Inf at epoch {bad[0]}" if bad else ""
    bad_ja = f"。エポック {bad[0]} で勾配が NaN/Inf になった" if bad else ""
    ratio = ev["ratio_first_last"]
    return text(
        f"The largest gradient norm grew {fmt(ev['peak_growth'])}x from {fmt(ev['initial_grad_norm'])} "
        "(epoch "
        f"{ev['peak_epoch']}; threshold {fmt(ev['threshold_growth'])}x); input/output side ratio "
        f"{fmt(ratio)} "
        f"(threshold {fmt(ev['threshold_ratio'])}){bad_en}.",
        f"最大の勾配ノルムは {fmt(ev['initial_grad_norm'])} から {fmt(ev['peak_growth'])} "
        "倍に増えた（エポック "
        f"{ev['peak_epoch']}、しきい値 {fmt(ev['threshold_growth'])} 倍）。入力側/出力側の比は {fmt(ratio)}"
        f"（しきい値 {fmt(ev['threshold_ratio'])}）{bad_ja}。",
    )


def _exploding_fixes(record: RunRecord) -> list[Fix]:
    lr = config_value(record, "lr")
    smaller = f"--lr {float(lr) / 10:g}" if lr else "--lr 0.001"
    return [
        fix(smaller, "Take smaller steps.", "更新幅（学習率）を小さくする。"),
        fix(
            "--batch-norm",
            "Keep each layer's inputs at a steady scale.",
            "各層の入力のスケールを一定に保つ。",
        ),
        fix(
            "--init he_normal",
            "Start from weights scaled to the layer size.",
            "層の大きさに合わせた初期値から始める。",
        ),
        fix("--normalize", "Scale inputs to a small range.", "入力を小さな範囲にスケールする。"),
    ]


VANISH_TITLE = text(
    "Vanishing gradients: the input-side layers barely learn", "勾配消失: 入力側の層がほとんど学習していない"
)
VANISH_EXPLANATION = text(
    "Backpropagation multiplies the gradient by each layer's weights (and activation slopes) on its way "
    "back to "
    "the input. When those factors are below 1 the gradient shrinks layer by layer, so the first layers "
    "receive "
    "almost no signal and stay near their random start: deeper networks then train worse, not better.",
    "誤差逆伝播では、勾配が入力側へ戻るたびに各層の重み（と活性化関数の傾き）が掛け合わされます。"
    "その係数が 1 より小さいと勾配は層ごとに小さくなり、最初の層にはほとんど信号が届かず、"
    "ランダムな初期値のまま"
    "残ります。そのため層を深くすると学習が良くなるどころか悪くなります。",
)
EXPLODE_TITLE = text("Exploding gradients", "勾配爆発")
EXPLODE_EXPLANATION = text(
    "When the factors multiplied during backpropagation are above 1, or the learning rate is too large, "
    "gradients "
    "grow by orders of magnitude; each update then overshoots, the weights grow, and the loss usually "
    "ends as "
    "NaN. Smaller steps and normalisation keep the gradients in range.",
    "誤差逆伝播で掛け合わされる係数が 1 より大きい場合や学習率が大きすぎる場合、"
    "勾配は桁違いに大きくなります。"
    "すると更新のたびに行き過ぎて重みが増大し、たいてい損失は NaN になって終わります。"
    "更新幅を小さくしたり正規化を入れたりすると勾配が適正な範囲に保たれます。",
)
VANISH = About(VANISH_TITLE, VANISH_EXPLANATION)
EXPLODE = About(EXPLODE_TITLE, EXPLODE_EXPLANATION)
