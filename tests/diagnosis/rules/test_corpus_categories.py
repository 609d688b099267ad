"""The categories issue 19 names, each on a constructed run that failed before its change (plain logs: curves only)."""

from __future__ import annotations

import dataclasses
import math

from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Severity
from tests.helpers.rule_factory import data_summary, decay, grad_probes, make_record, mlp, u_shape


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


def test_a_binary_run_stuck_at_ln2_and_half_accuracy_is_judged_against_its_chance_level() -> None:
    """No model config, no class counts: the curves themselves say k = 2 (loss at ln 2 beside accuracy at 1/2)."""
    epochs = 12
    record = make_record(
        [0.71] + [0.6932] * (epochs - 1), [0.6931] * epochs, [0.49] + [0.501] * (epochs - 1), [0.503] * epochs,
        source="keras-logs", config=None,
    )  # fmt: skip
    found = fired(record)
    assert found.get("underfitting") == Severity.WARNING and found.get("loss-plateau") == Severity.WARNING


def test_a_falling_loss_passing_ln_k_is_no_chance_level() -> None:
    from kerasdiag.diagnosis.measure.record import classes_at_chance

    loss = decay(2.3, 0.1, 12, 0.4)
    record = make_record(loss, accuracy=[min(0.99, 0.1 + 0.08 * i) for i in range(12)], config=None)
    assert classes_at_chance(record) is None


def _blown_first_epoch(config: dict | None = None) -> object:
    loss = [60.0] + decay(2.0, 0.2, 11, 0.4)
    return make_record(loss, [2.5] + decay(1.9, 0.3, 11, 0.4), source="keras-logs", config=config, model=mlp())


def test_a_high_first_loss_on_curves_alone_is_a_note_naming_every_cause() -> None:
    (finding,) = [f for f in diagnose_run(_blown_first_epoch()).findings if f.rule == "unnormalized-input"]
    assert finding.severity == Severity.INFO
    assert "a large learning rate" in finding.evidence["possible_causes"]
    assert "cannot tell which" in finding.summary.en


def test_a_large_logged_learning_rate_explains_a_high_first_loss_before_the_inputs() -> None:
    record = _blown_first_epoch({"lr": 0.5})
    assert "unnormalized-input" not in fired(record)


def test_small_bumps_on_a_loss_near_zero_are_no_oscillation() -> None:
    """Adam on digits: val_loss falls 0.68 -> 0.015 with bumps of a few thousandths (the issue's false warning)."""
    val = [0.68, 0.3, 0.15, 0.08, 0.05, 0.035, 0.03, 0.022, 0.027, 0.018, 0.024, 0.016, 0.021, 0.015, 0.019, 0.015]
    loss = decay(0.9, 0.01, len(val), 0.4)
    acc = [min(0.999, 0.8 + 0.015 * i) for i in range(len(val))]
    record = make_record(loss, val, acc, [0.9 + 0.005 * i for i in range(len(val))], config=None)
    assert "oscillation" not in fired(record)


def test_a_rise_on_a_handful_of_validation_samples_is_only_a_note() -> None:
    """24 validation samples: val_accuracy moves in steps of 1/24, and that lattice gives the count away."""
    epochs = 30
    val_acc = [round(k / 24, 7) for k in ([18, 20, 21, 22] + [22, 21] * 13)]
    record = make_record(
        decay(2.0, 0.001, epochs, 0.3), u_shape(2.0, 0.22, 12, 0.35, epochs),
        [min(1.0, 0.5 + 0.05 * i) for i in range(epochs)], val_acc, source="keras-logs", config=None,
    )  # fmt: skip
    (finding,) = [f for f in diagnose_run(record).findings if f.rule == "overfitting"]
    assert finding.severity == Severity.INFO and finding.evidence["validation_samples"] == 24


def test_a_linear_head_with_logged_accuracy_is_judged_as_a_classifier_over_its_width() -> None:
    """A `keras` tag has the layers, not the loss: Dense(10) with no activation is logits where accuracy is logged."""
    from kerasdiag.diagnosis.rules.needs import chance
    from kerasdiag.rundir.anatomy import Anatomy, Task

    record = make_record(decay(2.5, 0.2, 12, 0.4), accuracy=[0.1 + 0.07 * i for i in range(12)], config=None)
    record.anatomy = Anatomy(source="config", outputs=1, output_width=10, output_activation="linear")
    level = chance(record)
    assert level.task is Task.UNKNOWN and (level.classes, level.accuracy) == (10, 0.1) and level.guessed


def _overfit_on_92_samples(rise: float) -> object:
    """Plain logs of a classifier whose val_loss (on 92 samples: val_accuracy moves in steps of 1/92) ends `rise`
    above its minimum while the training loss keeps falling."""
    epochs = 20
    val = [0.5 - 0.03 * i for i in range(6)] + [0.35 * (1 + rise * (i + 1) / 14) for i in range(14)]
    accuracy = [min(0.99, 0.7 + 0.02 * i) for i in range(epochs)]
    val_accuracy = [round(0.92 * 92 - (i % 3)) / 92 for i in range(epochs)]
    return make_record(decay(0.6, 0.02, epochs, 0.3), val, accuracy, val_accuracy, source="keras-logs", config=None)


