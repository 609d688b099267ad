"""read_run: a kerasdiag run directory back as a RunRecord (and `read_saved_findings`: its diagnosis.json);
damage is recorded, never raised.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.epochs import EpochTable
from kerasdiag.rundir.model_summary import ModelSummary
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.schema import DIAGNOSIS, HISTORY, PREDICTIONS, RUN_JSON, SCHEMA_VERSION
from kerasdiag.rundir.summaries import DataSummary, Predictions
from kerasdiag.rundir.values import shown


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
        expected = say("rundir.readable_run", run_json=RUN_JSON, history=HISTORY)
        raise RunDirError(expected, say("rundir.neither", path=path), path=path)
    return record


def read_saved_findings(path: Path, problems: list[str]) -> list[tuple[str, str]] | None:
    """The rule id and severity label of each finding `diagnosis.json` holds, in its order.

    None when the file is missing (plain Keras logs have none) or damaged; damage is appended to `problems`
    (a RunRecord's, so that diagnosing the record names it), never raised.
    """
    file = path / DIAGNOSIS
    if not file.is_file():
        return None
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        problems.append(Said("rundir.unreadable", file=DIAGNOSIS, reason=_reason(exc)))
        return None
    try:
        return [(str(f["rule"]), str(f["severity"])) for f in payload.get("findings", [])]
    except (KeyError, TypeError, AttributeError) as exc:
        problems.append(Said("rundir.findings_malformed", file=DIAGNOSIS, kind=type(exc).__name__, reason=_reason(exc)))
        return None


def _read_meta(path: Path, record: RunRecord) -> dict[str, Any] | None:
    file = path / RUN_JSON
    if not file.is_file():
        record.problems.append(Said("rundir.missing", file=RUN_JSON))
        return None
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        record.problems.append(Said("rundir.unreadable", file=RUN_JSON, reason=_reason(exc)))
        return None
    if not isinstance(meta, dict):
        record.problems.append(Said("rundir.not_object", file=RUN_JSON))
        return None
    schema = meta.get("schema", SCHEMA_VERSION)
    if not isinstance(schema, int) or isinstance(schema, bool):
        record.problems.append(Said("rundir.schema_not_number", file=RUN_JSON, schema=repr(str(schema)[:40])))
    elif schema > SCHEMA_VERSION:
        record.problems.append(Said("rundir.schema_newer", file=RUN_JSON, schema=schema, version=SCHEMA_VERSION))
    return meta


def _apply_meta(meta: dict[str, Any], record: RunRecord) -> None:
    record.status = RunStatus.parse(meta.get("status"))
    if meta.get("status") is not None and record.status is None:
        record.problems.append(Said("rundir.unknown_status", file=RUN_JSON, status=repr(str(meta.get("status"))[:40])))
    record.error = meta.get("error") if isinstance(meta.get("error"), str) else None
    config = meta.get("config")
    if config is not None and not isinstance(config, dict):
        record.problems.append(Said("rundir.config_not_object", file=RUN_JSON, value=shown(config)))
    record.config = _checked_config(config, record.problems) if isinstance(config, dict) else None
    for key, parse in (("data", DataSummary.from_dict), ("model", ModelSummary.from_dict)):
        if not meta.get(key):
            continue
        try:
            setattr(record, key, parse(meta[key]))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
            problem = Said(
                "rundir.summary_malformed", file=RUN_JSON, key=key, kind=type(exc).__name__, reason=_reason(exc)
            )
            record.problems.append(problem)


def _checked_config(config: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The config without values of the wrong type for their flag (each dropped one is listed in `problems`)."""
    kinds = {f.name: str(f.type) for f in dataclasses.fields(RunConfig)}
    kept = {}
    for key, value in config.items():
        kind = kinds.get(key)
        if kind is None or _fits(value, kind):
            kept[key] = value
        else:
            problems.append(Said("rundir.config_type", file=RUN_JSON, key=key, value=shown(value), kind=kind))
    return kept


def _fits(value: Any, kind: str) -> bool:
    if value is None:
        return "None" in kind
    if kind.startswith("list"):
        return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    if kind.startswith("bool"):
        return isinstance(value, bool)
    if kind.startswith("int"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind.startswith("float"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)


def _read_history(file: Path, problems: list[str]) -> EpochTable:
    """Parse history.jsonl one line at a time into columns (no line is kept); damaged lines are skipped."""
    epochs = EpochTable()
    if not file.is_file():
        problems.append(Said("rundir.missing", file=HISTORY))
        return epochs
    damaged: list[tuple[int, str]] = []
    number = 0
    try:
        with open(file, "rb") as stream:
            for number, raw in enumerate(stream, start=1):
                line = raw.decode("utf-8", errors="replace")
                if not line.strip():
                    continue
                try:
                    epochs.append_row(json.loads(line))
                except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
                    damaged.append((number, _reason(exc)))
    except OSError as exc:
        problems.append(Said("rundir.unreadable", file=HISTORY, reason=_reason(exc)))
    problems.extend(_damaged_lines(damaged, number))
    return epochs


def _damaged_lines(damaged: list[tuple[int, str]], last: int, shown: int = 3) -> list[str]:
    """One problem per damaged line, the first `shown` of them, then a count of the rest."""
    out: list[str] = []
    for number, reason in damaged[:shown]:
        if number == last:
            out.append(Said("rundir.last_line_damaged", file=HISTORY, reason=reason))
        else:
            out.append(Said("rundir.line_damaged", file=HISTORY, line=number, reason=reason))
    if len(damaged) > shown:
        out.append(Said("rundir.more_damaged", file=HISTORY, count=f"{len(damaged) - shown:,}"))
    return out


def _reason(exc: BaseException) -> str:
    """`exc` as a short phrase for a problem list: its own message's first line, else its type.

    kerasdiag's own reasons (a `Said`) stay messages; Python's and NumPy's own texts stay as they are.
    """
    if isinstance(exc, json.JSONDecodeError):
        return Said("rundir.not_json", error=exc.msg)
    if isinstance(exc, RecursionError):
        return Said("rundir.too_deep")
    if exc.args and isinstance(exc.args[0], Said) and len(exc.args[0]) <= 100:
        return exc.args[0]
    text = str(exc).splitlines()[0] if str(exc) else ""
    return text[:100] if text else type(exc).__name__


def _read_predictions(file: Path, problems: list[str]) -> Predictions | None:
    if not file.is_file():
        return None
    try:
        with (
            open(file, "rb") as stream,
            np.load(stream, allow_pickle=False) as data,
        ):  # numpy leaks the file on a bad zip
            return Predictions.from_arrays({name: data[name] for name in data.files})
    except Exception as exc:  # noqa: BLE001 - a damaged zip raises many kinds of error
        problems.append(Said("rundir.unreadable", file=PREDICTIONS, reason=_reason(exc)))
        return None
