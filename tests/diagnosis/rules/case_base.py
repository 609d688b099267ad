"""What every labelled case shares: the Case record, the severity shorthands and `healthy()`.

Every other warning or error is a false positive. `near_miss` names the rules a case is built to
almost trigger. Used by tests/diagnosis/rules/test_rules_suite.py and tests/helpers/rule_suite_table.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kerasdiag.diagnosis.findings import Severity
from kerasdiag.rundir.record import RunRecord
from tests.helpers.rule_factory import (
    healthy_curves,
    healthy_probes,
    make_record,
    mlp,
    mnist_data,
)

W, E, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], RunRecord]
    expect: dict[str, Severity] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()
    near_miss: tuple[str, ...] = ()


def healthy(kind: str, epochs: int = 20, seed: int = 0, val_noise: float = 0.01, **kwargs) -> RunRecord:
    curves = healthy_curves(kind, epochs, seed, val_noise)
    defaults = {"probes": healthy_probes(epochs, seed=seed), "model": mlp(), "data": mnist_data()}
    return make_record(**curves, **{**defaults, **kwargs})
