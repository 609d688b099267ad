"""RunWriter: creates a run directory and keeps it up to date while a run trains.

Layout (see DESIGN.md): run.json, history.jsonl, predictions.npz, diagnosis.json,
train/ and validation/ TensorBoard event files. Never imports keras or tensorflow.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.rundir.schema import DIAGNOSIS, HISTORY, PREDICTIONS, RUN_JSON, SCHEMA_VERSION


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
        """Merge `fields` into run.json and rewrite it atomically."""
        self.meta.update(fields)
        self.meta["schema"] = SCHEMA_VERSION
        tmp = self.path / (RUN_JSON + ".tmp")
        tmp.write_text(json.dumps(self.meta, indent=2, default=_json_default), encoding="utf-8")
        os.replace(tmp, self.path / RUN_JSON)

    def append_epoch(self, row: dict[str, Any]) -> None:
        """Append one finished epoch to history.jsonl and flush it (a killed process keeps every finished epoch)."""
        self.append_epochs([row])

    def append_epochs(self, rows: list[dict[str, Any]]) -> None:
        """Append finished epochs to history.jsonl, one line each, in one write (then flushed)."""
        if not rows:
            return
        lines = "".join(json.dumps(row, default=_json_default, allow_nan=True) + "\n" for row in rows)
        with open(self.path / HISTORY, "a", encoding="utf-8") as stream:
            stream.write(lines)
            stream.flush()

    def write_predictions(self, **arrays: np.ndarray) -> None:
        tmp = self.path / "predictions.tmp.npz"
        np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, self.path / PREDICTIONS)

    def write_diagnosis(self, payload: dict[str, Any]) -> None:
        (self.path / DIAGNOSIS).write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")


def make_unique_dir(root: Path, stem: str) -> Path:
    """Create and return `root/stem`, or `stem-2`, `stem-3` ... when taken (atomic `mkdir`, never reused)."""
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
    else:
        why = (exc.strerror or type(exc).__name__).lower()
    return RunDirError(say("rundir.writable"), say("rundir.cannot_write", path=path, why=why), path=path)
