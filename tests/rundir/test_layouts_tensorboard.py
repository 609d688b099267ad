"""Plain TensorBoard layouts learners write, read through `load_record` (what `kerasdiag diagnose` reads with).

torch's `SummaryWriter` writes through tensorboard's `EventFileWriter` with `simple_value` scalars: the files here
are written by that class, in a subprocess with tensorboard's TF-free marker so that TensorFlow is never imported.
The `train/` + `test/` layout and Keras's `update_freq` points are written with kerasdiag's own writer (one-element
float tensors, as `tf.summary` writes them); test_layouts_writers.py writes them with TensorFlow and Keras.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.errors import RunDirError
from kerasdiag.rundir.find import find_runs, load_record
from kerasdiag.rundir.metric_names import scalars_metric
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

REPO = Path(__file__).resolve().parents[2]
# Writes the folders of a JSON spec {folder: [[tag, step, value], ...]} with EventFileWriter, as torch does:
# one writer (and file) per folder, `simple_value` scalars.
TORCH_STYLE_WRITER = """
import json, sys, types
sys.modules["tensorboard.compat.notf"] = types.ModuleType("tensorboard.compat.notf")
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
for folder, values in json.loads(sys.argv[1]).items():
    writer = EventFileWriter(folder)
    for tag, step, number in values:
        value = summary_pb2.Summary.Value(tag=tag, simple_value=number)
        writer.add_event(event_pb2.Event(step=step, wall_time=1.0, summary=summary_pb2.Summary(value=[value])))
    writer.close()
assert "tensorflow" not in sys.modules
"""


def f32(value):
    return float(np.float32(value))


def write_torch_style(spec):
    """Writes {folder: [(tag, step, value), ...]} with tensorboard's EventFileWriter."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    payload = json.dumps({str(folder): values for folder, values in spec.items()})
    subprocess.run([sys.executable, "-c", TORCH_STYLE_WRITER, payload], env=env, check=True, timeout=120)


def add_scalars(log_dir, main_tag, series, epochs=3):
    """The folders torch's `add_scalars(main_tag, {key: value}, epoch)` writes: `<main_tag>_<key>/`, tag main_tag."""
    folder = main_tag.replace("/", "_")
    return {
        log_dir / f"{folder}_{key}": [(main_tag, epoch, value(epoch)) for epoch in range(epochs)]
        for key, value in series.items()
    }


def write_splits(log_dir, splits, epochs=3):
    """One kerasdiag SummaryWriter per split folder: {folder: {tag: value(epoch)}} at steps 0..epochs-1."""
    for folder, tags in splits.items():
        writer = SummaryWriter(log_dir / folder)
        for step in range(epochs):
            for tag, value in tags.items():
                writer.scalar(tag, value(step), step)
        writer.close()
    return log_dir


TUTORIAL = {
    "train": {"loss": lambda e: 1 / (e + 1), "accuracy": lambda e: 0.5 + e / 10},
    "test": {"loss": lambda e: 1.5 / (e + 1), "accuracy": lambda e: 0.4 + e / 10},
}


# 1. The TensorBoard tutorial's tf.GradientTape loop: train/ and test/ folders, tags `loss` and `accuracy`.


def test_gradient_tape_layout_reads_train_and_test_as_validation(tmp_path):
    record = load_record(write_splits(tmp_path, TUTORIAL))
    assert record.source == "keras-logs"
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3]
    assert record.series("loss").tolist() == [f32(1), f32(1 / 2), f32(1 / 3)]
    assert record.series("val_loss").tolist() == [f32(1.5), f32(1.5 / 2), f32(1.5 / 3)]
    assert record.series("val_accuracy").tolist() == [f32(0.4), f32(0.5), f32(0.6)]
    assert record.read_tags == {
        "train/loss": "loss",
        "train/accuracy": "accuracy",
        "test/loss": "val_loss",
        "test/accuracy": "val_accuracy",
    }