def test_on_few_validation_samples_a_small_rise_is_a_note_and_a_large_one_a_warning() -> None:
    """The rise a warning needs grows as 1/sqrt(samples): 4 / sqrt(92) = 42 % here."""
    small = [f for f in diagnose_run(_overfit_on_92_samples(0.25)).findings if f.rule == "overfitting"]
    assert [f.severity for f in small] == [Severity.INFO] and "a rise of 42%" in small[0].summary.en
    assert fired(_overfit_on_92_samples(0.8)).get("overfitting") == Severity.WARNING


def test_a_validation_loss_that_never_came_below_ten_times_chance_is_no_overfitting() -> None:
    """A 10-class model blowing up on validation data (val_loss 1e3 .. 1e6) while its training loss falls."""
    epochs = 15
    val = [1e3 * 2**i for i in range(epochs)]
    record = make_record(
        decay(0.7, 0.05, epochs, 0.3), val, [min(0.99, 0.6 + 0.03 * i) for i in range(epochs)], [0.9] * epochs,
        source="keras-logs", config=None, model=mlp(),
    )  # fmt: skip
    assert "overfitting" not in fired(record)


def test_a_binary_classifier_no_surer_than_it_is_right_gives_k_2() -> None:
    """Odd/even digits learning slowly: the loss sits at the binary entropy of its accuracy (0.645 -> H = 0.650)."""
    from kerasdiag.diagnosis.measure.record import classes_at_chance

    accuracy = [0.45 + 0.008 * i for i in range(25)]
    entropy = [-(a * math.log(a) + (1 - a) * math.log(1 - a)) for a in accuracy]
    record = make_record([0.78] + entropy[1:], [e * 1.01 for e in entropy], accuracy, accuracy, config=None)
    assert classes_at_chance(record) == 2
    assert fired(record).get("underfitting") == Severity.WARNING
    good = [0.9 + 0.003 * i for i in range(25)]  # a good model: its accuracy is above where H(a) can be trusted
    assert classes_at_chance(make_record([0.3] * 25, accuracy=good, config=None)) is None


def test_an_accuracy_stretch_that_reaches_every_sample_is_a_finished_fit() -> None:
    """Iris validation accuracy 0.967 for two epochs, then 1.0 (30 samples: one flip apart): no plateau."""
    epochs = 48
    val_accuracy = [0.8] * 14 + [29 / 30] * 2 + [1.0] * 32
    record = make_record(
        decay(1.0, 0.02, epochs, 0.1), decay(0.9, 0.04, epochs, 0.1),
        [min(0.99, 0.7 + 0.01 * i) for i in range(epochs)], val_accuracy, source="keras-logs", config=None,
    )  # fmt: skip
    assert "accuracy-plateau" not in fired(record)


def test_a_validation_accuracy_plateau_is_never_backed_by_training_probe_counts() -> None:
    """The probe batch is training data: its near-threshold counts say nothing about a validation plateau."""
    epochs = 40
    extra = {"probe_samples": [120] * epochs, "probe_wrong": [10] * epochs, "probe_near": [12] * epochs}
    record = make_record(
        decay(1.0, 0.02, epochs, 0.15), decay(1.0, 0.2, epochs, 0.15),
        [min(0.99, 0.5 + 0.02 * i) for i in range(epochs)], [0.5 + 0.02 * min(i, 8) for i in range(epochs)],
        extra=extra | {"near_margin": [0.1] * epochs}, config=None,
    )  # fmt: skip
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "accuracy-plateau"]
    assert plateau.evidence["metric"] == "val_accuracy" and plateau.evidence["probe_near"] is None
    assert "probe" not in plateau.summary.en and plateau.severity == Severity.INFO


def test_a_small_validation_split_differs_from_training_by_chance_not_by_order() -> None:
    """24 validation samples of 10 classes: a random split differs by about 0.24 on average, so a distance of 0.29
    is its size (the overfitting it hid shows); a class-ordered split of the same size is still a mismatch."""
    from tests.helpers.rule_factory import data_summary

    epochs = 20
    curves = (decay(1.0, 0.01, epochs, 0.3), u_shape(1.2, 0.8, 6, 1.5, epochs))
    small = {0: 4, 1: 1, 2: 3, 3: 5, 4: 2, 5: 1, 6: 4, 7: 1, 8: 3}  # TV 0.29 from ten equal classes
    shuffled = make_record(*curves, data=data_summary({c: 10 for c in range(10)}, small), config=None)
    found = fired(shuffled)
    assert "validation-mismatch" not in found and found.get("overfitting") is not None
    ordered = make_record(*curves, data=data_summary({c: 10 for c in range(10)}, {8: 12, 9: 12}), config=None)
    assert fired(ordered).get("validation-mismatch") == Severity.ERROR


def test_a_damaged_plain_log_gets_no_made_up_epoch_count_to_rerun_with() -> None:
    record = make_record(decay(1.0, 0.2, 8, 0.3), source="csv-logger", config=None, problems=["log.csv line 5: bad"])
    (incomplete,) = [f for f in diagnose_run(record).findings if f.rule == "run-incomplete"]
    assert incomplete.severity == Severity.WARNING and incomplete.fixes == ()


