"""Event files: where they lie and their records, read without TensorFlow.

The event files are read here record by record rather than through
tensorboard's `EventAccumulator`: that class silently stops at a truncated or
corrupt record (it logs at debug level only) and, with tensorboard's TF-free
stub, checks every byte's CRC in pure Python, which makes a 200-epoch run with
probes take about 0.3 s instead of 0.05 s. Reading the framing ourselves tells
exactly where a file is damaged, and keeps everything before that point.
Both CRCs of every record are checked: a header whose CRC fails ends the file (its framing cannot be trusted);
a payload whose CRC fails is skipped and counted (a corrupted `val_loss` is never read as a number). Files are
read one record at a time, up to MAX_EVENT_FILE_BYTES each, records up to MAX_EVENT_RECORD_BYTES.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kerasdiag.limits import MAX_EVENT_FILE_BYTES, MAX_EVENT_FILES, MAX_EVENT_RECORD_BYTES
from kerasdiag.messages.said import Said
from kerasdiag.rundir.files import entry_kind, open_regular, printable

SPLITS = ("train", "validation")
# The folder names of each split, preferred first: Keras writes train/ and validation/, the TensorBoard tutorial's
# GradientTape loop train/ and test/. A held-out folder other than validation/ counts only beside a train folder.
SPLIT_FOLDERS = {
    "train": ("train", "training"),
    "validation": ("validation", "val", "valid", "eval", "evaluation", "test"),
}
EVENT_FILE_GLOB = "events.out.tfevents.*"

_HEADER = struct.Struct("<QI")  # record length, masked CRC32C of the length
_CRC = struct.Struct("<I")


def event_files(path: Path, problems: list[str] | None = None) -> dict[str, list[Path]]:
    """Event files per split, oldest first (by the timestamp and counter in their names).

    Args:
        path: The folder holding `train/` and `validation/` (or `test/`, `val/`, ...: see `split_folders`).
        problems: Where to list what could not be read (an entry named like an event file that is a folder, a
            FIFO, a device or a broken link; a split folder that cannot be listed; event files past
            MAX_EVENT_FILES, of which the newest are kept). None: not listed.
    """
    folders = split_folders(path)
    return {split: files_in(path / folders[split], problems, f"{folders[split]}/") for split in SPLITS}


def split_folders(path: Path) -> dict[str, str]:
    """The folder read as each split: the first of SPLIT_FOLDERS that holds event files, else the first name.

    A held-out folder other than `validation/` is taken only where a train folder holds event files, so that a
    folder of runs one of which is named `test` is not read as one run.
    """
    chosen = {
        split: next((f for f in names if _holds_events(path / f)), names[0]) for split, names in SPLIT_FOLDERS.items()
    }
    if chosen["validation"] != SPLIT_FOLDERS["validation"][0] and not _holds_events(path / chosen["train"]):
        chosen["validation"] = SPLIT_FOLDERS["validation"][0]
    return chosen


def other_held_out(path: Path) -> list[str]:
    """The held-out folders holding event files that were not read, because a preferred one was (`test/` beside
    `validation/`)."""
    chosen = split_folders(path)["validation"]
    return [f for f in SPLIT_FOLDERS["validation"] if f != chosen and _holds_events(path / f)]


def _holds_events(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.glob(EVENT_FILE_GLOB))
    except OSError:
        return False


def files_in(folder: Path, problems: list[str] | None, label: str = "") -> list[Path]:
    """The event files directly in `folder`, oldest first, at most the newest MAX_EVENT_FILES (see `event_files`)."""
    try:
        if not folder.is_dir():
            return []
        entries = sorted(folder.glob(EVENT_FILE_GLOB), key=natural_key)
    except OSError as error:
        if problems is not None:
            problems.append(Said("readers.tb.unlisted", folder=label or ".", reason=error.strerror or error))
        return []
    files = []
    for entry in entries:
        kind = entry_kind(entry)
        if kind is None:
            files.append(entry)
        elif problems is not None:
            problems.append(Said("readers.tb.not_read", file=f"{label}{printable(entry.name)}", kind=kind))
    if len(files) > MAX_EVENT_FILES:
        if problems is not None:
            skipped = len(files) - MAX_EVENT_FILES
            problems.append(Said("readers.tb.too_many", folder=label or ".", skipped=skipped, limit=MAX_EVENT_FILES))
        files = files[-MAX_EVENT_FILES:]
    return files


def natural_key(file: Path) -> list[Any]:
    """The name split into text and numbers (`...1796458453.vm.18154.8` sorts before `...18154.10`)."""
    parts: list[Any] = re.split(r"(\d+)", file.name)
    for index in range(1, len(parts), 2):  # the captured digits: odd places only
        parts[index] = int(parts[index])  # a name holds at most 255 bytes: never past int()'s digit limit
    return parts


def read_events(files: list[Path], problems: list[str], label: str = "") -> Iterator[Any]:
    """Yields the `Event` protos of event files in order; damage goes to `problems` as `<label><file>: ...`.

    Args:
        files: Event files, oldest first.
        problems: Where to append what was damaged or skipped.
        label: Prefix of each file name in `problems`, e.g. `train/`. Defaults to `""`.
    """
    from google.protobuf.message import DecodeError
    from tensorboard.compat.proto import event_pb2

    for file in files:
        name = f"{label}{printable(file.name)}"
        records = _Records(file)
        skipped = 0
        for payload in records:
            try:
                event = event_pb2.Event.FromString(payload)
            except (DecodeError, RecursionError):
                skipped += 1
                continue
            yield event
        if records.bad_payloads:
            problems.append(Said("readers.tb.bad_payloads", file=name, count=records.bad_payloads, total=records.count))
        if skipped:
            problems.append(Said("rundir.tb.skipped", file=name, skipped=skipped, total=records.count))
        if records.problem:
            problems.append(Said("rundir.tb.file_problem", file=name, problem=records.problem))
        elif not records.count:  # TensorFlow writes a first record as it creates the file
            problems.append(Said("readers.tb.empty", file=name))


class _Records:
    """The payloads of one TFRecord file, read one record at a time (iterate once).

    After the iteration, `count` is the number of framed records, `bad_payloads` those whose payload CRC failed
    (not yielded), `problem` what ended the file early (a truncation, a bad header, a cap), or None.
    """

    def __init__(self, file: Path):
        self.file = file
        self.count = 0
        self.bad_payloads = 0
        self.problem: Said | None = None

    def __iter__(self) -> Iterator[bytes]:
        from kerasdiag.rundir.tensorboard.crc import masked_crc32c

        try:
            stream = open_regular(self.file)
        except OSError as error:
            reason = error.args[0] if isinstance(error.args[0], Said) else error.strerror or error
            self.problem = Said("rundir.tb.cannot_read", error=reason)
            return
        with stream:
            size = os.fstat(stream.fileno()).st_size
            offset = 0
            while True:
                damage = {"offset": offset, "size": size, "records": self.count}
                if offset >= MAX_EVENT_FILE_BYTES:
                    self.problem = Said("readers.tb.file_cap", limit=f"{MAX_EVENT_FILE_BYTES:,}", **damage)
                    return
                try:
                    header = stream.read(_HEADER.size)
                except OSError as error:
                    self.problem = Said("rundir.tb.cannot_read", error=error.strerror or error)
                    return
                if not header:
                    return
                if len(header) < _HEADER.size:
                    self.problem = Said("rundir.tb.truncated", **damage)
                    return
                length, crc = _HEADER.unpack(header)
                if masked_crc32c(header[:8]) != crc:
                    self.problem = Said("rundir.tb.corrupt", **damage)
                    return
                if length > MAX_EVENT_RECORD_BYTES:
                    self.problem = Said(
                        "readers.tb.record_cap", length=f"{length:,}", limit=f"{MAX_EVENT_RECORD_BYTES:,}", **damage
                    )
                    return
                body = stream.read(length + _CRC.size)  # never more than the cap: the length was checked first
                if len(body) < length + _CRC.size:
                    self.problem = Said("rundir.tb.truncated", **damage)
                    return
                offset += _HEADER.size + len(body)
                self.count += 1
                payload = body[:length]
                if masked_crc32c(payload) != _CRC.unpack_from(body, length)[0]:
                    self.bad_payloads += 1
                    continue
                yield payload


# TensorFlow's DataType numbers of the real-valued dtypes a scalar may be logged in: float, double, int32, uint8,
# int16, int8, int64, bool, bfloat16, uint16, half, uint32, uint64. Others (strings, complex, resources, variants,
# unknown numbers) are no scalar.
_NUMERIC_DTYPES = frozenset((1, 2, 3, 4, 5, 6, 9, 10, 14, 17, 19, 22, 23))


def scalar_value(value: Any) -> float | None:
    """A classic `simple_value` or a one-element numeric tensor (Keras 3 writes these), else None.

    A tensor of another dtype, of another shape, or whose bytes do not fit its shape is no scalar (None).
    """
    kind = value.WhichOneof("value")
    if kind == "simple_value":
        return float(value.simple_value)
    if kind != "tensor":
        return None
    tensor = value.tensor
    if tensor.dtype not in _NUMERIC_DTYPES or any(dim.size != 1 for dim in tensor.tensor_shape.dim):
        return None  # a shape of 10^9 elements is never expanded from one value
    if len(tensor.float_val) == 1 or len(tensor.double_val) == 1:
        return float(tensor.float_val[0] if tensor.float_val else tensor.double_val[0])
    if len(tensor.tensor_content) > 16:
        return None
    from tensorboard.util import tensor_util

    try:
        array = tensor_util.make_ndarray(tensor)
        return float(array.reshape(-1)[0]) if array.size == 1 else None
    except (TypeError, ValueError, KeyError, IndexError, OverflowError):
        return None
