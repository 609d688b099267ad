"""diagnose_path(): find the runs under a path, read each, and run the rules on it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.diagnosis.findings import Diagnosis, Source
from kerasdiag.diagnosis.rules.completeness import unreadable
from kerasdiag.errors import RunDirError
from kerasdiag.messages import say, text
from kerasdiag.rundir.files import printable
from kerasdiag.rundir.find import find_runs, load_record
from kerasdiag.rundir.record import RunRecord


@dataclass
class RunDiagnosis:
    name: str
    record: RunRecord | None
    diagnosis: Diagnosis
    stats: dict[str, Any] = field(default_factory=dict)


def diagnose_path(path: Path, lang: str = "en") -> list[RunDiagnosis]:
    """Diagnose every run at or below `path`; raise RunDirError only when nothing could be read.

    A run that cannot be read is listed with a `run-incomplete` error; a Keras log folder that holds several
    runs (a script run again into it) lists each, the earlier ones as "NAME (run i of n)" (in `lang`). Names are
    `printable`: a folder name that is not UTF-8 or holds control characters is shown escaped (`bad\\xffname`).
    """
    from kerasdiag.diagnosis.engine import diagnose_run

    results = []
    errors: list[RunDirError] = []
    runs = find_runs(path)
    for run_path in runs:
        # a folder that holds one log file is that run: named by the folder too, not by `training.log` alone
        whole = run_path == path or (len(runs) == 1 and run_path.parent == path and run_path.is_file())
        name = printable(str(run_path) if whole else str(run_path.relative_to(path)))
        try:
            record = load_record(run_path)
        except RunDirError as exc:
            errors.append(exc)
            # A damaged run is listed, never dropped: an error finding that --fail-on sees.
            results.append(
                RunDiagnosis(name, None, Diagnosis(run=name, findings=[unreadable(exc)]), {"epochs": 0, "best": "-"})
            )
            continue
        for index, earlier in enumerate(record.earlier_runs, start=1):
            label = text("runs.earlier", lang, name=name, index=index, count=len(record.earlier_runs) + 1)
            results.append(RunDiagnosis(label, earlier, _named(diagnose_run(earlier), label, earlier), _stats(earlier)))
        results.append(RunDiagnosis(name, record, _named(diagnose_run(record), name, record), _stats(record)))
    if len(errors) == len(results):
        if len(errors) == 1:
            raise errors[0]
        expected = say("runs.readable_under", path=printable(str(path)))
        raise RunDirError(expected, say("runs.none_readable", count=len(errors), error=errors[0]), path=path)
    return results


def _named(diagnosis: Diagnosis, name: str, record: RunRecord) -> Diagnosis:
    """The diagnosis labelled with the run's name and the source its record was read from."""
    diagnosis.run = name
    diagnosis.source = Source(record.source, record.read_tags, tuple(record.ignored_tags))
    return diagnosis


def _stats(record: RunRecord) -> dict[str, Any]:
    val_acc = record.series("val_accuracy")
    finite = val_acc[~(val_acc != val_acc)] if len(val_acc) else val_acc
    best = f"{max(finite):.4f}" if len(finite) and not math.isnan(max(finite)) else "-"
    return {"epochs": len(record.epochs), "best": best}
