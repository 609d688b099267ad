"""vanishing-gradients and exploding-gradients: per-layer gradient norms on the probe batch.

Without gradient probes (plain Keras logs), vanishing-gradients falls back on the model config and the curves:
a deep sigmoid/tanh stack whose loss does not move, at a lower confidence (`basis` in the evidence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Localized, Severity
from kerasdiag.diagnosis.measure.record import CONFIG, basis, hidden, inputs_in_range, loss_change, squashing_depth
from kerasdiag.diagnosis.measure.series import column_medians, finite_median, held_share, row_max
from kerasdiag.diagnosis.rules.base import NotEvaluable, about, config_value, finding, fix, fmt, no_probes, pct
from kerasdiag.diagnosis.rules.curves import diverging
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import DATA_GRAD_NORM, GRAD_NORM, UPDATE_RATIO

VANISH = about("vanishing-gradients")
EXPLODE = about("exploding-gradients")


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


def measure_gradients(record: RunRecord, key: str = GRAD_NORM) -> GradientProfile:
    """Per probed layer and epoch, the gradient norm `key`: of data loss + penalty (what the optimizer applies), or
    `DATA_GRAD_NORM`, of the data loss alone (the learning signal; probed where the model has an L1/L2 penalty)."""
    layers = [name for name in record.probe_layers() if np.isfinite(record.probe_series(name, key)).any()]
    if not layers:
        raise no_probes(record, say("skip.no_gradient_probes"))
    if len(layers) < 2:
        raise NotEvaluable(say("gradients.skip.one_layer", layer=layers[0]))
    norms = np.stack([record.probe_series(name, key) for name in layers], axis=1)
    return GradientProfile(layers, norms, record.epoch_numbers)


def learning_signal(record: RunRecord) -> str:
    """The gradient that carries what the data asks for: the data loss's own where an L1/L2 penalty's pull was
    probed apart (a penalty pulls every weight towards 0 whether or not any signal arrives), else the applied one."""
    layers = [name for name in record.probe_layers() if np.isfinite(record.probe_series(name, GRAD_NORM)).any()]
    apart = layers and all(np.isfinite(record.probe_series(name, DATA_GRAD_NORM)).any() for name in layers)
    return DATA_GRAD_NORM if apart else GRAD_NORM


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
        raise NotEvaluable(say("gradients.skip.few_epochs", count=rows.size))
    return rows


def check_vanishing(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Gradient norms shrinking toward the input. Needs nothing from the anatomy: gradients vanish in any model."""
    if not any(np.isfinite(record.probe_series(name, GRAD_NORM)).any() for name in record.probe_layers()):
        return _vanishing_from_config(record, th)
    key = learning_signal(record)
    profile = measure_gradients(record, key)
    if diverging(record, th):
        raise NotEvaluable(say("vanishing-gradients.skip.diverged", diverged=say("skip.diverged")))
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
        gradient_of="data_loss" if key == DATA_GRAD_NORM else "loss",
    )
    summary = say(
        "vanishing-gradients.summary.probes",
        first=profile.layers[0],
        last=profile.layers[-1],
        ratio=fmt(evidence["ratio_first_last"]),
        span=f"{profile.epochs[rows][0]}-{profile.epochs[rows][-1]}",
        threshold=fmt(th.vanishing_ratio),
        share=f"{share:.0%}",
    )
    if key == DATA_GRAD_NORM:
        summary = say("vanishing-gradients.of_data_loss", summary=summary)
    fixes = _vanishing_fixes(record, len(profile.layers))
    return [finding("vanishing-gradients", Severity.WARNING, summary, evidence, fixes, VANISH)]


