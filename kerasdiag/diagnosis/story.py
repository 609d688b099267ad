"""One story per run: root causes first, their symptoms grouped under them, no contradictory fixes.

Rules judge one thing each, so one problem shows up in several findings: unscaled inputs kill ReLU units,
which flattens the loss, which leaves the model underfitting. `tell_story` orders the findings so that a
root cause comes first and each symptom follows the cause that explains it (`Finding.caused_by`), drops a
fix that contradicts a fix of a finding ranked above it (the same flag with another value: "--epochs 34" from
overfitting beats "--epochs 160" from accuracy-plateau), and names the first fix to try.
"""

from __future__ import annotations

import dataclasses

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
    "over-regularization": STALLED,
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


def _explains(cause: Finding, symptom: Finding) -> bool:
    if symptom.rule not in CAUSES.get(cause.rule, ()):
        return False
    # Class counts in a data summary are a fact of the data, not a symptom; only a pinned curve is.
    return symptom.rule != "class-imbalance" or "basis" in symptom.evidence


def _root_of(finding: Finding, present: list[Finding]) -> str | None:
    """The highest-ranked present finding that explains `finding`, followed up to its own root."""
    cause = next((c for c in sorted(present, key=lambda c: _rank(c.rule)) if _explains(c, finding)), None)
    if cause is None:
        return None
    return _root_of(cause, present) or cause.rule


def tell_story(findings: list[Finding]) -> list[Finding]:
    """Findings ordered root cause first (worst root first), each followed by its symptoms; no contradictory fix."""
    roots = {f.rule: _root_of(f, findings) for f in findings}
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (-f.severity, _rank(f.rule))):
        groups.setdefault(roots[finding.rule] or finding.rule, []).append(finding)
    by_rule = {f.rule: f for f in findings}
    order = sorted(groups, key=lambda root: (-max(f.severity for f in groups[root]), _rank(root)))
    ordered: list[Finding] = []
    for root in order:
        head = by_rule[root]
        ordered.append(head)
        ordered += [dataclasses.replace(f, caused_by=root) for f in groups[root] if f is not head]
    return _without_contradictions(ordered)


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
