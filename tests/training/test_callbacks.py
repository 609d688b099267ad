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


class _Kernel:
    def __init__(self, name, kernel):
        self.name, self.kernel = name, kernel


class _Probe:
    """What RunLogger reads of a ProbeCallback after an epoch: its `latest` row and the probed kernels."""

    def __init__(self):
        self.latest, self.layers = {}, []


def _events(split_dir):
    from kerasdiag.rundir.tensorboard.read.reader import read_events

    events = list(read_events(sorted(split_dir.glob("events.out.tfevents.*")), []))
    for event in events:
        event.ClearField("wall_time")
    return [event.SerializeToString() for event in events]


def _logged_epochs(model, tmp_path, name, bulk):
    from kerasdiag.rundir.tensorboard.write.histograms import histogram_rows
    from kerasdiag.training.callbacks.run_logger import RunLogger

    rng = np.random.default_rng(5)
    kernels = rng.normal(size=(4, 4, 3)).astype(np.float32)
    logs = [
        {"loss": 1.0 / (e + 1), "accuracy": 0.25 * e, "val_loss": 1.5 - 0.1 * e, "learning_rate": 0.05}
        for e in range(4)
    ]
    logs[3]["loss"] = math.nan  # the logger stops after this epoch
    latest = [
        {
            "batch_loss": {"mean": 0.5, "std": 0.1 * e, "min": 0.2, "max": 0.9},
            "probes": {"dense_1": {"grad_norm": 0.3 + e}},
        }
        for e in range(4)
    ]
    run = RunWriter.create(tmp_path, name)
    record = RunRecord(path=str(run.path), source="kerasdiag")
    probe = _Probe()
    logger = RunLogger(run, record, None if bulk else probe)
    logger.set_model(model)
    logger.on_train_begin()
    if bulk:
        histograms = [[h] for h in histogram_rows(kernels, "weights/dense_1")]
        assert logger.on_epochs_end(2, logs, latest, histograms, seconds=0.25) == 4
    else:
        for e in range(4):
            probe.latest, probe.layers = latest[e], [_Kernel("dense_1", kernels[e])]
            logger.on_epoch_begin(2 + e)
            logger.on_epoch_end(2 + e, logs[e])
    logger.close()
    rows = [json.loads(line) for line in (run.path / "history.jsonl").read_text().splitlines()]
    for row in rows:
        assert row.pop("seconds") >= 0
    return rows, record, [_events(run.path / split) for split in ("train", "validation")], logger


def test_run_logger_on_epochs_end_writes_what_on_epoch_end_writes(model, tmp_path):
    rows, record, events, logger = _logged_epochs(model, tmp_path, "bulk", bulk=True)
    one_rows, one_record, one_events, _ = _logged_epochs(model, tmp_path, "one", bulk=False)
    assert rows == one_rows and [r["epoch"] for r in rows] == [3, 4, 5, 6]
    assert rows[1] == {
        "epoch": 4,
        "loss": 0.5,
        "accuracy": 0.25,
        "val_loss": 1.4,
        "learning_rate": 0.05,
        "batch_loss": {"mean": 0.5, "std": 0.1, "min": 0.2, "max": 0.9},
        "probes": {"dense_1": {"grad_norm": 1.3}},
    }
    assert repr([e.metrics for e in record.epochs]) == repr([e.metrics for e in one_record.epochs])  # NaN loss
    assert events == one_events and len(events[0]) == 6  # file version, model config, 4 epochs
    assert [e.seconds for e in record.epochs] == [0.25] * 4
    assert logger.diverged and logger.epochs_done == 6 and model.stop_training


def test_run_logger_on_epochs_end_stops_at_the_first_nonfinite_loss(model, tmp_path):
    from kerasdiag.training.callbacks.run_logger import RunLogger

    run = RunWriter.create(tmp_path, "run")
    logger = RunLogger(run, RunRecord(path=str(run.path), source="kerasdiag"))
    logger.set_model(model)
    logs = [{"loss": loss, "learning_rate": 0.1} for loss in (0.9, math.inf, 0.7)]
    assert logger.on_epochs_end(0, logs, [{}, {}, {}], [[], [], []], seconds=0.1) == 2
    logger.close()
    assert len((run.path / "history.jsonl").read_text().splitlines()) == 2 and logger.diverged
