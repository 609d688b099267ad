"""Logs written by other libraries: Keras 3 and Keras 2 TensorBoard, torch/tf.summary scalars, CSVLogger, History.

The files under tests/data/logs/ were written by the real libraries (tests/data/logs/make_logs.py says how to
regenerate them); `expected.json` holds what each library saw. No test here needs torch or tf_keras, none trains.
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
from kerasdiag.rundir.metric_names import metric_for

LOGS = Path(__file__).resolve().parents[1] / "data" / "logs"
EXPECTED = json.loads((LOGS / "expected.json").read_text())
PATHS = {"csv": LOGS / "csv" / "training.csv", "history": LOGS / "history" / "history.json"}
REPO = Path(__file__).resolve().parents[2]


def log_path(name):
    return PATHS.get(name, LOGS / name)


def diagnose(*args):
    result = CliRunner().invoke(main, ["diagnose", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_record_holds_what_the_library_wrote(name):
    expected = EXPECTED[name]
    record = load_record(log_path(name))
    assert record.source == expected["source"]
    assert [e.epoch for e in record.epochs] == list(range(1, expected["epochs"] + 1))
    assert record.problems == []
    for metric in expected["first"]:
        series = record.series(metric)
        assert series[0] == pytest.approx(expected["first"][metric], rel=1e-6), metric
        assert series[-1] == pytest.approx(expected["last"][metric], rel=1e-6), metric


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_json_names_the_source_and_finds_the_overfitting(name):
    result = diagnose(log_path(name), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["source"]["format"] == EXPECTED[name]["source"]
    assert set(payload["source"]["read"].values()) >= {"loss", "val_loss", "accuracy", "val_accuracy"}
    rules = [f["rule"] for f in payload["findings"]]
    assert ("overfitting" in rules) == EXPECTED[name]["overfitting"], rules


@pytest.mark.parametrize(
    ("name", "read", "ignored"),
    [
        ("torch", {"Loss/train": "loss", "Loss/val": "val_loss", "Accuracy/val": "val_accuracy"}, ["grad/total_norm"]),
        ("torch-flat", {"loss": "loss", "val_loss": "val_loss", "val_acc": "val_accuracy"}, ["grad/total_norm"]),
        ("torch-valid", {"train/loss": "loss", "valid/loss": "val_loss"}, ["grad/total_norm"]),
        ("torch-test", {"Train/Loss": "loss", "Test/Loss": "val_loss"}, ["grad/total_norm"]),
        ("tf-summary", {"loss": "loss", "val_loss": "val_loss"}, []),
        ("keras2-v1", {"epoch_loss": "loss", "epoch_val_loss": "val_loss"}, []),  # simple_value scalars
        ("keras2", {"train/epoch_loss": "loss", "validation/epoch_loss": "val_loss", "train/keras": "model"}, []),
        ("csv", {"loss": "loss", "val_loss": "val_loss"}, []),
        ("history", {"loss": "loss", "learning_rate": "learning_rate"}, []),
    ],
)
def test_tags_read_and_ignored(name, read, ignored):
    record = load_record(log_path(name))
    assert record.read_tags.items() >= read.items()
    for tag in ignored:
        assert tag in record.ignored_tags


def test_keras3_histograms_are_ignored_and_the_model_config_is_read():
    record = load_record(LOGS / "keras3")
    assert [(layer.kind, layer.units) for layer in record.model.parametric_layers] == [("Dense", 128), ("Dense", 2)]
    assert [layer.activation for layer in record.model.parametric_layers] == ["relu", "softmax"]
    assert record.read_tags["train/keras"] == "model"
    assert record.read_tags["train/epoch_learning_rate"] == "learning_rate"
    histograms = [tag for tag in record.ignored_tags if tag.endswith("/histogram")]
    assert len(histograms) == 4
    assert all(
        set(e.metrics) == {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"} for e in record.epochs
    )


def test_terminal_says_what_was_read_and_ignored():
    result = diagnose(LOGS / "torch", "--brief")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "read from tensorboard-scalars: Loss/train→loss, Loss/val→val_loss" in flat
    assert "ignored: grad/total_norm" in flat


def test_markdown_says_what_was_read():
    result = diagnose(PATHS["csv"], "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "_read from csv-logger: accuracy→accuracy, loss→loss" in result.output


def test_a_folder_of_logs_lists_each():
    assert [p.relative_to(LOGS).as_posix() for p in find_runs(LOGS)] == sorted(
        "csv/training.csv" if n == "csv" else "history/history.json" if n == "history" else n for n in EXPECTED
    )
    result = diagnose(LOGS, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == len(EXPECTED)


def test_csv_logger_named_training_log(tmp_path):
    """Keras's own CSVLogger example writes `training.log`."""
    (tmp_path / "training.log").write_text(PATHS["csv"].read_text())
    (tmp_path / "server.log").write_text("started\n")  # a log that is not a CSVLogger file: not a run
    assert find_runs(tmp_path) == [tmp_path / "training.log"]
    assert len(load_record(tmp_path / "training.log").epochs) == EXPECTED["csv"]["epochs"]


