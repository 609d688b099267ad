"""diagnose_path(): find the runs under a path, read each, and run the rules on it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.diagnosis.findings import Diagnosis, Source
from kerasdiag.errors import RunDirError
from kerasdiag.rundir.find import find_runs, load_record
from kerasdiag.rundir.record import RunRecord


@dataclass
class RunDiagnosis:
    name: str
    record: RunRecord | None
    diagnosis: Diagnosis
    stats: dict[str, Any] = field(default_factory=dict)


def diagnose_path(path: Path) -> list[RunDiagnosis]:
    """Diagnose every run at or below `path`; raise RunDirError only when nothing could be read."""
    from kerasdiag.diagnosis.engine import diagnose_run

    results = []
    errors: list[RunDirError] = []
    for run_path in find_runs(path):
        name = str(run_path) if run_path == path else str(run_path.relative_to(path))
        try:
            record = load_record(run_path)
        except RunDirError as exc:
            errors.append(exc)
            continue
        diagnosis = diagnose_run(record)
        diagnosis.run = name
        diagnosis.source = Source(record.source, record.read_tags, tuple(record.ignored_tags))
        results.append(RunDiagnosis(name, record, diagnosis, _stats(record)))
    if not results:
        if len(errors) == 1:
            raise errors[0]
        raise RunDirError(f"a readable run under {path}", f"{len(errors)} runs, none readable: {errors[0]}", path=path)
    return results


def _stats(record: RunRecord) -> dict[str, Any]:
    val_acc = record.series("val_accuracy")
    finite = val_acc[~(val_acc != val_acc)] if len(val_acc) else val_acc
    best = f"{max(finite):.4f}" if len(finite) and not math.isnan(max(finite)) else "-"
    return {"epochs": len(record.epochs), "best": best}
