"""TFRecord framing of TensorBoard event files, with a C CRC-32C, written synchronously.

tensorboard's own `EventFileWriter` hands every event to a writer thread and checksums each
record with a pure-Python CRC-32C (about 15 us per 100 bytes); for a run that logs 30 values per
epoch that thread and its locks cost several milliseconds an epoch on a loaded CPU. `EventFile`
frames each record in memory (the masked CRC-32C of `tensorboard/crc.py`: `google-crc32c`'s C
extension) and writes the buffer at `flush()`: one write per flush, the same bytes tensorboard
would write.

Record framing (TFRecord): `uint64 length`, `uint32 masked CRC of length`, `data`,
`uint32 masked CRC of data`, all little-endian.
"""

from __future__ import annotations

import itertools
import os
import socket
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kerasdiag.rundir.tensorboard.crc import masked_crc32c

_LENGTH = struct.Struct("<Q")
_CRC = struct.Struct("<I")
_DOUBLE = struct.Struct("<d")
_ONE_BYTE = [bytes((n,)) for n in range(0x80)]
_FILE_IDS = itertools.count()  # as tensorboard's: two files of one process in one second get distinct names


def frame(data: bytes) -> bytes:
    """One TFRecord: length, its masked CRC, the data, the data's masked CRC."""
    header = _LENGTH.pack(len(data))
    return header + _CRC.pack(masked_crc32c(header)) + data + _CRC.pack(masked_crc32c(data))


def varint(number: int) -> bytes:
    if number < 0x80:  # every scalar value and most histograms: one byte
        return _ONE_BYTE[number]
    out = bytearray()
    while number > 0x7F:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def event_bytes(wall_time: float, step: int, values: list[bytes]) -> bytes:
    """A serialized `Event(wall_time, step, summary=Summary(value=values))` from serialized `Summary.Value`s.

    Byte for byte what protobuf writes: fields in number order (wall_time a double, step a varint, each left out
    when zero), the summary (field 5) last.
    """
    step = int(step)
    if step < 0 or wall_time == 0.0:  # rare: let protobuf encode them
        from tensorboard.compat.proto import event_pb2

        head = event_pb2.Event(wall_time=wall_time, step=step).SerializeToString()
    else:
        head = b"\x09" + _DOUBLE.pack(wall_time) + (b"\x10" + varint(step) if step else b"")
    summary = b"".join(b"\x0a" + varint(len(value)) + value for value in values)
    return head + b"\x2a" + varint(len(summary)) + summary


class ScalarValues:
    """Serialized scalar `Summary.Value`s, built by protobuf once per tag and then by splicing in the float.

    A scalar value is the tag, a float tensor and the scalars plugin's metadata; only the 4 bytes of the
    float change from one step to the next, so each tag's bytes around them are kept (protobuf takes about
    10 us to build and serialize each value; this about 1 us).

    Args:
        build: `build(tag, value)` returns the `Summary.Value` protobuf of one scalar.
    """

    SENTINEL = struct.pack("<f", 1.2345678e-31)

    def __init__(self, build: Callable[[str, float], Any]):
        self.build = build
        self._parts: dict[str, tuple[bytes, bytes] | None] = {}

    def __call__(self, tag: str, value: float) -> bytes:
        if tag not in self._parts:
            self._parts[tag] = self._split(tag)
        parts = self._parts[tag]
        try:
            packed = struct.pack("<f", value)
        except OverflowError:  # beyond float32: protobuf stores it as inf
            parts = None
        if parts is None:
            return self.build(tag, value).SerializeToString()  # type: ignore[no-any-return]
        return parts[0] + packed + parts[1]

    def _split(self, tag: str) -> tuple[bytes, bytes] | None:
        template = self.build(tag, struct.unpack("<f", self.SENTINEL)[0]).SerializeToString()
        if template.count(self.SENTINEL) != 1:
            return None
        prefix, suffix = template.split(self.SENTINEL)
        return prefix, suffix


class EventFile:
    """One `events.out.tfevents.*` file: events framed in memory, written at each `flush()`.

    Args:
        log_dir: The directory (created if missing), e.g. `runs/<run>/train`.

    Example:

    ```python
    events = EventFile(Path("runs/demo/train"))
    events.add(event_pb2.Event(step=0, summary=summary))
    events.close()
    ```
    """

    def __init__(self, log_dir: Path):
        from tensorboard.compat.proto import event_pb2

        log_dir.mkdir(parents=True, exist_ok=True)
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}.{next(_FILE_IDS)}"
        self.path = log_dir / name
        self._buffer = bytearray()
        self._stream: Any = open(self.path, "wb")  # noqa: SIM115  (open until close())
        source = event_pb2.SourceMetadata(writer="tensorboard.summary.writer.event_file_writer")
        self.add(event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2", source_metadata=source))
        self.flush()

    def add(self, event: Any) -> None:
        """Frame one `Event` protobuf into the buffer."""
        self.add_bytes(event.SerializeToString())

    def add_bytes(self, event: bytes) -> None:
        """Frame one serialized `Event` into the buffer."""
        self._buffer += frame(event)

    def flush(self) -> None:
        """Write the buffered records to the file (readers see them from now on)."""
        if self._stream is None or not self._buffer:
            return
        self._stream.write(self._buffer)
        self._stream.flush()
        self._buffer.clear()

    def close(self) -> None:
        """Flush and close (idempotent)."""
        if self._stream is not None:
            self.flush()
            self._stream.close()
            self._stream = None
