"""read_run: a kerasdiag run directory back as a RunRecord; damage is recorded, never raised."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.errors import RunDirError
from kerasdiag.rundir.record import (
    DataSummary,
    EpochRecord,
    LayerInfo,
    ModelSummary,
    Predictions,
    RunRecord,
    SplitSummary,
)
from kerasdiag.rundir.schema import HISTORY, METRIC_KEYS, PREDICTIONS, RUN_JSON, SCHEMA_VERSION


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
