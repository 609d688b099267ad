"""run-incomplete: the run stopped early, or its logs are partial or damaged."""

from __future__ import annotations

from kerasdiag.diagnosis.findings import Finding, Localized, Severity
from kerasdiag.diagnosis.rules.base import about, config_value, finding, fix
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.messages.said import Joined
from kerasdiag.rundir.record import RunRecord

ABOUT = about("run-incomplete")
# status -> the severity of a run that ended in it
STATUS_SEVERITY: dict[str, Severity] = {
    "failed": Severity.ERROR,
    "interrupted": Severity.WARNING,
    "running": Severity.WARNING,
    "diverged": Severity.INFO,
}


def incompleteness(record: RunRecord) -> list[tuple[Severity, Localized]]:
    """Every reason the run is incomplete, each with its severity."""
    reasons: list[tuple[Severity, Localized]] = []
    if record.status in STATUS_SEVERITY:
        meaning: Localized = say(f"run-incomplete.status.{record.status}")
        if record.error:
            meaning = say("run-incomplete.with_error", meaning=meaning, error=record.error)
        reasons.append((STATUS_SEVERITY[record.status], meaning))
    if record.problems:
        files = Joined(tuple(record.problems), separator="list.semicolon")  # each problem in the language
        reasons.append((Severity.WARNING, say("run-incomplete.damaged", files=files)))
    done, planned = len(record.epochs), config_value(record, "epochs")
    if done == 0:
        reasons.append((Severity.ERROR, say("run-incomplete.no_epochs")))
    elif planned and done < int(planned) and record.status == "completed" and not config_value(record, "stopped_early"):
        reasons.append((Severity.INFO, say("run-incomplete.fewer_epochs", done=done, planned=planned)))
    if record.earlier_runs:  # a plain Keras log folder into which a script ran again
        several = "run-incomplete.several_runs.file" if record.source == "csv-logger" else "run-incomplete.several_runs"
        reasons.append((Severity.INFO, say(several, count=len(record.earlier_runs) + 1)))
    return reasons


def check_run_incomplete(record: RunRecord, th: Thresholds) -> list[Finding]:
    """The run stopped early or its files are damaged. Needs nothing from the anatomy: it reads the run's status."""
    reasons = incompleteness(record)
    if not reasons:
        return []
    severity = max(s for s, _ in reasons)
    planned = config_value(record, "epochs")
    evidence = {
        "status": record.status,
        "error": record.error,
        "problems": list(record.problems),
        "epochs_done": len(record.epochs),
        "epochs_planned": planned,
        "reasons": [r.get("en") for _, r in reasons],
        "runs_in_folder": len(record.earlier_runs) + 1,
    }
    listed = Joined(tuple(r for _, r in reasons), separator="run-incomplete.reason_separator")
    summary = say("run-incomplete.summary", reasons=listed)
    # a run that failed with an error (the script's code, the model) needs that error mended, not just a rerun
    rerun = fix(f"--epochs {planned}", say(f"run-incomplete.fix.{'failed' if record.error else 'rerun'}"))
    # logs another tool wrote say nothing of the epochs asked for: no made-up count (their damage is the file's)
    fixes = [rerun] if severity >= Severity.WARNING and planned else []
    return [finding("run-incomplete", severity, summary, evidence, fixes, ABOUT)]


def unreadable(error: Exception) -> Finding:
    """The run-incomplete error for a run that could not be read at all (it is listed, never dropped)."""
    evidence = {"status": None, "error": str(error), "problems": [str(error)], "epochs_done": 0, "reasons": []}
    summary = say("run-incomplete.unreadable", error=error)  # a KerasdiagError renders in the language
    rerun = fix("--epochs 20", say("run-incomplete.fix.rerun_unreadable"))
    return finding("run-incomplete", Severity.ERROR, summary, evidence, [rerun], ABOUT)
