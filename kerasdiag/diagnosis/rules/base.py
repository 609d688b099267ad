"""What every rule shares: the rule signature, NotEvaluable, finding construction and run facts."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.config import DEFAULT_LR
from kerasdiag.diagnosis.findings import Finding, Fix, Localized, Severity
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

Rule = Callable[[RunRecord, Thresholds], list[Finding]]


class NotEvaluable(Exception):
    """Raised by a rule that lacks the data it needs; `diagnose_run` turns it into a `Skipped`.

    Args:
        reason: What is missing, as a catalog message (`say("skip.no_metric", metric="val_loss")`); a plain
            English string only in tests' own rules.
    """

    def __init__(self, reason: Localized | str) -> None:
        super().__init__(reason if isinstance(reason, str) else reason.get("en"))
        self.reason = reason


def fix(flags: str, why: Localized) -> Fix:
    """A fix: the flags to try and why, as a catalog message (`fix("--lr 0.01", say("divergence.fix.lr"))`)."""
    return Fix(flags=flags, why=why)


@dataclass(frozen=True)
class About:
    """The fixed texts of a rule: its title and its explanation for a learner."""

    title: Localized
    explanation: Localized


def about(rule: str) -> About:
    """A rule's title and explanation from the catalog: the messages `<rule>.title` and `<rule>.explanation`."""
    return About(say(f"{rule}.title"), say(f"{rule}.explanation"))


def finding(
    rule: str,
    severity: Severity,
    summary: Localized,
    evidence: Mapping[str, Any],
    fixes: Iterable[Fix],
    about: About,
) -> Finding:
    """Build a Finding whose evidence is plain JSON (rounded floats, NaN as None)."""
    return Finding(
        rule=rule,
        severity=severity,
        title=about.title,
        evidence=json_safe(dict(evidence)),
        summary=summary,
        explanation=about.explanation,
        fixes=tuple(fixes),
    )


def json_safe(value: Any, digits: int = 4) -> Any:
    """Plain Python data: numbers rounded to `digits` significant digits, NaN and Inf as None."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_safe(v, digits) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round_sig(float(value), digits)
    return value


def round_sig(value: float, digits: int = 4) -> float | None:
    if not math.isfinite(value):
        return None
    if value == 0:
        return 0.0
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a sentence: 3 significant digits (`0.372`, `1.2e-05`)."""
    if value is None or not math.isfinite(value):
        return str(value)
    return f"{value:.{digits}g}"


def pct(value: float) -> str:
    """A share as a percentage for a sentence: `32%`, `0.4%`."""
    number = value * 100
    return f"{number:.0f}%" if abs(number) >= 10 else f"{number:.2g}%"


def no_probes(record: RunRecord, reason: Message) -> NotEvaluable:
    """The skip of a rule that needs per-layer probes: why kerasdiag took none of a learner's model where run.json
    says (a subclassed model, a custom compute_loss ...), else `reason`."""
    if record.probes_off:
        return NotEvaluable(say("skip.probes_off", reason=record.probes_off))
    return NotEvaluable(reason)


def config_value(record: RunRecord, key: str, default: Any = None) -> Any:
    """A flag of a kerasdiag run, or `default` for plain Keras logs."""
    if record.config is None:
        return default
    value = record.config.get(key, default)
    return default if value is None else value


def num_classes(record: RunRecord) -> int | None:
    """k from the data summary, else from the saved predictions' width (at least 2), else None."""
    if record.data is not None and record.data.num_classes:
        return int(record.data.num_classes)
    if record.predictions is not None and record.predictions.probs.ndim == 2 and record.predictions.probs.shape[1] > 1:
        return int(record.predictions.probs.shape[1])
    return None


def skill(accuracy: float, chance: float) -> float:
    """Accuracy rescaled so that chance is 0 and perfect is 1."""
    return (accuracy - chance) / (1.0 - chance)


def require_metric(record: RunRecord, name: str, min_epochs: int) -> np.ndarray:
    """The metric across epochs, or NotEvaluable when it is missing or too short."""
    if not record.epochs:
        raise NotEvaluable(say("skip.no_epochs"))
    if not record.has(name):
        raise NotEvaluable(say("skip.no_metric", metric=name))
    values = record.series(name)
    count = int(np.isfinite(values).sum())
    if count < min_epochs:
        raise NotEvaluable(say("skip.too_few_epochs", needed=min_epochs, metric=name, count=count))
    return values


def learning_rate(record: RunRecord) -> float | None:
    """The learning rate used: the flag, else the logged one, else None."""
    lr = config_value(record, "lr")
    if lr is not None:
        return float(lr)
    logged = record.series("learning_rate") if record.has("learning_rate") else np.array([])
    finite = logged[np.isfinite(logged)]
    if finite.size:
        return float(finite[-1])
    optimizer = config_value(record, "optimizer")
    return DEFAULT_LR.get(optimizer) if optimizer else None


def schedule_finished(record: RunRecord, th: Thresholds) -> bool:
    """The logged learning rate ended at `plateau_schedule_decay` of its largest value or below (a schedule that
    brought it down to nothing stills any loss: a finished run, not a frozen one; a warm-up may start at 0)."""
    if not record.has("learning_rate"):
        return False
    rate = record.series("learning_rate")
    rate = rate[np.isfinite(rate)]
    return rate.size >= 2 and rate.max() > 0 and float(rate[-1]) <= th.plateau_schedule_decay * float(rate.max())
