"""The readers trust no byte (issue 20): each defect the fuzz suite (`test_fuzz.py`) or the review found, pinned.

Text of any encoding is shown escaped, paths that are no folder or file are refused in one line, numbers that
overflow and JSON nested 3,000 deep are damage, sizes are capped before reading (the caps of `kerasdiag/limits.py`,
made small here), TFRecord payload checksums are checked, epochs out of order are reported, and so are unreadable
entries, fields of the wrong type and probabilities that are not probabilities.
"""

from __future__ import annotations

import json
import os
import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from kerasdiag.cli import main
from kerasdiag.errors import RunDirError
from kerasdiag.rundir.find import load_record
from kerasdiag.rundir.reader import read_run
from kerasdiag.rundir.tensorboard.read.events import natural_key, scalar_value
from kerasdiag.rundir.tensorboard.read.reader import read_keras_logs
from kerasdiag.rundir.tensorboard.write.records import frame
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter

ENV = {"COLUMNS": "120", "NO_COLOR": "1"}


def diagnose(path: Path | str, *args: str) -> Result:
    result = CliRunner(env=ENV).invoke(main, ["diagnose", os.fsdecode(path), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    return result


def shows(result: Result, fmt: str, text: str) -> bool:
    """Tells whether the output holds `text` (in JSON output, as a JSON string holds it)."""
    return (json.dumps(text, ensure_ascii=False)[1:-1] if fmt == "json" else text) in result.output


def problems_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    incomplete = [f for f in payload["findings"] if f["rule"] == "run-incomplete"]
    return incomplete[0]["evidence"]["problems"] if incomplete else []


def one_line(result: Result, *parts: str) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: Expected") and "Received:" in lines[0], result.output
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def keras_logs(root: Path, epochs: int = 6, val_loss: float = 0.8465) -> Path:
    """A Keras TensorBoard log folder: epoch_loss and epoch_accuracy in train/, epoch_loss in validation/."""
    for split in ("train", "validation"):
        writer = SummaryWriter(root / split)
        for step in range(epochs):
            writer.scalar("epoch_loss", 1.0 / (step + 1) if split == "train" else val_loss, step)
            if split == "train":
                writer.scalar("epoch_accuracy", 0.5 + 0.05 * step, step)
        writer.close()
    return root


def event_file(root: Path, split: str) -> Path:
    return next((root / split).glob("events.out.tfevents.*"))


def payloads(file: Path) -> list[bytes]:
    data, out, offset = file.read_bytes(), [], 0
    while offset < len(data):
        (length,) = struct.unpack_from("<Q", data, offset)
        out.append(data[offset + 12 : offset + 12 + length])
        offset += 16 + length
    return out


# --- text of any encoding: shown escaped, never the whole output lost ----------------------------------------


def test_a_lone_surrogate_in_run_json_is_shown_escaped(run_dir):
    run = run_dir("surrogate", status="failed", error="boom \ud800 here")  # json.dumps writes "\ud800"
    for fmt in ("text", "json"):
        result = diagnose(run, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert shows(result, fmt, "boom \\ud800 here"), result.output


def test_a_folder_name_that_is_not_utf8_is_shown_escaped(run_dir, tmp_path):
    run = run_dir("plain")
    os.rename(os.fsencode(run), os.fsencode(tmp_path) + b"/bad\xffname")
    for fmt in ("text", "json"):
        result = diagnose(tmp_path, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert shows(result, fmt, "bad\\xffname"), result.output


def test_a_control_character_in_a_folder_name_is_shown_escaped(run_dir, tmp_path):
    run = run_dir("plain")
    run.rename(tmp_path / "run\x1b[2Jcleared")
    for fmt in ("text", "json"):
        result = diagnose(tmp_path, "--format", fmt)
        assert shows(result, fmt, "run\\x1b[2Jcleared") and "\x1b" not in result.output, result.output


# --- paths that are no folder and no regular file ---------------------------------------------------------------


def test_a_fifo_as_the_path_is_one_line(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line(diagnose(fifo), "a FIFO")


def test_dev_null_as_the_path_is_one_line():
    one_line(diagnose("/dev/null"), "/dev/null", "a device")


@pytest.mark.parametrize("what", ["folder", "devzero", "fifo", "loop"])
def test_run_json_that_is_no_regular_file_is_reported_and_never_read(run_dir, what):
    run = run_dir("odd")
    file = run / "run.json"
    file.unlink()
    {"folder": file.mkdir, "devzero": lambda: file.symlink_to("/dev/zero"), "fifo": lambda: os.mkfifo(file)}.get(
        what, lambda: file.symlink_to(file)
    )()
    problems = problems_of(diagnose(run, "--format", "json"))
    assert any(p.startswith("run.json is unreadable (") and "not a regular file" in p for p in problems), problems


def test_a_run_whose_files_are_all_unreadable_is_one_line_not_read_as_other_logs(run_dir):
    run = run_dir("odd")
    keras_logs(run)  # train/ and validation/ beside: never read instead of the damaged run files
    (run / "run.json").unlink()
    (run / "run.json").mkdir()
    (run / "history.jsonl").unlink()
    (run / "history.jsonl").symlink_to("/dev/zero")
    one_line(diagnose(run), "neither could be read")


# --- numbers that overflow, JSON nested too deeply, unknown dtypes -------------------------------------------


def test_a_csv_epoch_of_inf_is_reported_and_the_row_skipped(tmp_path):
    log = tmp_path / "training.csv"
    log.write_text("epoch,loss,val_loss\n0,1.0,1.1\ninf,0.5,0.6\n2,0.4,0.5\n")
    record = load_record(log)
    assert [e.epoch for e in record.epochs] == [1, 3]
    assert any("epoch 'inf' is not a whole number" in p for p in record.problems), record.problems
    assert any("jumps from epoch 1 to 3" in p for p in record.problems), record.problems
    diagnose(log)


def test_an_event_step_of_2_pow_63_minus_1_is_reported(tmp_path):
    logs = keras_logs(tmp_path / "logs")
    writer = SummaryWriter(tmp_path / "logs" / "train")
    writer.scalar("epoch_loss", 0.1, 2**63 - 1)
    writer.close()
    record = read_keras_logs(logs)
    assert len(record.epochs) == 6
    assert any("steps outside 0..999,999,999" in p and str(2**63 - 1) in p for p in record.problems)
    diagnose(logs)


def test_a_history_json_nested_3000_deep_is_one_line(tmp_path):
    log = tmp_path / "history.json"
    log.write_text('{"loss": [1.0, 0.5], "x": ' + "[" * 3000 + "]" * 3000 + "}")
    one_line(diagnose(log), "nested too deeply")
    one_line(diagnose(tmp_path), "nested too deeply")  # a folder scan names it with its damage, never drops it


def test_a_keras_model_config_nested_3000_deep_is_reported(tmp_path):
    logs = keras_logs(tmp_path / "logs")
    writer = SummaryWriter(logs / "train")
    writer.text("keras", "[" * 3000 + "]" * 3000, 0)
    writer.close()
    assert any("nested too deeply" in p for p in read_keras_logs(logs).problems)


def test_an_event_tensor_of_an_unknown_dtype_is_reported_not_read(tmp_path):
    from tensorboard.compat.proto import event_pb2

    logs = keras_logs(tmp_path / "logs")
    file = event_file(logs, "train")
    records = payloads(file)
    for index, payload in enumerate(records):
        event = event_pb2.Event.FromString(payload)
        if event.step == 2 and event.summary.value and event.summary.value[0].tag == "epoch_loss":
            event.summary.value[0].ClearField("simple_value")
            event.summary.value[0].tensor.dtype = 21  # DT_VARIANT: tensorboard's make_ndarray raised KeyError
            event.summary.value[0].tensor.tensor_content = b"\x00" * 4
            records[index] = event.SerializeToString()
    file.write_bytes(b"".join(frame(p) for p in records))
    record = read_keras_logs(logs)
    assert np.isnan(record.series("loss")[2])
    assert any("are not numbers (the first: epoch_loss at step 2)" in p for p in record.problems), record.problems


def test_a_tensor_that_claims_many_elements_is_never_expanded():
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2

    shape = tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=10**7)])
    value = summary_pb2.Summary.Value(tag="epoch_loss", tensor=tensor_pb2.TensorProto(dtype=1, tensor_shape=shape))
    value.tensor.float_val.append(1.0)
    tracemalloc.start()
    try:
        assert scalar_value(value) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20, peak  # make_ndarray would fill 10^7 floats (40 MB)


def test_event_files_with_non_ascii_digits_in_their_names_sort():
    names = ["events.out.tfevents.1²", "events.out.tfevents.10.x", "events.out.tfevents.9.x"]
    ordered = [path.name for path in sorted((Path(n) for n in names), key=natural_key)]
    assert ordered == ["events.out.tfevents.1²", "events.out.tfevents.9.x", "events.out.tfevents.10.x"]


def test_a_history_json_integer_of_400_digits_is_reported(tmp_path):
    log = tmp_path / "history.json"
    log.write_text('{"loss": [1.0, ' + "9" * 400 + ', 0.5], "val_loss": [1, "0.5", ""]}')
    record = load_record(log)
    assert [round(v, 3) for v in record.series("loss")[[0, 2]]] == [1.0, 0.5]
    assert len([p for p in record.problems if "is not a number" in p]) == 3, record.problems


def test_a_keras_model_config_with_a_string_unit_count_is_reported(tmp_path):
    logs = keras_logs(tmp_path / "logs")
    layer = {
        "class_name": "Dense",
        "config": {"name": "d", "units": "x"},
        "build_config": {"input_shape": [None, 10**6]},
    }
    writer = SummaryWriter(logs / "train")
    writer.text("keras", json.dumps({"class_name": "Sequential", "config": {"layers": [layer]}}), 0)
    writer.close()
    record = read_keras_logs(logs)
    assert record.model is None
    assert any("units is 'x'" in p for p in record.problems), record.problems


# --- size caps before reading ----------------------------------------------------------------------------------


def test_run_json_past_its_cap_is_not_read(run_dir, monkeypatch):
    monkeypatch.setattr("kerasdiag.rundir.reader.MAX_RUN_JSON_BYTES", 20)
    record = read_run(run_dir("big"))
    assert record.config is None
    assert any("past MAX_RUN_JSON_BYTES = 20" in p for p in record.problems), record.problems


def test_history_past_its_cap_is_read_up_to_it(run_dir, monkeypatch):
    run = run_dir("long", epochs=50)
    lines = (run / "history.jsonl").read_bytes().splitlines(keepends=True)
    monkeypatch.setattr("kerasdiag.rundir.reader.MAX_HISTORY_BYTES", sum(map(len, lines[:10])) + 5)
    record = read_run(run)
    assert len(record.epochs) == 10
    assert any("history.jsonl was read up to a cap" in p and "MAX_HISTORY_BYTES" in p for p in record.problems)


def test_a_history_line_without_an_end_is_skipped_not_held(run_dir, monkeypatch):
    run = run_dir("endless", epochs=3)
    monkeypatch.setattr("kerasdiag.rundir.reader.MAX_HISTORY_LINE_BYTES", 1000)
    with open(run / "history.jsonl", "a") as stream:
        stream.write('{"epoch": 4, "loss": ' + "1" * 5000 + "\n")
        stream.write('{"epoch": 4, "loss": 0.2}\n')
    record = read_run(run)
    assert [e.epoch for e in record.epochs] == [1, 2, 3, 4]
    assert any("line 4 is damaged (longer than MAX_HISTORY_LINE_BYTES)" in p for p in record.problems)


def test_history_symlinked_to_dev_zero_is_reported_not_read(run_dir):
    run = run_dir("zero")
    (run / "history.jsonl").unlink()
    (run / "history.jsonl").symlink_to("/dev/zero")
    problems = problems_of(diagnose(run, "--format", "json"))
    assert any("history.jsonl is unreadable (a device, not a regular file)" in p for p in problems), problems


def test_a_csv_past_its_cap_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr("kerasdiag.rundir.formats.MAX_LOG_FILE_BYTES", 50)
    log = tmp_path / "training.csv"
    log.write_text("epoch,loss\n" + "".join(f"{n},0.5\n" for n in range(20)))
    with pytest.raises(RunDirError, match="past MAX_LOG_FILE_BYTES = 50"):
        load_record(log)


def test_an_event_file_past_its_cap_is_read_up_to_it(tmp_path, monkeypatch):
    logs = keras_logs(tmp_path / "logs", epochs=50)
    monkeypatch.setattr("kerasdiag.rundir.tensorboard.read.events.MAX_EVENT_FILE_BYTES", 500)
    record = read_keras_logs(logs)
    assert 0 < len(record.series("loss")[np.isfinite(record.series("loss"))]) < 50
    assert any("the cap MAX_EVENT_FILE_BYTES = 500" in p for p in record.problems), record.problems


def test_a_record_that_declares_a_huge_length_is_never_allocated(tmp_path):
    from kerasdiag.rundir.tensorboard.crc import masked_crc32c

    logs = keras_logs(tmp_path / "logs")
    file = event_file(logs, "train")
    header = struct.pack("<Q", 2**40)
    file.write_bytes(file.read_bytes() + header + struct.pack("<I", masked_crc32c(header)) + b"\x00" * 8)
    tracemalloc.start()
    try:
        record = read_keras_logs(logs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20
    assert any("past MAX_EVENT_RECORD_BYTES" in p for p in record.problems), record.problems


def test_predictions_that_claim_a_huge_array_are_not_loaded(run_dir):
    import zipfile

    run = run_dir("bomb")
    np.savez(run / "predictions.npz", val_y=np.array([0, 1]), val_probs=np.full((2, 3), 1 / 3))
    text = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    text += " " * (63 - (len(text) + 10) % 64) + "\n"
    with zipfile.ZipFile(run / "predictions.npz", "a") as archive:
        archive.writestr("best_val_probs.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode())
    record = read_run(run)
    assert record.predictions is None
    assert any("past MAX_PREDICTION_BYTES" in p for p in record.problems), record.problems


# --- TensorBoard record checksums, unreadable entries -------------------------------------------------------


def test_a_record_whose_payload_checksum_fails_is_reported_and_not_used(tmp_path):
    logs = keras_logs(tmp_path / "logs")
    file = event_file(logs, "validation")
    data = file.read_bytes()
    at = data.index(struct.pack("<f", 0.8465), data.index(b"epoch_loss"))  # the first epoch's val_loss
    file.write_bytes(data[:at] + struct.pack("<f", 846500.0) + data[at + 4 :])  # its CRC now fails
    record = read_keras_logs(logs)
    assert 846500.0 not in record.series("val_loss")
    assert np.isnan(record.series("val_loss")[0]) and record.series("val_loss")[1] == pytest.approx(0.8465)
    assert any("1 of 7 records failed their checksum and were skipped" in p for p in record.problems)
    assert problems_of(diagnose(logs, "--format", "json"))


@pytest.mark.parametrize("what", ["folder", "broken-link", "devzero"])
def test_unreadable_entries_under_train_are_reported(tmp_path, what):
    logs = keras_logs(tmp_path / "logs")
    entry = logs / "train" / "events.out.tfevents.99.host.1.v2"
    {"folder": entry.mkdir, "broken-link": lambda: entry.symlink_to(tmp_path / "gone")}.get(
        what, lambda: entry.symlink_to("/dev/zero")
    )()
    record = read_keras_logs(logs)
    assert any(p.startswith("train/events.out.tfevents.99.host.1.v2 is a") for p in record.problems), record.problems


def test_an_empty_event_file_is_reported(tmp_path):
    logs = keras_logs(tmp_path / "logs")
    (logs / "validation" / "events.out.tfevents.98.host.1.v2").write_bytes(b"")
    assert any("holds no records" in p for p in read_keras_logs(logs).problems)


# --- epochs repeated, out of order, missing -------------------------------------------------------------------


def test_history_lines_repeated_out_of_order_or_missing_are_reported(run_dir):
    run = run_dir("order", epochs=6)
    lines = (run / "history.jsonl").read_text().splitlines()
    changed = dict(json.loads(lines[1]), loss=9.0)  # epoch 2 again, another value
    order = [lines[0], lines[1], json.dumps(changed), lines[3], lines[2], lines[5]]  # 1 2 2 4 3 6
    (run / "history.jsonl").write_text("\n".join(order) + "\n")
    record = read_run(run)
    assert [e.epoch for e in record.epochs] == [1, 2, 4, 6]
    assert record.series("loss")[1] == pytest.approx(0.5)  # the first line of epoch 2 was kept
    assert record.problems == [
        "history.jsonl line 3 repeats epoch 2 of line 2; the first was kept, this one skipped",
        "history.jsonl line 4 jumps from epoch 2 to 4 (1 epochs missing)",
        "history.jsonl line 5 goes back to epoch 3 after epoch 4; it was skipped, the lines before kept",
        "history.jsonl has 1 more lines repeated, out of order or after a gap",
    ]


def test_csv_rows_repeated_or_out_of_order_are_reported(tmp_path):
    log = tmp_path / "training.csv"
    log.write_text("epoch,loss\n0,1.0\n1,0.9\n1,0.8\n0,0.7\n2,0.6\n")
    record = load_record(log)
    assert [e.epoch for e in record.epochs] == [1, 2, 3]
    assert list(record.series("loss")) == [1.0, 0.9, 0.6]
    assert any("line 4 repeats epoch 2 of line 3" in p for p in record.problems), record.problems
    assert any("line 5 goes back to epoch 1 after epoch 2" in p for p in record.problems), record.problems


# --- fields of the wrong type, probabilities, null losses --------------------------------------------------------


def test_model_fields_of_the_wrong_type_in_run_json_are_reported_and_ignored(run_dir):
    model = {
        "layers": [
            {"name": "d", "kind": "Dense", "units": "many", "activation": 5, "l2": float("nan")},
            {"name": "out", "kind": "Dense", "units": 3, "shiny": True},
        ],
        "total_params": "x",
    }
    record = read_run(run_dir("model", model=model))
    assert record.model is not None and record.model.layers[0].units is None
    assert record.model.layers[0].activation is None and record.model.layers[1].units == 3
    assert record.problems == [
        "run.json model.layers[0].units is 'many', not of type int | None; it was ignored",
        "run.json model.layers[0].activation is 5, not of type str | None; it was ignored",
        "run.json model.layers[0].l2 is nan, not of type float; it was ignored",
        "run.json has 2 more fields of the wrong type or unknown; they were ignored",
    ]


@pytest.mark.parametrize(
    ("data", "part"),
    [
        (0, "data is 0, not of type object"),
        ({"dataset": "iris", "num_classes": "3", "train": {}}, "data.num_classes is '3', not of type int"),
        ({"dataset": "iris", "num_classes": 10**9, "train": {}}, "not a whole number 0..100,000"),
        (
            {"dataset": "iris", "num_classes": 3, "train": {"samples": 4, "class_counts": {"0": "4"}}},
            "data.train.class_counts['0'] is '4'",
        ),
    ],
)
def test_data_fields_of_the_wrong_type_in_run_json_are_reported(run_dir, data, part):
    record = read_run(run_dir("data", data=data))
    assert record.data is None
    assert any(part in p for p in record.problems), record.problems


def test_an_error_that_is_not_a_string_is_reported(run_dir):
    record = read_run(run_dir("error", status="failed", error=5))
    assert "run.json error is 5, not of type str; it was ignored" in record.problems


@pytest.mark.parametrize("value", [-0.25, 3.0, float("inf")])
def test_impossible_probabilities_are_reported_and_not_used(run_dir, value):
    run = run_dir("probs")
    probs = np.full((4, 3), 1 / 3)
    probs[1, 2] = value
    np.savez(run / "predictions.npz", val_y=np.array([0, 1, 2, 1]), val_probs=probs)
    record = read_run(run)
    assert record.predictions is None
    assert any("values that are not probabilities (val_probs from" in p for p in record.problems), record.problems


def test_nan_probabilities_of_a_diverged_run_are_kept(run_dir):
    run = run_dir("nan-probs")
    np.savez(run / "predictions.npz", val_y=np.array([0, 1]), val_probs=np.full((2, 3), np.nan))
    assert read_run(run).predictions is not None


def test_a_logged_null_loss_counts_as_not_finite(run_dir):
    rows = [{"epoch": e, "loss": 1 / e, "val_loss": 1.1 / e} for e in range(1, 6)]
    rows += [{"epoch": e, "loss": None, "val_loss": None} for e in range(6, 9)]
    run = run_dir("null", epochs=8, rows=rows)
    record = read_run(run)
    assert record.has("loss") and np.isnan(record.series("loss")[-1])
    payload = json.loads(diagnose(run, "--format", "json").output)
    assert "divergence" in [f["rule"] for f in payload["findings"]], payload["findings"]


def test_many_bad_cells_are_counted_not_each_listed(tmp_path):
    log = tmp_path / "training.csv"
    log.write_text("epoch,loss,val_loss\n" + "".join(f"{n},x,{n}\n" for n in range(1000)))
    record = load_record(log)
    assert len(record.problems) == 4, record.problems
    assert record.problems[-1] == "training.csv has 997 more problems like these; they are not listed"


def test_bytes_that_are_not_utf8_are_said_without_pythons_words(run_dir, tmp_path):
    log = tmp_path / "history.json"
    log.write_bytes(b'{"loss": [1.0, 0.5], "x": "\xc8"}')
    line = one_line(diagnose(log), "not UTF-8 text: byte 0xc8 at position 27")
    assert "codec" not in line and "unexpected" not in line
    run = run_dir("latin")
    (run / "run.json").write_bytes(b'{"status": "caf\xe9"}')
    assert "run.json is unreadable (not UTF-8 text: byte 0xe9 at position 15)" in read_run(run).problems