def test_an_accuracy_step_the_run_already_left_is_noted_without_a_fix() -> None:
    """Iris-like: training accuracy flat for 12 epochs mid-run, then rising again to the end."""
    epochs = 40
    accuracy = [0.6 + 0.02 * i for i in range(18)] + [0.967] * 12 + [0.967 + 0.003 * i for i in range(1, 11)]
    record = make_record(decay(1.0, 0.05, epochs, 0.1), accuracy=accuracy, config=None)
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "accuracy-plateau"]
    assert not plateau.evidence["covers_end"] and plateau.fixes == ()


def test_a_constant_guess_a_little_above_ln_k_still_gives_k() -> None:
    """SGD at lr 5 on 5 classes: after a blown-up epoch 1 the loss sits at 1.67 (ln 5 = 1.61, 4 % above: a constant
    guess off the class shares) beside accuracy 0.21; k = 5 from the accuracy, so the flat loss is a plateau."""
    from kerasdiag.diagnosis.measure.record import classes_at_chance

    epochs = 15
    record = make_record(
        [3.7e3] + [1.6702] * (epochs - 1), [1.664] * epochs, [0.21] * epochs, [0.208] * epochs,
        source="keras-logs", config=None,
    )  # fmt: skip
    assert classes_at_chance(record) == 5
    found = fired(record)
    assert found.get("loss-plateau") == Severity.WARNING and found.get("underfitting") == Severity.WARNING
    far_above = make_record([2.0] * epochs, accuracy=[0.21] * epochs, config=None)  # 24 % above ln 5: not a guess
    assert classes_at_chance(far_above) is None


def test_accuracy_flat_while_the_loss_fell_early_then_stopped_is_a_note_without_train_longer() -> None:
    """A strong L2 penalty shrinking: the loss falls 17 -> 0.69 in the first 20 epochs while accuracy sits at 0.5,
    then both stop. The learner's "flat accuracy, falling loss" gets its note, but "train longer" would be wrong."""
    epochs = 40
    loss = [max(0.6932, 17 * 0.75**i) for i in range(epochs)]
    record = make_record(loss, loss, [0.502] * epochs, [0.538] * epochs, source="keras-logs", config=None)
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "accuracy-plateau"]
    assert plateau.severity == Severity.INFO and not plateau.fixes
    assert plateau.evidence["late_drop"] < 0.05 and plateau.evidence["loss_drop"] > 0.9
    assert "training longer will not move accuracy" in plateau.summary.en and "学習を長くしても" in plateau.summary.ja
    still = [17 * 0.9**i for i in range(epochs)]  # the loss still falling through the stretch: train longer
    (falling,) = [
        f
        for f in diagnose_run(make_record(still, still, [0.502] * epochs, [0.538] * epochs, config=None)).findings
        if f.rule == "accuracy-plateau"
    ]
    assert [fx.flags for fx in falling.fixes] == ["--epochs 80"] and "will not move" not in falling.summary.en


def test_a_blown_up_first_epoch_does_not_hide_later_swings() -> None:
    """Raw wine features: epoch 1's val_loss is 69, then it swings 0.6 <-> 1.1 for 30 epochs. Measured against the
    first value (a floor of 14) no move counted; against the swinging epochs' own level they do."""
    swings = [0.6, 1.1] * 15
    loss = [115.0, 70.0, 55.0, *[0.9 - 0.01 * i for i in range(30)]]
    record = make_record(loss, [69.0, 34.0, 32.0, *swings], source="keras-logs", config=None)
    assert fired(record).get("oscillation") == Severity.WARNING


def test_crumbs_on_a_classifier_loss_near_zero_are_no_swings_without_its_chance_level() -> None:
    """A CSV log of a 97 % classifier: val_loss bounces 0.085 <-> 0.11 (25 % of its level, 4 % of ln 2). Against
    its first value (0.3) every bounce was a swing; a classifier's chance loss is at least ln 2."""
    epochs = 25
    val = [0.3, 0.2, 0.15] + [0.085, 0.11] * 11
    record = make_record(
        decay(1.4, 0.01, epochs, 0.3), val, [0.97] * epochs, [0.96] * epochs, source="keras-logs", config=None
    )
    assert "oscillation" not in fired(record)


def test_a_validation_rise_far_beyond_the_train_losss_rebound_is_still_overfitting() -> None:
    """A too-large learning rate on a small binary set: val_loss 1.8 at epoch 3, then 12 -> 24 while the train loss
    falls 82 % and bounces back 60 % off its lowest point. Both curves rose, but validation five times more."""
    loss = [2.35, 3.86, 1.06, 1.42, 0.09, 0.12, 0.2, 0.12, 0.13, 0.1] + [0.19] * 30
    val = [2.8, 10.6, 1.83, 18.4, 12.3, 11.9, 11.4, 11.6, 11.7, 11.8] + [23.8] * 30
    record = make_record(loss, val, source="keras-logs", config=None)
    assert fired(record).get("overfitting") == Severity.WARNING
    follows = [0.8, 0.6, 0.5, 0.45, 0.4, 0.42, 0.45, 0.42, 0.43, 0.41] + [0.55] * 30  # +34 %, train loss +100 %
    assert "overfitting" not in fired(make_record(loss, follows, source="keras-logs", config=None))  # overshooting


