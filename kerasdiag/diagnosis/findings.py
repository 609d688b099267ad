"""Findings: what a diagnosis rule concludes, as plain data (no markup, no rendering)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kerasdiag.messages import LANGUAGES, Localized, Message, join, render

__all__ = [
    "LANGUAGES",
    "Diagnosis",
    "Finding",
    "Fix",
    "Localized",
    "Message",
    "Severity",
    "Skipped",
    "Source",
    "Status",
    "Text",
]


class Severity(enum.IntEnum):
    """How bad a finding is; ordered, so `max()` and `>=` work."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The machine label (`error`), as in JSON."""
        return self.name.lower()

    def shown(self, lang: str) -> str:
        """The label a person reads (`error`, `エラー`)."""
        return render(f"severity.{self.label}", lang)

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"Expected a severity ({choices}). Received: {text!r}") from None


@dataclass(frozen=True)
class Text:
    """A literal sentence in both languages, for tests and examples; kerasdiag's own code uses `Message`."""

    en: str
    ja: str

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class Fix:
    """One concrete change to try: the flags where kerasdiag has them, and why.

    Args:
        flags: The `kerasdiag train` flags of the change (`--lr 0.01`); `kerasdiag fix` retrains with them.
        why: Why it helps.
        code: For a run of the learner's own script, the change as Keras code (`diagnosis.code_fixes`).
            Defaults to `None` (the flags are the change).
        at: Where `code` applies, `train.py:42` (or the file alone when the line is not known). Defaults to `None`.
    """

    flags: str
    why: Localized
    code: Localized | None = None
    at: str | None = None

    def shown(self, lang: str) -> str:
        """The change in the run's own language: `train.py:42: <code>` for a script's run, else the flags."""
        if self.code is None:
            return self.flags
        code = self.code.get(lang)
        return render("code.at", lang, {"at": self.at, "code": code}) if self.at else code

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """`flags` and `why`; `code` and `at` too where the fix has a code form (older readers ignore them)."""
        out: dict[str, Any] = {"flags": self.flags, "why": self.why.get(lang)}
        if self.code is not None:
            out.update(code=self.code.get(lang), at=self.at)
        return out


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
        caused_by: The rule id of the finding this one is a symptom of (`diagnosis.story`: their evidence meets,
            a curve in common over overlapping epochs), or None for a finding shown on its own.
    """

    rule: str
    severity: Severity
    title: Localized
    evidence: dict[str, Any]
    summary: Localized
    explanation: Localized
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
            "fixes": [f.to_dict(lang) for f in self.fixes],
        }


def rule_name(rule: str, lang: str) -> str:
    """A rule as a person reads it: its id in English, its name in Japanese."""
    return render(f"rule.{rule}", lang)


@dataclass(frozen=True)
class Skipped:
    """A rule that could not be evaluated on this run, and why (never silence).

    Args:
        rule: The rule id.
        why: What was missing, as a message (or a plain English string from a test's own rule).
    """

    rule: str
    why: Localized | str

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.reason_in("en")

    def reason_in(self, lang: str) -> str:
        return self.why if isinstance(self.why, str) else self.why.get(lang)


@dataclass(frozen=True)
class Source:
    """Where a run's numbers came from: the log format, each tag (column, key) read -> metric, those ignored."""

    format: str
    read: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()

    def line(self, lang: str = "en", shown: int = 5) -> str:
        """One line for people, e.g. `read from tensorboard-scalars: Loss/train→loss; ignored: grad/norm`."""
        text = render("source.read", lang, {"format": self.format})
        if self.read:
            text += ": " + join((f"{tag}→{metric}" for tag, metric in self.read.items()), lang)
        if self.ignored:
            more = len(self.ignored) - shown
            extra = " " + render("source.more", lang, {"count": more}) if more > 0 else ""
            ignored = render("source.ignored", lang, {"tags": join(self.ignored[:shown], lang) + extra})
            text += render("list.semicolon", lang) + ignored
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "read": dict(self.read), "ignored": list(self.ignored)}


class Status(enum.Enum):
    """What a diagnosis concludes as a whole (JSON's `status`): the verdict line is chosen by it."""

    PROBLEMS = "problems"  # a warning or an error: the findings speak
    TOO_SHORT = "too_short"  # no warning, but fewer epochs than the curve rules need: nothing can be judged
    NOTES = "notes"  # info findings only
    HEALTHY = "healthy"  # no finding, and long enough to judge


@dataclass
class Diagnosis:
    """Everything `diagnose` concluded about one run.

    Args:
        run: The run's name.
        findings: In story order (`diagnosis.story`).
        skipped: The rules that could not be evaluated, and why.
        source: Where the numbers came from. Defaults to `None`.
        epochs: The epochs the run recorded. Defaults to `None` (not known: a run that could not be read).
        epochs_needed: The epochs the curve rules need to judge a run. Defaults to `None` (no curve rule ran).
    """

    run: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    source: Source | None = None
    epochs: int | None = None
    epochs_needed: int | None = None

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    @property
    def too_short(self) -> bool:
        """Fewer epochs than the curve rules need: an absence of findings says nothing."""
        return self.epochs is not None and self.epochs_needed is not None and self.epochs < self.epochs_needed

    @property
    def status(self) -> Status:
        worst = self.worst
        if worst is not None and worst >= Severity.WARNING:
            return Status.PROBLEMS
        if self.too_short:
            return Status.TOO_SHORT
        return Status.NOTES if self.findings else Status.HEALTHY

    def verdict(self, lang: str = "en") -> str | None:
        """The line above the findings: None with a warning or an error (the findings speak), else why the run is
        too short to judge, the count of notes, or "No problems found." (never beside a finding)."""
        status, notes = self.status, len(self.findings)
        if status is Status.PROBLEMS:
            return None
        if status is Status.HEALTHY:
            return render("diagnosis.verdict.healthy", lang)
        if status is Status.NOTES:
            return _counted("diagnosis.verdict.notes", notes, lang)
        short = _counted("diagnosis.verdict.too_short", self.epochs or 0, lang, needed=self.epochs_needed)
        if not notes:
            return short
        below = _counted("diagnosis.verdict.notes_below", notes, lang)
        return render("diagnosis.verdict.with_notes", lang, {"verdict": short, "notes": below})

    @property
    def first_fix(self) -> tuple[str, Fix] | None:
        """(rule, fix): the one change to try first, from the top root cause (findings are in story order)."""
        return next(((f.rule, f.fixes[0]) for f in self.findings if f.fixes and f.severity > Severity.INFO), None)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        first = self.first_fix
        return {
            "run": self.run,
            "status": self.status.value,
            "verdict": self.verdict(lang),
            "epochs": self.epochs,
            "epochs_needed": self.epochs_needed,
            "worst": self.worst.label if self.worst else None,
            "first_fix": {"rule": first[0], **first[1].to_dict(lang)} if first else None,
            "findings": [f.to_dict(lang) for f in self.findings],
            "skipped": [{"rule": s.rule, "reason": s.reason_in(lang)} for s in self.skipped],
            "source": self.source.to_dict() if self.source else None,
        }


def _counted(message_id: str, count: int, lang: str, **params: Any) -> str:
    """`message_id` for a count of one (`.one`: "1 note", "1 epoch"), else `message_id` with `count`."""
    if count == 1:
        return render(f"{message_id}.one", lang, params)
    return render(message_id, lang, {"count": count, **params})