def _vanishing_from_config(record: RunRecord, th: Thresholds) -> list[Finding]:
    """A deep sigmoid/tanh stack whose loss does not move: the gradient likely vanishes before the first layers."""
    if record.model is None:
        raise no_probes(record, say("skip.no_gradient_probes"))
    depth = squashing_depth(record)
    change = loss_change(record, th)
    if depth < th.vanishing_config_depth or change is None or change >= th.plateau_change:
        return []
    evidence = {
        "squashing_hidden_layers": depth,
        "activations": [layer.activation for layer in hidden(record)],
        "loss_change_last_window": change,
        "threshold_depth": th.vanishing_config_depth,
        "threshold_change": th.plateau_change,
        **basis(CONFIG),
    }
    summary = say(
        "vanishing-gradients.summary.config",
        depth=depth,
        threshold=th.vanishing_config_depth,
        change=pct(change),
        window=th.plateau_window,
    )
    fixes = _vanishing_fixes(record, len(record.model.layers))
    return [finding("vanishing-gradients", Severity.WARNING, summary, evidence, fixes, VANISH)]


def _vanishing_fixes(record: RunRecord, depth: int) -> list[Fix]:
    fixes = []
    named = config_value(record, "activation")  # a `train` run's flag; a script's model: its hidden layers' own
    if named in ("linear", "sigmoid", "tanh") or (named is None and squashing_depth(record) > 0):
        fixes.append(fix("--activation relu", say("vanishing-gradients.fix.relu")))
    fixes += [
        fix("--init he_normal", say("vanishing-gradients.fix.init")),
        fix("--batch-norm", say("vanishing-gradients.fix.batch_norm")),
        fix("--residual", say("vanishing-gradients.fix.residual")),
        fix("--lr 0.001 --optimizer adam", say("vanishing-gradients.fix.adam")),
    ]
    if depth > 3:
        fixes.append(fix(f"--layers {max(1, depth // 2 - 1)}", say("vanishing-gradients.fix.fewer_layers")))
    return fixes


def check_exploding(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Gradient norms growing or jumping. Needs nothing from the anatomy: gradients explode in any model."""
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
        raise NotEvaluable(say("gradients.skip.few_epochs", count=finite.size))
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
    return finding("exploding-gradients", severity, summary, evidence, _exploding_fixes(record, th), EXPLODE)


def _non_finite_probe_epochs(record: RunRecord) -> list[int]:
    table = record.epochs
    bad = np.zeros(len(table), dtype=bool)
    for keys in table.probes.values():
        bad |= table.logged(keys.get(GRAD_NORM)) & ~np.isfinite(table.array(keys.get(GRAD_NORM)))
    return [int(n) for n in record.epoch_numbers[bad]]


def _exploding_summary(ev: dict) -> Localized:
    bad = ev["non_finite_grad_epochs"]
    if ev["peak_growth"] is None or not math.isfinite(ev["peak_growth"]):
        return say("exploding-gradients.summary.non_finite", epoch=bad[0], layers=len(ev["layers"]))
    values = {
        "growth": fmt(ev["peak_growth"]),
        "initial": fmt(ev["initial_grad_norm"]),
        "epoch": ev["peak_epoch"],
        "threshold_growth": fmt(ev["threshold_growth"]),
        "ratio": fmt(ev["ratio_first_last"]),
        "threshold_ratio": fmt(ev["threshold_ratio"]),
    }
    if bad:
        return say("exploding-gradients.summary.growth_then_non_finite", non_finite_epoch=bad[0], **values)
    return say("exploding-gradients.summary.growth", **values)


def _exploding_fixes(record: RunRecord, th: Thresholds) -> list[Fix]:
    lr = config_value(record, "lr")
    smaller = f"--lr {float(lr) / 10:g}" if lr else "--lr 0.001"
    fixes = [
        fix(smaller, say("exploding-gradients.fix.lr")),
        fix("--batch-norm", say("exploding-gradients.fix.batch_norm")),
        fix("--init he_normal", say("exploding-gradients.fix.init")),
    ]
    if not inputs_in_range(record, th):  # inputs measured in range (standardised): no scaling to suggest
        fixes.append(fix("--normalize", say("exploding-gradients.fix.normalize")))
    return fixes
