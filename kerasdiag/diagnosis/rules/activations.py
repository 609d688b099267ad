"""dead-relu and saturation: hidden units whose activations stopped carrying signal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import About, NotEvaluable, config_value, finding, fix, pct, text
from kerasdiag.diagnosis.rules.config_rules import dead_from_config, saturation_from_config
from kerasdiag.diagnosis.measure.series import finite_median, held_share, last_finite
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import DEAD_FRACTION, SATURATED_FRACTION

RELU_FAMILY = ("relu", "leaky_relu", "relu6", "elu", "selu", "gelu")
SQUASHING = ("sigmoid", "tanh", "softsign", "hard_sigmoid")


@dataclass(frozen=True)
class LayerShare:
    layer: str
    median: float  # median fraction over the window
    held: float  # share of the window's epochs at or above the threshold
    epochs: list[int]


def sustained_layers(record: RunRecord, key: str, threshold: float, th: Thresholds) -> list[LayerShare]:
    """Layers whose `key` fraction stayed at or above `threshold` over the last probed epochs."""
    hits = []
    for layer in record.probe_layers():
        values, index = last_finite(record.probe_series(layer, key), th.probe_window)
        if values.size < 2:
            continue
        held = held_share(values >= threshold)
        if held >= th.sustained_share:
            hits.append(LayerShare(layer, finite_median(values), held, record.epoch_numbers[index].tolist()))
    return hits


def _has_probes(record: RunRecord, key: str, kinds: tuple[str, ...], what: str) -> bool:
    """Whether `key` probes exist; without them and without such layers in the model, NotEvaluable."""
    if any(np.isfinite(record.probe_series(layer, key)).any() for layer in record.probe_layers()):
        return True
    if record.model is not None and not any(layer.activation in kinds for layer in record.model.layers):
        raise NotEvaluable(f"no {what} layer in this model")
    return False


def check_dead_relu(record: RunRecord, th: Thresholds) -> list[Finding]:
    if not _has_probes(record, DEAD_FRACTION, RELU_FAMILY, "ReLU-family"):
        return dead_from_config(record, th, DEAD, _dead_fixes(record))
    hits = sustained_layers(record, DEAD_FRACTION, th.dead_fraction, th)
    if not hits:
        return []
    worst = max(hits, key=lambda h: h.median)
    severity = Severity.ERROR if worst.median >= th.dead_fraction_error else Severity.WARNING
    evidence = _evidence(hits, th.dead_fraction) | {"threshold_error": th.dead_fraction_error}
    summary = _summary(
        worst,
        len(hits),
        th.dead_fraction,
        text("dead (zero on every probe sample)", "死んでいる（すべてのプローブサンプルで 0）"),
    )
    return [finding("dead-relu", severity, summary, evidence, _dead_fixes(record), DEAD)]


def check_saturation(record: RunRecord, th: Thresholds) -> list[Finding]:
    if not _has_probes(record, SATURATED_FRACTION, SQUASHING, "sigmoid/tanh"):
        return saturation_from_config(record, th, SAT, _saturation_fixes())
    hits = sustained_layers(record, SATURATED_FRACTION, th.saturated_fraction, th)
    if not hits:
        return []
    worst = max(hits, key=lambda h: h.median)
    summary = _summary(
        worst,
        len(hits),
        th.saturated_fraction,
        text("saturated (within 0.01 of a limit)", "飽和している（上限・下限から 0.01 以内）"),
    )
    evidence = _evidence(hits, th.saturated_fraction)
    return [finding("saturation", Severity.WARNING, summary, evidence, _saturation_fixes(), SAT)]


def _evidence(hits: list[LayerShare], threshold: float) -> dict:
    return {
        "layers": {h.layer: {"median_fraction": h.median, "held_share": h.held, "epochs": h.epochs} for h in hits},
        "worst_layer": max(hits, key=lambda h: h.median).layer,
        "threshold": threshold,
    }


def _summary(worst: LayerShare, count: int, threshold: float, state: Text) -> Text:
    span = f"{worst.epochs[0]}-{worst.epochs[-1]}"
    others = f" ({count} layer(s) in all)" if count > 1 else ""
    others_ja = f"（該当する層は全部で {count} 個）" if count > 1 else ""
    return text(
        f"{pct(worst.median)} of {worst.layer}'s units are {state.en}, median over epochs {span} "
        f"(threshold {pct(threshold)}, held in {worst.held:.0%} of them){others}.",
        f"{worst.layer} のユニットの {pct(worst.median)} が{state.ja}。エポック {span} の中央値で、しきい値 "
        f"{pct(threshold)}、その {worst.held:.0%} で成立{others_ja}。",
    )


def _dead_fixes(record: RunRecord) -> list[Fix]:
    lr = config_value(record, "lr")
    return [
        fix(
            "--activation leaky_relu",
            "Leaky ReLU keeps a small slope below zero, so units can recover.",
            "Leaky ReLU は 0 未満でも小さな傾きを持つので、ユニットが復活できる。",
        ),
        fix(
            f"--lr {float(lr) / 10:g}" if lr else "--lr 0.001",
            "Large steps push units into the dead zone.",
            "大きな更新がユニットを死んだ領域に押し込む。",
        ),
        fix("--init he_normal", "He initialisation suits ReLU layers.", "He の初期化は ReLU 層に向いている。"),
        fix("--batch-norm", "Keeps pre-activations centred around zero.", "活性化前の値を 0 付近に保つ。"),
    ]


def _saturation_fixes() -> list[Fix]:
    return [
        fix(
            "--activation relu",
            "ReLU does not saturate for positive inputs.",
            "ReLU は正の入力で飽和しない。",
        ),
        fix(
            "--normalize",
            "Large inputs push sigmoid/tanh to their limits.",
            "大きな入力は sigmoid/tanh を限界値に押しやる。",
        ),
        fix(
            "--batch-norm",
            "Keeps pre-activations in the sensitive range.",
            "活性化前の値を感度の高い範囲に保つ。",
        ),
        fix(
            "--init glorot_uniform",
            "Glorot initialisation suits sigmoid/tanh.",
            "Glorot の初期化は sigmoid/tanh に向いている。",
        ),
    ]


DEAD_TITLE = text("Dead ReLU units", "死んだ ReLU ユニット")
DEAD_EXPLANATION = text(
    "A ReLU unit whose input is negative for every sample outputs 0 and gets a zero gradient, so it never "
    "learns again: it is dead. A large update (a high learning rate) or a bad initialisation can push many "
    "units there at once, and the layer loses that share of its capacity.",
    "すべてのサンプルで入力が負になった ReLU ユニットは 0 を出力し、勾配も 0 になるため二度と学習しません"
    "（死んだ状態）。大きな更新（高すぎる学習率）や不適切な初期化で多くのユニットが一度にこの状態になると、"
    "その層は表現力のその分を失います。",
)
SAT_TITLE = text("Saturated sigmoid/tanh units", "sigmoid/tanh ユニットの飽和")
SAT_EXPLANATION = text(
    "Sigmoid and tanh flatten out at their limits: there their slope is almost 0, so almost no gradient "
    "passes "
    "back through a saturated unit and the layers before it stop learning. Large inputs or weights push "
    "units "
    "into saturation.",
    "sigmoid と tanh は上限・下限の近くで平らになり、そこでは傾きがほぼ 0 です。飽和したユニットを通って"
    "勾配はほとんど戻らず、その手前の層は学習しなくなります。大きな入力や重みがユニットを飽和させます。",
)
SAT = About(SAT_TITLE, SAT_EXPLANATION)
DEAD = About(DEAD_TITLE, DEAD_EXPLANATION)
