"""Tests of kerasdiag.rundir.tensorboard.read.reader: reading Keras TensorBoard log dirs into RunRecords."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kerasdiag.errors import RunDirError
from kerasdiag.rundir.schema import DEAD_FRACTION, GRAD_NORM, SATURATED_FRACTION, UPDATE_RATIO, WEIGHT_NORM
from kerasdiag.rundir.tensorboard.read.reader import is_keras_log_dir, read_keras_logs
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

REPO = Path(__file__).resolve().parents[2]
PROBE_KEYS = (GRAD_NORM, WEIGHT_NORM, UPDATE_RATIO, DEAD_FRACTION, SATURATED_FRACTION)
LAYERS = ("z_input_side", "m_hidden", "a_output")  # written input side first, not alphabetical
EXTRA_TAGS = ("penalty_loss", "probe/samples", "probe/wrong", "probe/near", "probe/near_margin")
ACCURACY_ALIASES = ["epoch_acc", "epoch_categorical_accuracy", "epoch_sparse_categorical_accuracy"]


def f32(value):
    """The value as it comes back from a float32 tensor."""
    return float(np.float32(value))


def subprocess_env(**extra):
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="3", **extra)
    return env


def event_file(split_dir):
    (file,) = sorted(Path(split_dir).glob("events.out.tfevents.*"))
    return file


def write_logs(log_dir, epochs=4, probes=True, validation=True, offset=0.0):
    """Writes a kerasdiag-style log dir; epoch e (0-based) has loss 1 / (e + 1) + offset."""
    train = SummaryWriter(Path(log_dir) / "train")
    val = SummaryWriter(Path(log_dir) / "validation")
    for step in range(epochs):
        train.scalar("epoch_loss", 1 / (step + 1) + offset, step)
        train.scalar("epoch_accuracy", 0.5 + step / 100, step)
        train.scalar("epoch_learning_rate", 0.01, step)
        if probes:
            write_probes(train, step)
        if validation:
            val.scalar("epoch_loss", 2 / (step + 1), step)
            val.scalar("epoch_accuracy", 0.4 + step / 100, step)
    train.close()
    val.close()
    return Path(log_dir)


def write_probes(writer, step):
    for index, layer in enumerate(LAYERS):
        for number, key in enumerate(PROBE_KEYS):
            writer.scalar(f"{key}/{layer}", probe_value(step, index, number), step)
        writer.histogram(f"weights/{layer}", np.linspace(-1, 1, 50), step)
    for number, stat in enumerate(("mean", "std", "min", "max")):
        writer.scalar(f"batch_loss/{stat}", step + number / 10, step)
    for number, tag in enumerate(EXTRA_TAGS):
        writer.scalar(tag, 100 * step + number, step)


def probe_value(step, layer, key):
    return step + layer / 10 + key / 100


def write_events(split_dir, values):
    """Writes classic or tensor Summary.Values with tensorboard's own writer: (tag, step, proto-kwargs)."""
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(split_dir))
    for tag, step, kwargs in values:
        summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, **kwargs)])
        writer.add_event(event_pb2.Event(step=step, summary=summary))
    writer.close()


def truncate(file, fraction):
    data = file.read_bytes()
    file.write_bytes(data[: int(len(data) * fraction)])


# Real Keras logs ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras_logs(tmp_path_factory):
    """Logs and History of a tiny model trained by `keras.callbacks.TensorBoard` on the TensorFlow backend.

    Trained in a subprocess: Keras fixes its backend at first import, and TensorFlow stays out of pytest.
    """
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("TensorFlow is not installed")
    root = tmp_path_factory.mktemp("keras_logs")
    log_dir, history_path = root / "logs", root / "history.json"
    env = subprocess_env(KERAS_BACKEND="tensorflow", KERAS_HOME=str(root / "keras_home"))
    fixture = REPO / "tests" / "helpers" / "keras_logs_fixture.py"
    script = [sys.executable, str(fixture), str(log_dir), str(history_path)]
    result = subprocess.run(script, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return log_dir, json.loads(history_path.read_text())


@pytest.mark.training
def test_real_keras_logs_match_history(keras_logs):
    log_dir, history = keras_logs
    record = read_keras_logs(log_dir)
    assert record.source == "keras-logs"
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3]
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert np.allclose(record.series(name), history[name], rtol=1e-5), name
    assert np.allclose(record.series("learning_rate"), 0.001)


