"""Compare runs side by side: the flags that differ, final and best metrics, findings, thresholds, calibration.

For two classes, compare shows and thresholds the first output's probability, named by its class label
(`--classes 3,8`: P(3)); the threshold is chosen on validation predictions and scored on the test predictions, or
without a test split on the half of the validation samples it was not chosen on (`measures.threshold`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerasdiag.measures.calibration import Reliability, reliability
from kerasdiag.measures.metrics import final_and_best
from kerasdiag.measures.threshold import THRESHOLD_CRITERION, Threshold, threshold_for_run
from kerasdiag.messages import catalog, render, text
from kerasdiag.rundir.find import load_record
from kerasdiag.rundir.reader import read_saved_findings
from kerasdiag.rundir.record import RunRecord

# Config keys that name where a run lives rather than what it trains.
IGNORED_KEYS = ("logdir", "name")


@dataclass
class RunSummary:
    """One run's numbers for the side-by-side table."""

    name: str
    path: Path
    record: RunRecord
    metrics: dict[str, float]
    findings: dict[str, str]  # rule id -> severity label
    ece: float | None
    threshold: Threshold | None
    labels: tuple[str, ...] = ()  # the class of each softmax output, in output order (`--classes 3,8`: 3, 8)
    calibration: Reliability | None = None  # reliability bins of the held-out predictions, with sample counts


# The output column whose probability compare plots and thresholds for two classes: the first, P(first class),
# as a learner who plots "P1" means it.
FIRST_OUTPUT = 0


def summarise_run(path: Path) -> RunSummary:
    """Read one run and measure what `compare` shows about it."""
    record = load_record(path)
    metrics = final_and_best(record)
    pred = record.predictions
    calibration = reliability(pred.y_true, pred.probs) if pred is not None else None
    ece = calibration.ece if calibration is not None else None
    ece = ece if ece is not None and math.isfinite(ece) else None  # NaN: no row of probabilities (a NaN run)
    labels = class_labels(record, pred.probs.shape[1]) if pred is not None and pred.probs.ndim == 2 else ()
    threshold = threshold_for_run(record, positive=FIRST_OUTPUT)
    findings = run_findings(path, record)
    return RunSummary(path.name, path, record, metrics, findings, ece, threshold, labels, calibration)


def class_labels(record: RunRecord, k: int) -> tuple[str, ...]:
    """The label of each of `k` outputs: the run's `--classes` in their order (output 0 is the first), else 0..k-1.

    Example: a run trained with `--classes 3,8` gives `("3", "8")`: its first softmax output is P(3).
    """
    classes = (record.config or {}).get("classes")
    if isinstance(classes, list) and len(classes) == k:
        return tuple(str(c) for c in classes)
    return tuple(str(c) for c in range(k))


def label_of(run: RunSummary, column: int) -> str:
    """The class label of output `column` of a run (its index where the labels are unknown)."""
    return run.labels[column] if column < len(run.labels) else str(column)


def calibration_json(calibration: Reliability | None) -> list[dict[str, Any]] | None:
    """Every reliability bin: its confidence range, sample count, mean confidence and accuracy (None when empty)."""
    if calibration is None:
        return None
    bins = len(calibration.counts)
    return [
        {
            "low": round(i / bins, 6),
            "high": round((i + 1) / bins, 6),
            "count": int(calibration.counts[i]),
            "confidence": _rounded(calibration.confidence[i]),
            "accuracy": _rounded(calibration.accuracy[i]),
        }
        for i in range(bins)
    ]


def _rounded(value: float) -> float | None:
    return round(float(value), 6) if math.isfinite(value) else None


def run_findings(path: Path, record: RunRecord) -> dict[str, str]:
    """Rule id -> severity, from `diagnosis.json`, else by diagnosing the record now.

    A damaged `diagnosis.json` joins `record.problems` first, so the fresh diagnosis names it (run-incomplete).
    """
    saved = read_saved_findings(path, record.problems)
    if saved is not None:
        return dict(saved)
    from kerasdiag.diagnosis.engine import diagnose_run

    return {f.rule: f.severity.label for f in diagnose_run(record).findings}


def config_diff(runs: list[RunSummary]) -> dict[str, list[Any]]:
    """Config keys whose values are not the same in every run, each with one value per run."""
    configs = [r.record.config or {} for r in runs]
    keys = sorted({k for c in configs for k in c} - set(IGNORED_KEYS))
    diff = {}
    for key in keys:
        values = [c.get(key) for c in configs]
        if any(json.dumps(v) != json.dumps(values[0]) for v in values[1:]):
            diff[key] = values
    return diff


def metric_rows(runs: list[RunSummary]) -> dict[str, list[float | None]]:
    """Metric name -> one value per run (None where a run lacks it), in a stable order."""
    names = list(dict.fromkeys(k for r in runs for k in r.metrics))
    rows: dict[str, list[float | None]] = {name: [r.metrics.get(name) for r in runs] for name in names}
    rows["ECE (held-out)"] = [r.ece for r in runs]
    return rows


def findings_diff(runs: list[RunSummary]) -> dict[str, list[str | None]]:
    """Rule id -> severity per run (None where absent) for rules that not every run shares."""
    rules = list(dict.fromkeys(rule for r in runs for rule in r.findings))
    table = {rule: [r.findings.get(rule) for r in runs] for rule in rules}
    return {rule: values for rule, values in table.items() if len(set(values)) > 1}


def compare_json(runs: list[RunSummary], lang: str = "en") -> dict[str, Any]:
    """Everything `compare` prints, as plain data; keys stay English, the threshold's criterion is in `lang`."""
    return {
        "runs": [str(r.path) for r in runs],
        "config_diff": config_diff(runs),
        "metrics": metric_rows(runs),
        "findings": {r.name: r.findings for r in runs},
        "findings_diff": findings_diff(runs),
        "thresholds": [_threshold_json(r, lang) if r.threshold else None for r in runs],
        "class_labels": {r.name: list(r.labels) for r in runs},
        "reliability": {r.name: calibration_json(r.calibration) for r in runs},
    }


def _threshold_json(run: RunSummary, lang: str) -> dict[str, Any]:
    assert run.threshold is not None
    t = run.threshold
    return {
        **vars(t),
        "criterion": criterion(t, lang),
        "label": label_of(run, t.positive),
        "other": label_of(run, 1 - t.positive),
    }


def criterion(threshold: Threshold, lang: str = "en") -> str:
    """How the suggested threshold was chosen, in `lang` (a criterion kerasdiag does not know stays as it is)."""
    return text("exp.threshold.criterion", lang) if threshold.criterion == THRESHOLD_CRITERION else threshold.criterion


def split_name(split: str, lang: str = "en") -> str:
    """The held-out split a number was measured on (`val`, `validation`, `test`), as a person reads it in `lang`."""
    return render(f"exp.split.{split}", lang) if f"exp.split.{split}" in catalog("en") else split
