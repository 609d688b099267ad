"""dead-relu and saturation: hidden units whose activations stopped carrying signal.

The probes measure each layer's dead or saturated share directly. Without them (plain Keras logs), the `keras`
model-config tag (and run.json's model section) names every layer's activation and initialisers; with the curves
they support the same diagnoses at a lower confidence: the evidence says `basis: from the model config and
curves` and `confidence: low`.

Neither needs anything from the task. The probes measure a layer's own activation only (a Dense or Conv layer with
`activation="relu"`); standalone activation layers (`ReLU()`, `Activation("tanh")`) are in the anatomy's graph
but not probed, so a model whose ReLU or sigmoid/tanh units are all standalone is skipped with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Localized, Severity
from kerasdiag.diagnosis.measure.record import (
    CONFIG,
    CURVES,
    Pinned,
    basis,
    hidden,
    inputs_in_range,
    layer_facts,
    loss_change,
    negative_bias_relus,
    wide_squashing,
)
from kerasdiag.diagnosis.measure.series import finite_median, held_share, last_finite
from kerasdiag.diagnosis.rules.base import (
    NotEvaluable,
    about,
    config_value,
    finding,
    fix,
    fmt,
    learning_rate,
    no_probes,
    pct,
)
from kerasdiag.diagnosis.rules.needs import pinned_at_chance
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import (
    CAN_DIE,
    DEAD_FRACTION,
    RELU_FAMILY,
    SATURATED_FRACTION,
    SATURATION_MARGIN,
    SQUASHING,
)

DEAD = about("dead-relu")
NEAR_CHANCE = 0.05  # a pinned accuracy less than this above chance (1/k) is "at chance"
RELU_KINDS = (*RELU_FAMILY, "prelu")  # PReLU layers learn their negative slope, but start (and can die) as ReLU
SAT = about("saturation")


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


def _has_probes(record: RunRecord, key: str, kinds: tuple[str, ...], rule: str) -> bool:
    """Whether `key` probes exist; without them and without such layers in the model, NotEvaluable.

    The anatomy's graph (where there is one) sees standalone activation layers too: a model whose only such units
    are standalone layers is skipped with that reason, not called a model without them.
    """
    if any(np.isfinite(record.probe_series(layer, key)).any() for layer in record.probe_layers()):
        return True
    leaves = record.anatomy.all_layers() if record.anatomy is not None else []
    if leaves:
        own = [node for node in leaves if node.weighted and node.nonlinearity in kinds]
        standalone = [node.name for node in leaves if not node.weighted and node.nonlinearity in kinds]
        if not own and standalone:
            raise NotEvaluable(say(f"{rule}.skip.standalone", layers=", ".join(standalone)))
        if not own:
            raise NotEvaluable(say(f"{rule}.skip.no_layer"))
        return False
    if record.model is not None and not any(layer.activation in kinds for layer in record.model.layers):
        raise NotEvaluable(say(f"{rule}.skip.no_layer"))
    return False


def check_dead_relu(record: RunRecord, th: Thresholds) -> list[Finding]:
    """ReLU units that output 0 for every probe sample. Needs nothing from the task (units die in any model)."""
    if not _has_probes(record, DEAD_FRACTION, RELU_KINDS, "dead-relu"):
        return _dead_from_config(record, th)
    hits = sustained_layers(record, DEAD_FRACTION, th.dead_fraction, th)
    if not hits:
        return []
    worst = max(hits, key=lambda h: h.median)
    severity = Severity.ERROR if worst.median >= th.dead_fraction_error else Severity.WARNING
    evidence = _evidence(hits, th.dead_fraction) | {"threshold_error": th.dead_fraction_error}
    summary = _summary("dead-relu", worst, len(hits), th.dead_fraction)
    return [finding("dead-relu", severity, summary, evidence, _dead_fixes(record), DEAD)]


def check_saturation(record: RunRecord, th: Thresholds) -> list[Finding]:
    """sigmoid/tanh units pinned at their limits. Needs nothing from the task (units saturate in any model)."""
    if not _has_probes(record, SATURATED_FRACTION, SQUASHING, "saturation"):
        return _saturation_from_config(record, th)
    hits = sustained_layers(record, SATURATED_FRACTION, th.saturated_fraction, th)
    if not hits:
        return []
    worst = max(hits, key=lambda h: h.median)
    summary = _summary("saturation", worst, len(hits), th.saturated_fraction, margin=fmt(SATURATION_MARGIN))
    evidence = _evidence(hits, th.saturated_fraction)
    return [finding("saturation", Severity.WARNING, summary, evidence, _saturation_fixes(record, th), SAT)]


def _evidence(hits: list[LayerShare], threshold: float) -> dict:
    return {
        "layers": {h.layer: {"median_fraction": h.median, "held_share": h.held, "epochs": h.epochs} for h in hits},
        "worst_layer": max(hits, key=lambda h: h.median).layer,
        "threshold": threshold,
    }


def _summary(rule: str, worst: LayerShare, count: int, threshold: float, **extra: str) -> Localized:
    return say(
        f"{rule}.summary.probes",
        share=pct(worst.median),
        layer=worst.layer,
        span=f"{worst.epochs[0]}-{worst.epochs[-1]}",
        threshold=pct(threshold),
        held=f"{worst.held:.0%}",
        others=say(f"{rule}.in_all", count=count) if count > 1 else "",
        **extra,
    )


def _dead_from_config(record: RunRecord, th: Thresholds) -> list[Finding]:
    """ReLU layers that start dead (negative bias init) or a network whose output ignores its input, and a flat loss."""
    if record.model is None:
        raise no_probes(record, say("dead-relu.skip.no_probes"))
    if not any(layer.activation in CAN_DIE for layer in hidden(record)):
        raise NotEvaluable(say("dead-relu.skip.no_relu_in_config"))
    change = loss_change(record, th)
    flat = change is not None and change < th.plateau_change
    pinned = pinned_at_chance(record, th, min_share=th.dead_pinned_share)
    near_chance = pinned is not None and pinned.chance is not None and pinned.value < pinned.chance + NEAR_CHANCE
    negative = negative_bias_relus(record)
    lr = learning_rate(record)
    # A tiny learning rate, or a penalty that crushes the weights, also pins accuracy at chance with a flat loss: the
    # curves alone name dead units only where the logged learning rate rules the first out and the config the second.
    crushing = any(layer.l1 >= th.overreg_l1 or layer.l2 >= th.overreg_l2 for layer in record.model.layers)
    near_chance = near_chance and lr is not None and lr >= th.dead_curves_min_lr and not crushing
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
    summary = say(
        "dead-relu.summary.config",
        cause=_dead_cause(negative, pinned),
        change=pct(change or 0.0),
        window=th.plateau_window,
    )
    return [finding("dead-relu", Severity.WARNING, summary, evidence, _dead_fixes(record), DEAD)]


def _dead_cause(negative: list, pinned: Pinned | None) -> Localized:
    """What points to dead units: negative bias inits, an accuracy pinned at chance, or both."""
    value, start = (fmt(pinned.value), pinned.from_epoch) if pinned else ("?", "?")
    if not negative:
        return say("dead-relu.pinned", value=value, epoch=start)
    worst = min(negative, key=lambda layer: layer.bias_value or 0.0)
    bias = {"count": len(negative), "bias": fmt(worst.bias_value), "layer": worst.name}
    if pinned:
        return say("dead-relu.negative_bias_pinned", value=value, epoch=start, **bias)
    return say("dead-relu.negative_bias", **bias)


def _saturation_from_config(record: RunRecord, th: Thresholds) -> list[Finding]:
    """sigmoid/tanh layers whose kernels start with a large stddev: their units start (and stay) saturated."""
    if record.model is None:
        raise no_probes(record, say("saturation.skip.no_probes"))
    wide = wide_squashing(record, th)
    if not wide:
        return []
    worst = max(wide, key=lambda layer: layer.kernel_stddev or 0.0)
    evidence = {
        "layers": layer_facts(wide),
        "worst_layer": worst.name,
        "loss_change_last_window": loss_change(record, th),
        "threshold_init_stddev": th.saturation_init_stddev,
        **basis(CONFIG),
    }
    summary = say(
        "saturation.summary.config",
        count=len(wide),
        activation=worst.activation,
        stddev=fmt(worst.kernel_stddev),
        layer=worst.name,
        threshold=fmt(th.saturation_init_stddev),
    )
    return [finding("saturation", Severity.WARNING, summary, evidence, _saturation_fixes(record, th), SAT)]


def _dead_fixes(record: RunRecord) -> list[Fix]:
    lr = config_value(record, "lr")
    return [
        fix("--activation leaky_relu", say("dead-relu.fix.leaky_relu")),
        fix(f"--lr {float(lr) / 10:g}" if lr else "--lr 0.001", say("dead-relu.fix.lr")),
        fix("--init he_normal", say("dead-relu.fix.init")),
        fix("--batch-norm", say("dead-relu.fix.batch_norm")),
    ]


def _saturation_fixes(record: RunRecord, th: Thresholds) -> list[Fix]:
    scale = [] if inputs_in_range(record, th) else [fix("--normalize", say("saturation.fix.normalize"))]
    return [
        fix("--activation relu", say("saturation.fix.relu")),
        *scale,
        fix("--batch-norm", say("saturation.fix.batch_norm")),
        fix("--init glorot_uniform", say("saturation.fix.init")),
    ]
