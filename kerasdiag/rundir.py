"""The run directory (schema 1): write it while training, read it back as a RunRecord.

Layout (see DESIGN.md): run.json, history.jsonl, predictions.npz, diagnosis.json,
train/ and validation/ TensorBoard event files. Never imports keras or tensorflow.
"""

from __future__ import annotations

import json
import math
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag import SCHEMA_VERSION
from kerasdiag.errors import RunDirError
from kerasdiag.record import (
    DataSummary,
    EpochRecord,
    LayerInfo,
    ModelSummary,
    Predictions,
    RunRecord,
    SplitSummary,
)

RUN_JSON = "run.json"
HISTORY = "history.jsonl"
PREDICTIONS = "predictions.npz"
DIAGNOSIS = "diagnosis.json"
METRIC_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate")


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
        line = json.dumps(row, default=_json_default, allow_nan=True)
        with open(self.path / HISTORY, "a", encoding="utf-8") as stream:
            stream.write(line + "\n")
            stream.flush()

    def write_predictions(self, **arrays: np.ndarray) -> None:
        tmp = self.path / "predictions.tmp.npz"
        np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, self.path / PREDICTIONS)

    def write_diagnosis(self, payload: dict[str, Any]) -> None:
        (self.path / DIAGNOSIS).write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")


def make_unique_dir(root: Path, stem: str) -> Path:
    """Create and return `root/stem`, or `stem-2`, `stem-3` ... when taken (atomic `mkdir`, never reused)."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        path = root / (stem if n == 1 else f"{stem}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise RunDirError(f"Expected a free name under {root}. Received: {stem} and 9,999 variants taken")


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


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
        raise RunDirError(f"Expected a readable {RUN_JSON} or {HISTORY}. Received: {path} (neither could be read)")
    return record


def _read_meta(path: Path, record: RunRecord) -> dict[str, Any] | None:
    file = path / RUN_JSON
    if not file.is_file():
        record.problems.append(f"{RUN_JSON} is missing")
        return None
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        record.problems.append(f"{RUN_JSON} is unreadable ({exc})")
        return None
    if not isinstance(meta, dict):
        record.problems.append(f"{RUN_JSON} is not a JSON object")
        return None
    if meta.get("schema", SCHEMA_VERSION) > SCHEMA_VERSION:
        record.problems.append(f"{RUN_JSON} has schema {meta['schema']}, newer than {SCHEMA_VERSION}")
    return meta


def _apply_meta(meta: dict[str, Any], record: RunRecord) -> None:
    record.status = meta.get("status")
    record.error = meta.get("error")
    record.config = meta.get("config") if isinstance(meta.get("config"), dict) else None
    try:
        record.data = _data_summary(meta["data"]) if meta.get("data") else None
    except (KeyError, TypeError, ValueError) as exc:
        record.problems.append(f"{RUN_JSON} data summary is malformed ({exc})")
    try:
        record.model = _model_summary(meta["model"]) if meta.get("model") else None
    except (KeyError, TypeError, ValueError) as exc:
        record.problems.append(f"{RUN_JSON} model summary is malformed ({exc})")


def _split(raw: dict[str, Any] | None) -> SplitSummary | None:
    if not raw:
        return None
    counts = {int(k): int(v) for k, v in raw["class_counts"].items()}
    return SplitSummary(samples=int(raw["samples"]), class_counts=counts)


def _data_summary(raw: dict[str, Any]) -> DataSummary:
    train = _split(raw["train"])
    assert train is not None
    return DataSummary(
        dataset=raw["dataset"],
        num_classes=int(raw["num_classes"]),
        train=train,
        validation=_split(raw.get("validation")),
        test=_split(raw.get("test")),
        **{k: raw.get(k) for k in ("input_min", "input_max", "input_mean", "input_std")},
    )


def _model_summary(raw: dict[str, Any]) -> ModelSummary:
    layers = [LayerInfo(**layer) for layer in raw["layers"]]
    return ModelSummary(layers=layers, total_params=raw.get("total_params"))


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
            epochs.append(_epoch(json.loads(line)))
        except (json.JSONDecodeError, TypeError, ValueError, KeyError) as exc:
            where = "last line" if number == len(lines) else f"line {number}"
            problems.append(f"{HISTORY} {where} is damaged ({type(exc).__name__}); it was skipped")
    return epochs


def _epoch(row: dict[str, Any]) -> EpochRecord:
    metrics = {k: _num(row[k]) for k in METRIC_KEYS if k in row and row[k] is not None}
    return EpochRecord(
        epoch=int(row["epoch"]),
        metrics=metrics,
        seconds=row.get("seconds"),
        probes={name: {k: _num(v) for k, v in values.items()} for name, values in row.get("probes", {}).items()},
        batch_loss=row.get("batch_loss"),
        extra={k: _num(v) for k, v in row.get("extra", {}).items()},
    )


def _num(value: Any) -> float:
    return math.nan if value is None else float(value)


def _read_predictions(file: Path, problems: list[str]) -> Predictions | None:
    if not file.is_file():
        return None
    try:
        with np.load(file, allow_pickle=False) as data:
            split = "test" if "test_y" in data.files else "val"
            best = f"best_{split}_probs"
            return Predictions(
                split="test" if split == "test" else "validation",
                y_true=data[f"{split}_y"],
                probs=data[f"{split}_probs"],
                best_probs=data[best] if best in data.files else None,
                best_epoch=int(data["best_epoch"]) if "best_epoch" in data.files else None,
            )
    except Exception as exc:  # a damaged zip raises many kinds of error
        problems.append(f"{PREDICTIONS} is unreadable ({type(exc).__name__})")
        return None
