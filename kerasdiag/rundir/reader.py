"""read_run: a kerasdiag run directory back as a RunRecord; damage is recorded, never raised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.errors import RunDirError
from kerasdiag.rundir.record import DataSummary, EpochRecord, ModelSummary, Predictions, RunRecord, RunStatus
from kerasdiag.rundir.schema import HISTORY, PREDICTIONS, RUN_JSON, SCHEMA_VERSION


def is_run_dir(path: Path) -> bool:
    return (path / RUN_JSON).is_file() or (path / HISTORY).is_file()


def read_run(path: Path) -> RunRecord:
    """Read a kerasdiag run directory; damage is recorded in `record.problems`, not raised."""
    record = RunRecord(path=str(path), source="kerasdiag")
    meta = _read_meta(path, record)
    if meta:
        _apply_meta(meta, record)
    record.epochs = _read_history(path / HISTORY, record.problems)
    record.predictions = _read_predictions(path / PREDICTIONS, record.problems)
    if not meta and not record.epochs:
        raise RunDirError(f"a readable {RUN_JSON} or {HISTORY}", f"{path} (neither could be read)", path=path)
    return record


def _read_meta(path: Path, record: RunRecord) -> dict[str, Any] | None:
    file = path / RUN_JSON
    if not file.is_file():
        record.problems.append(f"{RUN_JSON} is missing")
        return None
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        record.problems.append(f"{RUN_JSON} is unreadable ({type(exc).__name__}: {str(exc)[:80]})")
        return None
    if not isinstance(meta, dict):
        record.problems.append(f"{RUN_JSON} is not a JSON object")
        return None
    schema = meta.get("schema", SCHEMA_VERSION)
    if not isinstance(schema, int) or isinstance(schema, bool):
        record.problems.append(f"{RUN_JSON} has schema {str(schema)[:40]!r}, not a version number")
    elif schema > SCHEMA_VERSION:
        record.problems.append(f"{RUN_JSON} has schema {schema}, newer than {SCHEMA_VERSION}")
    return meta


def _apply_meta(meta: dict[str, Any], record: RunRecord) -> None:
    record.status = RunStatus.parse(meta.get("status"))
    if meta.get("status") is not None and record.status is None:
        record.problems.append(f"{RUN_JSON} has an unknown status {str(meta.get('status'))[:40]!r}")
    record.error = meta.get("error") if isinstance(meta.get("error"), str) else None
    record.config = meta.get("config") if isinstance(meta.get("config"), dict) else None
    for key, parse in (("data", DataSummary.from_dict), ("model", ModelSummary.from_dict)):
        if not meta.get(key):
            continue
        try:
            setattr(record, key, parse(meta[key]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            record.problems.append(f"{RUN_JSON} {key} summary is malformed ({type(exc).__name__}: {exc})")


def _read_history(file: Path, problems: list[str]) -> list[EpochRecord]:
    if not file.is_file():
        problems.append(f"{HISTORY} is missing")
        return []
    epochs: list[EpochRecord] = []
    lines = file.read_bytes().decode("utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            epochs.append(EpochRecord.from_row(json.loads(line)))
        except (json.JSONDecodeError, TypeError, ValueError, KeyError, AttributeError) as exc:
            where = "last line" if number == len(lines) else f"line {number}"
            problems.append(f"{HISTORY} {where} is damaged ({type(exc).__name__}); it was skipped")
    return epochs


def _read_predictions(file: Path, problems: list[str]) -> Predictions | None:
    if not file.is_file():
        return None
    try:
        with np.load(file, allow_pickle=False) as data:
            return Predictions.from_arrays({name: data[name] for name in data.files})
    except Exception as exc:  # a damaged zip raises many kinds of error
        problems.append(f"{PREDICTIONS} is unreadable ({type(exc).__name__})")
        return None
