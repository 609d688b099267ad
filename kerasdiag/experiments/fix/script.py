"""`kerasdiag fix` on a run from `kerasdiag run` (a learner's own script, no kerasdiag RunConfig).

A fix's train flags are parsed by train's own options into field changes (`{"lr": 0.001}`); the
ones that map onto the script's model or `fit` call (`training.script.change.SCRIPT_FIELDS`: lr,
optimizer, momentum, weight decay, dropout, L1/L2, activation, epochs, batch size, shuffle) are
applied inside the re-run script's `fit` (the run's fit index), the others (layers, init, batch
norm, data flags...) are named as not applicable, one line each. Each member re-runs the whole
script with the same argv and a seed (`training.script.rerun`); results are ordinary run
directories under `<run>/fixes/`, summarised by `fix.summary` like a train run's fixes.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.findings import Finding, Fix, Severity
from kerasdiag.diagnosis.script_source import file_of, line_of
from kerasdiag.errors import ConfigError, KerasdiagError, RunDirError
from kerasdiag.experiments.fix.run import (
    BASELINE,
    TRAIN_FIELDS,
    Candidate,
    FixOptions,
    FixPlan,
    FixRuns,
    Member,
    only_choices,
    slug,
)
from kerasdiag.messages import Message, say, text
from kerasdiag.rundir.record import RunRecord
from kerasdiag.training.script.change import SCRIPT_FIELDS

ParseFlags = Callable[[str], dict[str, Any]]  # train flags -> {field: value} of the flags given

DATA_FIELDS = ("dataset", "data_dir", "train_size", "classes", "validation_split", "normalize")


@dataclass
class ScriptFixPlan(FixPlan):
    """A FixPlan for a script's run: the script, its argv, which `fit` to change, and each fix's change."""

    script: Path = Path()
    argv: list[str] = field(default_factory=list)
    fit_index: int = 0
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug -> {train field: value}
    baseline_change: dict[str, Any] = field(default_factory=dict)  # {"epochs": N} under `fix --epochs`
    notes: list[Message] = field(default_factory=list)  # `str(note)` is English, `note.get(lang)` any language
    given: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug -> the fields its flags set, unscaled
    fixes: dict[str, Fix] = field(default_factory=dict)  # slug -> the finding's fix (with its code form)
    shown: str = ""  # the script as the learner named it
    fit_line: int | None = None  # the diagnosed fit call's line in the script (run.json's `fit_at`)
    compile_line: int | None = None

    @property
    def command(self) -> str:
        """What the re-runs execute, as a shell would quote it: the script's path, then its arguments."""
        return shlex.join([str(self.script), *self.argv])

    def shown_change(self, candidate: Candidate, lang: str = "en") -> str:
        """A fix as the diagnosis wrote it for the script (`train.py:42: fit(..., epochs=34)`), else its flags."""
        fix = self.fixes.get(candidate.slug)
        return fix.shown(lang) if fix is not None else candidate.flags

    @property
    def runs(self) -> int:
        """How many times the script runs: the baseline and each applicable fix, over the seeds."""
        return len(self.seeds) * (1 + len(self.applicable))

    def confirmed_by(self, given: str) -> bool:
        """Whether `given` (fix's `--script`) names this plan's script and arguments.

        `given` is a command line as `command` shows it: its first word must be the same file as the script
        (another spelling of its path is fine), the words after it exactly the arguments run.json recorded.
        """
        try:
            words = shlex.split(given)
        except ValueError:
            return False
        if not words:
            return False
        try:
            same = os.path.samefile(words[0], self.script)
        except (OSError, ValueError):
            return False
        return same and words[1:] == self.argv


def is_script_run(record: RunRecord) -> bool:
    """True for a run written by `kerasdiag run` or `kerasdiag.keras.Diagnose` (a script, no train config)."""
    config = record.config or {}
    return bool(config.get("script")) and not all(key in config for key in TRAIN_FIELDS)


