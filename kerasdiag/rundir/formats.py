"""Epoch logs that are not TensorBoard files: a Keras `CSVLogger` file and a `History.history` JSON.

Both become a RunRecord with EpochRecords numbered from 1 and `read_tags` saying which column or
key became which metric (`metric_names` decides). Damage never raises a traceback: a file that
cannot be one of these raises a RunDirError with an "Expected ... Received: ..." line; a readable
file with bad cells or uneven lists gives a partial record whose `problems` say what was skipped.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.epochs import EpochRecord, EpochTable
from kerasdiag.rundir.metric_names import epoch_offset, map_names
from kerasdiag.rundir.record import RunRecord

CSV_SOURCE = "csv-logger"
HISTORY_SOURCE = "history-json"
EPOCH_COLUMN = "epoch"
CSV_SUFFIXES = (".csv", ".log")  # Keras's own example is CSVLogger("training.log")
MAX_LOG_BYTES = 50_000_000  # larger files are not epoch logs; never read them whole


def is_csv_log(path: Path) -> bool:
    """Tells whether `path` is a `.csv` or `.log` file whose header names an epoch metric (`loss`, ...)."""
    path = Path(path)
    if path.suffix.lower() not in CSV_SUFFIXES or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as file:
            header = next(csv.reader(file), [])
    except OSError:
        return False
    return bool(map_names([name.strip() for name in header])[0])


def is_history_json(path: Path) -> bool:
    """Tells whether `path` is a `.json` file holding a `History.history` dict (`{"loss": [...], ...}`)."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        _history_lists(_load_json(path), path)
    except RunDirError:
        return False
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
        shown = ",".join(header)[:120] or say("rundir.csv.empty_header")
        raise RunDirError(say("rundir.csv.header"), say("rundir.path_detail", path=path, detail=shown), path=path)
    record = RunRecord(path=str(path), source=CSV_SOURCE, read_tags=used)
    record.ignored_tags = [name for name in ignored if name != EPOCH_COLUMN]
    numbers = _epoch_numbers(header, rows)
    for row_number, (epoch, row) in enumerate(zip(numbers, rows), start=2):
        if len(row) != len(header):
            problem = Said("rundir.csv.cells", file=path.name, line=row_number, cells=len(row), header=len(header))
            record.problems.append(problem)
        where = say("rundir.csv.line", file=path.name, line=row_number)
        metrics = _row_metrics(dict(zip(header, row)), used, where, record.problems)
        record.epochs.append(EpochRecord(epoch=epoch, metrics=metrics))
    if not rows:
        record.problems.append(Said("rundir.csv.no_rows", file=path.name))
    return record


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
    data = _load_json(path)
    lists = _history_lists(data, path)
    used, ignored = map_names(list(lists))
    ignored += [str(key) for key in data if str(key) not in lists]
    record = RunRecord(path=str(path), source=HISTORY_SOURCE, read_tags=used, ignored_tags=ignored)
    length = max(len(lists[key]) for key in used)
    epochs = [EpochRecord(epoch=index + 1) for index in range(length)]
    for key, metric in used.items():
        if len(lists[key]) < length:
            problem = Said("rundir.history.short", file=path.name, key=repr(key), count=len(lists[key]), length=length)
            record.problems.append(problem)
        for index, value in enumerate(lists[key]):
            number = _cell(value, f"{path.name} {key}[{index}]", record.problems)
            if number is not None:
                epochs[index].metrics[metric] = number
    record.epochs = EpochTable(epochs)
    return record


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the non-blank rows of a CSV file."""
    if path.stat().st_size > MAX_LOG_BYTES:
        raise RunDirError(say("rundir.csv.size", limit=MAX_LOG_BYTES), f"{path}", path=path)
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as file:
            lines = [row for row in csv.reader(file) if any(cell.strip() for cell in row)]
    except (OSError, csv.Error) as error:
        raise RunDirError(say("rundir.csv.readable"), f"{path} ({error})", path=path) from None
    if not lines:
        raise RunDirError(say("rundir.csv.header_row"), say("rundir.empty", path=path), path=path)
    return [name.strip() for name in lines[0]], lines[1:]


def _epoch_numbers(header: list[str], rows: list[list[str]]) -> list[int]:
    """1-based epochs from the `epoch` column (CSVLogger counts from 0), else from the row order."""
    if EPOCH_COLUMN in header:
        column = header.index(EPOCH_COLUMN)
        try:
            steps = [int(float(row[column])) for row in rows]
        except (ValueError, IndexError):
            steps = []
        if steps and steps == sorted(set(steps)):
            offset = epoch_offset(steps[0])
            return [step + offset for step in steps]
    return list(range(1, len(rows) + 1))


def _row_metrics(cells: dict[str, str], used: dict[str, str], where: Any, problems: list[str]) -> dict[str, float]:
    metrics = {}
    for name, metric in used.items():
        number = _cell(cells.get(name), say("rundir.cell", where=where, name=name), problems)
        if number is not None:
            metrics[metric] = number
    return metrics


def _cell(value: Any, where: Any, problems: list[str]) -> float | None:
    """A number from a CSV cell or JSON value (`nan` and `inf` kept); None, with a problem, if it is none."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.append(Said("rundir.not_a_number", where=where, value=repr(str(value)[:20])))
        return None
    try:
        return float(value)
    except ValueError:
        problems.append(Said("rundir.not_a_number", where=where, value=repr(str(value)[:20])))
        return None


def _load_json(path: Path) -> Any:
    if path.stat().st_size > MAX_LOG_BYTES:
        raise RunDirError(say("rundir.history.size", limit=MAX_LOG_BYTES), f"{path}", path=path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise RunDirError(
            say("rundir.history.file"), say("rundir.history.not_json", path=path, error=error), path=path
        ) from None


def _history_lists(data: Any, path: Path) -> dict[str, list[Any]]:
    """The lists of a `History.history` dict; raises unless at least one list is under a metric's name."""
    expected = say("rundir.history.dict", example='{"loss": [...], "val_loss": [...]}')
    if not isinstance(data, dict):
        raise RunDirError(expected, say("rundir.history.json_kind", path=path, kind=type(data).__name__), path=path)
    lists = {str(key): value for key, value in data.items() if isinstance(value, list)}
    if not any(lists[key] for key in map_names(list(lists))[0]):
        keys = ", ".join(f"{k}: {type(v).__name__}" for k, v in list(data.items())[:6]) or say("rundir.history.empty")
        raise RunDirError(expected, say("rundir.path_detail", path=path, detail=keys), path=path)
    return lists
