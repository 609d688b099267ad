"""Real trainings of tiny models: the run directory, history, predictions and TensorBoard files they leave."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kerasdiag.config import RunConfig
from kerasdiag.rundir.reader import read_run

pytestmark = pytest.mark.training


def _event_tags(path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(path), size_guidance={"tensors": 0, "histograms": 0})
    accumulator.Reload()
    return accumulator


def _train(tmp_path, **fields):
    from kerasdiag.training.flags.run import train

    return train(RunConfig(logdir=str(tmp_path), seed=1, **fields))


@pytest.fixture(scope="module")
def linear_run(tmp_path_factory, mnist_dir):
    """Scenario 1 in miniature: five Dense layers with no activation on real MNIST."""
    return _train(
        tmp_path_factory.mktemp("runs"),
        data_dir=str(mnist_dir),
        train_size=1500,
        layers=5,
        activation="linear",
        epochs=3,
        name="linear5",
    )


def test_run_json_records_config_data_model_and_status(linear_run):
    meta = json.loads((linear_run.path / "run.json").read_text())
    assert meta["schema"] == 2 and meta["status"] == "completed"
    assert meta["config"]["layers"] == 5 and meta["config"]["activation"] == "linear"
    assert meta["data"]["train"]["samples"] == 1200 and meta["data"]["validation"]["samples"] == 300
    dense = [layer for layer in meta["model"]["layers"] if layer["kind"] == "Dense"]
    assert [layer["activation"] for layer in dense] == ["linear"] * 5 + ["softmax"]
    assert meta["versions"]["backend"] == "tensorflow" and meta["device"]
    assert meta["started"] <= meta["ended"]


def test_history_has_one_line_per_epoch_with_probes(linear_run):
    rows = [json.loads(line) for line in (linear_run.path / "history.jsonl").read_text().splitlines()]
    assert [row["epoch"] for row in rows] == [1, 2, 3]
    for row in rows:
        assert set(row["probes"]) == {"dense_1", "dense_2", "dense_3", "dense_4", "dense_5", "output"}
        assert all(p["grad_norm"] > 0 and p["weight_norm"] > 0 for p in row["probes"].values())
        assert row["batch_loss"]["min"] <= row["batch_loss"]["mean"] <= row["batch_loss"]["max"]
        assert row["loss"] > 0 and 0 <= row["val_accuracy"] <= 1 and row["seconds"] > 0
    assert rows[-1]["loss"] < rows[0]["loss"]  # it learned something


def test_predictions_are_held_out_probabilities(linear_run):
    with np.load(linear_run.path / "predictions.npz", allow_pickle=False) as data:
        assert data["test_probs"].shape == (2000, 10) and data["val_probs"].shape == (300, 10)
        assert np.allclose(data["test_probs"].sum(axis=1), 1.0, atol=1e-4)
        assert 1 <= int(data["best_epoch"]) <= 3 and "best_test_probs" in data.files


def test_tensorboard_files_hold_keras_scalars_probes_and_diagnosis(linear_run):
    from tensorboard.util import tensor_util

    train = _event_tags(linear_run.path / "train")
    tags = set(train.Tags()["tensors"])
    assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate", "keras", "diagnosis"} <= tags
    assert {f"grad_norm/dense_{i}" for i in range(1, 6)} <= tags
    assert "weights/dense_1" in train.Tags()["histograms"]
    losses = [float(tensor_util.make_ndarray(e.tensor_proto)) for e in train.Tensors("epoch_loss")]
    history = [json.loads(line)["loss"] for line in (linear_run.path / "history.jsonl").read_text().splitlines()]
    assert np.allclose(losses, history, rtol=1e-6)
    validation = _event_tags(linear_run.path / "validation")
    assert [e.step for e in validation.Tensors("epoch_loss")] == [0, 1, 2]


def test_each_split_has_one_event_file_holding_the_diagnosis_too(linear_run):
    # The diagnosis text used to be written after the writer closed, leaving a second event file in train/.
    for split in ("train", "validation"):
        assert len(list((linear_run.path / split).glob("events.out.tfevents.*"))) == 1, split


def test_the_record_train_diagnoses_is_the_one_on_disk(linear_run):
    from kerasdiag.rundir.reader import read_run

    on_disk = read_run(linear_run.path)
    assert on_disk.data == linear_run.record.data and on_disk.model == linear_run.record.model
    assert [e.metrics for e in on_disk.epochs] == [e.metrics for e in linear_run.record.epochs]
    assert on_disk.status == linear_run.record.status == "completed"
    assert np.array_equal(on_disk.predictions.test_probs, linear_run.record.predictions.test_probs)


def test_diagnosis_json_names_linear_collapse(linear_run):
    payload = json.loads((linear_run.path / "diagnosis.json").read_text())
    assert "linear-collapse" in {f["rule"] for f in payload["findings"]}
    assert {f.rule for f in linear_run.diagnosis.findings} == {f["rule"] for f in payload["findings"]}


def test_a_second_run_with_the_same_name_never_overwrites(tmp_path):
    first = _train(tmp_path, dataset="iris", layers=1, units=[8], epochs=1, name="same")
    second = _train(tmp_path, dataset="iris", layers=1, units=[8], epochs=1, name="same")
    assert first.path.name == "same" and second.path.name == "same-2"
    assert (first.path / "history.jsonl").read_text().count("\n") == 1


def test_interrupted_run_keeps_finished_epochs_and_can_be_diagnosed(tmp_path, monkeypatch):
    from kerasdiag.training.callbacks import probe as probes

    original = probes.ProbeCallback.on_epoch_end

    def interrupt_at_third(self, epoch, logs=None):
        original(self, epoch, logs)
        if epoch == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(probes.ProbeCallback, "on_epoch_end", interrupt_at_third)
    result = _train(tmp_path, dataset="iris", layers=1, units=[8], epochs=10)
    assert result.status == "interrupted"
    record = read_run(result.path)
    assert record.status == "interrupted" and [e.epoch for e in record.epochs] == [1, 2]
    assert "run-incomplete" in {f.rule for f in result.diagnosis.findings}


def test_nan_loss_stops_training_and_marks_the_run_diverged(tmp_path):
    result = _train(tmp_path, dataset="digits", normalize=False, layers=3, lr=50.0, epochs=8)
    assert result.status == "diverged"
    record = read_run(result.path)
    assert len(record.epochs) < 8 and not np.isfinite(record.epochs[-1].metrics["loss"])
    assert "divergence" in {f.rule for f in result.diagnosis.findings}


def test_cnn_with_batch_norm_dropout_and_l2_trains_and_probes_conv_layers(tmp_path):
    result = _train(
        tmp_path, dataset="digits", model="cnn", conv_filters=[8], layers=1, units=[16],
        batch_norm=True, dropout=0.2, l2=1e-3, optimizer="adam", epochs=2,
    )  # fmt: skip
    record = read_run(result.path)
    assert result.status == "completed"
    assert {"conv_1", "dense_1", "output"} <= set(record.epochs[-1].probes)
    assert record.epochs[-1].extra["penalty_loss"] > 0  # the L2 penalty is measured
    kinds = {layer.kind for layer in record.model.layers}
    assert {"Conv2D", "BatchNormalization", "Dropout", "MaxPooling2D"} <= kinds


def test_probe_every_skips_epochs_but_always_probes_the_last(tmp_path):
    result = _train(tmp_path, dataset="iris", layers=1, units=[8], epochs=5, probe_every=2)
    probed = [e.epoch for e in read_run(result.path).epochs if e.probes]
    assert probed == [1, 3, 5]