def script_config(record: RunRecord) -> RunConfig:
    """What run.json knows of the script's settings, as a RunConfig (unvalidated: it only names values)."""
    c = record.config or {}
    epochs = c.get("epochs") or max(len(record.epochs), 1)
    return RunConfig(
        optimizer=c.get("optimizer") or "unknown",
        lr=c.get("lr"),
        epochs=int(epochs),
        batch_size=int(c.get("batch_size") or 32),
        validation_split=float(c.get("validation_split") or 0.0),
        shuffle=bool(c.get("shuffle")),
        activation=c.get("activation") or "unknown",
        backend=c.get("backend") or "tensorflow",
        seed=0,
        dropout=0.0,
    )


def plan_script_fixes(
    run: Path, record: RunRecord, findings: Sequence[Finding], parse: ParseFlags, options: FixOptions = FixOptions()
) -> ScriptFixPlan:
    """The candidates of a script's run: each warning/error finding's first fix, mapped onto the script.

    Args:
        run: The run directory.
        record: The run, as read (its config names the script, argv and fit index).
        findings: Its diagnosis's findings.
        parse: Returns the fields a fix's train flags set (train's own parser); raises ConfigError.
        options: Seeds per config (0, 1, ...), the epochs of the changed `fit` (a fix setting `--epochs` is
            scaled alike), `--only`, the backend to run the script on. Defaults to `FixOptions()`.

    Raises:
        RunDirError: When the script is not where run.json says it was.
        ConfigError: When `options.only` names no warning or error finding.
    """
    seeds, epochs, only = options.seeds, options.epochs, options.only
    script, notes = _script_path(record)
    config = record.config or {}
    base = replace(script_config(record), backend=options.backend or config.get("backend") or "tensorflow")
    targets = [f for f in findings if f.severity >= Severity.WARNING and (only is None or f.rule == only)]
    if only is not None and not targets:
        raise ConfigError(only_choices(findings), only)
    candidates: dict[str, Candidate] = {}
    changes: dict[str, dict[str, Any]] = {}
    given: dict[str, dict[str, Any]] = {}
    fixes: dict[str, Fix] = {}
    for finding in targets:
        flags = finding.fixes[0].flags if finding.fixes else ""
        if flags in candidates:
            old = candidates[flags]
            candidates[flags] = replace(old, rules=(*old.rules, finding.rule))
            continue
        candidate, change = _candidate(finding.rule, flags, base, parse, epochs, record)
        candidates[flags] = candidate
        if finding.fixes:
            fixes[candidate.slug] = finding.fixes[0]
        if change is not None:
            changes[candidate.slug] = change
            given[candidate.slug] = parse(flags)
    argv, fit_index = config.get("argv"), config.get("fit_index")
    if argv is None:
        notes.append(say("exp.fix.note.no_argv"))
    if fit_index is None:
        notes.append(say("exp.fix.note.no_fit_index"))
    return ScriptFixPlan(
        run,
        replace(base, epochs=epochs) if epochs else base,
        list(range(seeds)),
        list(candidates.values()),
        script=script,
        argv=list(argv or []),
        fit_index=int(fit_index or 0),
        changes=changes,
        baseline_change={"epochs": epochs} if epochs else {},
        notes=notes,
        given=given,
        fixes=fixes,
        shown=str(config.get("script") or script.name),
        fit_line=_line_in_script(config.get("fit_at"), script),
        compile_line=_line_in_script(config.get("compile_at"), script),
    )


def _line_in_script(at: Any, script: Path) -> int | None:
    """The line of a `"<path>:<line>"` place when its file is the script (a call in another module: None)."""
    path = file_of(at)
    return line_of(at) if path is not None and Path(path).name == script.name else None


def _script_path(record: RunRecord) -> tuple[Path, list[Message]]:
    config = record.config or {}
    for recorded in (config.get("script_path"), config.get("script")):
        if recorded and Path(recorded).is_file():
            return Path(recorded), []
    raise RunDirError(
        say("fix.error.script_missing"),
        say("fix.error.not_found", path=config.get("script_path") or config.get("script")),
        path=record.path,
    )


