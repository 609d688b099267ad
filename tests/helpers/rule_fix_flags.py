"""Check that a finding's fix flags are real `kerasdiag train` options that parse with their values."""

from __future__ import annotations

import shlex

from kerasdiag.cli.train_cmd import train
from kerasdiag.diagnosis.findings import Finding


def train_option_names() -> set[str]:
    names: set[str] = set()
    for param in train.params:
        names.update(getattr(param, "opts", []))
        names.update(getattr(param, "secondary_opts", []))
    return {name for name in names if name.startswith("--")}


def bad_fix_flags(finding: Finding) -> list[str]:
    """The fixes of `finding` whose flags are not train options or do not parse; empty when all are fine."""
    known = train_option_names()
    bad = []
    for f in finding.fixes:
        tokens = shlex.split(f.flags)
        unknown = [t for t in tokens if t.startswith("--") and t not in known]
        if unknown or not tokens or not tokens[0].startswith("--"):
            bad.append(f"{finding.rule}: {f.flags!r} (unknown: {unknown})")
            continue
        try:
            train.make_context("train", list(tokens))
        except Exception as error:  # noqa: BLE001 - any parse error is a bad fix
            bad.append(f"{finding.rule}: {f.flags!r} does not parse: {error}")
    return bad
