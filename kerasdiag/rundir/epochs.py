"""EpochRecord (one finished epoch) and EpochTable (a run's epochs, stored as columns).

A run of 100,000 epochs used to be 100,000 `EpochRecord`s with their dicts (about 2.7 KB each). An
`EpochTable` keeps one `array("d")` per metric, per (layer, probe key), per batch-loss statistic and per
extra key, plus the epoch numbers: 8 bytes per value, and nothing per line once a line is appended.
It still reads like the list it replaced: `len`, iteration, indexing and slicing give `EpochRecord`s,
built on demand from the columns; they are copies, so change a run's epochs by appending whole records.

A value an epoch lacks is NaN in its column; the few NaNs that were really logged (a diverged loss) are
remembered by row, so an epoch's record holds `loss: nan` where the line did and no `loss` where it did not.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from sys import intern
from typing import Any, overload

import numpy as np

from kerasdiag.messages.said import Said
from kerasdiag.rundir.schema import METRIC_ALIASES, METRIC_KEYS
from kerasdiag.rundir.values import epoch_number, nested_number_map, number, number_map, shown

_NAN = array("d", [math.nan])
SHOWN_PROBLEMS = 3  # problems of one kind listed one by one; the rest counted


@dataclass(slots=True)
class EpochRecord:
    """One finished epoch.

    Args:
        epoch: 1-based epoch number.
        metrics: `loss`, `accuracy`, `val_loss`, `val_accuracy`, `learning_rate` where known.
        seconds: Wall time of the epoch.
        probes: Per layer name, `grad_norm`, `weight_norm`, `update_ratio`,
            `dead_fraction`, `saturated_fraction` where measured.
        batch_loss: `mean`, `std`, `min`, `max` of the batch losses within the epoch.
        extra: Other per-epoch measurements: `penalty_loss` (regularisation
            part of the loss on the probe batch), `probe_samples`, `probe_wrong`
            (misclassified probe samples), `probe_near` (misclassified but within
            `near_margin` of the winning probability), `near_margin`.
    """

    epoch: int
    metrics: dict[str, float] = field(default_factory=dict)
    seconds: float | None = None
    probes: dict[str, dict[str, float]] = field(default_factory=dict)
    batch_loss: dict[str, float] | None = None
    extra: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> EpochRecord:
        """One history.jsonl line (as written, or as a callback builds it); raises on malformed fields."""
        if not isinstance(row, dict):
            raise ValueError(Said("rundir.value.line", value=shown(row)))
        batch_loss = row.get("batch_loss")
        return cls(
            epoch=epoch_number(row.get("epoch")),
            metrics={k: number(row[name], k) for k, name in metric_names(row).items()},  # a logged null is NaN
            seconds=None if row.get("seconds") is None else number(row["seconds"], "seconds"),
            probes=nested_number_map(row.get("probes"), "probes"),
            batch_loss=None if batch_loss is None else number_map(batch_loss, "batch_loss"),
            extra=number_map(row.get("extra"), "extra"),
        )


def metric_names(row: dict[str, Any]) -> dict[str, str]:
    """kerasdiag metric -> the key of `row` that holds it: its own name, else what Keras logged it as (`acc`)."""
    found = {}
    for key in METRIC_KEYS:
        name = key if key in row else next((a for a in METRIC_ALIASES.get(key, ()) if a in row), None)
        if name is not None:
            found[key] = name
    return found


class Column:
    """One measurement across epochs: a float per row, NaN where not logged; `nans` are rows that logged NaN."""

    __slots__ = ("nans", "values")

    def __init__(self) -> None:
        self.values = array("d")
        self.nans: set[int] = set()

    def put(self, row: int, value: Any) -> None:
        """Set `row` (at or after every row set so far); rows skipped in between become not logged."""
        if type(value) is not float:
            value = _as_float(value)
        gap = row - len(self.values)
        if gap > 0:
            self.values.extend(_NAN * gap)
        if value != value:
            self.nans.add(row)
        self.values.append(value)

    def get(self, row: int) -> float | None:
        """The value logged at `row`, or None where it was not logged."""
        if row >= len(self.values):
            return None
        value = self.values[row]
        return None if value != value and row not in self.nans else value

    def array(self, length: int) -> np.ndarray:
        """The first `length` rows as a new float array, NaN where not logged."""
        out = np.full(length, np.nan)
        if self.values:
            out[: len(self.values)] = np.frombuffer(self.values, dtype=float)
        return out

    def logged(self, length: int) -> np.ndarray:
        """Boolean mask of the rows that logged a value (NaN included)."""
        mask = ~np.isnan(self.array(length))
        mask[[row for row in self.nans if row < length]] = True
        return mask


def _as_float(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


class EpochTable(Sequence[EpochRecord]):
    """A run's epochs as columns; reads as a sequence of `EpochRecord`s, grows by `append`.

    Args:
        epochs: Records to start with, in order.

    Example:

    ```python
    table = EpochTable([EpochRecord(1, {"loss": 0.9}), EpochRecord(2, {"loss": 0.7, "val_loss": 0.8})])
    table.append(EpochRecord(3, {"loss": 0.6}))
    table.array(table.metrics.get("val_loss"))  # array([nan, 0.8, nan])
    table[1].metrics  # {"loss": 0.7, "val_loss": 0.8}
    ```
    """

    def __init__(self, epochs: Iterable[EpochRecord] = ()) -> None:
        self.numbers = array("q")
        self.seconds = Column()
        self.metrics: dict[str, Column] = {}
        self.probes: dict[str, dict[str, Column]] = {}
        self.batch_loss: dict[str, Column] = {}
        self.extra: dict[str, Column] = {}
        self._created: list[tuple[dict[str, Any], str]] = []  # columns the row being appended created
        for epoch in epochs:
            self.append(epoch)

    def append(self, epoch: EpochRecord) -> None:
        """Add one epoch after the others; its dicts are copied into the columns, not kept."""
        row, number = len(self.numbers), int(epoch.epoch)  # int() first: a bad record adds nothing
        if epoch.seconds is not None:
            self.seconds.put(row, epoch.seconds)
        _put_all(self.metrics, row, epoch.metrics)
        for layer, values in epoch.probes.items():
            _put_all(self.probes.setdefault(layer, {}), row, values)
        if epoch.batch_loss:
            _put_all(self.batch_loss, row, epoch.batch_loss)
        _put_all(self.extra, row, epoch.extra)
        self.numbers.append(number)

    def append_row(self, row: Any) -> None:
        """Add one history.jsonl line (parsed JSON), checked as strictly as `EpochRecord.from_row`.

        Raises:
            ValueError: If a field is malformed ("probes.dense_1.grad_norm is 'x', not a number"); the
                line then adds nothing.
        """
        if not isinstance(row, dict):
            raise ValueError(Said("rundir.value.line", value=shown(row)))
        index, epoch = len(self.numbers), epoch_number(row.get("epoch"))
        self._created = []
        try:
            self._put_row(index, row)
        except BaseException:
            self._rollback(index)
            raise
        self.numbers.append(epoch)

    def _put_row(self, index: int, row: dict[str, Any]) -> None:
        for key, name in metric_names(row).items():  # a logged null counts as NaN (a loss that was not finite)
            self._put(self.metrics, key, index, number(row[name], key))
        if row.get("seconds") is not None:
            self.seconds.put(index, number(row["seconds"], "seconds"))
        probes = row.get("probes")
        if probes is not None:
            if not isinstance(probes, dict):
                raise ValueError(Said("rundir.value.per_layer", field="probes", value=shown(probes)))
            for layer, values in probes.items():
                if layer not in self.probes:
                    self.probes[intern(layer)] = {}
                    self._created.append((self.probes, layer))
                self._put_map(self.probes[layer], index, values, f"probes.{layer}")
        self._put_map(self.batch_loss, index, row.get("batch_loss"), "batch_loss")
        self._put_map(self.extra, index, row.get("extra"), "extra")

    def _put_map(self, columns: dict[str, Column], index: int, values: Any, name: str) -> None:
        """A JSON object of numbers (None: nothing) into `columns`, the checks of `values.number_map`."""
        if values is None:
            return
        if not isinstance(values, dict):
            raise ValueError(Said("rundir.value.numbers", field=name, value=shown(values)))
        for key, value in values.items():
            kind = type(value)
            if kind is not float:
                value = float(value) if kind is int else number(value, f"{name}.{key}")
            column = columns.get(key)
            if column is not None and value == value and len(column.values) == index:
                column.values.append(value)  # the common case, without a call
            else:
                self._put(columns, key, index, value)

    def _put(self, columns: dict[str, Column], key: str, index: int, value: float) -> None:
        column = columns.get(key)
        if column is None:
            column = columns[intern(key)] = Column()
            self._created.append((columns, key))
        values = column.values
        if len(values) == index and value == value:
            values.append(value)  # the common case, without a call
        else:
            column.put(index, value)

    def _rollback(self, index: int) -> None:
        """Undo a half-appended row: the columns it created go, the others lose rows from `index` on."""
        for columns, key in reversed(self._created):
            del columns[key]
        groups = [self.metrics, self.batch_loss, self.extra, *self.probes.values()]
        for column in [self.seconds, *(column for group in groups for column in group.values())]:
            del column.values[index:]
            column.nans.discard(index)

    def extend(self, epochs: Iterable[EpochRecord]) -> None:
        for epoch in epochs:
            self.append(epoch)

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, index: int) -> EpochRecord: ...

    @overload
    def __getitem__(self, index: slice) -> EpochTable: ...

    def __getitem__(self, index: int | slice) -> EpochRecord | EpochTable:
        if isinstance(index, slice):
            return EpochTable(self._record(row) for row in range(*index.indices(len(self))))
        row = index + len(self) if index < 0 else index
        if not 0 <= row < len(self):
            raise IndexError(f"epoch index {index} out of range for {len(self)} epochs")
        return self._record(row)

    def __iter__(self) -> Iterator[EpochRecord]:
        return (self._record(row) for row in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable, like the list it replaced

    def __repr__(self) -> str:
        return f"EpochTable({len(self)} epochs, metrics {sorted(self.metrics)}, probed layers {list(self.probes)})"

    def array(self, column: Column | None) -> np.ndarray:
        """`column` across all epochs as floats, NaN where an epoch lacks it (all NaN for None)."""
        return np.full(len(self), np.nan) if column is None else column.array(len(self))

    def logged(self, column: Column | None) -> np.ndarray:
        """Which epochs logged a value in `column` (a NaN counts as logged)."""
        return np.zeros(len(self), dtype=bool) if column is None else column.logged(len(self))

    def epoch_numbers(self) -> np.ndarray:
        return np.frombuffer(self.numbers, dtype=np.int64).astype(int) if self.numbers else np.array([], dtype=int)

    def _record(self, row: int) -> EpochRecord:
        probes = {layer: _row_values(keys, row) for layer, keys in self.probes.items()}
        batch_loss = _row_values(self.batch_loss, row)
        return EpochRecord(
            epoch=self.numbers[row],
            metrics=_row_values(self.metrics, row),
            seconds=self.seconds.get(row),
            probes={layer: values for layer, values in probes.items() if values},
            batch_loss=batch_loss or None,
            extra=_row_values(self.extra, row),
        )


def _put_all(columns: dict[str, Column], row: int, values: dict[str, Any]) -> None:
    for key, value in values.items():
        column = columns.get(key)
        if column is None:
            column = columns[key] = Column()
        column.put(row, value)


def _row_values(columns: dict[str, Column], row: int) -> dict[str, float]:
    out = {}
    for key, column in columns.items():
        value = column.get(row)
        if value is not None:
            out[key] = value
    return out


class EpochOrder:
    """Epochs of a log read one row at a time (history.jsonl, a CSVLogger file): which rows to keep, and which
    were out of order, repeated or after a gap (the first SHOWN_PROBLEMS of them listed, the rest counted).

    Args:
        file: The log's name in the problems.
    """

    def __init__(self, file: str):
        self.file = file
        self.last: tuple[int, int] | None = None  # epoch and line of the last row kept
        self.found: list[str] = []
        self.count = 0

    def keeps(self, epoch: int, line: int) -> bool:
        """Tells whether the row of `epoch` at `line` comes after the last one kept; if not, it is listed."""
        if self.last is None or epoch > self.last[0]:
            return True
        previous, previous_line = self.last
        if epoch == previous:
            self._note(Said("readers.order.repeated", file=self.file, line=line, epoch=epoch, first=previous_line))
        else:
            self._note(Said("readers.order.backwards", file=self.file, line=line, epoch=epoch, previous=previous))
        return False

    def kept(self, epoch: int | None, line: int) -> None:
        """Records the row of `epoch` at `line` as kept; a gap after the last kept one is listed."""
        if epoch is None:
            return
        if self.last is not None and epoch > self.last[0] + 1:
            missing = epoch - self.last[0] - 1
            self._note(
                Said(
                    "readers.order.gap", file=self.file, line=line, epoch=epoch, previous=self.last[0], missing=missing
                )
            )
        self.last = (epoch, line)

    def _note(self, problem: Said) -> None:
        self.count += 1
        if len(self.found) < SHOWN_PROBLEMS:
            self.found.append(problem)

    def problems(self) -> list[str]:
        more = self.count - len(self.found)
        return [*self.found, *([Said("readers.order.more", file=self.file, count=f"{more:,}")] if more else [])]
