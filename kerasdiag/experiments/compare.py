"""Compare runs side by side: the flags that differ, final and best metrics, findings, and figures."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerasdiag.measures.calibration import reliability
from kerasdiag.measures.metrics import final_and_best
from kerasdiag.measures.threshold import Threshold, threshold_for_run
from kerasdiag.rundir.find import load_record
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import DIAGNOSIS

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
    return RunSummary(path.name, path, record, metrics, run_findings(path, record), ece, threshold_for_run(path))


def run_findings(path: Path, record: RunRecord) -> dict[str, str]:
    """Rule id -> severity, from `diagnosis.json`, else by diagnosing the record now."""
    file = path / DIAGNOSIS
    if file.is_file():
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
            return {f["rule"]: f["severity"] for f in payload.get("findings", [])}
        except (OSError, ValueError, KeyError, TypeError):
            pass
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


def write_figures(runs: list[RunSummary], out: Path) -> list[Path]:
    """`loss.png` overlay for all runs; `probabilities.png` and `reliability.png` where runs have predictions."""
    from kerasdiag.render import figures as plots

    out.mkdir(parents=True, exist_ok=True)
    written = [plots.curves_figure([(r.name, r.record) for r in runs], "loss", out / "loss.png")]
    with_predictions = [r for r in runs if r.record.predictions is not None]
    predicted = [(r.name, r.record.predictions) for r in with_predictions if r.record.predictions is not None]
    if predicted:
        thresholds = [r.threshold.value if r.threshold else None for r in with_predictions]
        written.append(plots.probabilities_figure(predicted, out / "probabilities.png", thresholds))
        written.append(plots.reliability_figure(predicted, out / "reliability.png"))
    return written


def compare_json(runs: list[RunSummary]) -> dict[str, Any]:
    """Everything `compare` prints, as plain data."""
    return {
        "runs": [str(r.path) for r in runs],
        "config_diff": config_diff(runs),
        "metrics": metric_rows(runs),
        "findings": {r.name: r.findings for r in runs},
        "findings_diff": findings_diff(runs),
        "thresholds": [vars(r.threshold) if r.threshold else None for r in runs],
    }


def print_compare(console: Any, runs: list[RunSummary]) -> None:
    """The side-by-side tables: flags that differ, metrics, findings that differ, thresholds."""
    from rich.markup import escape
    from rich.table import Table

    names = [escape(r.name) for r in runs]

    def table(title: str, rows: dict[str, list[Any]], fmt: Any) -> None:
        grid = Table(title=title, title_justify="left")
        grid.add_column("")
        for name in names:
            grid.add_column(name, justify="right")
        for key, values in rows.items():
            grid.add_row(escape(key), *(escape(fmt(key, v)) for v in values))
        console.print(grid)

    diff = config_diff(runs)
    if diff:
        table("Flags that differ", diff, lambda _, v: "-" if v is None else json.dumps(v))
    else:
        console.print("The runs have the same flags (apart from their seeds and names, if those differ).")
    table("Metrics", metric_rows(runs), _number)
    different = findings_diff(runs)
    if different:
        table("Findings that differ", different, lambda _, v: v or "-")
    shared = sorted(set.intersection(*(set(r.findings) for r in runs))) if runs else []
    console.print("Findings in every run: " + (", ".join(shared) if shared else "none"))
    for r in runs:
        if r.threshold is not None:
            console.print(_threshold_line(r.name, r.threshold))


def _threshold_line(name: str, t: Threshold) -> str:
    from rich.markup import escape

    return (
        f"[bold]{escape(name)}[/bold]: suggested threshold P(class 1) >= {t.value:.3f} ({t.criterion}; "
        f"balanced accuracy there {t.val_balanced_accuracy:.4f}); on {t.split} data it gives accuracy "
        f"{t.accuracy:.4f}, balanced accuracy {t.balanced_accuracy:.4f} (at 0.5: accuracy {t.accuracy_at_half:.4f})"
    )


def _number(key: str, value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.0f}" if "epoch" in key else f"{value:.4f}"
