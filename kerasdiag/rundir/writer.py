"""RunWriter: creates a run directory and keeps it up to date while a run trains.

Layout (see DESIGN.md): run.json, history.jsonl, predictions.npz, diagnosis.json,
train/ and validation/ TensorBoard event files. Never imports keras or tensorflow.

Every file but history.jsonl (appended a line per epoch) is written whole to `<name>.tmp` and renamed
over the old one (`os.replace`), so a reader or a crash sees the old file or the new one, never half of
one; a write that fails (a full disk) removes its temporary file and raises `RunDirError` ("cannot write
<path>: no space left on the device"). A failed append is cut back to the last whole line. While a run
trains, a reserve file (`RESERVE`) holds some disk space back: on a full disk it is deleted first, so the
run can still be marked failed and diagnosed (see `training.session.RunSession.abort`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import numpy as np

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.rundir.schema import DIAGNOSIS, HISTORY, PREDICTIONS, RUN_JSON, SCHEMA_VERSION

RESERVE = ".reserve"  # space held back while a run trains (deleted at its end, or first when the disk is full)
RESERVE_BYTES = 256 * 2**10  # run.json and diagnosis.json of a failed run (a 1,000-class diagnosis: about 100 KB)
TMP_SUFFIX = ".tmp"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RunWriter:
    """Creates a new run directory and keeps it up to date while a run trains.

    Args:
        path: The run directory; created here and never reused.
    """

    def __init__(self, path: Path):
        self.path = path
        self.meta: dict[str, Any] = {}

    @classmethod
    def create(cls, logdir: str | Path, stem: str) -> RunWriter:
        """Make `<logdir>/<stem>`, or `<stem>-2`, `-3` ... if that exists: never overwrite a run."""
        return cls(make_unique_dir(Path(logdir), stem))

    def write_meta(self, **fields: Any) -> None:
        """Merge `fields` into run.json and rewrite it atomically (RunDirError when it cannot be written)."""
        self.meta.update(fields)
        self.meta["schema"] = SCHEMA_VERSION
        text = json.dumps(self.meta, indent=2, default=_json_default)
        write_atomic(self.path / RUN_JSON, lambda stream: stream.write(text.encode("utf-8")))

    def append_epoch(self, row: dict[str, Any]) -> None:
        """Append one finished epoch to history.jsonl and flush it (a killed process keeps every finished epoch)."""
        self.append_epochs([row])

    def append_epochs(self, rows: list[dict[str, Any]]) -> None:
        """Append finished epochs to history.jsonl, one line each, in one write (then flushed).

        A write that fails (a full disk) is cut back to the lines before it and raises RunDirError.
        """
        if not rows:
            return
        lines = "".join(json.dumps(row, default=_json_default, allow_nan=True) + "\n" for row in rows)
        path = self.path / HISTORY
        try:
            with open(path, "ab") as stream:
                start = stream.tell()
                try:
                    stream.write(lines.encode("utf-8"))
                    stream.flush()
                except OSError:
                    with contextlib.suppress(OSError):
                        stream.truncate(start)  # no half line: the epochs before it stay readable
                    raise
        except OSError as exc:
            raise cannot_write(path, exc) from None

    def write_predictions(self, **arrays: np.ndarray) -> None:
        """predictions.npz, written atomically (RunDirError when it cannot be written)."""
        write_atomic(self.path / PREDICTIONS, lambda stream: np.savez_compressed(stream, **arrays))  # type: ignore[arg-type]

    def write_diagnosis(self, payload: dict[str, Any]) -> None:
        """diagnosis.json, written atomically (RunDirError when it cannot be written)."""
        text = json.dumps(payload, indent=2, ensure_ascii=False)
        write_atomic(self.path / DIAGNOSIS, lambda stream: stream.write(text.encode("utf-8")))

    def reserve(self, size: int = RESERVE_BYTES) -> None:
        """Hold `size` bytes of disk in the run directory (real blocks, not a sparse file); best effort."""
        try:
            with open(self.path / RESERVE, "wb") as stream:
                stream.write(b"\0" * size)
        except OSError:
            self.release_reserve()  # a disk already this full fails at the run's first write, with the reason

    def release_reserve(self) -> None:
        """Give the reserved space back (idempotent)."""
        with contextlib.suppress(OSError):
            (self.path / RESERVE).unlink(missing_ok=True)


def write_atomic(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write `path` through `<path>.tmp` and `os.replace`: readers see the old file or the new one, whole.

    Raises:
        RunDirError: "cannot write <path>: <why>" when it fails; the temporary file is removed.
    """
    tmp = path.with_name(path.name + TMP_SUFFIX)
    try:
        with open(tmp, "wb") as stream:
            write(stream)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def make_unique_dir(root: Path, stem: str) -> Path:
    """Create and return `root/stem`, or `stem-2`, `stem-3` ... when taken (atomic `mkdir`, never reused).

    `mkdir` fails when the folder exists, so two processes asking for the same stem at the same moment
    (two `train --name x` in the same second) get two folders.
    """
    writable_dir(root)
    for n in range(1, 10_000):
        path = root / (stem if n == 1 else f"{stem}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise cannot_write(path, exc) from None
        return path
    raise RunDirError(say("rundir.free_name", root=root), say("rundir.names_taken", stem=stem), path=root)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def writable_dir(path: Path) -> Path:
    """Create `path` (and its parents) if missing and prove a file can be written there; RunDirError if not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise cannot_write(path, exc) from None
    return path


def cannot_write(path: Path, exc: OSError) -> RunDirError:
    """The one-line error for a place kerasdiag cannot write: "cannot write <path>: <why>"."""
    if isinstance(exc, PermissionError):
        why: Any = say("rundir.permission_denied")
    elif isinstance(exc, (NotADirectoryError, FileExistsError)):
        why = say("rundir.file_in_the_way")
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = say("safety.runs.disk_full")
    else:
        why = (exc.strerror or type(exc).__name__).lower()
    return RunDirError(say("rundir.writable"), say("rundir.cannot_write", path=path, why=why), path=path)
