"""The labelled suite: case id -> record builder, the rules that must fire, the info findings tolerated.

Every other warning or error is a false positive. `near_miss` names the rules a case is built to
almost trigger. The cases live beside the rule families they label: one `cases_<family>.py` here per
`kerasdiag/diagnosis/rules/<family>.py` (over-regularization's and overfitting's positives are in scenario 3),
plus the healthy runs, the four learner scenarios, the real runs' shapes and runs read through their anatomy
(cases_anatomy.py: regression, logits, binary sigmoid, an L1 penalty, layer graphs); the shared `Case` and `healthy()`
in case_base.py. Used by test_rules_suite.py and tests/helpers/rule_suite_table.py. The real trainings are in
tests/helpers/rule_real_cases.py.
"""

from __future__ import annotations

from tests.diagnosis.rules.case_base import Case, healthy
from tests.diagnosis.rules.cases_activations import ACTIVATIONS
from tests.diagnosis.rules.cases_anatomy import ANATOMY
from tests.diagnosis.rules.cases_calibration import CALIBRATION
from tests.diagnosis.rules.cases_completeness import COMPLETENESS
from tests.diagnosis.rules.cases_curves import CURVES
from tests.diagnosis.rules.cases_data import DATA
from tests.diagnosis.rules.cases_fit import UNDERFITTING
from tests.diagnosis.rules.cases_gradients import GRADIENTS
from tests.diagnosis.rules.cases_healthy import HEALTHY_CASES
from tests.diagnosis.rules.cases_model import MODEL
from tests.diagnosis.rules.cases_plateaus import PLATEAUS
from tests.diagnosis.rules.cases_real_runs import REAL_RUN_SHAPES
from tests.diagnosis.rules.cases_scenarios import SCENARIO_1, SCENARIO_2, SCENARIO_3, SCENARIO_4

__all__ = ["CASES", "Case", "healthy"]

# The order of the suite before the cases were split by family (parametrize order of test_rules_suite.py).
CASES: list[Case] = (
    HEALTHY_CASES
    + SCENARIO_1
    + SCENARIO_2
    + SCENARIO_3
    + SCENARIO_4
    + GRADIENTS
    + CURVES
    + PLATEAUS
    + MODEL
    + ACTIVATIONS
    + DATA
    + CALIBRATION
    + COMPLETENESS
    + UNDERFITTING
    + REAL_RUN_SHAPES
    + ANATOMY
)