def test_a_data_gradient_that_vanishes_under_a_strong_penalty_is_vanishing_linked_to_the_regulariser() -> None:
    """L2 0.5 has pulled every weight to ~0: the applied gradient at the first layer is the penalty's own pull
    (ratio 0.67, nothing vanishes), while the data loss's gradient there is 7e-5 of the output layer's."""
    from tests.helpers.rule_factory import grad_probes, mlp

    epochs = 15
    probes = grad_probes([0.02, 0.02, 0.03], epochs, drift=0.0, noise=0.0)
    for name, data in zip(probes, ([2e-6] * epochs, [1e-4] * epochs, [0.03] * epochs)):
        probes[name]["data_grad_norm"] = data
    flat = [2.3026] * epochs
    penalised = mlp(2)
    for layer in penalised.layers:
        layer.l2 = 0.5 if layer.kind == "Dense" else 0.0
    record = make_record(
        flat, flat, [0.11] * epochs, [0.1] * epochs, probes=probes, model=penalised,
        extra={"data_loss": flat, "penalty_loss": [1e-4] * epochs},
    )  # fmt: skip
    found = {f.rule: f for f in diagnose_run(record).findings}
    vanishing = found["vanishing-gradients"]
    assert vanishing.evidence["gradient_of"] == "data_loss" and vanishing.evidence["ratio_first_last"] < 1e-3
    assert "data loss alone" in vanishing.summary.en and "データに対する損失だけ" in vanishing.summary.ja
    assert found["over-regularization"].severity == Severity.WARNING
    assert vanishing.caused_by == "over-regularization"
    for values in probes.values():
        del values["data_grad_norm"]  # the applied gradient alone: the penalty's pull hides the vanishing
    assert "vanishing-gradients" not in fired(make_record(flat, flat, [0.11] * epochs, [0.1] * epochs, probes=probes))


def test_a_flat_stretch_whose_loss_still_falls_outranks_a_longer_settled_one() -> None:
    """Training accuracy flat for 30 epochs while its loss fell early then stopped (settled), validation accuracy
    flat for the last 15 while val_loss still falls: the one to act on is the validation stretch, with its fix."""
    epochs = 30
    loss = [max(0.35, 3.0 * 0.7**i) for i in range(epochs)]
    val_loss = [0.9] * 15 + [0.9 * 0.97**i for i in range(15)]
    val_accuracy = [0.5 + 0.02 * i for i in range(15)] + [0.8] * 15
    record = make_record(loss, val_loss, [0.6] * epochs, val_accuracy, source="keras-logs", config=None)
    (plateau,) = [f for f in diagnose_run(record).findings if f.rule == "accuracy-plateau"]
    assert plateau.evidence["metric"] == "val_accuracy" and plateau.fixes


def test_a_model_that_sat_at_chance_and_then_learnt_a_little_shows_its_k_early() -> None:
    """Heavy dropout on 10 classes (no class count in the logs): epochs 2-4 sit at ln 10 and 1/10, then validation
    accuracy creeps to 0.44. k = 10 from that stretch, so a train accuracy of 0.18 is poor (skill 0.09), not 0.18."""
    from kerasdiag.diagnosis.measure.record import classes_at_chance

    loss = [2.86, 2.33, 2.30, 2.30, 2.28, 2.27, 2.26, 2.25, 2.22, 2.20, 2.18, 2.19]
    accuracy = [0.096, 0.104, 0.109, 0.125, 0.134, 0.128, 0.141, 0.14, 0.165, 0.178, 0.192, 0.172]
    val_loss = [2.28, 2.28, 2.27, 2.26, 2.25, 2.23, 2.22, 2.17, 2.15, 2.12, 2.10, 2.05]
    val_accuracy = [0.18, 0.24, 0.29, 0.31, 0.33, 0.33, 0.34, 0.37, 0.38, 0.41, 0.41, 0.44]
    record = make_record(loss, val_loss, accuracy, val_accuracy, source="keras-logs", config=None)
    assert classes_at_chance(record) == 10
    assert fired(record).get("underfitting") == Severity.WARNING
    # A run lingering near ln 10 for 3 epochs while its accuracy is already 0.14 (above 1/10 + 0.6 x the band):
    # learning, not guessing, so no k (the last epochs' full band would have taken 0.14 for chance).
    lingering = [2.40, 2.35, 2.30, 2.28, 2.0, 1.5, 1.1, 0.8, 0.6, 0.5, 0.45, 0.4]
    accuracy = [0.14, 0.14, 0.145, 0.2, 0.4, 0.6, 0.7, 0.8, 0.85, 0.88, 0.9, 0.91]
    assert classes_at_chance(make_record(lingering, accuracy=accuracy, config=None)) is None
    # A 10-class loss sliding from ln 10 through ln 9's band with accuracy near 0.11: still 10.
    sliding = [2.31, 2.30, 2.30, 2.25, 2.20, 2.15, 1.9, 1.7, 1.6, 1.5]
    accuracy = [0.10, 0.10, 0.10, 0.11, 0.11, 0.12, 0.2, 0.3, 0.35, 0.4]
    assert classes_at_chance(make_record(sliding, accuracy=accuracy, config=None)) == 10


