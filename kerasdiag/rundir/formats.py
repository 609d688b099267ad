"""Epoch logs that are not TensorBoard files: a Keras `CSVLogger` file and a `History.history` JSON.

Both become a RunRecord with EpochRecords numbered from 1 and `read_tags` saying which column or
key became which metric (`metric_names` decides). Damage never raises a traceback: a file that
cannot be one of these raises a RunDirError with an "Expected ... Received: ..." line; a readable
file with bad cells or uneven lists gives a partial record whose `problems` say what was skipped.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from kerasdiag.errors import RunDirError
from kerasdiag.limits import MAX_LOG_FILE_BYTES, MAX_READ_EPOCHS
from kerasdiag.messages import say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.epochs import SHOWN_PROBLEMS, EpochOrder, EpochRecord
from kerasdiag.rundir.files import (
    FileRefused,
    may_hold_surrogates,
    not_utf8,
    open_regular,
    printable,
    read_capped,
    shown_path,
    valid_json,
)
from kerasdiag.rundir.metric_names import epoch_offset, map_names
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.values import MAX_EPOCH

CSV_SOURCE = "csv-logger"
HISTORY_SOURCE = "history-json"
EPOCH_COLUMN = "epoch"
CSV_SUFFIXES = (".csv", ".log")  # Keras's own example is CSVLogger("training.log")
NOT_LOGGED = ("", "NA", "N/A", "NONE", "NULL")  # CSV cells that hold no value (upper-cased)


def is_csv_log(path: Path) -> bool:
    """Tells whether `path` is a `.csv` or `.log` file whose header names an epoch metric (`loss`, ...)."""
    path = Path(path)
    if path.suffix.lower() not in CSV_SUFFIXES or not path.is_file():
        return False
    try:
        with open_regular(path) as stream:
            first = stream.readline(64 * 1024).decode("utf-8", errors="replace")
        header = next(csv.reader([first], delimiter=delimiter(first)), [])
    except (OSError, csv.Error):
        return False
    return bool(map_names([name.strip() for name in header])[0])


def delimiter(header: str) -> str:
    """The header line's separator: `,`, else `;` or a tab where the line holds those and no comma
    (`CSVLogger(separator=";")`, a spreadsheet's export)."""
    if "," in header:
        return ","
    return max(";\t", key=header.count) if any(sep in header for sep in ";\t") else ","


def is_history_json(path: Path) -> bool:
    """Tells whether `path` is a `.json` file holding a `History.history` dict (`{"loss": [...], ...}`)."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        _history_lists(as_columns(_load_json(path)), path)
    except RunDirError:
        # a damaged file named as a History is listed with its error, never passed over in a folder
        return "history" in path.name.lower()
    return True


def read_csv_log(path: Path) -> RunRecord:
    """Reads a Keras `CSVLogger` file (`epoch,accuracy,loss,val_accuracy,val_loss`, any order).

    Args:
        path: The CSV file.

    Returns:
        A RunRecord with `source="csv-logger"`, one EpochRecord per row.

    Raises:
        RunDirError: If the file cannot be read or its header names no epoch metric.

    Example:

    ```python
    record = read_csv_log(Path("training.log"))  # CSVLogger("training.log") in the user's script
    ```
    """
    path = Path(path)
    header, rows = _csv_rows(path)
    used, ignored = map_names(header)
    if not used:
        shown = printable(",".join(header)[:120]) or say("rundir.csv.empty_header")
        detail = say("rundir.path_detail", path=shown_path(path), detail=shown)
        raise RunDirError(say("rundir.csv.header"), detail, path=path)
    columns = [(header.index(column), column, metric) for column, metric in used.items()]
    lines, rows = merged_rows(header, rows, [index for index, _, _ in columns])
    runs = [
        _csv_record(path, header, used, ignored, columns, part_lines, part_rows)
        for part_lines, part_rows in appended_runs(header, lines, rows)
    ]
    record = runs[-1]
    record.earlier_runs = runs[:-1]
    return record


Part = tuple[list[int], list[list[str]]]  # line numbers and rows


def appended_runs(header: list[str], lines: list[int], rows: list[list[str]]) -> list[Part]:
    """The rows cut where the `epoch` column starts again from its first value after a later epoch and then counts
    up without a gap: each part a run that `CSVLogger(..., append=True)` added to the file (the last one is the
    newest). One part otherwise (a file that goes back any other way is damaged: `_numbered_rows` says where)."""
    if EPOCH_COLUMN not in header or not rows:
        return [(lines, rows)]
    column = header.index(EPOCH_COLUMN)
    steps = [_step(_cell_text(row, column)) for row in rows]
    first = next((step for step in steps if step is not None), None)
    starts, highest = [0], steps[0]  # the highest epoch of the part so far
    for index in range(1, len(rows)):
        step = steps[index]
        if first is not None and step == first and highest is not None and highest > first:
            starts.append(index)
            highest = step
        elif step is not None:
            highest = step if highest is None else max(highest, step)
    ends = [*starts[1:], len(rows)]
    # a new run counts its epochs first, first + 1, ... with no gap or repeat; anything else is one damaged file
    kept = [0] + [a for a, b in zip(starts[1:], ends[1:]) if _counts_up(steps[a:b], first)]
    ends = [*kept[1:], len(rows)]
    return [(lines[a:b], rows[a:b]) for a, b in zip(kept, ends)]


def _counts_up(steps: list[int | None], first: int | None) -> bool:
    """The epochs are first, first + 1, ... in order."""
    return first is not None and steps == list(range(first, first + len(steps)))


def _csv_record(
    path: Path,
    header: list[str],
    used: dict[str, str],
    ignored: list[str],
    columns: list[tuple[int, str, str]],
    lines: list[int],
    rows: list[list[str]],
) -> RunRecord:
    """One run's rows of a CSV log as a RunRecord (its problems name the file's lines)."""
    record = RunRecord(path=str(path), source=CSV_SOURCE, read_tags=used)
    record.ignored_tags = [name for name in ignored if name not in (EPOCH_COLUMN, "")]  # "": pandas' index
    name = printable(path.name)
    uneven, cells = Limited(name), Limited(name)
    for row_number, epoch, row in _numbered_rows(header, rows, name, record.problems, lines):
        if len(row) != len(header):
            uneven.add(
                partial(Said, "rundir.csv.cells", file=name, line=row_number, cells=len(row), header=len(header))
            )
        metrics = {}
        for index, column, metric in columns:
            where = partial(_csv_cell_name, name, row_number, column)
            number = _cell(row[index] if index < len(row) else None, where, cells)
            if number is not None:
                metrics[metric] = number
        record.epochs.append(EpochRecord(epoch=epoch, metrics=metrics))
    record.problems += uneven.problems() + cells.problems()
    if not rows:
        record.problems.append(Said("rundir.csv.no_rows", file=name))
    return record


def _csv_cell_name(file: str, line: int, column: str) -> Any:
    return say("rundir.cell", where=say("rundir.csv.line", file=file, line=line), name=column)


def read_history_json(path: Path) -> RunRecord:
    """Reads `History.history` saved as JSON: `{"loss": [...], "val_loss": [...], ...}`, one value per epoch.

    Args:
        path: The JSON file.

    Returns:
        A RunRecord with `source="history-json"`, epochs numbered from 1.

    Raises:
        RunDirError: If the file is not JSON, or not a dict of lists with a metric among its keys.

    Example:

    ```python
    history = model.fit(...)
    Path("history.json").write_text(json.dumps(history.history))
    record = read_history_json(Path("history.json"))
    ```
    """
    path = Path(path)
    data = as_columns(_load_json(path))
    lists = _history_lists(data, path)
    used, ignored = map_names(list(lists))
    ignored += [str(key) for key in data if str(key) not in lists]
    record = RunRecord(path=str(path), source=HISTORY_SOURCE, read_tags=used, ignored_tags=ignored)
    name = printable(path.name)
    length = max(len(lists[key]) for key in used)
    if length > MAX_READ_EPOCHS:
        record.problems.append(
            Said("readers.json_epochs_past_cap", file=name, count=f"{length:,}", limit=MAX_READ_EPOCHS)
        )
        length = MAX_READ_EPOCHS
    every = validation_every(lists, used, length)
    for key in used:
        if len(lists[key]) < length and not (every and used[key].startswith("val_")):
            problem = Said("rundir.history.short", file=name, key=repr(key), count=len(lists[key]), length=length)
            record.problems.append(problem)
    cells = Limited(name)
    for index in range(length):
        metrics = {}
        for key, metric in used.items():
            values = lists[key]
            at = index
            if every and metric.startswith("val_"):  # fit(validation_freq=k): the validations of epochs k, 2k, ...
                at = (index + 1) // every - 1 if (index + 1) % every == 0 else len(values)
            if at < len(values):
                number = _cell(values[at], partial(_json_cell_name, name, key, at), cells, json_value=True)
                if number is not None:
                    metrics[metric] = number
        record.epochs.append(EpochRecord(epoch=index + 1, metrics=metrics))
    record.problems += cells.problems()
    return record


def validation_every(lists: dict[str, list[Any]], used: dict[str, str], length: int) -> int | None:
    """k where `fit(validation_freq=k)` made the History: every training list `length` long and every validation
    list length // k (k >= 2; Keras validates after epochs k, 2k, ...). None otherwise."""
    val = {len(lists[key]) for key, metric in used.items() if metric.startswith("val_")}
    train = {len(lists[key]) for key, metric in used.items() if not metric.startswith("val_")}
    if len(val) != 1 or train != {length} or not (shorter := val.pop()) or length // shorter < 2:
        return None
    every = length // shorter
    return every if length // every == shorter else None


