"""The training callbacks and probe helpers, driven by hand with literal values (as Keras tests its callbacks)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.writer import RunWriter


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


@pytest.fixture
def model(keras):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu", name="dense_1")])
    model.add(keras.layers.Dense(2, activation="softmax", name="output"))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="sparse_categorical_crossentropy")
    return model


def test_batch_loss_spread_recovers_batch_losses_from_running_means():
    from kerasdiag.training.callbacks.probe import batch_loss_spread

    # Batch losses 3, 1, 2: Keras reports the running means 3, 2, 2.
    spread = batch_loss_spread({0: 3.0, 1: 2.0, 2: 2.0})
    assert spread == pytest.approx({"mean": 2.0, "std": math.sqrt(2 / 3), "min": 1.0, "max": 3.0})
    assert batch_loss_spread({}) is None


def test_activation_stats_dead_relu_units_and_saturated_tanh():
    from kerasdiag.training.callbacks.probe import activation_stats

    relu = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 2.0, 0.5, 0.0]])  # units 0 and 3 never fire
    assert activation_stats("relu", relu) == {"dead_fraction": 0.5}
    tanh = np.array([[0.999, 0.0], [-0.995, 0.2]])  # 2 of 4 values within 0.01 of ±1
    assert activation_stats("tanh", tanh) == {"saturated_fraction": 0.5}


def test_threshold_margins_count_wrong_and_near_samples():
    from kerasdiag.training.callbacks.probe import threshold_margins

    probs = np.array([[0.9, 0.1], [0.55, 0.45], [0.2, 0.8]])
    margins = threshold_margins(probs, np.array([0, 1, 0]))
    assert margins["probe_wrong"] == 2.0  # samples 1 and 2 are misclassified
    assert margins["probe_near"] == 1.0  # only sample 1 is within 0.15 of the winner
    assert margins["probe_mean_p_true"] == pytest.approx((0.9 + 0.45 + 0.2) / 3)


def test_best_weights_keeps_the_lowest_val_loss_epoch(model):
    from kerasdiag.training.callbacks.best_weights import BestWeights

    best = BestWeights()
    best.set_model(model)
    best.on_train_begin()
    for epoch, val_loss in enumerate([0.9, 0.5, 0.7, math.nan]):
        best.on_epoch_end(epoch, logs={"val_loss": val_loss})
    assert (best.epoch, best.value) == (2, 0.5)
    assert best.weights is not None and len(best.weights) == len(model.get_weights())


def test_run_logger_appends_history_record_and_stops_on_nan(model, tmp_path):
    from kerasdiag.training.callbacks.run_logger import RunLogger

    run = RunWriter.create(tmp_path, "run")
    record = RunRecord(path=str(run.path), source="kerasdiag")
    logger = RunLogger(run, record)
    logger.set_model(model)
    logger.on_train_begin()
    for epoch, loss in enumerate([1.0, 0.5, math.nan]):
        logger.on_epoch_begin(epoch)
        logger.on_epoch_end(epoch, logs={"loss": loss, "val_loss": loss + 0.1, "accuracy": 0.5})
    logger.close()
    rows = [json.loads(line) for line in (run.path / "history.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2, 3] and rows[1]["loss"] == 0.5
    assert rows[0]["learning_rate"] == pytest.approx(0.05)
    assert [e.metrics["val_loss"] for e in record.epochs[:2]] == pytest.approx([1.1, 0.6])
    assert logger.diverged and model.stop_training and logger.epochs_done == 3
    assert len(list((run.path / "train").glob("events.out.tfevents.*"))) == 1
