"""Findings: what a diagnosis rule concludes, as plain data (no markup, no rendering)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "ja")


class Severity(enum.IntEnum):
    """How bad a finding is; ordered, so `max()` and `>=` work."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"Expected a severity ({choices}). Received: {text!r}") from None


@dataclass(frozen=True)
class Text:
    """A sentence in every language kerasdiag speaks."""

    en: str
    ja: str

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class Fix:
    """One concrete change to try: the flags where kerasdiag has them, and why."""

    flags: str
    why: Text


@dataclass(frozen=True)
class Finding:
    """One problem a rule found, with the numbers that prove it.

    Args:
        rule: A rule id from DESIGN.md (`overfitting`, `linear-collapse`, ...).
        severity: How bad it is.
        title: One line naming the problem.
        evidence: The measured numbers, epochs and thresholds compared, by name.
        summary: The evidence as one sentence with its numbers.
        explanation: Why this happens, for a learner.
        fixes: Concrete changes to try, most promising first.
        caused_by: The rule id of the root cause this finding is a symptom of (`diagnosis.story`), or None
            for a root cause.
    """

    rule: str
    severity: Severity
    title: Text
    evidence: dict[str, Any]
    summary: Text
    explanation: Text
    fixes: tuple[Fix, ...] = ()
    caused_by: str | None = None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "caused_by": self.caused_by,
            "title": self.title.get(lang),
            "summary": self.summary.get(lang),
            "evidence": self.evidence,
            "explanation": self.explanation.get(lang),
            "fixes": [{"flags": f.flags, "why": f.why.get(lang)} for f in self.fixes],
        }


@dataclass(frozen=True)
class Skipped:
    """A rule that could not be evaluated on this run, and why (never silence)."""

    rule: str
    reason: str


@dataclass(frozen=True)
class Source:
    """Where a run's numbers came from: the log format, each tag (column, key) read -> metric, those ignored."""

    format: str
    read: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()

    def line(self, shown: int = 5) -> str:
        """One line for people, e.g. `read from tensorboard-scalars: Loss/train→loss; ignored: grad/norm`."""
        text = f"read from {self.format}"
        if self.read:
            text += ": " + ", ".join(f"{tag}→{metric}" for tag, metric in self.read.items())
        if self.ignored:
            more = len(self.ignored) - shown
            text += "; ignored: " + ", ".join(self.ignored[:shown]) + (f" (+{more} more)" if more > 0 else "")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "read": dict(self.read), "ignored": list(self.ignored)}


@dataclass
class Diagnosis:
    """Everything `diagnose` concluded about one run."""

    run: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    source: Source | None = None

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    @property
    def first_fix(self) -> tuple[str, Fix] | None:
        """(rule, fix): the one change to try first, from the top root cause (findings are in story order)."""
        return next(((f.rule, f.fixes[0]) for f in self.findings if f.fixes and f.severity > Severity.INFO), None)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        first = self.first_fix
        return {
            "run": self.run,
            "worst": self.worst.label if self.worst else None,
            "first_fix": {"rule": first[0], "flags": first[1].flags, "why": first[1].why.get(lang)} if first else None,
            "findings": [f.to_dict(lang) for f in self.findings],
            "skipped": [{"rule": s.rule, "reason": s.reason} for s in self.skipped],
            "source": self.source.to_dict() if self.source else None,
        }