def test_a_folder_holding_one_csv_is_that_run():
    assert load_record(LOGS / "csv").source == "csv-logger"
    assert find_runs(LOGS / "csv") == [PATHS["csv"]]


def test_the_split_folder_of_keras_logs_is_not_read_as_scalars():
    """`logs/train` alone would read validation-less epoch_loss as `loss`: refuse it, as read_keras_logs does."""
    with pytest.raises(RunDirError, match="Expected"):
        load_record(LOGS / "keras3" / "train")


@pytest.mark.parametrize(
    ("tag", "metric"),
    [
        ("Loss/train", "loss"),
        ("Loss/val", "val_loss"),
        ("Accuracy/validation", "val_accuracy"),
        ("loss/valid", "val_loss"),
        ("test_loss", "val_loss"),
        ("train/acc", "accuracy"),
        ("epoch_val_sparse_categorical_accuracy", "val_accuracy"),
        ("lr", "learning_rate"),
        ("epoch_learning_rate", "learning_rate"),
        ("batch_loss", None),
        ("grad/total_norm", None),
        ("dense_1_loss", None),
        ("val_lr", None),
        ("train/val/loss", None),
        ("epoch", None),
        ("trainLoss", "loss"),  # camelCase, as torch scripts often name their tags
        ("valAccuracy", "val_accuracy"),
        ("Loss (validation)", "val_loss"),
        ("loss:test", "val_loss"),
        ("learningRate", "learning_rate"),
        ("denseLoss", None),
    ],
)
def test_metric_for(tag, metric):
    meaning = metric_for(tag)
    assert (meaning.metric if meaning else None) == metric


def test_validation_is_preferred_to_test_and_plain_names_to_long_ones(tmp_path):
    file = tmp_path / "h.json"
    file.write_text(
        json.dumps(
            {
                "test_loss": [9, 9],
                "val_loss": [1, 2],
                "sparse_categorical_accuracy": [0, 0],
                "acc": [0.5, 0.6],
                "loss": [3, 2],
            }
        )
    )
    record = load_record(file)
    assert record.series("val_loss").tolist() == [1, 2]
    assert record.series("accuracy").tolist() == [0.5, 0.6]
    assert record.ignored_tags == ["test_loss", "sparse_categorical_accuracy"]


CSV_HEADER = "epoch,accuracy,loss,val_accuracy,val_loss\n"


@pytest.mark.parametrize(
    ("file", "text", "problem"),
    [
        ("log.csv", CSV_HEADER, "a header and no epoch rows"),
        ("log.csv", CSV_HEADER + "0,0.5,abc,0.4,1.0\n1,0.6,0.9,0.5,1.1\n", "'abc' is not a number"),
        ("log.csv", CSV_HEADER + "0,0.5,1.0\n", "3 cells, header has 5"),
        ("h.json", '{"loss": [1, 0.5, 0.4], "val_loss": [1, 0.9]}', "'val_loss' has 2 values, others 3"),
        ("h.json", '{"loss": [1, "x", 0.4], "val_loss": [1, 0.9, 0.8]}', "'x' is not a number"),
    ],
    ids=["csv-header-only", "csv-non-numeric", "csv-short-row", "json-unequal-lists", "json-non-numeric"],
)
def test_odd_input_gives_a_partial_record_with_problems(tmp_path, file, text, problem):
    path = tmp_path / file
    path.write_text(text)
    record = load_record(path)
    assert any(problem in p for p in record.problems), record.problems
    result = diagnose(path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "run-incomplete" in [f["rule"] for f in json.loads(result.output)["findings"]]


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("log.csv", "", "with a header row"),
        ("log.csv", "a,b,c\n1,2,3\n", "with loss or val_loss columns"),
        ("h.json", "[1, 2, 3]", "dict of lists"),
        ("h.json", '{"loss": 0.5, "val_loss": 0.7}', "dict of lists"),
        ("h.json", '{"loss": [], "val_loss": []}', "dict of lists"),
        ("h.json", "{not json", "not JSON"),
        ("notes.txt", "hello", "Expected a directory, a CSVLogger .csv or .log, or a History .json"),
    ],
    ids=["csv-empty", "csv-no-metric-columns", "json-list", "json-no-lists", "json-empty-lists", "json-bad", "txt"],
)
def test_unreadable_input_is_one_line_error(tmp_path, file, text, message):
    path = tmp_path / file
    path.write_text(text)
    result = diagnose(path)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Expected" in result.output
    assert len(result.output.strip().splitlines()) <= 3  # one line, maybe wrapped by Click


