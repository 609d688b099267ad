"""The labelled suite: case id -> record builder, the rules that must fire, the info findings tolerated.

Every other warning or error is a false positive. `near_miss` names the rules a case is built to
almost trigger. The cases live in one module per rule family (tests/rule_cases_*.py); the shared
`Case` and `healthy()` in tests/rule_case_base.py. Used by tests/test_rules_suite.py and
tests/rule_suite_table.py. The real trainings are in tests/rule_real_cases.py.
"""

from __future__ import annotations

from tests.helpers.rule_case_base import Case, healthy
from tests.helpers.rule_cases_curves import CURVES
from tests.helpers.rule_cases_data import CALIBRATION, COMPLETENESS, DATA
from tests.helpers.rule_cases_fit import UNDERFITTING
from tests.helpers.rule_cases_gradients import GRADIENTS
from tests.helpers.rule_cases_healthy import HEALTHY_CASES
from tests.helpers.rule_cases_real_runs import REAL_RUN_SHAPES
from tests.helpers.rule_cases_scenarios import SCENARIO_1, SCENARIO_2, SCENARIO_3, SCENARIO_4
from tests.helpers.rule_cases_units import ACTIVATIONS, MODEL

__all__ = ["CASES", "Case", "healthy"]

CASES: list[Case] = (
    HEALTHY_CASES
    + SCENARIO_1
    + SCENARIO_2
    + SCENARIO_3
    + SCENARIO_4
    + GRADIENTS
    + CURVES
    + MODEL
    + ACTIVATIONS
    + DATA
    + CALIBRATION
    + COMPLETENESS
    + UNDERFITTING
    + REAL_RUN_SHAPES
)