@pytest.mark.parametrize("held_out", ["validation", "val", "valid", "eval", "evaluation", "test"])
def test_held_out_folder_names(tmp_path, held_out):
    record = load_record(write_splits(tmp_path, {"train": TUTORIAL["train"], held_out: TUTORIAL["test"]}))
    assert record.series("val_loss").tolist() == [f32(1.5), f32(1.5 / 2), f32(1.5 / 3)]
    assert record.read_tags[f"{held_out}/accuracy"] == "val_accuracy"


def test_validation_folder_is_preferred_to_test(tmp_path):
    splits = {**TUTORIAL, "validation": {"loss": lambda e: 9.0}}
    record = load_record(write_splits(tmp_path, splits))
    assert record.series("val_loss").tolist() == [9.0, 9.0, 9.0]
    assert "test/*" in record.ignored_tags


def test_a_run_named_test_among_runs_is_one_run_not_a_held_out_side(tmp_path):
    """Without a train folder beside it, `test/` is a run of its own (torch's SummaryWriter('runs/test'))."""
    for name in ("test", "baseline"):
        write_splits(tmp_path / name, {".": {"Loss/train": lambda e: 1.0, "Loss/val": lambda e: 2.0}})
    assert find_runs(tmp_path) == [tmp_path / "baseline", tmp_path / "test"]
    assert load_record(tmp_path / "test").read_tags == {"Loss/train": "loss", "Loss/val": "val_loss"}


def test_diagnose_reads_the_gradient_tape_layout(tmp_path):
    result = CliRunner().invoke(main, ["diagnose", str(write_splits(tmp_path, TUTORIAL)), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload["source"]["read"].values()) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert "run-incomplete" not in [f["rule"] for f in payload["findings"]]


# 2. torch's SummaryWriter: add_scalars sub-folders beside the main writer's add_scalar tags.


@pytest.fixture(scope="module")
def torch_logs(tmp_path_factory):
    """Three runs as torch writes them: add_scalars with split keys, the PyTorch tutorial's add_scalars, add_scalar."""
    root = tmp_path_factory.mktemp("torch")
    keys = root / "keys"
    spec = {keys: [("Learning rate", epoch, 0.01) for epoch in range(3)]}  # the main writer's own add_scalar
    spec |= add_scalars(keys, "Loss", {"train": lambda e: 1 / (e + 1), "val": lambda e: 1.5 / (e + 1)})
    spec |= add_scalars(keys, "Accuracy", {"train": lambda e: 0.5 + e / 10, "test": lambda e: 0.4 + e / 10})
    tutorial = root / "tutorial"
    spec[tutorial] = []  # SummaryWriter() writes its own event file, empty but for the file version
    title = "Training vs. Validation Loss"
    spec |= add_scalars(tutorial, title, {"Training": lambda e: 2.0 - e, "Validation": lambda e: 3.0 - e})
    plain = root / "plain"
    spec[plain] = [
        (tag, epoch, value)
        for epoch in range(3)
        for tag, value in (("Loss/train", 1 / (epoch + 1)), ("Loss/val", 2.0), ("Accuracy/test", 0.25 * epoch))
    ]
    write_torch_style(spec)
    return root


def test_add_scalars_sub_folders_are_read_by_main_tag_and_key(torch_logs):
    record = load_record(torch_logs / "keys")
    assert record.source == "tensorboard-scalars"
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3]
    assert record.series("loss").tolist() == [f32(1), f32(1 / 2), f32(1 / 3)]
    assert record.series("val_loss").tolist() == [f32(1.5), f32(1.5 / 2), f32(1.5 / 3)]
    assert record.series("accuracy").tolist() == [f32(0.5), f32(0.6), f32(0.7)]
    assert record.series("val_accuracy").tolist() == [f32(0.4), f32(0.5), f32(0.6)]
    assert record.series("learning_rate").tolist() == [f32(0.01)] * 3
    assert record.read_tags == {
        "Learning rate": "learning_rate",
        "Accuracy_test/Accuracy": "val_accuracy",
        "Accuracy_train/Accuracy": "accuracy",
        "Loss_train/Loss": "loss",
        "Loss_val/Loss": "val_loss",
    }