def test_scalar_folder_without_metric_tags_is_one_line_error(tmp_path):
    from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

    writer = SummaryWriter(tmp_path)
    writer.scalar("grad/total_norm", 1.0, 0)
    writer.close()
    result = diagnose(tmp_path)
    assert result.exit_code == 1, result.output
    assert "Expected TensorBoard scalars naming epoch metrics" in result.output
    assert "grad/total_norm" in result.output


def test_steps_from_one_are_epochs_from_one(tmp_path):
    from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

    writer = SummaryWriter(tmp_path)
    for step in (1, 2, 3):
        writer.scalar("Loss/train", 1.0 / step, step)
    writer.close()
    assert [e.epoch for e in load_record(tmp_path).epochs] == [1, 2, 3]


def test_diagnose_foreign_logs_never_imports_tensorflow_or_keras():
    code = (
        "import sys; from kerasdiag.cli import main\n"
        f"for p in {[str(LOGS / 'torch'), str(PATHS['csv']), str(PATHS['history'])]!r}:\n"
        "    try: main(['diagnose', p, '--format', 'json'])\n"
        "    except SystemExit: pass\n"
        "print('LOADED', [m for m in ('tensorflow', 'keras', 'tf_keras', 'torch') if m in sys.modules])"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert "LOADED []" in out, out


def test_lightning_csv_rows_of_one_epoch_are_one_epoch(tmp_path):
    """PyTorch Lightning's CSVLogger: per-step rows, then a validation row and a training row per epoch."""
    lines = ["epoch,step,train_loss_step,val_loss,val_acc,train_loss_epoch,train_acc_epoch"]
    for epoch in range(6):
        lines += [f"{epoch},{epoch * 10 + 4},0.9,,,,", f"{epoch},{epoch * 10 + 9},0.8,,,,"]
        lines += [
            f"{epoch},{epoch * 10 + 9},,{0.5 + 0.01 * epoch},0.8,,",
            f"{epoch},{epoch * 10 + 9},,,,{1 / (epoch + 1)},0.7",
        ]
    file = tmp_path / "metrics.csv"
    file.write_text("\n".join(lines) + "\n")
    record = load_record(file)
    assert not record.problems and len(record.epochs) == 6
    assert record.series("loss").tolist() == pytest.approx([1 / (e + 1) for e in range(6)])
    assert record.series("val_loss").tolist() == pytest.approx([0.5 + 0.01 * e for e in range(6)])
    assert "train_loss_step" in record.ignored_tags


def test_a_repeated_epoch_whose_values_differ_is_still_a_repeat(tmp_path):
    file = tmp_path / "training.csv"
    file.write_text("epoch,loss,val_loss\n0,1.0,1.1\n1,0.8,0.9\n1,0.7,0.85\n2,0.6,0.8\n")
    record = load_record(file)
    assert record.series("loss").tolist() == [1.0, 0.8, 0.6]
    assert any("repeats epoch 2" in problem for problem in record.problems)


def test_lightning_tensorboard_steps_are_numbered_by_its_epoch_scalar(tmp_path):
    """PyTorch Lightning logs at the global step and adds an `epoch` scalar (0-based) beside every value."""
    from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

    writer = SummaryWriter(tmp_path / "version_0")
    for epoch in range(6):
        step = 50 * (epoch + 1) - 1
        writer.scalar("train_loss_step", 1.0, step - 20)
        writer.scalar("epoch", epoch, step - 20)
        writer.scalar("val_loss", 0.5 + 0.01 * epoch, step)
        writer.scalar("train_loss_epoch", 1 / (epoch + 1), step)
        writer.scalar("epoch", epoch, step)
    writer.close()
    record = load_record(tmp_path / "version_0")
    assert record.epoch_numbers.tolist() == [1, 2, 3, 4, 5, 6]
    assert record.series("loss").tolist() == pytest.approx([1 / (e + 1) for e in range(6)])


def test_keras_logs_with_batch_points_only_are_refused_in_one_line_not_called_damaged(tmp_path):
    """update_freq=10 with 3 batches an epoch and 6 epochs: no epoch ended on a multiple of 10."""
    from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

    writer = SummaryWriter(tmp_path / "logs" / "train")
    writer.scalar("batch_loss", 0.7, 10)
    writer.scalar("batch_accuracy", 0.5, 10)
    writer.close()
    result = diagnose(tmp_path / "logs")
    assert result.exit_code != 0 and "run-incomplete" not in result.output
    assert "only per-batch points, every 10 batches" in result.output and len(result.output.strip().splitlines()) == 1


def test_a_history_of_fit_with_validation_freq_places_each_validation_at_its_epoch(tmp_path):
    """fit(validation_freq=2) over 20 epochs: 10 validations, after epochs 2, 4, ... 20; no damage, no mismatch."""
    from kerasdiag.diagnosis.engine import diagnose_run

    val = [0.9, 0.7, 0.6, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    history = {
        "loss": [1 / (e + 1) for e in range(20)],
        "accuracy": [min(0.99, 0.5 + 0.03 * e) for e in range(20)],
        "val_loss": val,
        "val_accuracy": [0.8] * 10,
    }
    file = tmp_path / "history.json"
    file.write_text(json.dumps(history))
    record = load_record(file)
    assert not record.problems
    assert record.series("val_loss")[1::2].tolist() == val and np.isnan(record.series("val_loss")[0::2]).all()
    found = {f.rule: f for f in diagnose_run(record).findings}
    assert "run-incomplete" not in found and "validation-mismatch" not in found
    assert found["overfitting"].evidence["best_epoch"] == 8


def test_a_csvlogger_na_cell_is_an_epoch_without_validation_not_damage(tmp_path):
    """Keras's CSVLogger writes NA where fit(validation_freq=2) skipped the validation."""
    file = tmp_path / "training.log"
    rows = [
        f"{e},{0.5 + 0.05 * e},{1 / (e + 1)},{'NA' if e % 2 == 0 else 0.6},{'NA' if e % 2 == 0 else 0.8}"
        for e in range(6)
    ]
    file.write_text("epoch,accuracy,loss,val_accuracy,val_loss\n" + "\n".join(rows) + "\n")
    record = load_record(file)
    assert not record.problems and len(record.epochs) == 6
    assert np.isnan(record.series("val_loss")[0::2]).all() and record.series("val_loss")[1::2].tolist() == [0.8] * 3


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csvlogger_with_another_separator_is_read(tmp_path, separator):
    file = tmp_path / "training.csv"
    rows = ["epoch,accuracy,loss,val_loss", "0,0.5,1.0,1.1", "1,0.6,0.8,0.9"]
    file.write_text("\n".join(row.replace(",", separator) for row in rows) + "\n")
    record = load_record(file)
    assert record.series("val_loss").tolist() == [1.1, 0.9] and not record.problems


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("history.csv", ",loss,val_loss\n0,1.0,1.1\n1,0.8,0.9\n"),  # pd.DataFrame(history.history).to_csv(...)
        ("history.json", '{"loss": {"0": 1.0, "1": 0.8}, "val_loss": {"0": 1.1, "1": 0.9}}'),  # .to_json()
        ("history.json", '[{"loss": 1.0, "val_loss": 1.1}, {"loss": 0.8, "val_loss": 0.9}]'),  # orient="records"
    ],
)
def test_a_history_saved_through_pandas_is_read(tmp_path, name, text):
    file = tmp_path / name
    file.write_text(text)
    record = load_record(file)
    assert record.series("loss").tolist() == [1.0, 0.8] and record.series("val_loss").tolist() == [1.1, 0.9]
    assert not record.problems and "" not in record.ignored_tags


def test_a_folder_holding_one_log_file_is_named_by_the_folder_and_the_file():
    result = diagnose(LOGS / "csv")
    assert result.exit_code == 0 and result.output.splitlines()[0].endswith(f"csv{os.sep}training.csv")


def test_a_csvlogger_file_appended_by_two_runs_is_two_runs_the_newest_diagnosed():
    """CSVLogger(append=True) run twice: the epochs start again from 0; no line is damage."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "training.log"
        first = [f"{e},{1 / (e + 1)},{1.1 / (e + 1)}" for e in range(6)]
        second = [f"{e},{0.5 / (e + 1)},{0.6 / (e + 1)}" for e in range(8)]
        file.write_text("epoch,loss,val_loss\n" + "\n".join(first + second) + "\n")
        record = load_record(file)
        assert not record.problems and len(record.epochs) == 8 and record.series("loss")[0] == 0.5
        (earlier,) = record.earlier_runs
        assert len(earlier.epochs) == 6 and not earlier.problems
        output = diagnose(file).output
        assert "(run 1 of 2)" in output and "CSVLogger(append=True)" in output
