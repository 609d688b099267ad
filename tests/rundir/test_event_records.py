"""Tests of kerasdiag's own TensorBoard event files (`rundir/tensorboard/write/records.py`, `writer.py`, `crc.py`).

The files must read back identically with tensorboard's own reader and with kerasdiag's, whether the
values of a step go one per event (`scalar`) or all in one event (`write`, what `RunLogger` uses).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kerasdiag.rundir.tensorboard.crc import masked_crc32c
from kerasdiag.rundir.tensorboard.read.reader import read_keras_logs
from kerasdiag.rundir.tensorboard.write.records import EventFile, frame
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter
from kerasdiag.training.fastfit.xla_cache import CACHE_ENV, cache_dir

SCALARS = {"epoch_loss": 0.5, "epoch_accuracy": 0.75, "grad_norm/dense": 1.25, "batch_loss/max": 2.0}


def tensorboard_values(split: Path) -> dict[str, dict[int, float]]:
    """Every scalar and histogram count per tag and step, as tensorboard's EventAccumulator reads them."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util.tensor_util import make_ndarray

    events = EventAccumulator(str(split), size_guidance={"tensors": 0, "histograms": 0})
    events.Reload()
    values: dict[str, dict[int, float]] = {}
    for tag in events.Tags()["tensors"]:
        values[tag] = {e.step: float(make_ndarray(e.tensor_proto)) for e in events.Tensors(tag)}
    for tag in events.Tags()["histograms"]:
        values[tag] = {e.step: e.histogram_value.num for e in events.Histograms(tag)}
    return values


def test_checksums_match_tensorboards_pure_python_crc():
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c as reference

    for data in (b"", b"x", bytes(range(256)) * 3):
        assert masked_crc32c(data) == reference(data)
    record = frame(b"abc")
    assert len(record) == 8 + 4 + 3 + 4 and record[12:15] == b"abc"


def test_values_reach_the_file_only_at_flush(tmp_path):
    events = EventFile(tmp_path / "train")
    size = events.path.stat().st_size
    assert size > 0  # the file-version event is written at once
    from tensorboard.compat.proto import event_pb2

    events.add(event_pb2.Event(step=1))
    assert events.path.stat().st_size == size
    events.flush()
    assert events.path.stat().st_size > size
    events.close()
    events.close()  # idempotent


@pytest.mark.parametrize("batched", [False, True], ids=["one-per-event", "one-event-per-step"])
def test_batched_and_single_events_read_back_the_same(tmp_path, batched):
    writer = SummaryWriter(tmp_path / "train")
    for step in range(3):
        scalars = {tag: value + step for tag, value in SCALARS.items()}
        histograms = {"weights/dense": np.linspace(-1, 1, 10 + step), "weights/empty": np.array([np.nan])}
        if batched:
            writer.write(step, scalars=scalars, histograms=histograms)
        else:
            for tag, value in scalars.items():
                writer.scalar(tag, value, step)
            for tag, array in histograms.items():
                writer.histogram(tag, array, step)
        writer.flush()
    writer.close()
    values = tensorboard_values(tmp_path / "train")
    assert values["epoch_loss"] == {0: 0.5, 1: 1.5, 2: 2.5}
    assert values["weights/dense"] == {0: 10.0, 1: 11.0, 2: 12.0}
    assert "weights/empty" not in values  # no finite value, no histogram, either way
    assert set(values) == {*SCALARS, "weights/dense"}


def test_kerasdiag_reader_reads_batched_events(tmp_path):
    for split, scale in (("train", 1.0), ("validation", 2.0)):
        writer = SummaryWriter(tmp_path / split)
        for step in range(4):
            writer.write(step, scalars={"epoch_loss": scale / (step + 1), "epoch_accuracy": 0.5 + step / 10})
        writer.close()
    record = read_keras_logs(tmp_path)
    assert [e.metrics["loss"] for e in record.epochs] == pytest.approx([1.0, 0.5, 1 / 3, 0.25])
    assert [e.metrics["val_loss"] for e in record.epochs] == pytest.approx([2.0, 1.0, 2 / 3, 0.5])


