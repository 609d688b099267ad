"""EpochTable: a run's epochs as columns still read, compare and grow like the list of EpochRecords it replaced."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from kerasdiag.diagnosis.rules.curves import non_finite_epochs
from kerasdiag.rundir.epochs import EpochRecord, EpochTable
from kerasdiag.rundir.reader import read_run
from kerasdiag.rundir.record import RunRecord


def _records() -> list[EpochRecord]:
    """Three epochs: probes only at 1 and 3, a NaN loss really logged at 3, val_loss missing at 2."""
    return [
        EpochRecord(1, {"loss": 1.0, "val_loss": 1.2}, 0.5, {"dense_1": {"grad_norm": 0.1}}, {"max": 1.5}),
        EpochRecord(2, {"loss": 0.8}, 0.4, extra={"penalty_loss": 0.01}),
        EpochRecord(3, {"loss": math.nan, "val_loss": 0.9}, None, {"dense_1": {"grad_norm": 0.2}}),
    ]


def _same(a: EpochRecord, b: EpochRecord) -> bool:
    """Equal, NaN equal to NaN (dataclass equality says nan != nan)."""
    return json.dumps([a.epoch, a.metrics, a.seconds, a.probes, a.batch_loss, a.extra]) == json.dumps(
        [b.epoch, b.metrics, b.seconds, b.probes, b.batch_loss, b.extra]
    )


def test_records_come_back_as_appended_logged_nan_kept_and_missing_values_absent():
    table = EpochTable(_records())
    assert len(table) == 3
    assert all(_same(got, want) for got, want in zip(table, _records(), strict=True))
    assert "val_loss" not in table[1].metrics and math.isnan(table[2].metrics["loss"])
    assert table[1].probes == {} and table[1].batch_loss is None and table[0].batch_loss == {"max": 1.5}
    assert table[-1].epoch == 3 and table[2].seconds is None


def test_indexing_slicing_and_equality_behave_like_a_list():
    records = _records()[:2]
    table = EpochTable(records)
    assert table == records and table != records[:1] and EpochTable() == []
    assert isinstance(table[1:], EpochTable) and [e.epoch for e in table[1:]] == [2]
    assert [e.epoch for e in EpochTable(_records())[::-1]] == [3, 2, 1]
    with pytest.raises(IndexError):
        table[2]
    with pytest.raises(IndexError):
        table[-3]


def test_series_are_columns_with_nan_where_an_epoch_lacks_the_value():
    record = RunRecord(path="x", source="kerasdiag", epochs=_records())  # a list is accepted and made a table
    assert isinstance(record.epochs, EpochTable)
    np.testing.assert_array_equal(record.series("val_loss"), [1.2, np.nan, 0.9])
    np.testing.assert_array_equal(record.probe_series("dense_1", "grad_norm"), [0.1, np.nan, 0.2])
    np.testing.assert_array_equal(record.extra_series("penalty_loss"), [np.nan, 0.01, np.nan])
    np.testing.assert_array_equal(record.batch_loss_series("max"), [1.5, np.nan, np.nan])
    np.testing.assert_array_equal(record.epoch_numbers, [1, 2, 3])
    assert record.series("accuracy").shape == (3,) and np.isnan(record.series("accuracy")).all()
    assert record.has("val_loss") and not record.has("accuracy")
    assert record.probe_layers() == ["dense_1"]


def test_a_logged_nan_counts_as_non_finite_and_a_missing_value_does_not():
    record = RunRecord(path="x", source="kerasdiag", epochs=_records())
    assert non_finite_epochs(record) == [3]


def test_appending_later_keeps_earlier_epochs_and_fills_the_gap_as_missing():
    table = EpochTable(_records())
    table.append(EpochRecord(4, {"accuracy": 0.7}))
    assert [e.metrics.get("accuracy") for e in table] == [None, None, None, 0.7]
    np.testing.assert_array_equal(table.array(table.metrics["accuracy"]), [np.nan, np.nan, np.nan, 0.7])
    np.testing.assert_array_equal(table.array(table.metrics["val_loss"]), [1.2, np.nan, 0.9, np.nan])


def test_append_row_reads_a_history_line_like_from_row():
    row = {"epoch": 1, "loss": 2, "seconds": 0.3, "probes": {"d": {"grad_norm": 1}}, "batch_loss": {"max": 3.0}}
    table = EpochTable()
    table.append_row(row)
    assert _same(table[0], EpochRecord.from_row(row))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"probes": {"new_layer": {"grad_norm": 1.0}, "d": {"grad_norm": "x"}}}, "probes.d.grad_norm is 'x'"),
        ({"extra": {"new_key": 1.0, "other": [1]}}, "extra.other is [1]"),
        ({"batch_loss": [1, 2]}, "batch_loss is [1, 2]"),
        ({"probes": 3}, "probes is 3"),
        ({"epoch": math.inf}, "epoch is inf"),
        ({"loss": True}, "loss is True"),
    ],
)
def test_a_damaged_line_raises_and_adds_nothing(bad, message):
    table = EpochTable()
    table.append_row({"epoch": 1, "loss": 1.0, "probes": {"d": {"grad_norm": 0.5}}})
    with pytest.raises(ValueError, match=re.escape(message)):
        table.append_row({"epoch": 2, "loss": 0.5, "val_loss": 0.6, **bad})
    table.append_row({"epoch": 3, "loss": 0.4})
    assert [e.epoch for e in table] == [1, 3]
    assert list(table.probes) == ["d"] and set(table.metrics) == {"loss"} and not table.extra
    np.testing.assert_array_equal(table.array(table.metrics["loss"]), [1.0, 0.4])


def test_read_run_skips_a_damaged_history_line_without_leaving_part_of_it(run_dir):
    damaged = {"epoch": 2, "loss": 0.9, "extra": {"fresh": 1.0, "broken": "x"}}
    path = run_dir(rows=[{"epoch": 1, "loss": 1.0}, damaged, {"epoch": 3, "loss": 0.8}])
    record = read_run(path)
    assert [e.epoch for e in record.epochs] == [1, 3] and "fresh" not in record.epochs.extra
    assert any("line 2 is damaged" in problem for problem in record.problems)


def test_accuracy_logged_under_the_names_keras_gives_it_is_read_as_accuracy():
    """Keras 2 scripts log `metrics=["acc"]` as acc / val_acc; a metric object logs its own name."""
    table = EpochTable()
    table.append_row({"epoch": 1, "loss": 1.0, "acc": 0.5, "val_acc": 0.4, "lr": 0.01})
    table.append_row(
        {"epoch": 2, "loss": 0.8, "sparse_categorical_accuracy": 0.6, "val_sparse_categorical_accuracy": 0.5}
    )
    table.append_row({"epoch": 3, "loss": 0.7, "accuracy": 0.7, "acc": 0.1})  # its own name wins
    assert table.array(table.metrics["accuracy"]).tolist() == [0.5, 0.6, 0.7]
    assert table.array(table.metrics["val_accuracy"])[:2].tolist() == [0.4, 0.5]
    assert table[0].metrics["learning_rate"] == 0.01
    assert EpochRecord.from_row({"epoch": 1, "loss": 1.0, "binary_accuracy": 0.9}).metrics["accuracy"] == 0.9