def _json_cell_name(file: str, key: str, index: int) -> str:
    return f"{file} {key[:40]}[{index}]"


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the non-blank rows of a CSV file (at most MAX_LOG_FILE_BYTES, read whole)."""
    try:
        raw = read_capped(path, MAX_LOG_FILE_BYTES, "MAX_LOG_FILE_BYTES")
        text = raw.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text.split("\n", 1)[0]))
        lines = [row for row in rows if any(cell.strip() for cell in row)]
    except (OSError, csv.Error) as error:
        reason = error.args[0] if isinstance(error, FileRefused) else error
        detail = say("rundir.path_detail", path=shown_path(path), detail=printable(str(reason)))
        raise RunDirError(say("rundir.csv.readable"), detail, path=path) from None
    if not lines:
        raise RunDirError(say("rundir.csv.header_row"), say("rundir.empty", path=shown_path(path)), path=path)
    return [name.strip() for name in lines[0]], lines[1:]


def merged_rows(header: list[str], rows: list[list[str]], used: list[int]) -> tuple[list[int], list[list[str]]]:
    """The rows with one epoch's consecutive rows made one where they do not disagree, and each row's line number.

    PyTorch Lightning's `CSVLogger` writes an epoch as several rows of the same `epoch` cell, each with some columns
    filled (`val_loss` in one, `train_loss_epoch` in the next, step rows between): their cells are one epoch's. Rows
    whose filled cells of a used column differ stay apart (a repeated epoch: `_numbered_rows` keeps the first).
    """
    lines = list(range(2, len(rows) + 2))
    if EPOCH_COLUMN not in header:
        return lines, rows
    column = header.index(EPOCH_COLUMN)
    kept_lines: list[int] = []
    kept: list[list[str]] = []
    for line, row in zip(lines, rows):
        epoch = row[column].strip() if column < len(row) else ""
        last = kept[-1] if kept else None
        if last is not None and epoch and _cell_text(last, column) == epoch and _fits(last, row, used):
            kept[-1] = [old if old.strip() else _cell_text(row, i) for i, old in enumerate(_padded(last, len(header)))]
            continue
        kept_lines.append(line)
        kept.append(row)
    return kept_lines, kept


def _cell_text(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _fits(first: list[str], second: list[str], used: list[int]) -> bool:
    """No used column holds a different value in the two rows (an empty cell holds none)."""
    return all(not (a := _cell_text(first, i)) or not (b := _cell_text(second, i)) or a == b for i in used)


def _numbered_rows(
    header: list[str], rows: list[list[str]], name: str, problems: list[str], lines: list[int] | None = None
) -> list[tuple[int, int, list[str]]]:
    """(line number, 1-based epoch, cells) of the rows to read, at most MAX_READ_EPOCHS of them.

    Epochs come from the `epoch` column (CSVLogger counts from 0), else from the row order. A row whose epoch is
    not a whole number 0..10^9, or not after the last row kept (a repeated epoch keeps its first row, an epoch
    going backwards keeps the rows before it), is skipped; each is listed in `problems`, and so is a gap.
    """
    lines = lines if lines is not None else list(range(2, len(rows) + 2))
    if EPOCH_COLUMN not in header:
        numbered = list(zip(lines, range(1, len(rows) + 1), rows))
    else:
        column = header.index(EPOCH_COLUMN)
        steps = [_step(row[column] if column < len(row) else "") for row in rows]
        good = [step for step in steps if step is not None]
        if not good:  # no epoch column worth the name: the row order it is
            if rows:
                problems.append(Said("readers.csv.no_epochs", file=name))
            numbered = list(zip(lines, range(1, len(rows) + 1), rows))
        else:
            offset = epoch_offset(good[0])
            numbered = []
            order, bad = EpochOrder(name), Limited(name)
            for line, step, row in zip(lines, steps, rows):
                if step is None:
                    cell = row[column] if column < len(row) else ""
                    value = repr(printable(cell[:20]))
                    bad.add(partial(Said, "readers.csv.bad_epoch", file=name, line=line, value=value))
                elif order.keeps(step + offset, line):
                    order.kept(step + offset, line)
                    numbered.append((line, step + offset, row))
            problems.extend(bad.problems() + order.problems())
    if len(numbered) > MAX_READ_EPOCHS:
        line = numbered[MAX_READ_EPOCHS][0]
        problems.append(Said("readers.epochs_past_cap", file=name, line=line, name="MAX_READ_EPOCHS"))
        numbered = numbered[:MAX_READ_EPOCHS]
    return numbered


def _step(cell: str) -> int | None:
    """A CSVLogger epoch cell as a whole number 0..MAX_EPOCH - 1 (`3`, `3.0`), else None (`inf`, `nan`, `2.5`)."""
    try:
        value = float(cell)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value) or not 0 <= value < MAX_EPOCH:
        return None
    return int(value)


class Limited:
    """Problems of one kind from one file: the first SHOWN_PROBLEMS built and kept, the others only counted (a
    50 MB CSV of bad cells costs a counter, not millions of messages).

    Args:
        file: The file's name in the closing count.
    """

    def __init__(self, file: str):
        self.file = file
        self.kept: list[str] = []
        self.more = 0

    def add(self, make: Callable[[], str]) -> None:
        if len(self.kept) < SHOWN_PROBLEMS:
            self.kept.append(make())
        else:
            self.more += 1

    def problems(self) -> list[str]:
        more = [Said("readers.more_like_these", file=self.file, count=f"{self.more:,}")] if self.more else []
        return [*self.kept, *more]


def _cell(value: Any, where: Callable[[], Any], problems: Limited, json_value: bool = False) -> float | None:
    """A number from a CSV cell or JSON value (`nan` and `inf` kept); None, with a problem, if it is none.

    An empty CSV cell is not logged, nor one reading `NA` (Keras's CSVLogger on an epoch without validation, with
    `fit(validation_freq=k)`) or `None`/`null`. A JSON value (`json_value`) must be a number: null is a logged NaN
    (as in history.jsonl), a string (`"0.5"`, `""`) is of the wrong type. `where` names the cell (called only when
    needed).
    """
    if json_value and value is None:
        return math.nan
    if value is None or (not json_value and value.strip().upper() in NOT_LOGGED):
        return None
    if not isinstance(value, bool) and isinstance(value, (int, float) if json_value else (int, float, str)):
        try:
            return float(value)
        except (ValueError, OverflowError):  # OverflowError: a JSON integer of 400 digits
            pass
    shown = repr(printable(str(value)[:20]))
    problems.add(lambda: Said("rundir.not_a_number", where=where(), value=shown))
    return None


def _load_json(path: Path) -> Any:
    """A History JSON file (at most MAX_LOG_FILE_BYTES), every string in it valid Unicode."""
    try:
        raw = read_capped(path, MAX_LOG_FILE_BYTES, "MAX_LOG_FILE_BYTES")
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        detail = say("rundir.history.not_json", path=shown_path(path), error=say("rundir.too_deep"))
        raise RunDirError(say("rundir.history.file"), detail, path=path) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        if isinstance(error, FileRefused):
            reason: Any = error.args[0]
        else:
            reason = not_utf8(error) if isinstance(error, UnicodeDecodeError) else printable(str(error)[:160])
        detail = say("rundir.history.not_json", path=shown_path(path), error=reason)
        raise RunDirError(say("rundir.history.file"), detail, path=path) from None
    return valid_json(data) if may_hold_surrogates(raw) else data


def as_columns(data: Any) -> Any:
    """pandas' JSON of a History DataFrame as `History.history`: `df.to_json()` (`{"loss": {"0": 1.2, ...}}`) and
    `orient="records"` (`[{"loss": 1.2, ...}, ...]`); anything else as it is."""
    if isinstance(data, list) and data and all(isinstance(row, dict) for row in data):
        keys = dict.fromkeys(key for row in data for key in row)
        return {key: [row.get(key) for row in data] for key in keys}
    if isinstance(data, dict) and data and all(_indexed(value) for value in data.values()):
        return {key: [value[i] for i in sorted(value, key=int)] for key, value in data.items()}
    return data


def _indexed(value: Any) -> bool:
    """A dict of rows by their index: `{"0": 1.2, "1": 1.0}`."""
    return isinstance(value, dict) and bool(value) and all(isinstance(k, str) and k.isdigit() for k in value)


def _history_lists(data: Any, path: Path) -> dict[str, list[Any]]:
    """The lists of a `History.history` dict; raises unless at least one list is under a metric's name."""
    expected = say("rundir.history.dict", example='{"loss": [...], "val_loss": [...]}')
    if not isinstance(data, dict):
        detail = say("rundir.history.json_kind", path=shown_path(path), kind=type(data).__name__)
        raise RunDirError(expected, detail, path=path)
    lists = {str(key): value for key, value in data.items() if isinstance(value, list)}
    if not any(lists[key] for key in map_names(list(lists))[0]):
        keys = ", ".join(f"{k[:40]}: {type(v).__name__}" for k, v in list(data.items())[:6])
        detail = say("rundir.path_detail", path=shown_path(path), detail=printable(keys) or say("rundir.history.empty"))
        raise RunDirError(expected, detail, path=path)
    return lists