@pytest.mark.training
def test_real_keras_logs_model_summary(keras_logs):
    record = read_keras_logs(keras_logs[0])
    layers = record.model.parametric_layers
    dense = [(layer.kind, layer.units, layer.activation, layer.params) for layer in layers]
    assert dense == [("Dense", 8, "relu", 4 * 8 + 8), ("Dense", 3, "softmax", 8 * 3 + 3)]
    assert record.model.total_params == 67


@pytest.mark.training
def test_diagnose_command_on_plain_keras_logs_says_what_it_could_not_evaluate(keras_logs):
    from click.testing import CliRunner

    from kerasdiag.cli import main

    result = CliRunner().invoke(main, ["diagnose", str(keras_logs[0]), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    skipped = {entry["rule"]: entry["reason"] for entry in payload["skipped"]}
    assert {"exploding-gradients", "overconfidence"} <= set(skipped)  # no probes, no predictions
    assert "predictions" in skipped["overconfidence"]
    assert all(reason for reason in skipped.values())
    # The curves (3 epochs: too few for trend rules) and the model tag: dead-relu and vanishing-gradients are
    # judged "from the model config and curves" when the probes are missing (a healthy ReLU model: no finding).
    evaluated = {"divergence", "linear-collapse", "dead-relu", "vanishing-gradients"}
    assert "needs at least 5 epochs" in skipped["overfitting"]
    assert not evaluated & set(skipped), skipped


@pytest.mark.training
def test_real_keras_logs_read_without_tensorflow(keras_logs):
    code = (
        "import sys; from pathlib import Path; from kerasdiag.rundir.tensorboard.read.reader import read_keras_logs; "
        f"record = read_keras_logs(Path({str(keras_logs[0])!r})); assert len(record.epochs) == 3; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported TF or Keras'"
    )
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.training
def test_real_keras_logs_truncated_keep_validation(keras_logs, tmp_path):
    log_dir = tmp_path / "logs"
    shutil.copytree(keras_logs[0], log_dir)
    truncate(event_file(log_dir / "train"), 0.6)
    record = read_keras_logs(log_dir)
    assert len(record.epochs) == 3
    assert np.allclose(record.series("val_loss"), keras_logs[1]["val_loss"], rtol=1e-5)
    assert any("train/" in problem and "truncated" in problem for problem in record.problems)


@pytest.mark.training
def test_is_keras_log_dir_real(keras_logs):
    assert is_keras_log_dir(keras_logs[0])
    assert not is_keras_log_dir(keras_logs[0] / "train")


# kerasdiag's own logs ---------------------------------------------------------------------------------------


def test_probes_batch_loss_and_extra_round_trip(tmp_path):
    record = read_keras_logs(write_logs(tmp_path, epochs=3))
    assert record.problems == []
    assert record.probe_layers() == list(LAYERS)
    for step, epoch in enumerate(record.epochs):
        assert epoch.epoch == step + 1
        assert epoch.probes == {
            layer: {key: f32(probe_value(step, index, number)) for number, key in enumerate(PROBE_KEYS)}
            for index, layer in enumerate(LAYERS)
        }
        assert epoch.batch_loss == {
            "mean": step,
            "std": f32(step + 0.1),
            "min": f32(step + 0.2),
            "max": f32(step + 0.3),
        }
        names = ("penalty_loss", "probe_samples", "probe_wrong", "probe_near", "near_margin")
        assert epoch.extra == {name: 100 * step + number for number, name in enumerate(names)}
        assert epoch.metrics == {
            "loss": f32(1 / (step + 1)),
            "accuracy": f32(0.5 + step / 100),
            "learning_rate": f32(0.01),
            "val_loss": f32(2 / (step + 1)),
            "val_accuracy": f32(0.4 + step / 100),
        }


def test_train_only_logs(tmp_path):
    record = read_keras_logs(write_logs(tmp_path, probes=False, validation=False))
    assert record.problems == []
    assert len(record.epochs) == 4
    assert record.has("loss") and not record.has("val_loss")
    assert is_keras_log_dir(tmp_path)


@pytest.mark.parametrize("tag", ACCURACY_ALIASES)
def test_accuracy_aliases(tmp_path, tag):
    for split in ("train", "validation"):
        writer = SummaryWriter(tmp_path / split)
        writer.scalar(tag, 0.75, step=0)
        writer.close()
    metrics = read_keras_logs(tmp_path).epochs[0].metrics
    assert metrics == {"accuracy": 0.75, "val_accuracy": 0.75}


def test_classic_simple_value_scalars(tmp_path):
    values = [("epoch_loss", step, {"simple_value": 3.0 - step}) for step in range(3)]
    write_events(tmp_path / "train", values)
    record = read_keras_logs(tmp_path)
    assert list(record.series("loss")) == [3.0, 2.0, 1.0]


def test_duplicate_steps_keep_the_last(tmp_path):
    write_logs(tmp_path, epochs=3, probes=False)
    resumed = SummaryWriter(tmp_path / "train")  # a later file: a run resumed from epoch 2
    for step in (1, 2, 3):
        resumed.scalar("epoch_loss", 10.0 + step, step)
    resumed.close()
    record = read_keras_logs(tmp_path)
    assert list(record.series("loss")) == [1.0, 11.0, 12.0, 13.0]
    assert record.epochs[3].metrics == {"loss": 13.0}


def test_unknown_tags_are_ignored(tmp_path):
    train = SummaryWriter(tmp_path / "train")
    train.scalar("epoch_loss", 1.0, step=0)
    train.scalar("batch_loss", 5.0, step=7)
    train.scalar("epoch_f1_score", 0.5, step=0)
    train.text("diagnosis", "# all good", step=9)
    train.close()
    val = SummaryWriter(tmp_path / "validation")
    val.scalar("evaluation_loss_vs_iterations", 2.0, step=12)
    val.close()
    record = read_keras_logs(tmp_path)
    assert [(e.epoch, e.metrics) for e in record.epochs] == [(1, {"loss": 1.0})]
    assert record.model is None and record.problems == []


FUNCTIONAL_CONFIG = {
    "class_name": "Functional",
    "config": {
        "name": "net",
        "layers": [
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_shape": [None, 5]}},
            {
                "class_name": "Dense",
                "name": "hidden",
                "config": {
                    "name": "hidden",
                    "units": 4,
                    "activation": "tanh",
                    "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}},
                },
                "build_config": {"input_shape": [None, 5]},
            },
            {"class_name": "Dropout", "name": "drop", "config": {"name": "drop", "rate": 0.5}},
            {
                "class_name": "Dense",
                "name": "out",
                "config": {"name": "out", "units": 2, "activation": None, "use_bias": False},
                "build_config": {"input_shape": [None, 4]},
            },
        ],
    },
}


def test_keras_tag_functional_model(tmp_path):
    write_logs(tmp_path, epochs=1, probes=False)
    writer = SummaryWriter(tmp_path / "train")
    writer.text("keras", json.dumps(FUNCTIONAL_CONFIG))
    writer.close()
    model = read_keras_logs(tmp_path).model
    summary = [(x.name, x.kind, x.units, x.activation, x.params) for x in model.layers]
    assert summary == [
        ("in", "InputLayer", None, None, None),
        ("hidden", "Dense", 4, "tanh", 24),
        ("drop", "Dropout", None, None, None),
        ("out", "Dense", 2, "linear", 8),
    ]
    assert model.layers[1].l2 == pytest.approx(0.01) and model.layers[2].rate == 0.5
    assert model.total_params == 32


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"], ids=["invalid-json", "json-list"])
def test_corrupt_keras_tag_is_a_problem(tmp_path, text):
    write_logs(tmp_path, epochs=2, probes=False)
    writer = SummaryWriter(tmp_path / "train")
    writer.text("keras", text)
    writer.close()
    record = read_keras_logs(tmp_path)
    assert record.model is None
    assert len(record.epochs) == 2
    assert len(record.problems) == 1 and "train/keras" in record.problems[0]


# Damaged and missing logs ---------------------------------------------------------------------------------


def test_truncated_file_keeps_the_readable_epochs(tmp_path):
    write_logs(tmp_path, epochs=10)
    truncate(event_file(tmp_path / "train"), 0.6)
    record = read_keras_logs(tmp_path)
    losses = record.series("loss")
    readable = int(np.sum(~np.isnan(losses)))
    assert 0 < readable < 10
    assert np.allclose(losses[:readable], [f32(1 / (step + 1)) for step in range(readable)])
    assert len(record.epochs) == 10  # validation is intact
    (problem,) = record.problems
    assert problem.startswith("train/events.out.tfevents.") and "truncated" in problem


def test_garbage_file_beside_good_logs(tmp_path):
    write_logs(tmp_path, epochs=3, probes=False)
    garbage = tmp_path / "validation" / "events.out.tfevents.9999999999.host.1.v2"
    garbage.write_bytes(np.random.default_rng(0).bytes(4096))
    record = read_keras_logs(tmp_path)
    assert len(record.epochs) == 3 and record.has("val_loss")
    (problem,) = record.problems
    assert garbage.name in problem and "corrupt" in problem


def test_zero_filled_tail_is_a_problem(tmp_path):
    write_logs(tmp_path, epochs=3, probes=False, validation=False)
    file = event_file(tmp_path / "train")
    file.write_bytes(file.read_bytes() + bytes(64))  # a crash that left unwritten blocks
    record = read_keras_logs(tmp_path)
    assert len(record.epochs) == 3
    assert len(record.problems) == 1 and "corrupt" in record.problems[0]


def test_only_garbage_raises(tmp_path):
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "events.out.tfevents.1.host").write_bytes(np.random.default_rng(1).bytes(500))
    with pytest.raises(RunDirError, match="no readable event records"):
        read_keras_logs(tmp_path)


def test_readable_but_no_epochs_is_a_problem(tmp_path):
    write_events(tmp_path / "train", [])  # a run killed before its first epoch: only the file header
    record = read_keras_logs(tmp_path)
    assert record.epochs == []
    assert record.problems == ["no epoch scalars (epoch_loss, epoch_accuracy, ...) in the logs"]


def test_split_folder_instead_of_log_dir_raises_with_a_hint(tmp_path):
    write_logs(tmp_path, epochs=1, probes=False)
    with pytest.raises(RunDirError, match="event files directly in it; pass the folder above train/"):
        read_keras_logs(tmp_path / "train")


@pytest.mark.parametrize(
    ("make", "found"),
    [
        (lambda path: path.mkdir(), "no event files"),
        (lambda path: (path / "train").mkdir(parents=True), "no event files"),
        (lambda path: path.write_text("x"), "not a directory"),
        (lambda path: None, "does not exist"),
    ],
    ids=["empty-dir", "empty-train-dir", "file", "missing"],
)
def test_nothing_to_read_raises(tmp_path, make, found):
    path = tmp_path / "logs"
    make(path)
    assert not is_keras_log_dir(path)
    pattern = f"^Expected a TensorBoard log dir .*Received: path=.*logs \\({found}\\)$"
    with pytest.raises(RunDirError, match=pattern):
        read_keras_logs(path)
