"""The categories issue 19 names, each on a constructed run that failed before its change (plain logs: curves only)."""

from __future__ import annotations

from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Severity
from tests.helpers.rule_factory import decay, make_record, u_shape


def fired(record) -> dict[str, Severity]:
    return {f.rule: f.severity for f in diagnose_run(record).findings}


def test_a_class_ordered_split_shows_in_three_epochs_of_zero_validation_accuracy() -> None:
    record = make_record(
        [1.2, 0.6, 0.4], [4.0, 6.0, 7.5], [0.6, 0.85, 0.9], [0.0, 0.0, 0.0], source="keras-logs", config=None
    )
    assert fired(record).get("validation-mismatch") == Severity.WARNING


def test_a_rising_validation_loss_of_unseen_classes_is_mismatch_not_overfitting() -> None:
    epochs = 20
    record = make_record(
        decay(1.5, 0.1, epochs, 0.3),
        u_shape(2.0, 1.5, 3, 6.0, epochs),
        [min(0.99, 0.5 + 0.03 * i) for i in range(epochs)],
        [0.0] * epochs,
        source="keras-logs",
        config=None,
    )
    found = fired(record)
    assert found.get("validation-mismatch") == Severity.WARNING and "overfitting" not in found


def test_a_one_epoch_spike_of_the_training_loss_does_not_hide_overfitting() -> None:
    epochs = 20
    loss = decay(1.0, 0.05, epochs, 0.3)
    loss[-1] = loss[-2] * 1.6  # one bad last epoch
    record = make_record(loss, u_shape(1.0, 0.4, 6, 0.9, epochs), source="keras-logs", config=None)
    assert fired(record).get("overfitting") == Severity.WARNING


def test_a_loss_that_does_not_move_at_all_is_a_plateau_whatever_its_level() -> None:
    """Epoch 1 blew up (loss 40), then the loss sits at 1.2 to nine digits: training stopped."""
    loss = [40.0] + [1.234567891] * 9
    record = make_record(loss, [1.3] * 10, source="keras-logs", config=None)
    assert fired(record).get("loss-plateau") == Severity.WARNING