def test_add_scalars_of_the_pytorch_tutorial(torch_logs):
    record = load_record(torch_logs / "tutorial")
    assert record.series("loss").tolist() == [2.0, 1.0, 0.0]
    assert record.series("val_loss").tolist() == [3.0, 2.0, 1.0]
    assert list(record.epoch_numbers) == [1, 2, 3]


def test_add_scalar_split_tags_in_one_folder(torch_logs):
    record = load_record(torch_logs / "plain")
    assert record.read_tags == {"Loss/train": "loss", "Loss/val": "val_loss", "Accuracy/test": "val_accuracy"}
    assert record.series("val_accuracy").tolist() == [0.0, 0.25, 0.5]
    assert list(record.epoch_numbers) == [1, 2, 3]


def test_an_add_scalars_sub_folder_is_part_of_its_run(torch_logs):
    assert find_runs(torch_logs) == [torch_logs / name for name in ("keys", "plain", "tutorial")]
    with pytest.raises(RunDirError):
        load_record(torch_logs / "keys" / "Loss_val")  # alone, its `Loss` would read as the training loss


def test_a_sub_folder_that_is_no_add_scalars_series_is_listed_as_ignored(tmp_path):
    write_torch_style({tmp_path: [("Loss/train", 0, 1.0)], tmp_path / "profile": [("Loss/val", 0, 2.0)]})
    record = load_record(tmp_path)
    assert record.read_tags == {"Loss/train": "loss"}
    assert record.ignored_tags == ["profile/Loss/val"]


@pytest.mark.parametrize(
    ("main_tag", "key", "metric"),
    [
        ("Loss", "train", "loss"),
        ("Loss", "validation", "val_loss"),
        ("Accuracy", "test", "val_accuracy"),
        ("acc", "val", "val_accuracy"),
        ("Training vs. Validation Loss", "Validation", "val_loss"),
        ("Losses", "val_loss", "val_loss"),
        ("val", "loss", "val_loss"),
        ("Loss", "fold1", None),
        ("grad", "train", None),
    ],
)
def test_scalars_metric(main_tag, key, metric):
    meaning = scalars_metric(main_tag, key)
    assert (meaning.metric if meaning else None) == metric


# 3. keras.callbacks.TensorBoard(update_freq=N): epoch scalars only where the batch counter is a multiple of N.


def write_update_freq_logs(log_dir, epochs=4, steps=3, every=2, val_batches=2):
    """What Keras 3 writes with update_freq=`every`, `steps` batches an epoch and `val_batches` validation
    batches: epoch scalars where the batch counter is a multiple of `every` (epochs 2 and 4), a validation point
    (at iteration epoch x steps) where the validation batch counter is (every epoch), batch points at every
    `every`-th batch (the epoch's running mean)."""
    train, val = SummaryWriter(log_dir / "train"), SummaryWriter(log_dir / "validation")
    for epoch in range(1, epochs + 1):
        for batch in range((epoch - 1) * steps + 1, epoch * steps + 1):
            if batch % every == 0:
                train.scalar("batch_loss", train_loss(epoch, batch - (epoch - 1) * steps), batch)
        if epoch * val_batches % every == 0:
            val.scalar("evaluation_loss_vs_iterations", 2.0 / epoch, epoch * steps)
            val.scalar("evaluation_accuracy_vs_iterations", 0.1 * epoch, epoch * steps)
        if epoch * steps % every == 0:
            train.scalar("epoch_loss", train_loss(epoch, steps), epoch - 1)
            val.scalar("epoch_loss", 2.0 / epoch, epoch - 1)
            val.scalar("epoch_accuracy", 0.1 * epoch, epoch - 1)
    train.close()
    val.close()
    return log_dir


def train_loss(epoch, batch):
    """The running mean after `batch` batches of `epoch`."""
    return 1.0 / epoch + 0.01 * batch


