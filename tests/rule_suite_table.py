"""Print the per-rule confusion table of the labelled suite as Markdown.

Usage: `.venv/bin/python tests/rule_suite_table.py` (from the repository root).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from rule_cases import CASES, Case  # noqa: E402

from kerasdiag.diagnosis import RULE_IDS, diagnose_run  # noqa: E402
from kerasdiag.findings import Severity  # noqa: E402


def unexpected(case: Case, fired: dict[str, Severity]) -> list[str]:
    """Rules that fired but should not have: not expected, and not a tolerated info."""
    return [
        r for r, s in fired.items() if r not in case.expect and not (s == Severity.INFO and r in case.allow)
    ]


def confusion(cases: list[Case] = CASES) -> dict[str, dict[str, int]]:
    """Per rule: TP (expected and fired at the expected severity), FN, FP, near misses and positives."""
    table = {rule: {"TP": 0, "FN": 0, "FP": 0, "positives": 0, "near_misses": 0} for rule in RULE_IDS}
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


def markdown_table(cases: list[Case] = CASES) -> str:
    rows = ["| rule | positives | near misses | TP | FN | FP |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for rule, c in confusion(cases).items():
        rows.append(
            f"| `{rule}` | {c['positives']} | {c['near_misses']} | {c['TP']} | {c['FN']} | {c['FP']} |"
        )
    rows.append(f"\n{len(cases)} labelled cases; a case with no expected rule must get no warning or error.")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
