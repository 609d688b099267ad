"""One story per run: root causes first, their symptoms grouped under them, no contradictory fixes.

Rules judge one thing each, so one problem shows up in several findings: unscaled inputs kill ReLU units,
which flattens the loss, which leaves the model underfitting. `tell_story` orders the findings so that a
root cause comes first and each symptom follows the cause that explains it (`Finding.caused_by`), drops a
fix that contradicts a fix of a finding ranked above it (the same flag with another value: "--epochs 34" from
overfitting beats "--epochs 160" from accuracy-plateau), and names the first fix to try.

A cause is checked, never assumed: `CAUSES` says which rule can explain which, and the two findings' evidence
must then meet (`scope_of`): a curve in common and epochs that overlap. A cause in the model, the inputs or the
optimisation (linear layers, unscaled inputs, a blow-up) reaches every curve; validation-mismatch reaches only the
validation split's curves, so a training-accuracy plateau is never its symptom; class counts of the training
split reach only the training curves; a curve rule reaches its own curves over its own epochs. A finding that no
present cause reaches is shown on its own. Grouping never changes a finding's severity.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from kerasdiag.diagnosis.findings import Finding, Fix

# Rule ids in causal order: a rule can only be explained by one listed before it.
PRIORITY = (
    "validation-mismatch",
    "unnormalized-input",
    "divergence",
    "exploding-gradients",
    "linear-collapse",
    "over-regularization",
    "dead-relu",
    "saturation",
    "vanishing-gradients",
    "overfitting",
    "class-imbalance",
    "oscillation",
    "loss-plateau",
    "underfitting",
    "accuracy-plateau",
    "overconfidence",
    "run-incomplete",
)
STALLED = ("loss-plateau", "underfitting", "accuracy-plateau")
# cause -> the findings it explains when both are present.
CAUSES: dict[str, tuple[str, ...]] = {
    "validation-mismatch": ("overfitting", "oscillation", "overconfidence", "accuracy-plateau", "underfitting"),
    "unnormalized-input": ("divergence", "exploding-gradients", "dead-relu", "saturation", "oscillation", *STALLED),
    "divergence": ("exploding-gradients", "dead-relu", "saturation", "oscillation", "overfitting", *STALLED),
    "exploding-gradients": ("oscillation", *STALLED),
    "linear-collapse": STALLED,
    "over-regularization": ("vanishing-gradients", *STALLED),
    "dead-relu": ("class-imbalance", *STALLED),
    "saturation": ("vanishing-gradients", *STALLED),
    "vanishing-gradients": STALLED,
    "overfitting": ("accuracy-plateau", "overconfidence", "oscillation"),
    "class-imbalance": ("accuracy-plateau",),
    "oscillation": ("accuracy-plateau", "overconfidence"),
    "loss-plateau": ("underfitting", "accuracy-plateau"),
}


def _rank(rule: str) -> int:
    return PRIORITY.index(rule) if rule in PRIORITY else len(PRIORITY)


def explains(cause: Finding, symptom: Finding, last_epoch: int | None = None) -> bool:
    """Whether `cause` may be shown as the cause of `symptom`: a link `CAUSES` allows, and evidence that meets
    (a curve in common, overlapping epochs: `scope_of`)."""
    if symptom.rule not in CAUSES.get(cause.rule, ()):
        return False
    # Class counts in a data summary are a fact of the data, not a symptom; only a pinned curve is.
    if symptom.rule == "class-imbalance" and "basis" not in symptom.evidence:
        return False
    return scope_of(cause, last_epoch).meets(scope_of(symptom, last_epoch))


def _cause_of(finding: Finding, present: list[Finding], last_epoch: int | None) -> Finding | None:
    """The highest-ranked present finding that explains `finding` itself (None: it stands on its own)."""
    ranked = sorted(present, key=lambda c: _rank(c.rule))
    return next((c for c in ranked if explains(c, finding, last_epoch)), None)


def _root_of(finding: Finding, causes: dict[str, Finding | None]) -> str:
    """The cause of the cause ... of `finding`: the head of the group it is shown in."""
    cause = causes[finding.rule]
    return finding.rule if cause is None else _root_of(cause, causes)


def tell_story(findings: list[Finding], last_epoch: int | None = None) -> list[Finding]:
    """Findings ordered root cause first (worst root first), each followed by its symptoms; no contradictory fix.

    Each symptom names its own cause (`caused_by`), whose evidence was checked against it; it is shown in the group
    of that cause's root, after its cause (causes come before their symptoms in `PRIORITY`). A link is never
    inherited: a symptom of a symptom of validation-mismatch names the finding its evidence meets.

    Args:
        findings: The rules' findings, in any order.
        last_epoch: The run's last epoch, which places the windows rules judge at the end of a run (the last 5
            epochs of loss-plateau). Defaults to `None` (unknown: such a window is taken to span the whole run).
    """
    causes = {f.rule: _cause_of(f, findings, last_epoch) for f in findings}
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: _rank(f.rule)):
        groups.setdefault(_root_of(finding, causes), []).append(finding)
    order = sorted(groups, key=lambda root: (-max(f.severity for f in groups[root]), _rank(root)))
    ordered: list[Finding] = []
    for root in order:
        for finding in groups[root]:
            cause = causes[finding.rule]
            ordered.append(finding if cause is None else dataclasses.replace(finding, caused_by=cause.rule))
    return _without_contradictions(ordered)


# --- where a finding's evidence lies ------------------------------------------------------------------------

TRAIN = frozenset({"loss", "accuracy"})
VALIDATION = frozenset({"val_loss", "val_accuracy", "validation_predictions"})
HELD_OUT = VALIDATION | {"test_predictions"}


@dataclasses.dataclass(frozen=True)
class Scope:
    """Where a finding's evidence lies: the curves it was read from and the epochs it covers.

    Args:
        curves: Curve names (`loss`, `val_accuracy`, `validation_predictions`, ...), or None for every curve (a
            cause in the model, the inputs or the optimisation).
        first: The first epoch it covers. Defaults to `1`.
        last: The last epoch it covers. Defaults to `None` (to the run's end).
    """

    curves: frozenset[str] | None
    first: int = 1
    last: int | None = None

    def meets(self, other: Scope) -> bool:
        """A curve in common and epochs that overlap."""
        shared = self.curves is None or other.curves is None or bool(self.curves & other.curves)
        return shared and self.first <= _end(other.last) and other.first <= _end(self.last)


def _end(last: int | None) -> float:
    return float("inf") if last is None else last


def _epoch(value: Any) -> int | None:
    """An epoch number from evidence (None for anything else: a count, a missing value)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _earliest(values: Iterable[Any]) -> int:
    """The first of the epoch numbers listed (1 when none is)."""
    epochs = [e for e in map(_epoch, values) if e is not None]
    return min(epochs, default=1)


def _tail(window: Any, last_epoch: int | None) -> int:
    """The first epoch of a window of `window` epochs that ends the run (1 when the end is unknown)."""
    size = _epoch(window)
    return max(1, last_epoch - size + 1) if last_epoch is not None and size else 1


def _probed(evidence: dict[str, Any], last_epoch: int | None) -> Scope:
    """Units measured dead or saturated on the probe epochs listed per layer (or from a pinned accuracy)."""
    pinned = _epoch(evidence.get("pinned_from_epoch"))
    if pinned is not None:
        return Scope(None, pinned)
    layers = evidence.get("layers")
    per_layer = layers.values() if isinstance(layers, dict) else ()
    listed = [e for layer in per_layer if isinstance(layer, dict) for e in layer.get("epochs") or ()]
    return Scope(None, _earliest(listed))


def _accuracy_plateau(evidence: dict[str, Any], last_epoch: int | None) -> Scope:
    metric = str(evidence.get("metric", "accuracy"))
    loss = "val_loss" if metric.startswith("val_") else "loss"
    return Scope(frozenset({metric, loss}), _epoch(evidence.get("start_epoch")) or 1, _epoch(evidence.get("end_epoch")))


def _oscillation(evidence: dict[str, Any], last_epoch: int | None) -> Scope:
    """The series that swing, after the warm-up; a swinging validation curve swings the held-out predictions."""
    series = frozenset(evidence.get("series") or ())
    if series & VALIDATION:
        series |= {"validation_predictions", "test_predictions"}
    return Scope(series, 1 + (_epoch(evidence.get("warmup_epochs")) or 0))


def _class_imbalance(evidence: dict[str, Any], last_epoch: int | None) -> Scope:
    """Class counts of the training split reach the training curves; a pinned training accuracy, from its epoch."""
    if "basis" in evidence:
        return Scope(frozenset({"accuracy"}), _epoch(evidence.get("from_epoch")) or 1)
    return Scope(TRAIN)


def _loss_plateau(evidence: dict[str, Any], last_epoch: int | None) -> Scope:
    """The training loss over its last window (the window's change spans one epoch more than its size)."""
    window = _epoch(evidence.get("window_epochs"))
    return Scope(frozenset({"loss"}), _tail(window + 1 if window else None, last_epoch))


def _overconfidence(evidence: dict[str, Any], last_epoch: int | None) -> Scope:
    """The held-out predictions of the run's end."""
    split = evidence.get("split") or "validation"
    return Scope(frozenset({f"{split}_predictions"}), last_epoch or 1)


ScopeOf = Callable[[dict[str, Any], int | None], Scope]
SCOPES: dict[str, ScopeOf] = {
    "validation-mismatch": lambda ev, last: Scope(VALIDATION),
    "overfitting": lambda ev, last: Scope(TRAIN | HELD_OUT, _epoch(ev.get("best_epoch")) or 1),
    "class-imbalance": _class_imbalance,
    "oscillation": _oscillation,
    "loss-plateau": _loss_plateau,
    "underfitting": lambda ev, last: Scope(TRAIN, _tail(ev.get("window_epochs"), last)),
    "accuracy-plateau": _accuracy_plateau,
    "overconfidence": _overconfidence,
    "dead-relu": _probed,
    "saturation": _probed,
    "vanishing-gradients": lambda ev, last: Scope(None, _earliest(ev.get("epochs") or ())),
}


def scope_of(finding: Finding, last_epoch: int | None = None) -> Scope:
    """The curves and epochs a finding's evidence covers. A rule not listed in `SCOPES` (unscaled inputs, linear
    layers, a regulariser, a blow-up, exploding gradients) is a cause in the model, the inputs or the optimisation:
    every curve, the whole run."""
    scope = SCOPES.get(finding.rule)
    return scope(finding.evidence, last_epoch) if scope is not None else Scope(None)


def _flags(fix: Fix) -> dict[str, str]:
    """`--epochs 34 --lr 0.1` -> {"--epochs": "34", "--lr": "0.1"}; a bare flag maps to ""."""
    tokens = fix.flags.split()
    out: dict[str, str] = {}
    for i, token in enumerate(tokens):
        if token.startswith("--"):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            out[token] = "" if following.startswith("--") else following
    return out


def _without_contradictions(findings: list[Finding]) -> list[Finding]:
    """Drops each fix that sets a flag to another value than a fix of a finding ranked above it did."""
    chosen: dict[str, str] = {}
    out = []
    for finding in findings:
        kept = []
        for fix in finding.fixes:
            flags = _flags(fix)
            if any(name in chosen and chosen[name] != value for name, value in flags.items()):
                continue
            kept.append(fix)
        for fix in kept:
            for name, value in _flags(fix).items():
                chosen.setdefault(name, value)
        out.append(dataclasses.replace(finding, fixes=tuple(kept)) if len(kept) != len(finding.fixes) else finding)
    return out