def test_update_freq_fills_the_epochs_without_epoch_scalars(tmp_path):
    record = load_record(write_update_freq_logs(tmp_path))
    assert record.problems == []
    assert list(record.epoch_numbers) == [1, 2, 3, 4]
    assert record.series("val_loss").tolist() == [f32(2.0 / e) for e in (1, 2, 3, 4)]
    assert record.series("val_accuracy").tolist() == [f32(0.1 * e) for e in (1, 2, 3, 4)]
    # epochs 1 and 3: the last batch point (batch 2 of 3, and global batch 8 = batch 2 of epoch 3)
    expected_loss = [train_loss(1, 2), train_loss(2, 3), train_loss(3, 2), train_loss(4, 3)]
    assert record.series("loss").tolist() == [f32(value) for value in expected_loss]
    expected_tags = {
        "train/epoch_loss": "loss",
        "train/batch_loss": "loss",
        "validation/epoch_loss": "val_loss",
        "validation/evaluation_loss_vs_iterations": "val_loss",
        "validation/evaluation_accuracy_vs_iterations": "val_accuracy",
    }
    assert record.read_tags.items() >= expected_tags.items()


def test_an_epoch_the_points_give_no_validation_value_gets_its_training_values_alone(tmp_path):
    """One validation batch an epoch: Keras writes the validation points at the epochs of the epoch scalars only.
    Every epoch gets its training values; the validation curve has the gaps Keras left (read as the epochs that
    were validated, as with fit(validation_freq=2))."""
    record = load_record(write_update_freq_logs(tmp_path, val_batches=1))
    assert list(record.epoch_numbers) == [1, 2, 3, 4]
    expected_loss = [train_loss(1, 2), train_loss(2, 3), train_loss(3, 2), train_loss(4, 3)]
    assert record.series("loss").tolist() == [f32(value) for value in expected_loss]
    val = record.series("val_loss")
    assert np.isnan(val[[0, 2]]).all() and val[[1, 3]].tolist() == [f32(2.0 / 2), f32(2.0 / 4)]
    assert "train/batch_loss" in record.read_tags


def test_per_iteration_points_are_ignored_where_every_epoch_has_its_scalars(tmp_path):
    record = load_record(write_update_freq_logs(tmp_path, epochs=3, steps=2, every=1))
    assert list(record.epoch_numbers) == [1, 2, 3]
    assert record.series("val_loss").tolist() == [f32(2.0 / e) for e in (1, 2, 3)]
    assert "validation/evaluation_loss_vs_iterations" in record.ignored_tags
    assert "train/batch_loss" in record.ignored_tags


def test_per_iteration_points_without_any_epoch_to_place_them_by_are_ignored(tmp_path):
    """One epoch scalar, no point holding its value: the steps per epoch are unknown, nothing is guessed."""
    write_splits(tmp_path, {"train": {"epoch_loss": lambda e: 1.0}}, epochs=1)
    val = SummaryWriter(tmp_path / "validation")
    for epoch in (1, 2, 3):
        val.scalar("evaluation_loss_vs_iterations", 2.0 / epoch, 5 * epoch)
    val.close()
    record = load_record(tmp_path)
    assert list(record.epoch_numbers) == [1]
    assert not record.has("val_loss")
    assert "validation/evaluation_loss_vs_iterations" in record.ignored_tags


def test_tensorboardx_add_scalars_nest_a_folder_per_key(tmp_path):
    """tensorboardX (which the corpus's torch-style scripts use) writes `Loss/train/`, not `Loss_train/`."""
    tensorboardx = pytest.importorskip("tensorboardX")
    writer = tensorboardx.SummaryWriter(str(tmp_path))
    for epoch in range(3):
        writer.add_scalars("Loss", {"train": 1 / (epoch + 1), "val": 2.0}, epoch)
        writer.add_scalars("Accuracy/epoch", {"train": 0.5, "test": 0.25 * epoch}, epoch)
    writer.close()
    assert find_runs(tmp_path) == [tmp_path]
    record = load_record(tmp_path)
    assert record.read_tags == {
        "Accuracy/epoch/test/Accuracy/epoch": "val_accuracy",
        "Accuracy/epoch/train/Accuracy/epoch": "accuracy",
        "Loss/train/Loss": "loss",
        "Loss/val/Loss": "val_loss",
    }
    assert record.series("loss").tolist() == [f32(1), f32(1 / 2), f32(1 / 3)]
    assert record.series("val_accuracy").tolist() == [0.0, 0.25, 0.5]
    assert list(record.epoch_numbers) == [1, 2, 3]
