"""Every fix in every finding of the synthetic suite is a `kerasdiag train` option that parses."""

from __future__ import annotations

from kerasdiag.diagnosis.engine import diagnose_run
from tests.diagnosis.rules.cases import CASES
from tests.helpers.rule_fix_flags import bad_fix_flags, train_option_names


def test_train_options_are_read_from_the_click_command() -> None:
    names = train_option_names()
    assert {"--lr", "--epochs", "--no-shuffle", "--shuffle", "--no-activation", "--normalize"} <= names


def test_every_fix_flag_of_the_synthetic_suite_is_a_train_option() -> None:
    bad = []
    fixes = 0
    for case in CASES:
        for finding in diagnose_run(case.build()).findings:
            fixes += len(finding.fixes)
            bad += [f"{case.id}: {b}" for b in bad_fix_flags(finding)]
    assert fixes > 50 and bad == []
