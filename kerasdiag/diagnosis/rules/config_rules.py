"""dead-relu, saturation and vanishing-gradients from the model config and curves, for runs without probes.

The `keras` model-config tag of plain Keras logs (and run.json's model section) names every layer's
activation and initialisers. With the curves they support the same diagnoses the probes make, at a lower
confidence: the evidence says `basis: from the model config and curves` and `confidence: low`.
"""

from __future__ import annotations

from collections.abc import Iterable

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import About, NotEvaluable, finding, fmt, learning_rate, pct, text
from kerasdiag.diagnosis.measure.record import (
    CONFIG,
    CURVES,
    RELU_LIKE,
    Pinned,
    basis,
    hidden,
    layer_facts,
    loss_change,
    negative_bias_relus,
    pinned_accuracy,
    squashing_depth,
    wide_squashing,
)
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord


def _flat(record: RunRecord, th: Thresholds) -> tuple[bool, float | None]:
    change = loss_change(record, th)
    return (change is not None and change < th.plateau_change), change


def dead_from_config(record: RunRecord, th: Thresholds, about: About, fixes: Iterable[Fix]) -> list[Finding]:
    """ReLU layers that start dead (negative bias init) or a network whose output ignores its input, and a flat loss."""
    relus = [layer for layer in hidden(record) if layer.activation in RELU_LIKE]
    if record.model is None:
        raise NotEvaluable("no per-layer dead_fraction probes in these logs")
    if not relus:
        raise NotEvaluable("no per-layer dead_fraction probes and no ReLU hidden layer in the model config")
    flat, change = _flat(record, th)
    pinned = pinned_accuracy(record, th, min_share=th.dead_pinned_share)
    near_chance = pinned is not None and pinned.chance is not None and pinned.value < pinned.chance + 0.05
    negative = negative_bias_relus(record)
    lr = learning_rate(record)
    # A tiny learning rate also pins accuracy at chance with a flat loss: that is loss-plateau's finding.
    near_chance = near_chance and (lr is None or lr >= th.dead_curves_min_lr)
    # Dead ReLUs from the start and predictions pinned from the first epochs: the loss may still fall while the
    # output bias learns the class shares, but the output ignores the input.
    pinned_early = pinned is not None and pinned.from_epoch <= th.pinned_start_max
    if not ((flat and (negative or near_chance)) or (negative and pinned_early)):
        return []
    evidence = {
        "negative_bias_layers": layer_facts(negative),
        "loss_change_last_window": change,
        "pinned_accuracy": pinned.value if pinned else None,
        "pinned_from_epoch": pinned.from_epoch if pinned else None,
        "chance_accuracy": pinned.chance if pinned else None,
        "points_to": "a dead network: the output does not depend on the input",
        "learning_rate": lr,
        "threshold_change": th.plateau_change,
        **basis(CONFIG if negative else CURVES),
    }
    summary = _dead_summary(negative, pinned, change, th)
    return [finding("dead-relu", Severity.WARNING, summary, evidence, fixes, about)]


def _dead_summary(negative: list, pinned: Pinned | None, change: float | None, th: Thresholds) -> Text:
    value, start = (fmt(pinned.value), pinned.from_epoch) if pinned else ("?", "?")
    if negative:
        worst = min(negative, key=lambda layer: layer.bias_value or 0.0)
        cause_en = f"{len(negative)} ReLU layer(s) start with bias {fmt(worst.bias_value)} ({worst.name})"
        cause_ja = f"{len(negative)} 個の ReLU 層のバイアス初期値が {fmt(worst.bias_value)}（{worst.name}）"
        if pinned:
            cause_en += f", training accuracy stays at {value} from epoch {start}"
            cause_ja += f"、訓練正解率がエポック {start} から {value} のまま"
    else:
        cause_en = f"training accuracy is pinned at {value}, about chance, from epoch {start}"
        cause_ja = f"訓練正解率がエポック {start} から当てずっぽう程度の {value} に張り付いている"
    return text(
        f"{cause_en}, and the loss moved {pct(change or 0.0)} over the last {th.plateau_window} epochs: the ReLU "
        "units are likely dead, so the output ignores the input (from the model config and curves; no probes).",
        f"{cause_ja}。損失は直近 {th.plateau_window} エポックで {pct(change or 0.0)} 動いた。ReLU ユニットが"
        "死んでいて出力が入力に依存していない可能性が高い（モデル設定と曲線から判断。プローブなし）。",
    )


def saturation_from_config(record: RunRecord, th: Thresholds, about: About, fixes: Iterable[Fix]) -> list[Finding]:
    """sigmoid/tanh layers whose kernels start with a large stddev: their units start (and stay) saturated."""
    if record.model is None:
        raise NotEvaluable("no per-layer saturated_fraction probes in these logs")
    wide = wide_squashing(record, th)
    if not wide:
        return []
    _, change = _flat(record, th)
    worst = max(wide, key=lambda layer: layer.kernel_stddev or 0.0)
    evidence = {
        "layers": layer_facts(wide),
        "worst_layer": worst.name,
        "loss_change_last_window": change,
        "threshold_init_stddev": th.saturation_init_stddev,
        **basis(CONFIG),
    }
    summary = text(
        f"{len(wide)} {worst.activation} layer(s) draw their kernels with stddev up to {fmt(worst.kernel_stddev)} "
        f"({worst.name}; threshold {fmt(th.saturation_init_stddev)}): their pre-activations start far outside the "
        "sensitive range, so the units saturate (from the model config and curves; no probes).",
        f"{len(wide)} 個の {worst.activation} 層がカーネルを標準偏差 {fmt(worst.kernel_stddev)} まで（{worst.name}、"
        f"しきい値 {fmt(th.saturation_init_stddev)}）で初期化している。"
        "活性化前の値が感度の高い範囲から大きく外れて始まり、"
        "ユニットが飽和する（モデル設定と曲線から判断。プローブなし）。",
    )
    return [finding("saturation", Severity.WARNING, summary, evidence, fixes, about)]


def vanishing_from_config(record: RunRecord, th: Thresholds, about: About, fixes: Iterable[Fix]) -> list[Finding]:
    """A deep sigmoid/tanh stack whose loss does not move: the gradient likely vanishes before the first layers."""
    if record.model is None:
        raise NotEvaluable("no per-layer gradient probes in these logs")
    depth = squashing_depth(record)
    flat, change = _flat(record, th)
    if depth < th.vanishing_config_depth or not flat:
        return []
    evidence = {
        "squashing_hidden_layers": depth,
        "activations": [layer.activation for layer in hidden(record)],
        "loss_change_last_window": change,
        "threshold_depth": th.vanishing_config_depth,
        "threshold_change": th.plateau_change,
        **basis(CONFIG),
    }
    summary = text(
        f"{depth} sigmoid/tanh hidden layers (threshold {th.vanishing_config_depth}) and the loss moved "
        f"{pct(change or 0.0)} over the last {th.plateau_window} epochs: each squashing layer shrinks the gradient, "
        "so the first layers likely barely learn (from the model config and curves; no probes).",
        f"sigmoid/tanh の隠れ層が {depth} 個（しきい値 {th.vanishing_config_depth}）あり、損失は直近 "
        f"{th.plateau_window} エポックで {pct(change or 0.0)} しか動いていない。押しつぶす層ごとに勾配が小さくなり、"
        "最初の層はほとんど学習していない可能性が高い（モデル設定と曲線から判断。プローブなし）。",
    )
    return [finding("vanishing-gradients", Severity.WARNING, summary, evidence, fixes, about)]
