"""Data loading on real data: MNIST from ../shared/data/mnist-10k (npz and IDX), Iris, digits."""

from __future__ import annotations

import gzip
import json
import shutil

import numpy as np
import pytest

from kerasdiag.config import RunConfig
from kerasdiag.errors import DataError
from kerasdiag.rundir.summaries import DataSummary
from kerasdiag.training.flags import datasets as data


def test_mnist_npz_has_keras_layout(mnist_dir):
    splits = data.load(RunConfig(data_dir=str(mnist_dir), shuffle=False))
    assert splits.x_train.shape == (6400, 784) and splits.x_val.shape == (1600, 784)
    assert splits.x_test.shape == (2000, 784)
    assert splits.x_train.dtype == np.float32 and splits.x_train.min() >= 0.0 and splits.x_train.max() == 1.0
    assert splits.num_classes == 10 and set(np.unique(splits.y_train)) == set(range(10))


def test_mnist_idx_files_match_the_npz(mnist_dir, tmp_path):
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(mnist_dir / name, tmp_path / name)
    (x_tr, y_tr), (x_te, y_te) = data.load_mnist(str(tmp_path))
    (nx_tr, ny_tr), (nx_te, ny_te) = data.load_mnist(str(mnist_dir))
    assert np.array_equal(x_tr, nx_tr) and np.array_equal(y_te, ny_te)  # the npz is images 0..7999 / 8000..9999


def test_mnist_offline_without_data_names_both_ways_out(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(DataError) as info:
        data.load(RunConfig(dataset="mnist"))
    message = str(info.value)
    assert "--data-dir" in message and "~/.keras/datasets" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"not gzip at all", "gzip-compressed IDX"), (gzip.compress(b"\x00\x00\x09\x01abcd"), "unsigned bytes")],
    ids=["not-gzip", "wrong-magic"],
)
def test_damaged_idx_file_is_a_clear_error(tmp_path, content, expected):
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(content)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(content)
    with pytest.raises(DataError, match=expected):
        data.load_mnist(str(tmp_path))


def test_empty_data_dir_lists_expected_files(tmp_path):
    with pytest.raises(DataError, match="mnist.npz"):
        data.load_mnist(str(tmp_path))


def test_iris_from_the_bundled_csv_is_sklearns_load_iris():
    from sklearn.datasets import load_iris

    x, y = data.read_iris()
    bunch = load_iris()
    np.testing.assert_array_equal(x, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)
    assert x.dtype == np.float64 and y.dtype == np.int64


def test_iris_unshuffled_split_takes_the_last_rows_as_validation():
    splits = data.load(RunConfig(dataset="iris", shuffle=False, validation_split=0.2))
    assert len(splits.y_train) == 120 and len(splits.y_val) == 30
    assert set(splits.y_val.tolist()) == {2}  # sklearn's iris is ordered by class: validation is all virginica
    summary = splits.summary()
    assert summary.validation is not None and summary.validation.class_counts == {0: 0, 1: 0, 2: 30}
    assert DataSummary.from_dict(json.loads(json.dumps(summary.to_dict()))) == summary  # run.json round trip


def test_iris_shuffled_split_mixes_classes():
    splits = data.load(RunConfig(dataset="iris", shuffle=True, seed=1))
    assert len(set(splits.y_val.tolist())) == 3


def test_iris_is_standardised_unless_no_normalize():
    normal = data.load(RunConfig(dataset="iris")).summary()
    raw = data.load(RunConfig(dataset="iris", normalize=False)).summary()
    assert abs(normal.input_mean or 0) < 0.5 and raw.input_max == pytest.approx(7.9)


def test_digits_cnn_classes_and_train_size_are_applied():
    splits = data.load(RunConfig(dataset="digits", model="cnn", classes=[3, 8], train_size=100))
    assert splits.x_train.shape[1:] == (8, 8, 1)
    assert splits.num_classes == 2 and set(np.unique(splits.y_train)) == {0, 1}
    assert len(splits.y_train) + len(splits.y_val) == 100
    assert set(np.unique(splits.y_test)) == {0, 1}


def test_classes_not_in_the_data_are_refused():
    with pytest.raises(DataError, match=r"Received: classes=3,11"):
        data.load(RunConfig(dataset="digits", classes=[3, 11]))


def test_no_normalize_keeps_raw_pixels(mnist_dir):
    splits = data.load(RunConfig(data_dir=str(mnist_dir), normalize=False, train_size=500))
    assert splits.x_train.max() == 255.0
