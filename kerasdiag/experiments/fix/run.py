"""`kerasdiag fix`: retrain a run with each finding's first fix, beside the unchanged config, over seeds.

A plan (`plan_fixes`) reads the run, diagnoses it, and turns the first fix of each warning or error
finding into a changed RunConfig; a fix that cannot be applied automatically (no flags, flags that do
not parse, a combination train refuses, a change the run already has) keeps its reason instead.
`run_fixes` trains N seeds of the unchanged config (`<run>/fixes/baseline/`) and N seeds of each
changed one (`<run>/fixes/<slug>/`), vectorised by `train_many` where the runs share a shape, and
collects what each member measured and which findings it still shows. `experiments.fix.summary`
turns that into differences with intervals. Click-free: the command line passes the function that
applies flags to a config with train's own parser.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.findings import Finding, Severity
from kerasdiag.errors import ConfigError, KerasdiagError, RunDirError
from kerasdiag.messages import Localized, Message, aside, render, say
from kerasdiag.messages.said import Joined
from kerasdiag.rundir.record import RunRecord, RunStatus

FIXES_DIR = "fixes"
BASELINE = "baseline"
FIX_JSON = "fix.json"
# The fields a run.json config must hold to be a `kerasdiag train` RunConfig.
TRAIN_FIELDS = ("dataset", "model", "layers", "optimizer", "epochs", "batch_size")

# Fields that decide which samples are held out: a fix changing one is judged on another validation set.
SPLIT_FIELDS = ("dataset", "data_dir", "train_size", "classes", "validation_split", "shuffle")

ApplyFlags = Callable[[RunConfig, str], RunConfig]


@dataclass(frozen=True)
class FixOptions:
    """How `kerasdiag fix` plans its runs (train runs and script runs alike).

    Args:
        seeds: Seeds per config. Defaults to `3`.
        epochs: Override the number of epochs of every run (a fix that sets `--epochs` is scaled alike).
            Defaults to `None` (the run's own).
        only: Only the finding with this rule id. Defaults to `None` (every warning or error finding).
        backend: Train on this Keras backend instead of the run's. Defaults to `None`.
    """

    seeds: int = 3
    epochs: int | None = None
    only: str | None = None
    backend: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One fix to try: the flags, the findings it answers, and its config (None when it cannot be applied).

    Args:
        rules: Rule ids of the findings whose first fix these flags are.
        flags: The fix's train flags, as the diagnosis prints them.
        slug: Folder name of its runs under `<run>/fixes/`.
        config: The run's config with the flags applied, or None.
        why: Why it cannot be applied automatically, as a message (empty when it can; a plain string from a
            test is taken as it is).
    """

    rules: tuple[str, ...]
    flags: str
    slug: str
    config: RunConfig | None
    why: Localized | str = ""

    @property
    def reason(self) -> str:
        """Why it cannot be applied, in English (empty when it can)."""
        return self.reason_in("en")

    def reason_in(self, lang: str) -> str:
        """Why it cannot be applied, in `lang` (empty when it can)."""
        return self.why if isinstance(self.why, str) else self.why.get(lang)

    def other_validation(self, base: RunConfig) -> bool:
        """True when the fix changes which samples are held out (its validation metrics use other samples)."""
        return self.config is not None and any(getattr(self.config, f) != getattr(base, f) for f in SPLIT_FIELDS)


@dataclass
class FixPlan:
    """What `kerasdiag fix` will train: the run, its config, the seeds and each candidate fix."""

    run: Path
    base: RunConfig
    seeds: list[int]
    candidates: list[Candidate]

    @property
    def applicable(self) -> list[Candidate]:
        return [c for c in self.candidates if c.config is not None]

    @property
    def root(self) -> Path:
        return self.run / FIXES_DIR


@dataclass
class Member:
    """One trained seed of the baseline or of a fix."""

    seed: int
    path: Path
    status: str
    metrics: dict[str, float]
    fired: tuple[str, ...]  # rule ids at warning or above in its diagnosis


@dataclass
class FixRuns:
    """The members trained so far: the baseline's and each candidate's (by slug)."""

    plan: FixPlan
    baseline: list[Member] = field(default_factory=list)
    fixes: dict[str, list[Member]] = field(default_factory=dict)
    interrupted: bool = False


@dataclass(frozen=True)
class RuleChoice:
    """A rule id a flag takes, followed by the rule's name where the language names it otherwise (`過学習`)."""

    rule: str

    def get(self, lang: str) -> str:
        name = render(f"rule.{self.rule}", lang)
        return self.rule if name == self.rule else self.rule + aside(name, lang)


def only_choices(findings: Sequence[Finding]) -> Message:
    """What `--only` may name: the rule ids of this run's warning and error findings (with their names)."""
    present = tuple(RuleChoice(f.rule) for f in findings if f.severity >= Severity.WARNING)
    return say("fix.error.only", present=Joined(present, "list.separator") if present else say("fix.error.only_none"))


def base_config(record: RunRecord) -> RunConfig:
    """The RunConfig a `kerasdiag train` run was made with.

    Raises:
        RunDirError: When the run holds no kerasdiag RunConfig (plain Keras logs, a script's run).
    """
    config = record.config or {}
    if record.source != "kerasdiag" or not all(key in config for key in TRAIN_FIELDS):
        raise RunDirError(
            say("fix.error.train_run"),
            say("fix.error.no_train_config", path=record.path, source=record.source),
            path=record.path,
        )
    return RunConfig.from_dict(config)


def slug(flags: str) -> str:
    """A folder name for a fix's runs: `--lr 0.001 --optimizer adam` -> `lr-0.001-optimizer-adam`."""
    text = re.sub(r"[^A-Za-z0-9.]+", "-", flags.replace("--", " ")).strip("-.")
    return (text or "fix")[:80]


def plan_fixes(
    run: Path, record: RunRecord, findings: Sequence[Finding], apply: ApplyFlags, options: FixOptions = FixOptions()
) -> FixPlan:
    """The candidates: each warning/error finding's first fix (`options.only`: of that rule), applied to the config.

    Args:
        run: The run directory.
        record: The run, as read.
        findings: Its diagnosis's findings (story order).
        apply: Returns the config with a fix's flags applied (train's own parser); raises ConfigError.
        options: Seeds per config (the run's seed, then the next ones), epochs, `--only`, backend. Defaults to
            `FixOptions()`.
    """
    base = base_config(record)
    base = replace(base, backend=options.backend or base.backend, name=None)
    only = options.only
    targets = [f for f in findings if f.severity >= Severity.WARNING and (only is None or f.rule == only)]
    if only is not None and not targets:
        raise ConfigError(only_choices(findings), only)
    candidates: dict[str, Candidate] = {}
    for finding in targets:
        flags = finding.fixes[0].flags if finding.fixes else ""
        if flags in candidates:
            old = candidates[flags]
            candidates[flags] = replace(old, rules=(*old.rules, finding.rule))
            continue
        candidates[flags] = _candidate(finding.rule, flags, base, apply, options.epochs)
    scaled = replace(base, epochs=options.epochs) if options.epochs else base
    return FixPlan(run, scaled, [base.seed + r for r in range(options.seeds)], list(candidates.values()))


def _candidate(rule: str, flags: str, base: RunConfig, apply: ApplyFlags, epochs: int | None) -> Candidate:
    if not flags:
        return Candidate((rule,), "", slug(rule), None, say("exp.fix.reason.no_flag"))
    try:
        changed = apply(base, flags)
    except KerasdiagError as exc:
        return Candidate((rule,), flags, slug(flags), None, say("exp.fix.reason.refused", error=exc))
    if changed == base:
        return Candidate((rule,), flags, slug(flags), None, say("exp.fix.reason.already"))
    if epochs:
        sets_epochs = changed.epochs != base.epochs
        changed = replace(
            changed, epochs=max(1, round(changed.epochs * epochs / base.epochs)) if sets_epochs else epochs
        )
    return Candidate((rule,), flags, slug(flags), changed)


def run_fixes(
    plan: FixPlan,
    *,
    vectorize: bool = True,
    on_member: Callable[[str, Member], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    progress_console: Any = None,
    lang: str = "en",
) -> FixRuns:
    """Train the baseline and every applicable fix over the plan's seeds; Ctrl-C keeps what finished.

    Args:
        plan: From `plan_fixes`.
        vectorize: Train runs of one shape together (JAX backend); `False`: one at a time.
        on_member: Called with the slug (`baseline` or the fix's) and each trained member.
        on_note: Called with a one-line note when runs cannot be vectorised.
        progress_console: A Rich console for each sequential run's epoch bar, or `None`.
        lang: Language of the notes. Defaults to `"en"`.
    """
    from kerasdiag.experiments.batched import train_many

    jobs = [(BASELINE, plan.base, seed) for seed in plan.seeds]
    jobs += [(c.slug, c.config, seed) for c in plan.applicable if c.config is not None for seed in plan.seeds]
    configs = [_job_config(plan, where, config, seed) for where, config, seed in jobs]
    runs = FixRuns(plan)

    def finished(index: int, result: Any) -> None:
        where, _, seed = jobs[index]
        member = _member(seed, result)
        (runs.baseline if where == BASELINE else runs.fixes.setdefault(where, [])).append(member)
        if on_member is not None:
            on_member(where, member)

    try:
        train_many(
            configs,
            vectorize=vectorize,
            on_result=finished,
            on_note=on_note,
            progress_console=progress_console,
            data_cache={},  # one load per distinct data config, shared by the baseline and every fix
            lang=lang,
        )
    except KeyboardInterrupt:
        runs.interrupted = True
    return runs


def _job_config(plan: FixPlan, where: str, config: RunConfig, seed: int) -> RunConfig:
    return dataclasses.replace(config, seed=seed, logdir=str(plan.root / where), name=f"seed-{seed}")


def _member(seed: int, result: Any) -> Member:
    from kerasdiag.experiments.sweep.summary import run_metrics

    metrics, _ = run_metrics(result.path)
    fired = tuple(f.rule for f in result.diagnosis.findings if f.severity >= Severity.WARNING)
    return Member(seed, result.path, str(result.status), metrics, fired)


def finished_members(members: Sequence[Member]) -> list[Member]:
    """Members that ran to their end (completed or diverged); interrupted and failed ones are left out."""
    return [m for m in members if (status := RunStatus.parse(m.status)) is not None and status.finished]
