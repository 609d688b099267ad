"""Loss rules judge the data loss where Keras's loss holds an L1/L2 penalty (rules/loss_series.py)."""

from __future__ import annotations

import numpy as np
import pytest

from kerasdiag.diagnosis.engine import Thresholds, diagnose_run
from kerasdiag.diagnosis.findings import Severity
from kerasdiag.diagnosis.rules.loss_series import DATA_LOSS, KERAS_LOSS, UNMEASURED_PENALTY, loss_series
from kerasdiag.diagnosis.rules.regularization import measure_regularization
from kerasdiag.rundir.epochs import EpochTable
from tests.diagnosis.rules.cases_anatomy import l1_run


def _fired(record) -> dict[str, Severity]:
    return {f.rule: f.severity for f in diagnose_run(record).findings}


def test_an_l1_run_is_judged_on_its_data_loss() -> None:
    record = l1_run()
    series = loss_series(record)
    assert series.basis == DATA_LOSS
    assert series.train[-1] == pytest.approx(record.extra_series("data_loss")[-1])
    val = record.series("val_loss") - record.extra_series("penalty_loss")
    assert np.allclose(series.val, val)  # like with like: val_loss less the penalty of the same weights


def test_the_l1_runs_overfitting_is_found_and_no_plateau_is_invented() -> None:
    diagnosis = diagnose_run(l1_run())
    (overfit,) = [f for f in diagnosis.findings if f.rule == "overfitting"]
    assert overfit.severity == Severity.WARNING and overfit.evidence["loss_basis"] == DATA_LOSS
    assert overfit.evidence["best_epoch"] == 8
    assert "data losses (without the L1/L2 penalty)" in overfit.summary.en
    assert "データ損失（ペナルティを除いた損失）" in overfit.summary.ja
    assert {f.rule for f in diagnosis.findings} == {"overfitting"}  # no "loss barely moves at 988% of chance"


def test_without_its_anatomy_the_l1_run_is_misread_as_before() -> None:
    record = l1_run()
    record.anatomy = None
    assert _fired(record) == {"loss-plateau": Severity.WARNING}  # the reading: Keras's loss, penalty in it


def test_an_unmeasured_penalty_is_said_and_lowers_the_severity() -> None:
    record = l1_run(measured=False)
    assert loss_series(record).basis == UNMEASURED_PENALTY
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "loss-plateau"]
    assert plateau.severity == Severity.INFO
    assert plateau.evidence["loss_basis"] == UNMEASURED_PENALTY and plateau.evidence["confidence"] == "low"
    assert "not measured" in plateau.summary.en


def test_sparse_probes_keep_their_epoch_numbers() -> None:
    record = l1_run()
    rows = list(record.epochs)
    for row in rows[1::2]:  # --probe-every 2: data_loss and penalty_loss at odd epochs only
        row.extra = {}
    record.epochs = EpochTable(rows)
    series = loss_series(record)
    assert series.epochs.tolist() == list(range(1, 31, 2))
    (overfit,) = [f for f in diagnose_run(record).findings if f.rule == "overfitting"]
    assert overfit.evidence["best_epoch"] % 2 == 1


def test_the_penalty_share_is_of_data_loss_plus_penalty_where_both_were_measured() -> None:
    reg = measure_regularization(l1_run(), Thresholds())
    assert reg.share_of == "data_loss + penalty_loss"
    assert reg.penalty_share == pytest.approx(22.6 / (22.6 + 0.14), rel=0.02)


def test_a_run_without_penalty_keeps_keras_loss() -> None:
    record = l1_run()
    record.anatomy.penalty = False
    record.epochs = EpochTable([_without(row, "penalty_loss") for row in record.epochs])
    assert loss_series(record).basis == KERAS_LOSS


def _without(row, key):
    row.extra = {k: v for k, v in row.extra.items() if k != key}
    return row


def test_a_plain_loss_adds_nothing_to_the_evidence() -> None:
    record = l1_run()
    record.anatomy = None
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "loss-plateau"]
    assert "loss_basis" not in plateau.evidence and "confidence" not in plateau.evidence
