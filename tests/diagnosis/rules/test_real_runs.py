"""The per-rule table over labelled real runs stored as test data (no training: the logs are diagnosed).

tests/data/real_runs/make_runs.py trained them (kerasdiag runs and plain Keras TensorBoard logs on Iris, digits
and MNIST-10k) and wrote manifest.json, the hand-written labels. The table must match table.json (docs/RULES.md
now shows the labelled corpus's held-out table, bench/DIAGNOSIS.md); a rule change that gains or loses a hit shows
up here.
"""

from __future__ import annotations

import pytest

from tests.helpers.real_runs_table import DATA, TABLE, diagnose_all, healthy, manifest, markdown, outcomes, table

ROOT = DATA.parents[2]


@pytest.fixture(scope="module")
def diagnoses():
    return diagnose_all()


def test_the_suite_is_large_enough_balanced_and_small_on_disk() -> None:
    cases = manifest()
    assert len(cases) >= 40
    assert sum(1 for c in cases if healthy(c)) * 3 >= len(cases)
    assert {c["source"] for c in cases} == {"kerasdiag", "keras-logs"}
    size = sum(f.stat().st_size for f in (DATA / "runs").rglob("*") if f.is_file())
    assert size < 5_000_000, size


def test_healthy_runs_stay_silent(diagnoses) -> None:
    noisy = {c["id"]: outcomes(c, diagnoses[c["id"]])["FP"] for c in manifest() if healthy(c)}
    assert {k: v for k, v in noisy.items() if v} == {}


# Since issue 19 the thresholds are chosen on the labelled corpus's calibration side, which counts these 54 runs
# too (bench/diagnosis.py --tune); every one of them is still diagnosed as labelled.
def test_no_false_alarm_and_no_miss_on_any_labelled_run(diagnoses) -> None:
    wrong = {c["id"]: outcomes(c, diagnoses[c["id"]]) for c in manifest()}
    assert {k: v for k, v in wrong.items() if v["FN"] or v["FP"]} == {}


def test_per_rule_table_matches_the_stored_and_documented_one(diagnoses) -> None:
    import json

    found = table(diagnoses)
    assert found == json.loads(TABLE.read_text(encoding="utf-8"))
    assert markdown(found).startswith("| rule |")


def test_each_class_of_the_issue_has_cases_from_both_sources() -> None:
    sources: dict[str, set[str]] = {}
    for case in manifest():
        for rule in case["expect"]:
            sources.setdefault(rule, set()).add(case["source"])
    both = ("divergence", "oscillation", "validation-mismatch", "unnormalized-input", "over-regularization")
    both += ("dead-relu", "vanishing-gradients")
    assert {rule: sources.get(rule) for rule in both if sources.get(rule) != {"kerasdiag", "keras-logs"}} == {}
    # What only plain logs need (kerasdiag runs have probes and class counts): the model config and pinned curves.
    assert {"saturation", "class-imbalance"} <= {r for r, s in sources.items() if "keras-logs" in s}


def test_the_combined_table_has_the_stored_runs_beside_the_synthetic_suite(diagnoses) -> None:
    from tests.helpers.rule_suite_table import combined_markdown

    found = table(diagnoses)
    lines = {line.split(" | ")[0]: line for line in combined_markdown().splitlines() if line.startswith("| `")}
    for rule, counts in found.items():
        cells = lines[f"| `{rule}`"].strip(" |").split(" | ")
        assert cells[4:7] == [str(counts[k]) for k in ("TP", "FN", "FP")], (rule, cells)