@pytest.mark.parametrize(
    ("value", "expected"), [("0", None), ("off", None), ("/tmp/xla-here", Path("/tmp/xla-here")), (None, "default")]
)
def test_xla_cache_folder_follows_the_environment(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if value is None:
        monkeypatch.delenv(CACHE_ENV, raising=False)
        expected = tmp_path / "kerasdiag" / "xla"
    else:
        monkeypatch.setenv(CACHE_ENV, value)
    assert cache_dir() == expected


@pytest.mark.parametrize("value", [0.0, -1.5, 3.4e38, 1e39, float("nan"), float("-inf"), 1.2345678e-31])
def test_spliced_scalar_events_are_what_protobuf_writes(value):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    from kerasdiag.rundir.tensorboard.write.records import event_bytes
    from kerasdiag.rundir.tensorboard.write.writer import _SCALARS, _scalar_value

    tags = ["epoch_loss", "grad_norm/dense_1", "日本語/タグ"]
    ours = event_pb2.Event.FromString(event_bytes(12.5, 7, [_SCALARS(tag, value) for tag in tags]))
    summary = summary_pb2.Summary(value=[_scalar_value(tag, value) for tag in tags])
    expected = event_pb2.Event(wall_time=12.5, step=7, summary=summary)
    assert ours.SerializeToString() == expected.SerializeToString()


def test_writing_and_reading_leave_tensorflows_own_summaries_working(tmp_path):
    """kerasdiag's writer and reader never make tensorboard choose its TF-free stub for the whole process.

    A learner's `keras.callbacks.TensorBoard` (or `tf.summary`) in the same process as `kd.Diagnose` or
    `kerasdiag run` must still write: tensorboard caches its choice of TensorFlow API at first use.
    """
    pytest.importorskip("tensorflow")
    program = f"""
import sys
from pathlib import Path
from kerasdiag.rundir.tensorboard.read.reader import read_keras_logs
from kerasdiag.rundir.tensorboard.write.writer import SummaryWriter
for split in ("train", "validation"):
    writer = SummaryWriter(Path({str(tmp_path)!r}) / "ours" / split)
    writer.scalar("epoch_loss", 0.5, step=0)
    writer.close()
assert read_keras_logs(Path({str(tmp_path)!r}) / "ours").series("loss").tolist() == [0.5]
assert "tensorflow" not in sys.modules
import tensorflow as tf
with tf.summary.create_file_writer({str(tmp_path / "theirs")!r}).as_default():
    assert tf.summary.scalar("x", 1.0, step=0)
"""
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert list((tmp_path / "theirs").glob("events.out.tfevents.*"))


def test_varint_equals_protobufs_encoding_on_both_sides_of_the_one_byte_table():
    from google.protobuf.internal.encoder import _VarintBytes

    from kerasdiag.rundir.tensorboard.write.records import varint

    for number in [*range(0, 300), 16383, 16384, 2**31, 2**40]:
        assert varint(number) == _VarintBytes(number)
    assert (varint(127), varint(128), varint(300)) == (b"\x7f", b"\x80\x01", b"\xac\x02")


@pytest.mark.parametrize("step", [0, 1, 127, 128, 300, 10**6, -1])
@pytest.mark.parametrize("wall_time", [0.0, 1.5, 1796471188.088380])
def test_event_bytes_equal_protobufs_event(step, wall_time):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    from kerasdiag.rundir.tensorboard.write.records import event_bytes

    value = summary_pb2.Summary.Value(tag="epoch_loss", simple_value=0.25)
    expected = event_pb2.Event(wall_time=wall_time, step=step, summary=summary_pb2.Summary(value=[value, value]))
    assert event_bytes(wall_time, step, [value.SerializeToString()] * 2) == expected.SerializeToString()
