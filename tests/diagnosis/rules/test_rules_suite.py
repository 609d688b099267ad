"""The labelled suite: every expected rule fires at its severity, and nothing else warns."""

from __future__ import annotations

import json

import pytest

from kerasdiag.diagnosis.engine import RULE_IDS, diagnose_run
from kerasdiag.diagnosis.findings import Severity
from tests.diagnosis.rules.cases import CASES, Case
from tests.helpers.rule_suite_table import confusion, markdown_table, unexpected


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    diagnosis = diagnose_run(case.build())
    fired = {f.rule: f.severity for f in diagnosis.findings}
    summaries = "\n".join(f"{f.severity.label} {f.rule}: {f.summary.en}" for f in diagnosis.findings)
    for rule, severity in case.expect.items():
        assert fired.get(rule) == severity, f"{rule} expected at {severity.label}; got:\n{summaries}"
    assert unexpected(case, fired) == [], f"unexpected findings:\n{summaries}"


def test_case_ids_are_unique_and_rules_known() -> None:
    assert len({c.id for c in CASES}) == len(CASES)
    for case in CASES:
        assert set(case.expect) <= set(RULE_IDS) and set(case.near_miss) <= set(RULE_IDS), case.id


def test_every_rule_has_two_positive_and_two_near_miss_cases() -> None:
    counts = confusion()
    thin = {r: c for r, c in counts.items() if c["positives"] < 2 or c["near_misses"] < 2}
    assert thin == {}


def test_confusion_table_is_clean() -> None:
    print("\n" + markdown_table())
    counts = confusion()
    assert {r: (c["FN"], c["FP"]) for r, c in counts.items() if c["FN"] or c["FP"]} == {}


def test_findings_are_bilingual_and_json_serialisable() -> None:
    seen = set()
    for case in CASES:
        for f in diagnose_run(case.build()).findings:
            seen.add(f.rule)
            for part in (f.title, f.summary, f.explanation, *(x.why for x in f.fixes)):
                assert part.en.strip() and part.ja.strip(), (case.id, f.rule)
                assert any(ord(ch) > 0x3000 for ch in part.ja), (case.id, f.rule, part.ja)
            json.dumps(f.to_dict("ja"), allow_nan=False)
            # A symptom whose every fix contradicts its cause's keeps none (story.py): the cause names the fix.
            assert f.fixes or f.severity == Severity.INFO or f.caused_by, (case.id, f.rule)
    assert seen == set(RULE_IDS)


def test_healthy_cases_get_no_warning() -> None:
    for case in CASES:
        if case.id.startswith("healthy-"):
            worst = diagnose_run(case.build()).worst
            assert worst is None or worst == Severity.INFO, case.id
