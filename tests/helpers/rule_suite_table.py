"""Print the per-rule confusion table of the labelled suite as Markdown.

Usage (from the repository root):
  .venv/bin/python -m tests.helpers.rule_suite_table          # synthetic cases only (instant)
  .venv/bin/python -m tests.helpers.rule_suite_table --stored # and the stored real runs (diagnosed, a few seconds)
  .venv/bin/python -m tests.helpers.rule_suite_table --real   # all three: also trains the real cases (2-3 minutes)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from kerasdiag.diagnosis.engine import RULE_IDS, diagnose_run
from kerasdiag.diagnosis.findings import Diagnosis, Severity
from tests.diagnosis.rules.cases import CASES, Case

COLUMNS = ("positives", "near_misses", "TP", "FN", "FP")


def unexpected(case: Case, fired: dict[str, Severity]) -> list[str]:
    """Rules that fired but should not have: not expected, and not a tolerated info."""
    return [r for r, s in fired.items() if r not in case.expect and not (s == Severity.INFO and r in case.allow)]


def empty_table() -> dict[str, dict[str, int]]:
    return {rule: dict.fromkeys(COLUMNS, 0) for rule in RULE_IDS}


def confusion(cases: list[Case] = CASES) -> dict[str, dict[str, int]]:
    """Per rule: TP (expected and fired at the expected severity), FN, FP, near misses and positives."""
    table = empty_table()
    for case in cases:
        fired = {f.rule: f.severity for f in diagnose_run(case.build()).findings}
        for rule, severity in case.expect.items():
            table[rule]["positives"] += 1
            table[rule]["TP" if fired.get(rule) == severity else "FN"] += 1
        for rule in unexpected(case, fired):
            table[rule]["FP"] += 1
        for rule in case.near_miss:
            table[rule]["near_misses"] += 1
    return table


def real_confusion(diagnoses: Mapping[str, Diagnosis]) -> dict[str, dict[str, int]]:
    """The same table over real trainings (case id -> its diagnosis); FP counts warnings and errors only."""
    from tests.helpers.rule_real_cases import REAL_CASES, fired, unexpected_real

    table = empty_table()
    for case in REAL_CASES:
        if case.id not in diagnoses:
            continue
        found = fired(diagnoses[case.id])
        for rule, severity in case.expect.items():
            table[rule]["positives"] += 1
            hit = rule in found and found[rule].severity == severity
            table[rule]["TP" if hit else "FN"] += 1
        for rule in unexpected_real(case, found):
            table[rule]["FP"] += 1
    return table


def _rows(table: dict[str, dict[str, int]], columns: Iterable[str]) -> list[str]:
    columns = list(columns)
    rows = ["| rule | " + " | ".join(columns) + " |", "| --- |" + " ---: |" * len(columns)]
    rows += [f"| `{rule}` | " + " | ".join(str(c[k]) for k in columns) + " |" for rule, c in table.items()]
    return rows


def markdown_table(cases: list[Case] = CASES) -> str:
    rows = _rows(confusion(cases), COLUMNS)
    rows.append(f"\n{len(cases)} labelled cases; a case with no expected rule must get no warning or error.")
    return "\n".join(rows)


def combined_markdown(diagnoses: Mapping[str, Diagnosis] | None = None) -> str:
    """One row per rule: the synthetic suite, the stored labelled real runs and, given, the trained real cases.

    Args:
        diagnoses: Trained real case id -> its diagnosis (tests/diagnosis/rules/test_scenarios.py); None leaves
            those columns out.
    """
    from tests.helpers.real_runs_table import diagnose_all, manifest
    from tests.helpers.real_runs_table import table as stored_table

    groups = [("synthetic", confusion()), ("stored real runs", stored_table(diagnose_all()))]
    if diagnoses is not None:
        groups.append(("trained cases", real_confusion(diagnoses)))
    head = "| rule | " + " | ".join(f"{name} TP | FN | FP" for name, _ in groups) + " |"
    rows = [head, "| --- |" + " ---: |" * (3 * len(groups))]
    for rule in RULE_IDS:
        cells = [str(t[rule][k]) for _, t in groups for k in ("TP", "FN", "FP")]
        rows.append(f"| `{rule}` | " + " | ".join(cells) + " |")
    trained = f", {len(diagnoses)} trained real cases" if diagnoses is not None else ""
    rows.append(
        f"\n{len(CASES)} synthetic cases, {len(manifest())} stored real runs (tests/data/real_runs){trained}. "
        "Real FP counts warnings and errors outside a case's expected and allowed rules."
    )
    return "\n".join(rows)


def _train_real() -> dict[str, Diagnosis]:
    import os
    import tempfile

    os.environ.setdefault("KERAS_HOME", tempfile.mkdtemp(prefix="kerasdiag-keras-home-"))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from tests.conftest import MNIST_DIR
    from tests.helpers.rule_real_cases import REAL_CASES, train_case

    logdir = Path(tempfile.mkdtemp(prefix="kerasdiag-real-suite-"))
    diagnoses = {}
    for case in REAL_CASES:
        print(f"training {case.id} ...", file=sys.stderr, flush=True)
        diagnoses[case.id] = train_case(case, MNIST_DIR, logdir)
    return diagnoses


if __name__ == "__main__":
    if "--real" in sys.argv[1:]:
        print(combined_markdown(_train_real()))
    elif "--stored" in sys.argv[1:]:
        print(combined_markdown())
    else:
        print(markdown_table())
