"""The per-rule table over the stored labelled real runs (tests/data/real_runs): diagnose, never retrain.

Usage (from the repository root):
  .venv/bin/python -m tests.helpers.real_runs_table           # print the Markdown table
  .venv/bin/python -m tests.helpers.real_runs_table --write   # also refresh tests/data/real_runs/table.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kerasdiag.diagnosis.engine import RULE_IDS, diagnose_run
from kerasdiag.diagnosis.findings import Diagnosis, Severity
from kerasdiag.rundir.find import load_record

DATA = Path(__file__).resolve().parents[1] / "data" / "real_runs"
MANIFEST = DATA / "manifest.json"
TABLE = DATA / "table.json"
COLUMNS = ("positives", "TP", "FN", "FP")


def manifest() -> list[dict[str, Any]]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def healthy(case: dict[str, Any]) -> bool:
    """No problem at all: nothing expected and nothing its logs cannot show (`unseen`, not scored)."""
    return not case["expect"] and not case.get("unseen")


def diagnose_all() -> dict[str, Diagnosis]:
    return {case["id"]: diagnose_run(load_record(DATA / "runs" / case["id"])) for case in manifest()}


def outcomes(case: dict[str, Any], diagnosis: Diagnosis) -> dict[str, list[str]]:
    """Per case: expected rules hit (TP) or missed (FN), and warnings/errors neither expected nor allowed (FP)."""
    fired = {f.rule: f.severity for f in diagnosis.findings}
    tp = [r for r, s in case["expect"].items() if fired.get(r) == Severity.parse(s)]
    fn = [r for r in case["expect"] if r not in tp]
    fp = [r for r, s in fired.items() if s >= Severity.WARNING and r not in case["expect"] and r not in case["allow"]]
    return {"TP": tp, "FN": fn, "FP": fp}


def table(diagnoses: dict[str, Diagnosis]) -> dict[str, dict[str, int]]:
    counts = {rule: dict.fromkeys(COLUMNS, 0) for rule in RULE_IDS}
    for case in manifest():
        for rule in case["expect"]:
            counts[rule]["positives"] += 1
        for column, rules in outcomes(case, diagnoses[case["id"]]).items():
            for rule in rules:
                counts[rule][column] += 1
    return counts


def markdown(counts: dict[str, dict[str, int]]) -> str:
    cases = manifest()
    well = sum(1 for c in cases if healthy(c))
    plain = sum(1 for c in cases if c["source"] == "keras-logs")
    unseen = [f"`{c['id']}` ({', '.join(c['unseen'])})" for c in cases if c.get("unseen")]
    rows = ["| rule | " + " | ".join(COLUMNS) + " |", "| --- |" + " ---: |" * len(COLUMNS)]
    rows += [f"| `{rule}` | " + " | ".join(str(c[k]) for k in COLUMNS) + " |" for rule, c in counts.items()]
    rows.append(
        f"\n{len(cases)} labelled real runs ({well} healthy; {len(cases) - plain} kerasdiag runs, {plain} plain "
        "Keras TensorBoard logs)."
    )
    if unseen:
        rows.append(f"Not scored, because their logs cannot show it: {', '.join(unseen)}.")
    return "\n".join(rows)


if __name__ == "__main__":
    diagnoses = diagnose_all()
    found = table(diagnoses)
    print(markdown(found))
    for case in manifest():
        result = outcomes(case, diagnoses[case["id"]]) if "--cases" in sys.argv else None
        if result and (result["FN"] or result["FP"]):
            print(case["id"], result)
    if "--write" in sys.argv:
        TABLE.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
