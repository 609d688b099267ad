"""Compare runs side by side: the flags that differ, final and best metrics, findings, and figures."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerasdiag.measures.calibration import reliability
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


def summarise_run(path: Path) -> RunSummary:
    """Read one run and measure what `compare` shows about it."""
    record = load_record(path)
    metrics = final_and_best(record)
    pred = record.predictions
    ece = reliability(pred.y_true, pred.probs).ece if pred is not None else None
    ece = ece if ece is not None and math.isfinite(ece) else None  # NaN: no row of probabilities (a NaN run)
    return RunSummary(path.name, path, record, metrics, run_findings(path, record), ece, threshold_for_run(record))


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
        "thresholds": [
            {**vars(r.threshold), "criterion": criterion(r.threshold, lang)} if r.threshold else None for r in runs
        ],
    }


def criterion(threshold: Threshold, lang: str = "en") -> str:
    """How the suggested threshold was chosen, in `lang` (a criterion kerasdiag does not know stays as it is)."""
    return text("exp.threshold.criterion", lang) if threshold.criterion == THRESHOLD_CRITERION else threshold.criterion


def split_name(split: str, lang: str = "en") -> str:
    """The held-out split a number was measured on (`val`, `validation`, `test`), as a person reads it in `lang`."""
    return render(f"exp.split.{split}", lang) if f"exp.split.{split}" in catalog("en") else split
