"""Bulk weight histograms (`tensorboard/write/histograms.py`) against `np.histogram` and the one-at-a-time writer."""

import numpy as np
import pytest
from tensorboard.compat.proto import summary_pb2

from kerasdiag.rundir.tensorboard.write.histograms import histogram_rows
from kerasdiag.rundir.tensorboard.write.writer import histogram_value


def _one_by_one(rows: np.ndarray, tag: str) -> list[bytes | None]:
    values = [histogram_value(tag, row) for row in rows]
    return [None if v is None else v.SerializeToString() for v in values]


def _cases() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    kernels = rng.normal(0, 0.3, (50, 4, 8)).astype(np.float32)  # 50 epochs of an Iris kernel
    wide = (rng.standard_cauchy((40, 257)) * 1e3).astype(np.float32)
    # values exactly on bucket edges, where NumPy's one-ULP corrections decide the bucket
    edges = np.tile(np.linspace(-1.0, 2.0, 31), (6, 1)) * np.array([[1.0], [0.1], [3.0], [1e-3], [7.0], [1e5]])
    rounded = np.round(rng.uniform(-3, 3, (30, 64)), 1)
    # a zero min, max or sum (protobuf leaves zero doubles out), negative zeros, a long tag
    zeros = np.array([[-1.0, 1.0, 0.5, -0.5], [0.0, 1.0, 2.0, 3.0], [-3.0, -2.0, -1.0, -0.0], [-0.0, 0.0, 0.0, 0.0]])
    return [kernels, wide, edges, rounded, zeros]


@pytest.mark.parametrize("case", range(5))
def test_bulk_histograms_are_byte_identical_to_one_at_a_time(case):
    rows = _cases()[case]
    assert histogram_rows(rows, "weights/dense") == _one_by_one(rows.reshape(len(rows), -1), "weights/dense")


def test_long_tags_and_many_buckets_are_framed_as_protobuf_frames_them():
    rows = np.random.default_rng(1).normal(size=(3, 500))
    tag = "weights/" + "layer" * 40  # a tag over 127 bytes: a two-byte length
    expected = [histogram_value(tag, row, 200).SerializeToString() for row in rows]
    assert histogram_rows(rows, tag, buckets=200) == expected


def test_bucket_counts_equal_numpy_histogram():
    rows = np.random.default_rng(0).normal(size=(20, 33))
    for row, value in zip(rows, histogram_rows(rows, "w")):
        histo = summary_pb2.Summary.Value.FromString(value).histo
        counts, edges = np.histogram(row, bins=30)
        assert list(histo.bucket) == counts.tolist()
        assert list(histo.bucket_limit) == edges[1:].tolist()
        assert (histo.min, histo.max, histo.num) == (row.min(), row.max(), 33.0)


def test_constant_nonfinite_and_empty_rows():
    rows = np.array([[2.0, 2.0, 2.0], [1.0, np.nan, 3.0], [np.inf, np.nan, -np.inf], [0.0, 0.5, 1.0]])
    out = histogram_rows(rows, "w")
    assert out == _one_by_one(rows, "w")
    assert out[2] is None  # no finite value: no histogram, as SummaryWriter.histogram writes none
    constant = summary_pb2.Summary.Value.FromString(out[0]).histo
    assert constant.bucket_limit[0] == pytest.approx(1.5 + 1 / 30) and constant.bucket_limit[-1] == 2.5
    assert constant.bucket[15] == 3.0 and sum(constant.bucket) == 3.0
    partial = summary_pb2.Summary.Value.FromString(out[1]).histo
    assert (partial.num, partial.sum) == (2.0, 4.0)
    assert histogram_rows(np.zeros((3, 0)), "w") == [None, None, None]
