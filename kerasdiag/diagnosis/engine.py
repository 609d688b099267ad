"""Diagnosis: pure rules that read a RunRecord and return findings (no Keras, no I/O).

Example:

```python
from kerasdiag.diagnosis.engine import diagnose_run
diagnosis = diagnose_run(record)
for f in diagnosis.findings:
    print(f.severity.label, f.rule, f.summary.en)
```
"""

from __future__ import annotations

from collections.abc import Iterable

from kerasdiag.diagnosis.code_fixes import as_code
from kerasdiag.diagnosis.findings import Diagnosis, Finding, Skipped
from kerasdiag.diagnosis.rules.activations import check_dead_relu, check_saturation
from kerasdiag.diagnosis.rules.base import NotEvaluable, Rule
from kerasdiag.diagnosis.rules.calibration import check_overconfidence
from kerasdiag.diagnosis.rules.completeness import check_run_incomplete
from kerasdiag.diagnosis.rules.curves import check_divergence, check_oscillation
from kerasdiag.diagnosis.rules.data import check_class_imbalance, check_unnormalized_input, check_validation_mismatch
from kerasdiag.diagnosis.rules.fit import check_overfitting, check_underfitting
from kerasdiag.diagnosis.rules.gradients import check_exploding, check_vanishing
from kerasdiag.diagnosis.rules.model import check_linear_collapse
from kerasdiag.diagnosis.rules.needs import unmet_need
from kerasdiag.diagnosis.rules.plateaus import check_accuracy_plateau, check_loss_plateau
from kerasdiag.diagnosis.rules.regularization import check_over_regularization
from kerasdiag.diagnosis.story import tell_story
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunRecord

# Rule id -> rule, in DESIGN.md order (a contract: ids change only with a schema version bump).
RULES: dict[str, Rule] = {
    "overfitting": check_overfitting,
    "underfitting": check_underfitting,
    "over-regularization": check_over_regularization,
    "vanishing-gradients": check_vanishing,
    "exploding-gradients": check_exploding,
    "divergence": check_divergence,
    "oscillation": check_oscillation,
    "loss-plateau": check_loss_plateau,
    "accuracy-plateau": check_accuracy_plateau,
    "linear-collapse": check_linear_collapse,
    "dead-relu": check_dead_relu,
    "saturation": check_saturation,
    "validation-mismatch": check_validation_mismatch,
    "unnormalized-input": check_unnormalized_input,
    "class-imbalance": check_class_imbalance,
    "overconfidence": check_overconfidence,
    "run-incomplete": check_run_incomplete,
}
RULE_IDS: tuple[str, ...] = tuple(RULES)
# Rules that need no epoch: `train` runs them before the first one.
STATIC_RULE_IDS: tuple[str, ...] = (
    "linear-collapse",
    "validation-mismatch",
    "unnormalized-input",
    "class-imbalance",
)

__all__ = [
    "RULES",
    "RULE_IDS",
    "STATIC_RULE_IDS",
    "NotEvaluable",
    "Thresholds",
    "diagnose_run",
    "epochs_needed",
    "static_checks",
]


def diagnose_run(
    record: RunRecord, thresholds: Thresholds | None = None, rules: dict[str, Rule] | None = None
) -> Diagnosis:
    """Run every rule on one run.

    A rule whose needs the run's anatomy rules out (`rules.base.needs`: a class rule on a regression), one
    lacking data, or one that crashes, becomes a `Skipped` with its reason: never silence.
    Findings tell one story (`diagnosis.story`): the worst root cause first, each symptom after its cause.

    Args:
        record: The run, as read by `rundir.read_run` or `tblogs.read_keras_logs`.
        thresholds: The limits rules compare with. Defaults to `Thresholds()`.
        rules: Rule id -> rule to run. Defaults to `RULES` (all of them).
    """
    thresholds = thresholds or Thresholds()
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    for rule_id, rule in (rules if rules is not None else RULES).items():
        try:
            unmet = unmet_need(rule, record)
            if unmet is not None:
                skipped.append(Skipped(rule_id, unmet))
                continue
            findings.extend(rule(record, thresholds))
        except NotEvaluable as missing:
            skipped.append(Skipped(rule_id, missing.reason))
        except Exception as error:  # noqa: BLE001 - a crashing rule is reported, never silent
            skipped.append(Skipped(rule_id, say("diagnosis.skip.crashed", error=f"{type(error).__name__}: {error}")))
    last_epoch = int(record.epoch_numbers[-1]) if record.epochs else None
    story = as_code(tell_story(findings, last_epoch), record)
    ran = rules if rules is not None else RULES
    return Diagnosis(
        record.path, story, skipped, epochs=len(record.epochs), epochs_needed=epochs_needed(ran, thresholds)
    )


def epochs_needed(rule_ids: Iterable[str], thresholds: Thresholds | None = None) -> int | None:
    """The epochs before any curve rule among `rule_ids` can judge a run (None when none of them is a curve rule:
    the static checks need no epoch). With fewer, no curve rule judged it, so a diagnosis without findings is "too
    short to judge", never healthy; from there on the rules whose window is longer say so themselves (skipped)."""
    needs = curve_windows(thresholds or Thresholds())
    return min((needs[rule_id] for rule_id in rule_ids if rule_id in needs), default=None)


def curve_windows(th: Thresholds) -> dict[str, int]:
    """Curve rule id -> the epochs it needs to be evaluated at all (its window, as the rule reads it)."""
    return {
        "overfitting": th.min_epochs,
        "underfitting": th.min_epochs,
        "accuracy-plateau": th.min_epochs,
        "loss-plateau": th.plateau_window + 1,  # the change over a window spans one epoch more
        "oscillation": th.oscillation_warmup + th.min_epochs,  # the warm-up epochs are not judged
        "vanishing-gradients": th.probe_window,
        "exploding-gradients": th.probe_window,
        "dead-relu": th.probe_window,
        "saturation": th.probe_window,
    }


def static_checks(record: RunRecord, thresholds: Thresholds | None = None) -> Diagnosis:
    """The rules that need only the model and the data summary (before the first epoch)."""
    return diagnose_run(record, thresholds, {rule_id: RULES[rule_id] for rule_id in STATIC_RULE_IDS})