def test_a_blown_up_loss_gives_no_k_and_breaks_no_rule() -> None:
    """SGD at lr 5: the loss grows to 1e33 before NaN. ln of it is no class count, and no rule may crash on it."""
    from kerasdiag.diagnosis.measure.record import classes_at_chance

    loss = [3.2e5, 1e14, 1.6e18, 5.2e26, 3.9e33] + [float("nan")] * 10
    accuracy = [0.37, 0.33, 0.47, 0.39, 0.47] + [0.316] * 10
    record = make_record(loss, loss, accuracy, [0.45] * 15, source="keras-logs", config=None)
    assert classes_at_chance(record) is None
    diagnosis = diagnose_run(record)
    assert not [s for s in diagnosis.skipped if s.why.id == "diagnosis.skip.crashed"]
    assert fired(record).get("divergence") == Severity.ERROR


def test_a_loss_still_for_the_last_epochs_of_a_short_early_stopped_run_is_a_plateau() -> None:
    """SGD at lr 5 on two circles, stopped by EarlyStopping after 7 epochs: the loss sits at 0.712 (ln 2 = 0.693) for
    the last 5. Smoothing reached back into epoch 1 (0.762) and read a 2.4 % change; the raw spread is 0."""
    loss = [0.762, 0.715, 0.712, 0.712, 0.712, 0.712, 0.712]
    record = make_record(loss, [0.735] * 7, [0.516, 0.51, 0.512, 0.51, 0.51, 0.51, 0.51], [0.463] * 7, config=None)
    assert fired(record).get("loss-plateau") == Severity.WARNING


def test_a_pinned_accuracy_whose_loss_no_constant_guess_reaches_is_no_imbalance() -> None:
    """Two circles fitted at 0.982 from epoch 2: a majority-class guess with that share scores at least
    H(0.982) = 0.090; a loss of 0.065 tells the classes apart, so no class imbalance is read off the curves."""
    epochs = 14
    accuracy = [0.885] + [0.982] * (epochs - 1)
    binary = {"source": "keras-logs", "config": None, "model": mlp(classes=2)}
    fitted = make_record([0.27] + [0.065] * (epochs - 1), [0.015] * epochs, accuracy, [0.996] * epochs, **binary)
    assert "class-imbalance" not in fired(fitted)
    guessing = make_record([0.27] + [0.091] * (epochs - 1), [0.09] * epochs, accuracy, [0.98] * epochs, **binary)
    assert fired(guessing).get("class-imbalance") == Severity.WARNING


