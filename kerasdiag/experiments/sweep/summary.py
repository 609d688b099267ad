"""Summarise a sweep: one row per setting (mean and spread over repeats), a table and a conclusion."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import rule_name
from kerasdiag.errors import RunDirError
from kerasdiag.experiments.compare import run_findings
from kerasdiag.experiments.sweep.run import FINISHED, Sweep
from kerasdiag.measures.noise import epoch_noise
from kerasdiag.messages import catalog, render, text
from kerasdiag.rundir.reader import read_run
from kerasdiag.rundir.record import RunRecord

# Column key -> higher is better. Headings and axis labels are messages: `heading(key, lang)`, `axis_label(key, lang)`.
HIGHER_IS_BETTER: dict[str, bool] = {
    "val_accuracy": True,
    "best_val_accuracy": True,
    "val_loss": False,
    "best_val_loss": False,
    "gap": False,
    "epochs_to_best": False,
}
METRICS = tuple(HIGHER_IS_BETTER)
# Also measured per run, not shown as columns: epochs trained, the epoch of the best val_acc, and each validation
# curve's epoch-to-epoch noise (`measures.noise.epoch_noise`), which the conclusion uses with one seed.
EXTRA = ("epochs", "epochs_to_best_accuracy", "noise:val_accuracy", "noise:val_loss")


def heading(key: str, lang: str = "en") -> str:
    """A metric's short heading for tables and sentences (`final val_acc`)."""
    return render(f"exp.metric.{key}", lang)


def axis_label(key: str, lang: str = "en") -> str:
    """A metric's axis label on the sweep plot (`validation accuracy (last epoch)`)."""
    return render(f"exp.axis.{key}", lang)


# Column key -> axis label in English, for callers that show no other language; `axis_label(key, lang)` otherwise.
AXIS_LABELS = {key: axis_label(key) for key in METRICS}


def finding_shown(rule: str, lang: str = "en") -> str:
    """A main finding as a person reads it: a rule's name and `healthy` in `lang`; `-` and unknowns as they are."""
    if rule == "healthy":
        return text("exp.healthy", lang)
    return rule_name(rule, lang) if f"rule.{rule}" in catalog("en") else rule


@dataclass
class SettingRow:
    """One setting of a sweep, its metrics over the repeats that finished."""

    name: str
    values: dict[str, str]
    runs: int = 0
    samples: dict[str, list[float]] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)

    def mean(self, key: str) -> float:
        finite = [v for v in self.samples.get(key, []) if math.isfinite(v)]
        return float(np.mean(finite)) if finite else math.nan

    def std(self, key: str) -> float:
        finite = [v for v in self.samples.get(key, []) if math.isfinite(v)]
        return float(np.std(finite)) if len(finite) > 1 else 0.0

    @property
    def main_finding(self) -> str:
        """The most common worst finding over the repeats (`healthy` when none has one)."""
        if not self.findings:
            return "-"
        rule, _ = Counter(self.findings).most_common(1)[0]
        return rule

    def main_finding_in(self, lang: str) -> str:
        """`main_finding` as a person reads it in `lang` (a rule's name, not its id, in Japanese)."""
        return finding_shown(self.main_finding, lang)


def run_metrics(path: Path) -> tuple[dict[str, float], str]:
    """The sweep metrics of one run directory and its main finding (worst finding's rule id)."""
    record = read_run(path)
    val_acc, val_loss, acc = record.series("val_accuracy"), record.series("val_loss"), record.series("accuracy")
    metrics = {key: math.nan for key in (*METRICS, *EXTRA)}
    metrics["epochs"] = float(len(record.epochs))
    if len(val_loss) and np.isfinite(val_loss).any():
        best = int(np.nanargmin(val_loss))
        metrics.update(val_loss=val_loss[-1], best_val_loss=val_loss[best], epochs_to_best=float(best + 1))
        metrics["noise:val_loss"] = epoch_noise(val_loss)
    if len(val_acc) and np.isfinite(val_acc).any():
        metrics.update(val_accuracy=val_acc[-1], best_val_accuracy=float(np.nanmax(val_acc)))
        metrics["epochs_to_best_accuracy"] = float(int(np.nanargmax(val_acc)) + 1)
        metrics["noise:val_accuracy"] = epoch_noise(val_acc)
        metrics["gap"] = float(acc[-1] - val_acc[-1]) if len(acc) else math.nan
    return {k: float(v) for k, v in metrics.items()}, _main_finding(path, record)


def _main_finding(path: Path, record: RunRecord) -> str:
    """The worst finding's rule id (`healthy` without findings).

    From `diagnosis.json`; where that is missing or damaged, from diagnosing the record now (which names the damage).
    """
    findings = run_findings(path, record)
    order = {"error": 3, "warning": 2, "info": 1}
    if not findings:
        return "healthy"
    return max(findings.items(), key=lambda item: order.get(item[1], 0))[0]


def summarise(sweep: Sweep) -> list[SettingRow]:
    """One row per setting that has at least one finished run, in the sweep's setting order."""
    rows: dict[str, SettingRow] = {}
    for run in sweep.runs:
        if run.status not in FINISHED:
            continue
        row = rows.setdefault(run.setting, SettingRow(run.setting, dict(run.values)))
        try:
            metrics, finding = run_metrics(sweep.path / run.path)
        except RunDirError:
            continue
        row.runs += 1
        for key, value in metrics.items():
            row.samples.setdefault(key, []).append(value)
        row.findings.append(finding)
    return [rows[name] for name in sweep.settings if name in rows]


def best_row(rows: list[SettingRow], metric: str, worst: bool = False) -> SettingRow | None:
    """The setting with the best mean of `metric` (or the worst one)."""
    higher = HIGHER_IS_BETTER[metric] != worst
    scored = [r for r in rows if math.isfinite(r.mean(metric))]
    if not scored:
        return None
    return (max if higher else min)(scored, key=lambda r: r.mean(metric))


def mean_pm(row: SettingRow, key: str, digits: int = 3) -> str:
    """`mean±std` of a metric over the setting's repeats (just the mean for one run); `-` when unknown."""
    mean = row.mean(key)
    if not math.isfinite(mean):
        return "-"
    digits = 1 if key == "epochs_to_best" else digits
    return f"{mean:.{digits}f}±{row.std(key):.{digits}f}" if row.runs > 1 else f"{mean:.{digits}f}"


def rows_json(rows: list[SettingRow]) -> list[dict[str, Any]]:
    """Plain data for `--format json`."""
    return [
        {
            "setting": r.name,
            "values": r.values,
            "runs": r.runs,
            **{k: {"mean": _finite(r.mean(k)), "std": _finite(r.std(k))} for k in METRICS},
            "epochs": _finite(r.mean("epochs")),
            "main_finding": r.main_finding,
        }
        for r in rows
    ]


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
