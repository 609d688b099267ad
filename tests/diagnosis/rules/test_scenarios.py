"""Real trainings of the four learner scenarios, other problems and healthy runs, each diagnosed.

Each case trains in seconds (small train sizes, few epochs; see tests/helpers/rule_real_cases.py). A case passes
when every expected rule fires at its severity, its key evidence holds, and no other warning or error
appears; healthy runs get no warning or error. The last test prints the per-rule TP/FN/FP table over the
synthetic and the real cases (`pytest -s`), and writes it to $KERASDIAG_SUITE_TABLE when that is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kerasdiag.diagnosis.engine import RULE_IDS
from kerasdiag.diagnosis.findings import Diagnosis
from tests.helpers.rule_fix_flags import bad_fix_flags
from tests.helpers.rule_real_cases import REAL_CASES, RealCase, fired, train_case, unexpected_real
from tests.helpers.rule_suite_table import combined_markdown

pytestmark = pytest.mark.training

DIAGNOSES: dict[str, Diagnosis] = {}


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scenario-runs")


@pytest.mark.parametrize("case", REAL_CASES, ids=[c.id for c in REAL_CASES])
def test_real_run_is_diagnosed(case: RealCase, mnist_dir: Path, logdir: Path) -> None:
    diagnosis = train_case(case, mnist_dir, logdir)
    DIAGNOSES[case.id] = diagnosis
    found = fired(diagnosis)
    summaries = "\n".join(f"{f.severity.label} {f.rule}: {f.summary.en}" for f in diagnosis.findings)
    for rule, severity in case.expect.items():
        assert rule in found and found[rule].severity == severity, (
            f"{rule} expected at {severity.label}; got:\n{summaries}"
        )
    assert unexpected_real(case, found) == [], f"unexpected warnings or errors:\n{summaries}"
    if case.check is not None:
        case.check(found)
    assert [b for f in diagnosis.findings for b in bad_fix_flags(f)] == []


def test_print_per_rule_table() -> None:
    """Prints (with -s) and checks the combined table: a row per rule, no real miss and no real false alarm."""
    if not DIAGNOSES:
        pytest.skip("no real run was diagnosed in this session")
    from tests.helpers.rule_suite_table import real_confusion

    table = combined_markdown(DIAGNOSES)
    real = real_confusion(DIAGNOSES)
    assert set(real) == set(RULE_IDS) and all(f"`{rule}`" in table for rule in RULE_IDS)
    assert all(counts["FN"] == 0 and counts["FP"] == 0 for counts in real.values()), real
    print("\n" + table)
    target = os.environ.get("KERASDIAG_SUITE_TABLE")
    if target:
        Path(target).write_text(table + "\n", encoding="utf-8")