def test_a_loss_stilled_by_a_finished_learning_rate_schedule_is_not_frozen() -> None:
    """ReduceLROnPlateau halved the rate down to 2e-7: the loss stops at 0.292 (26 % of epoch 1's). A finished
    schedule, not a frozen run; the same still loss with a constant rate is a frozen one."""
    epochs = 40
    loss = decay(1.1, 0.292, 15, 0.4) + [0.292] * (epochs - 15)
    accuracy = [min(0.938, 0.33 + 0.06 * i) for i in range(epochs)]
    rates = [1e-3 * 0.5 ** (i // 3) for i in range(epochs)]
    scheduled = make_record(loss, accuracy=accuracy, more_metrics={"learning_rate": rates}, config=None)
    assert "loss-plateau" not in fired(scheduled)
    constant = make_record(loss, accuracy=accuracy, more_metrics={"learning_rate": [1e-3] * epochs}, config=None)
    assert fired(constant).get("loss-plateau") == Severity.WARNING


def test_a_loss_still_falling_two_percent_per_window_is_no_plateau() -> None:
    """14 epochs, the raw loss still falling 3.8 % over the last 6: the raw spread is read only where smoothing
    reaches back into epoch 1, so this long enough run keeps its smoothed change (2.2 %) and no plateau."""
    loss = [2.30, 2.10, 1.95, 1.85, 1.78, 1.74, 1.72, 1.70, 1.665, 1.665, 1.655, 1.650, 1.645, 1.635]
    assert "loss-plateau" not in fired(make_record(loss, model=mlp(), config=None, source="keras-logs"))


def test_a_focal_loss_below_the_entropy_still_reads_as_one_predicted_class() -> None:
    """H(a) is the floor of a cross-entropy only: a focal loss scores a constant guess lower (0.187 at a = 0.9)."""
    from kerasdiag.rundir.anatomy import Task
    from tests.diagnosis.rules.case_anatomy import anatomy, with_anatomy

    epochs = 14
    accuracy = [0.85] + [0.9] * (epochs - 1)
    record = make_record([0.3] + [0.187] * (epochs - 1), [0.19] * epochs, accuracy, [0.9] * epochs, config=None)
    focal = with_anatomy(record, anatomy(Task.SIGMOID, loss="binary_focal_crossentropy"))
    assert fired(focal).get("class-imbalance") == Severity.WARNING


def test_a_validation_accuracy_logged_every_fifth_epoch_is_measured_in_epochs() -> None:
    """`fit(validation_freq=5)` or TensorBoard's `update_freq`: val_accuracy sits at 0.875 in every value it logs from
    epoch 15 to 60 (10 values, 46 epochs) while val_loss falls 0.42 -> 0.27. The gaps between values are no end of
    the curve, and the stretch counts in epochs, not values."""
    epochs = 60
    logged = [(i + 1) % 5 == 0 for i in range(epochs)]
    val_acc = [(0.75 if i < 14 else 0.875) if on else None for i, on in enumerate(logged)]
    val_loss = [0.55 - 0.0047 * i if on else None for i, on in enumerate(logged)]
    loss = decay(0.6, 0.19, epochs, 0.05)
    accuracy = [min(0.97, 0.8 + 0.003 * i) for i in range(epochs)]
    found = diagnose_run(make_record(loss, val_loss, accuracy, val_acc, model=mlp(classes=3), config=None)).findings
    (plateau,) = [f for f in found if f.rule == "accuracy-plateau"]
    assert plateau.evidence["metric"] == "val_accuracy" and plateau.evidence["length"] >= 40
    assert plateau.evidence["values"] == 10


def test_underfitting_with_a_learning_rate_far_below_the_optimizers_default_asks_for_larger_steps_first() -> None:
    """Adam at 5e-5 (a twentieth of its usual 0.001) on digits, 8 epochs at chance: "more units" is no answer, ten
    times larger steps is. At Adam's own 0.001 the same curves get no learning-rate fix."""
    epochs = 8
    loss, accuracy = [2.34 - 0.004 * i for i in range(epochs)], [0.1 + 0.001 * i for i in range(epochs)]

    def fixes(lr: float) -> list[str]:
        record = make_record(loss, loss, accuracy, accuracy, model=mlp(), config={"optimizer": "adam", "lr": lr})
        (found,) = [f for f in diagnose_run(record).findings if f.rule == "underfitting"]
        return [f.flags for f in found.fixes]

    assert fixes(5e-5)[0] == "--lr 0.0005"
    assert not any(flags.startswith("--lr") for flags in fixes(1e-3))


def _overfit_on_300_samples(level: float) -> object:
    """Plain logs of a classifier whose val_loss (300 samples: val_accuracy moves in steps of 1/300) bottoms out at
    about `level` and ends 30 % above it while the training loss keeps falling."""
    epochs = 20
    val = [level * (2 - 0.2 * i) for i in range(6)] + [level * (1 + 0.3 * (i + 1) / 14) for i in range(14)]
    accuracy = [min(0.999, 0.8 + 0.02 * i) for i in range(epochs)]
    val_accuracy = [(297 - (i % 3)) / 300 for i in range(epochs)]
    return make_record(decay(0.6, 0.001, epochs, 0.3), val, accuracy, val_accuracy, source="keras-logs", config=None)


def test_a_rise_worth_less_than_one_confidently_wrong_sample_is_a_note() -> None:
    """A 30 % rise of a 0.012 loss over 300 samples adds about 1 nat: one prediction turning 90 % wrong adds 2.3."""
    (tiny,) = [f for f in diagnose_run(_overfit_on_300_samples(0.012)).findings if f.rule == "overfitting"]
    assert tiny.severity == Severity.INFO and tiny.evidence["extra_nats"] < 2.3 and "nats" in tiny.summary.en
    assert fired(_overfit_on_300_samples(0.2)).get("overfitting") == Severity.WARNING  # 18 nats: many samples


def test_a_validation_rise_made_while_the_training_loss_fell_is_overfitting_though_both_bounce_later() -> None:
    """val_loss climbs 0.14 -> 0.25 while the training loss still falls to 0.04, then both rise (0.04 -> 0.06 and
    0.25 -> 0.33): most of the rise came while the model fitted its training set, so it is no optimizer overshoot."""
    epochs = 60
    train = [0.6 * 0.85**i + 0.04 if i < 35 else 0.04 + 0.02 * (i - 35) / 24 for i in range(epochs)]
    val = [0.14 + 0.4 * 0.7**i if i < 10 else 0.14 + 0.11 * (i - 10) / 25 if i < 35 else 0.25 + 0.08 * (i - 35) / 24
           for i in range(epochs)]  # fmt: skip
    found = fired(make_record(train, val, source="keras-logs", config=None))
    assert found.get("overfitting") == Severity.WARNING


def test_gelu_units_that_cannot_die_are_not_called_dead_from_a_pinned_accuracy() -> None:
    """Zero-initialised weights pin a GELU network at chance with a frozen loss: the units output 0, yet they keep a
    gradient below 0 and cannot die; a ReLU network with the same curves is named dead from its config."""
    flat, pinned = [1.386] * 20, [0.25] * 20
    gelu = make_record(flat, accuracy=pinned, model=mlp(2, 32, activation="gelu", classes=4))
    relu = make_record(flat, accuracy=pinned, model=mlp(2, 32, activation="relu", classes=4))
    assert "dead-relu" not in fired(gelu) and fired(relu).get("dead-relu") == Severity.WARNING


def test_a_poor_fit_still_creeping_up_under_heavy_dropout_is_over_regularized() -> None:
    """Training accuracy 0.2 -> 0.37 over 30 epochs (skill below underfitting's 0.4, still gaining) with dropout 0.85:
    the regulariser holds it back though it is not stuck; without dropout the same curves are only underfitting."""
    epochs = 30
    loss, accuracy = decay(2.3, 1.75, epochs, 0.1), [0.2 + 0.17 * i / (epochs - 1) for i in range(epochs)]
    heavy = fired(make_record(loss, accuracy=accuracy, model=mlp(2, 64, dropout=0.85)))
    plain = fired(make_record(loss, accuracy=accuracy, model=mlp(2, 64)))
    assert heavy.get("over-regularization") == Severity.WARNING and "over-regularization" not in plain


def test_a_softmax_trained_with_a_squared_error_is_judged_against_its_own_chance_level() -> None:
    """A `keras` tag names no loss: a loss of 0.09 while 80 % of predictions are wrong is below any cross-entropy
    ((1 - 0.2) x ln 2 = 0.55), so it is a squared error, whose chance level on 10 classes is (1 - 1/10) / 10 = 0.09:
    the flat 0.0899 is a plateau at chance, not a loss at 4 % of ln 10."""
    from kerasdiag.diagnosis.rules.needs import chance
    from kerasdiag.rundir.anatomy import Anatomy, Task

    epochs = 10
    record = make_record([0.09 - 0.0001 * i for i in range(epochs)], accuracy=[0.1 + 0.01 * i for i in range(epochs)])
    record.anatomy = Anatomy(task=Task.SOFTMAX, source="config", num_classes=10, outputs=1, output_width=10)
    level = chance(record)
    assert level.squared and math.isclose(level.loss or 0, 0.09)
    assert fired(record).get("loss-plateau") == Severity.WARNING
    cross_entropy = make_record(
        [2.2 - 0.001 * i for i in range(epochs)], accuracy=[0.1 + 0.01 * i for i in range(epochs)]
    )
    cross_entropy.anatomy = record.anatomy
    assert not chance(cross_entropy).squared and chance(cross_entropy).loss == math.log(10)


def test_held_out_samples_of_a_class_training_never_held_say_nothing_about_calibration() -> None:
    """A class-ordered split: 2,000 confident predictions, all of class 9, which training never held. Left out, too few
    remain and the rule says why; the same predictions with class 9 in training are judged (and warn)."""
    from kerasdiag.diagnosis.engine import diagnose_run as run
    from tests.helpers.rule_factory import data_summary, make_predictions

    predictions = make_predictions(2000, 10, 0.0, 0.9, seed=3)
    predictions.val_y[:] = 9  # every held-out sample is of class 9 (wrong everywhere: the winner is never 9)
    epochs = 10
    curves = (decay(2.3, 0.2, epochs, 0.3), decay(2.3, 0.3, epochs, 0.3))
    ordered = make_record(*curves, data=data_summary({c: 100 for c in range(9)} | {9: 0}), predictions=predictions)
    skipped = {s.rule: s.why.en for s in run(ordered).skipped}
    assert "overconfidence" not in fired(ordered) and "never held" in skipped["overconfidence"]
    seen = make_record(*curves, data=data_summary({c: 100 for c in range(10)}), predictions=predictions)
    assert fired(seen).get("overconfidence") == Severity.WARNING


def test_a_poor_fit_climbing_fast_under_dropout_is_not_called_over_regularized() -> None:
    """Accuracy 0.12 -> 0.45 in 8 epochs (5 points an epoch) with dropout 0.6: early in training, not held back."""
    epochs = 8
    accuracy = [0.12 + 0.33 * i / (epochs - 1) for i in range(epochs)]
    record = make_record(decay(2.3, 1.5, epochs, 0.3), accuracy=accuracy, model=mlp(2, 64, dropout=0.6))
    assert "over-regularization" not in fired(record)


def _three_epochs(accuracy: list[float], val_accuracy: list[float]) -> object:
    """A 3-epoch run of a 10-class MLP (chance accuracy 0.1): too short for the curve rules' end levels."""
    loss = [2.3, 2.1, 1.9]
    return make_record(loss, loss, accuracy, val_accuracy, model=mlp(), config={"optimizer": "adam", "lr": 1e-3})


def test_a_three_epoch_run_still_at_chance_is_underfitting_with_train_longer_first() -> None:
    """Issue 19: "a 3-epoch run at chance is called healthy". Its last epoch is judged, and more epochs come first."""
    diagnosis = diagnose_run(_three_epochs([0.11, 0.14, 0.16], [0.12, 0.13, 0.15]))
    (found,) = [f for f in diagnosis.findings if f.rule == "underfitting"]
    assert found.severity == Severity.WARNING and found.fixes[0].flags == "--epochs 20"
    assert found.evidence["epochs"] == 3 and found.evidence["train_skill"] < found.evidence["threshold_skill"]


def test_a_three_epoch_run_that_learned_is_too_short_to_judge_not_underfitting() -> None:
    diagnosis = diagnose_run(_three_epochs([0.5, 0.7, 0.8], [0.55, 0.72, 0.79]))
    assert "underfitting" not in {f.rule for f in diagnosis.findings}
    assert diagnosis.status.value == "too_short"


def _memorised_then_bounced(rise_while_fitting: float) -> object:
    """Plain logs: val_loss bottoms out at 0.3 (epoch 8), rises while the training loss falls 0.5 -> 0.3 (epoch 20),
    then both climb (the training loss ends 40 % above its low: the "both rise" exclusion alone would hide it)."""
    train = [1.0 - 0.0625 * i for i in range(8)] + [0.5 - 0.2 * i / 12 for i in range(1, 13)]
    train += [0.3 * (1 + 0.4 * i / 10) for i in range(1, 11)]
    val = [1.0 - 0.0875 * i for i in range(8)] + [0.3 * (1 + rise_while_fitting * i / 12) for i in range(1, 13)]
    val += [val[-1] * (1 + 0.5 * i / 10) for i in range(1, 11)]
    return make_record(train, val, source="keras-logs", config=None)


def test_a_validation_rise_made_while_the_training_loss_fell_stays_overfitting_after_both_curves_bounce() -> None:
    (found,) = [f for f in diagnose_run(_memorised_then_bounced(1.0)).findings if f.rule == "overfitting"]
    assert found.severity == Severity.WARNING and found.evidence["variant"] == "memorised"
    assert found.evidence["train_low_epoch"] == 20 and found.evidence["rise_while_fitting"] > 0.5


def test_a_small_rise_while_fitting_then_both_curves_climbing_is_no_overfitting_warning() -> None:
    assert fired(_memorised_then_bounced(0.15)).get("overfitting") is None


def test_a_run_that_failed_with_an_error_asks_for_the_error_to_be_mended_not_just_a_rerun() -> None:
    """A learner's callback raised at epoch 3: running it again to the end would raise again."""
    record = make_record([1.0, 0.8], [1.1, 0.9], model=mlp(), status="failed", config={"epochs": 10})
    record = dataclasses.replace(record, error="RuntimeError: my callback failed at epoch 3")
    (found,) = [f for f in diagnose_run(record).findings if f.rule == "run-incomplete"]
    assert found.severity == Severity.ERROR and found.fixes[0].why.id == "run-incomplete.fix.failed"


def test_a_fit_without_validation_data_says_so_instead_of_missing_class_counts() -> None:
    train = {c: 100 for c in range(10)}
    record = make_record([2.0, 1.5, 1.2, 1.0, 0.9], model=mlp(), data=data_summary(train, None))
    skipped = {s.rule: s.why.id for s in diagnose_run(record).skipped}
    assert skipped["validation-mismatch"] == "validation-mismatch.skip.no_validation"


def test_vanishing_gradients_in_a_scripts_sigmoid_stack_asks_for_relu_first() -> None:
    """A script's run has no `--activation` flag in its config: the model's own sigmoid layers say it (helper 41:
    6 sigmoid layers, SGD; he_normal alone left val_acc at 0.086, relu reached 0.80)."""
    epochs = 20
    flat = decay(2.31, 2.30, epochs, 0.3, 0.0005, 1)
    norms = [3e-5 * (3.0**i) for i in range(6)] + [0.4]
    record = make_record(
        flat, flat, [0.1] * epochs, [0.1] * epochs, probes=grad_probes(norms, epochs, drift=0.0),
        model=mlp(6, activation="sigmoid"), config=None,
    )  # fmt: skip
    record = dataclasses.replace(record, config={"script": "learner.py", "optimizer": "sgd", "lr": 0.01})
    (found,) = [f for f in diagnose_run(record).findings if f.rule == "vanishing-gradients"]
    assert found.fixes[0].flags == "--activation relu"


def test_inputs_measured_standardised_or_in_range_get_no_normalize_fix() -> None:
    """helper 41: StandardScaler'd inputs (mean -0.009, std 0.99) were told to standardise under exploding-gradients."""
    from kerasdiag.diagnosis.measure.record import inputs_in_range
    from kerasdiag.diagnosis.thresholds import Thresholds

    def measured(low: float, high: float, mean: float, std: float) -> bool:
        data = data_summary({0: 50, 1: 50}, None, input_range=(low, high), mean=mean, std=std)
        return inputs_in_range(make_record([1.0, 0.9], data=data), Thresholds())

    assert measured(-3.1, 12.0, -0.009, 0.99)  # standardised, heavy tail
    assert measured(0.0, 1.0, 0.13, 0.31)  # pixels / 255
    assert not measured(0.0, 255.0, 33.0, 78.0)  # raw pixels
    assert not inputs_in_range(make_record([1.0, 0.9]), Thresholds())  # nothing measured: the fix stays


def _blown_up_plain_log(swing: float) -> object:
    """A History JSON of a classifier (no class count) whose loss sits near 1,000 from epoch 1 and swings by `swing`:
    SGD at lr 5 on tanh units, as DeepCrime's learning-rate operator leaves it."""
    epochs = 30
    loss = [900.0] + [1000.0 * (1 + swing * (-1) ** i) for i in range(1, epochs)]
    accuracy = [0.1 + 0.01 * ((-1) ** i) for i in range(epochs)]
    return make_record(loss, loss[::-1], accuracy, accuracy[::-1], source="keras-logs", config=None)


def test_a_classifier_loss_far_above_any_chance_level_is_divergence_without_a_class_count() -> None:
    """ln 1000 bounds the chance loss of any classifier the logs could hold; 1,000 is 145 times it."""
    found = fired(_blown_up_plain_log(0.3))
    assert found.get("divergence") == Severity.WARNING
    assert "oscillation" not in found  # the swings of a loss that never came near chance are divergence's
