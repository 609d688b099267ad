"""The labelled diagnosis corpus (bench/corpus): a fixed sample diagnosed again from its stored logs, no training.

bench/DIAGNOSIS.md counts, per rule, what `bench/diagnosis.py` found on every run (bench/corpus/outcomes.json).
These tests unpack the stored archives into a temporary folder and check, on every SAMPLE_EVERY-th run (sorted by
id, both splits), that today's rules give exactly the stored outcomes, that the labels follow from the stored
measurements, and that the report's tables are the ones the stored outcomes give.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path[:0] = [str(BENCH), str(BENCH / "corpus")]

import diagnosis  # noqa: E402
import labels  # noqa: E402
from store import unpacked  # noqa: E402

from kerasdiag.diagnosis.thresholds import Thresholds  # noqa: E402

SAMPLE_EVERY = 2


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    unpacked("runs", root)
    unpacked("measured", root)
    return root


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    cases = sorted(diagnosis.manifest(), key=lambda case: case["id"])
    return cases[::SAMPLE_EVERY]


def test_the_corpus_is_ten_times_the_old_one_and_split_by_configuration() -> None:
    cases = diagnosis.manifest()
    assert len(cases) >= 500
    splits = {}
    for case in cases:
        splits.setdefault((case["base"], case["fault"]), set()).add(case["split"])
    assert all(len(sides) == 1 for sides in splits.values()), "a configuration on both sides of the split"
    assert Counter(case["split"] for case in cases).keys() == {"tune", "held-out"}


def test_a_sample_diagnosed_again_gives_the_stored_outcomes(corpus: Path, sample: list[dict]) -> None:
    stored = json.loads(diagnosis.OUTCOMES.read_text(encoding="utf-8"))
    loaded = diagnosis.records(sample, corpus / "runs")
    results = {case["id"]: diagnosis.fired(loaded[case["id"]], Thresholds()) for case in sample}
    again = diagnosis.outcomes(sample, results)
    differ = {run: (stored[run], row) for run, row in again.items() if stored[run] != row}
    assert not differ, f"{len(differ)} of {len(sample)} runs diagnosed differently; rerun `make bench-diagnosis`"


def test_the_labels_follow_from_the_stored_measurements(corpus: Path, sample: list[dict]) -> None:
    for case in sample:
        doc = json.loads((corpus / "measured" / f"{case['id']}.json").read_text(encoding="utf-8"))
        assert labels.Run(doc).labels() == case["labels"], case["id"]


def test_the_report_shows_the_tables_of_the_stored_outcomes() -> None:
    stored = json.loads(diagnosis.OUTCOMES.read_text(encoding="utf-8"))
    cases = diagnosis.manifest()
    report = diagnosis.REPORT.read_text(encoding="utf-8")
    for split in diagnosis.SPLITS:
        table: dict[str, Counter] = {rule: Counter() for rule in diagnosis.RULE_IDS}
        for case in cases:
            if case["split"] == split:
                for rule, result in stored[case["id"]].items():
                    table[rule][result] += 1
        assert diagnosis.markdown_table(table) in report, split


def test_every_fixed_constant_the_rules_compare_with_is_in_both_tables_with_its_meaning() -> None:
    found = diagnosis.fixed_constants()
    names = {name for name, *_ in found}
    assert {"AT_CHANCE_TOLERANCE", "EARLY_CHANCE_BAND", "STEP_TOLERANCE", "NEAR_CHANCE", "NEAR_MARGIN"} <= names
    assert "ECE_BINS" in names
    assert all(meaning for *_, meaning in found), [name for name, *_, meaning in found if not meaning]
    table = diagnosis.constants_table()
    assert table in diagnosis.REPORT.read_text(encoding="utf-8")
    assert table in diagnosis.RULES_DOC.read_text(encoding="utf-8")