def _candidate(
    rule: str, flags: str, base: RunConfig, parse: ParseFlags, epochs: int | None, record: RunRecord
) -> tuple[Candidate, dict[str, Any] | None]:
    name = slug(flags) if flags else slug(rule)
    if not flags:
        return Candidate((rule,), "", name, None, say("exp.fix.reason.no_flag")), None
    try:
        given = parse(flags)
    except KerasdiagError as exc:
        return Candidate((rule,), flags, name, None, say("exp.fix.reason.does_not_parse", error=exc)), None
    reason = _not_applicable(given, record)
    if reason is not None:
        return Candidate((rule,), flags, name, None, reason), None
    changed = replace(base, **given)
    if changed == base:
        return Candidate((rule,), flags, name, None, say("exp.fix.reason.script_already")), None
    if epochs:
        sets_epochs = changed.epochs != base.epochs
        changed = replace(
            changed, epochs=max(1, round(changed.epochs * epochs / base.epochs)) if sets_epochs else epochs
        )
    change = {**given, "epochs": changed.epochs} if epochs or "epochs" in given else dict(given)
    return Candidate((rule,), flags, name, changed), change


def _not_applicable(given: dict[str, Any], record: RunRecord) -> Message | None:
    """Why these fields cannot be changed in a script automatically (None when they can)."""
    config = record.config or {}
    kinds = [layer.kind for layer in record.model.layers] if record.model is not None else []
    flags = [f"--{key.replace('_', '-')}" for key in given if key not in SCRIPT_FIELDS]
    if flags:
        data = all(key in DATA_FIELDS for key in given if key not in SCRIPT_FIELDS)
        why = say("exp.fix.reason.script_data" if data else "exp.fix.reason.script_model")
        return say("exp.fix.reason.not_in_script", flags=" ".join(flags), why=why)
    if given.get("dropout") and kinds and not any("Dropout" in kind for kind in kinds):
        return say("exp.fix.reason.not_in_script", flags="--dropout", why=say("exp.fix.reason.no_dropout_layer"))
    if "shuffle" in given and not given["shuffle"]:
        return say("exp.fix.reason.split_never_shuffles")
    if given.get("shuffle") and config.get("shuffle") is None:
        return say("exp.fix.reason.no_split_to_shuffle")
    return None


def run_script_fixes(
    plan: ScriptFixPlan,
    *,
    on_member: Callable[[str, Member], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    lang: str = "en",
    **_: Any,
) -> FixRuns:
    """Re-run the script for the baseline and each applicable fix over the plan's seeds, one at a time.

    `on_note` hears, in `lang`, each re-run that left no run directory.
    """
    from kerasdiag.training.backends.select import select_backend

    select_backend(plan.base.backend)
    from kerasdiag.training.script.rerun import rerun_script

    jobs = [(BASELINE, plan.baseline_change, seed) for seed in plan.seeds]
    jobs += [(c.slug, plan.changes[c.slug], seed) for c in plan.applicable for seed in plan.seeds]
    runs = FixRuns(plan)
    try:
        for where, change, seed in jobs:
            name = f"seed-{seed}"
            options: dict[str, Any] = {"fit_index": plan.fit_index, "change": change, "seed": seed, "name": name}
            result = rerun_script(plan.script, plan.argv, logdir=plan.root / where, **options)
            if result.path is None:
                if on_note is not None:
                    log = f"{plan.root / where}/{name}.log"
                    on_note(text("exp.fix.note.no_run", lang, where=where, name=name, problem=result.problem, log=log))
                continue
            member = _member(seed, result)
            (runs.baseline if where == BASELINE else runs.fixes.setdefault(where, [])).append(member)
            if on_member is not None:
                on_member(where, member)
    except KeyboardInterrupt:
        runs.interrupted = True
    return runs


def _member(seed: int, result: Any) -> Member:
    from kerasdiag.experiments.sweep.summary import run_metrics

    metrics, _ = run_metrics(result.path)
    findings = result.diagnosis.findings if result.diagnosis is not None else []
    fired = tuple(f.rule for f in findings if f.severity >= Severity.WARNING)
    return Member(seed, result.path, str(result.status), metrics, fired)
