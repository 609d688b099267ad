"""read_run: a kerasdiag run directory back as a RunRecord (and `read_saved_findings`: its diagnosis.json);
damage is recorded, never raised.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.errors import RunDirError
from kerasdiag.limits import (
    MAX_CLASSES,
    MAX_DIAGNOSIS_JSON_BYTES,
    MAX_HISTORY_BYTES,
    MAX_HISTORY_LINE_BYTES,
    MAX_PREDICTION_BYTES,
    MAX_READ_EPOCHS,
    MAX_RUN_JSON_BYTES,
)
from kerasdiag.messages import DEFAULT_LANGUAGE, catalog, say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.anatomy import Anatomy, inferred_anatomy
from kerasdiag.rundir.epochs import EpochOrder, EpochTable
from kerasdiag.rundir.files import (
    may_hold_surrogates,
    not_utf8,
    open_regular,
    printable,
    read_capped,
    shown_path,
    too_large,
    valid_json,
)
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.schema import DIAGNOSIS, HISTORY, PREDICTIONS, RUN_JSON, SCHEMA_VERSION
from kerasdiag.rundir.summaries import INPUT_STATS, DataSummary, Predictions
from kerasdiag.rundir.values import epoch_number, shown


def is_run_dir(path: Path) -> bool:
    """Tells whether `path` holds run.json or history.jsonl, as files or not (a folder or a FIFO there is damage
    that `read_run` reports; the folder is still read as a run, never as something else)."""
    return os.path.lexists(path / RUN_JSON) or os.path.lexists(path / HISTORY)


def read_run(path: Path) -> RunRecord:
    """Read a kerasdiag run directory; damage is recorded in `record.problems`, not raised."""
    record = RunRecord(path=str(path), source="kerasdiag")
    meta = _read_meta(path, record)
    if meta:
        _apply_meta(meta, record)
    record.epochs = _read_history(path / HISTORY, record.problems)
    record.predictions = _read_predictions(path / PREDICTIONS, record.problems)
    if record.anatomy is None:
        record.anatomy = inferred_anatomy(
            record.config, record.data, record.model
        )  # a run.json of schema 1, or one whose anatomy was damaged
    if not meta and not record.epochs:
        expected = say("rundir.readable_run", run_json=RUN_JSON, history=HISTORY)
        raise RunDirError(expected, say("rundir.neither", path=shown_path(path)), path=path)
    return record


def read_saved_findings(path: Path, problems: list[str]) -> list[tuple[str, str]] | None:
    """The rule id and severity label of each finding `diagnosis.json` holds, in its order.

    None when the file is missing (plain Keras logs have none) or damaged; damage is appended to `problems`
    (a RunRecord's, so that diagnosing the record names it), never raised.
    """
    file = path / DIAGNOSIS
    if not os.path.lexists(file):
        return None
    try:
        payload = _load_json(file, MAX_DIAGNOSIS_JSON_BYTES, "MAX_DIAGNOSIS_JSON_BYTES")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        problems.append(Said("rundir.unreadable", file=DIAGNOSIS, reason=_reason(exc)))
        return None
    try:
        return [(printable(str(f["rule"])), printable(str(f["severity"]))) for f in payload.get("findings", [])]
    except (KeyError, TypeError, AttributeError) as exc:
        problems.append(Said("rundir.findings_malformed", file=DIAGNOSIS, kind=type(exc).__name__, reason=_reason(exc)))
        return None


def _load_json(file: Path, limit: int, name: str) -> Any:
    """A JSON file of at most `limit` bytes (the cap `name`), every string in it valid Unicode.

    Raises:
        OSError: If it is no regular file (`FileRefused`), past the cap, or cannot be read.
        UnicodeDecodeError, json.JSONDecodeError, RecursionError: If it is not UTF-8 JSON, or nested too deeply.
    """
    raw = read_capped(file, limit, name)
    value = json.loads(raw.decode("utf-8"))
    return valid_json(value) if may_hold_surrogates(raw) else value


def _read_meta(path: Path, record: RunRecord) -> dict[str, Any] | None:
    file = path / RUN_JSON
    if not os.path.lexists(file):
        record.problems.append(Said("rundir.missing", file=RUN_JSON))
        return None
    try:
        meta = _load_json(file, MAX_RUN_JSON_BYTES, "MAX_RUN_JSON_BYTES")
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
    error = meta.get("error")
    record.error = error if isinstance(error, str) else None
    if error is not None and not isinstance(error, str):
        record.problems.append(Said("readers.field_type", file=RUN_JSON, field="error", value=shown(error), kind="str"))
    record.probes_off = _probes_off(meta)
    config = meta.get("config")
    if config is not None and not isinstance(config, dict):
        record.problems.append(Said("rundir.config_not_object", file=RUN_JSON, value=shown(config)))
    record.config = _checked_config(config, record.problems) if isinstance(config, dict) else None
    for key, check, parse in (
        ("data", _checked_data, DataSummary.from_dict),
        ("model", _checked_model, ModelSummary.from_dict),
        ("anatomy", _checked_anatomy, Anatomy.from_dict),
    ):
        if meta.get(key) is None:
            continue
        try:
            setattr(record, key, parse(check(meta[key], record.problems)))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
            problem = Said(
                "rundir.summary_malformed", file=RUN_JSON, key=key, kind=type(exc).__name__, reason=_reason(exc)
            )
            record.problems.append(problem)


def _probes_off(meta: dict[str, Any]) -> str | None:
    """Why the run has no per-layer probes: its catalog message where run.json names one (shown in the learner's
    language), else its English text."""
    text, message = meta.get("probes_off"), meta.get("probes_off_message")
    if not isinstance(text, str):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("params"), dict):
        return text
    known = str(message.get("id")).startswith("probes_off.") and message.get("id") in catalog(DEFAULT_LANGUAGE)
    params = {str(k): v for k, v in message["params"].items() if isinstance(v, (str, int, float))}
    return Said(str(message["id"]), **params) if known else text


_LAYER_KINDS = {f.name: str(f.type) for f in dataclasses.fields(LayerInfo)}
_LAYER_REQUIRED = ("name", "kind")
_COUNTS = ("units", "params")  # whole numbers >= 0 where given
_SHOWN_FIELDS = 3  # wrong fields listed one by one; the rest counted


def _checked_model(raw: Any, problems: list[str]) -> dict[str, Any]:
    """run.json's `model` with each layer field of the wrong type left out (listed in `problems`).

    Raises:
        ValueError: If `model` is not an object with a list of layer objects, each with a `name` and `kind` string:
            the whole model summary is then not used.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("layers"), list):
        raise ValueError(Said("readers.model.layers", value=shown(raw.get("layers") if isinstance(raw, dict) else raw)))
    wrong: list[tuple[str, Any, str]] = []
    layers = []
    for index, layer in enumerate(raw["layers"]):
        if not isinstance(layer, dict):
            raise ValueError(Said("readers.model.layer", index=index, value=shown(layer)))
        kept = {}
        for key, value in layer.items():
            kind = _LAYER_KINDS.get(key)
            where = f"model.layers[{index}].{key}"
            if kind is None:
                wrong.append((where, value, "-"))
            elif key in _LAYER_REQUIRED and not isinstance(value, str):
                raise ValueError(Said("readers.model.required", field=where, value=shown(value)))
            elif _fits(value, kind) and _sound(key, value):
                kept[key] = value
            else:
                wrong.append((where, value, kind))
        missing = [key for key in _LAYER_REQUIRED if key not in kept]
        if missing:
            raise ValueError(Said("readers.model.required", field=f"model.layers[{index}].{missing[0]}", value="-"))
        layers.append(kept)
    out: dict[str, Any] = {"layers": layers}
    total = raw.get("total_params")
    if total is None or (_fits(total, "int | None") and total >= 0):
        out["total_params"] = total
    else:
        wrong.append(("model.total_params", total, "int | None"))
    wrong += [(f"model.{key}", value, "-") for key, value in raw.items() if key not in ("layers", "total_params")]
    problems.extend(_wrong_fields(wrong))
    return out


def _checked_anatomy(raw: Any, problems: list[str]) -> Any:
    """run.json's `anatomy` as it is: `Anatomy.from_dict` checks its fields and refuses a malformed one whole."""
    return raw


def _sound(key: str, value: Any) -> bool:
    """A model field's value of the right type is also possible: finite numbers, counts >= 0."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return not (key in _COUNTS and isinstance(value, int) and value < 0)


def _wrong_fields(wrong: list[tuple[str, Any, str]]) -> list[str]:
    """One problem per ignored run.json field (an unknown one: kind "-"), the first few of them, then a count."""
    out: list[str] = []
    for where, value, kind in wrong[:_SHOWN_FIELDS]:
        if kind == "-":
            out.append(Said("readers.field_unknown", file=RUN_JSON, field=printable(where)))
        else:
            out.append(Said("readers.field_type", file=RUN_JSON, field=printable(where), value=shown(value), kind=kind))
    if len(wrong) > _SHOWN_FIELDS:
        out.append(Said("readers.fields_more", file=RUN_JSON, count=f"{len(wrong) - _SHOWN_FIELDS:,}"))
    return out


def _checked_data(raw: Any, problems: list[str]) -> dict[str, Any]:
    """run.json's `data`, unchanged when every field has its type; else ValueError naming the first wrong one
    (the data summary is then not used: its counts are read together, a half-checked one would mislead the rules).
    """
    if not isinstance(raw, dict):
        raise ValueError(Said("readers.data.field", field="data", value=shown(raw), kind="object"))
    _require(raw, "dataset", str, "str")
    classes: int = _require(raw, "num_classes", int, "int")
    if not 0 <= classes <= MAX_CLASSES:  # 0: no classes (a regression keeps only its sizes and input range)
        raise ValueError(Said("readers.data.classes", value=shown(classes), limit=f"{MAX_CLASSES:,}"))
    for name in ("train", "validation", "test"):
        split = raw.get(name)
        if split is None and name != "train":
            continue
        if not isinstance(split, dict):
            raise ValueError(Said("readers.data.field", field=f"data.{name}", value=shown(split), kind="object"))
        _require(split, "samples", int, "int", f"data.{name}.")
        counts = split.get("class_counts")
        if not isinstance(counts, dict):
            raise ValueError(
                Said("readers.data.field", field=f"data.{name}.class_counts", value=shown(counts), kind="object")
            )
        for label, count in counts.items():
            if not (label.isdecimal() and int(label) < classes) or not _fits(count, "int") or count < 0:
                field = f"data.{name}.class_counts[{printable(label)[:20]!r}]"
                raise ValueError(Said("readers.data.field", field=field, value=shown(count), kind="int >= 0"))
    for key in INPUT_STATS:
        value = raw.get(key)
        if value is not None and not _fits(value, "float"):
            raise ValueError(Said("readers.data.field", field=f"data.{key}", value=shown(value), kind="float"))
    shape = raw.get("input_shape")
    if shape is not None and not _fits(shape, "list[int]"):
        raise ValueError(Said("readers.data.field", field="data.input_shape", value=shown(shape), kind="list[int]"))
    return raw


def _require(raw: dict[str, Any], key: str, kind: type, name: str, prefix: str = "data.") -> Any:
    """`raw[key]` when it is a `kind` (never a bool), else ValueError naming the field (`name`: its type's)."""
    value = raw.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(Said("readers.data.field", field=f"{prefix}{key}", value=shown(value), kind=name))
    return value


def _checked_config(config: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The config without values of the wrong type for their flag (each dropped one is listed in `problems`)."""
    kinds = {f.name: str(f.type) for f in dataclasses.fields(RunConfig)}
    kept = {}
    for key, value in config.items():
        kind = kinds.get(key)
        if kind is None or value is None or _fits(value, kind):  # None: not known (a script's run)
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
    """Parse history.jsonl one line at a time into columns (no line is kept).

    A damaged line is skipped; so is a line whose epoch is not after the last one kept (a repeated epoch keeps
    its first line, an epoch going backwards keeps the lines before it); a gap between epochs is reported.
    At most MAX_HISTORY_BYTES, lines of MAX_HISTORY_LINE_BYTES and MAX_READ_EPOCHS epochs are read.
    """
    epochs = EpochTable()
    if not os.path.lexists(file):
        problems.append(Said("rundir.missing", file=HISTORY))
        return epochs
    damaged: list[tuple[int, str]] = []
    order = EpochOrder(HISTORY)
    number = 0
    try:
        with open_regular(file) as stream:
            for number, raw in enumerate(_lines(stream, problems), start=1):
                if raw is None:
                    damaged.append((number, Said("readers.line_too_long", name="MAX_HISTORY_LINE_BYTES")))
                    continue
                if not raw.strip():
                    continue
                if len(epochs) >= MAX_READ_EPOCHS:
                    problems.append(Said("readers.epochs_past_cap", file=HISTORY, line=number, name="MAX_READ_EPOCHS"))
                    break
                try:
                    row = json.loads(raw.decode("utf-8", errors="replace"))
                    if may_hold_surrogates(raw):
                        row = valid_json(row)
                    epoch = epoch_number(row.get("epoch")) if isinstance(row, dict) else None
                    if epoch is not None and not order.keeps(epoch, number):
                        continue
                    epochs.append_row(row)
                    order.kept(epoch, number)
                except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
                    damaged.append((number, _reason(exc)))
    except OSError as exc:
        problems.append(Said("rundir.unreadable", file=HISTORY, reason=_reason(exc)))
    problems.extend(_damaged_lines(damaged, number))
    problems.extend(order.problems())
    return epochs


def _lines(stream: Any, problems: list[str]) -> Any:
    """The lines of a binary stream, None for each one longer than MAX_HISTORY_LINE_BYTES (its bytes skipped);
    reading stops after MAX_HISTORY_BYTES, with a problem saying so."""
    size = os.fstat(stream.fileno()).st_size
    read = 0
    while True:
        raw = stream.readline(MAX_HISTORY_LINE_BYTES + 1)
        if not raw:
            return
        read += len(raw)
        if read > MAX_HISTORY_BYTES:
            problem = too_large(max(size, read), MAX_HISTORY_BYTES, "MAX_HISTORY_BYTES").args[0]
            problems.append(Said("readers.rest_not_read", file=HISTORY, reason=problem))
            return
        if len(raw) > MAX_HISTORY_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n") and read <= MAX_HISTORY_BYTES:  # skip the rest of the line
                raw = stream.readline(MAX_HISTORY_LINE_BYTES + 1)
                read += len(raw)
            yield None
        else:
            yield raw


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
    if isinstance(exc, UnicodeDecodeError):
        return not_utf8(exc)
    if exc.args and isinstance(exc.args[0], Said) and len(exc.args[0]) <= 160:
        return exc.args[0]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror  # without the path, which the problem names already
    text = str(exc).splitlines()[0] if str(exc) else ""
    return printable(text[:100]) if text else type(exc).__name__


def _read_predictions(file: Path, problems: list[str]) -> Predictions | None:
    """predictions.npz, or None (with a problem) when it is damaged, past MAX_PREDICTION_BYTES once loaded, or
    holds probabilities that are not probabilities (negative, above 1, infinite): such predictions are not used."""
    if not os.path.lexists(file):
        return None
    try:
        with (
            open_regular(file) as stream,
            np.load(stream, allow_pickle=False) as data,
        ):  # numpy leaks the file on a bad zip
            _check_sizes(data)
            predictions = Predictions.from_arrays({name: data[name] for name in data.files})
    except Exception as exc:  # noqa: BLE001 - a damaged zip raises many kinds of error
        problems.append(Said("rundir.unreadable", file=PREDICTIONS, reason=_reason(exc)))
        return None
    wrong = _not_probabilities(predictions)
    if wrong:
        problems.append(Said("readers.predictions.not_probabilities", file=PREDICTIONS, details=wrong))
        return None
    return predictions


def _check_sizes(data: Any) -> None:
    """Raise `FileRefused` when the arrays of an open npz would take more than MAX_PREDICTION_BYTES, or hold more
    than MAX_CLASSES columns, judged from each array's header (nothing is loaded)."""
    from numpy.lib import format as npy

    total = 0
    for name in data.files:
        with data.zip.open(f"{name}.npy") as member:
            version = npy.read_magic(member)
            header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
            shape, _, dtype = header(member, max_header_size=10_000)
        count = 1
        for side in shape:
            count *= side
        total += count * dtype.itemsize
        if total > MAX_PREDICTION_BYTES:
            raise too_large(total, MAX_PREDICTION_BYTES, "MAX_PREDICTION_BYTES")
        if len(shape) == 2 and shape[1] > MAX_CLASSES:
            raise ValueError(Said("readers.predictions.classes", name=name, count=f"{shape[1]:,}", limit=MAX_CLASSES))


_PROBABILITY_SLACK = 1e-3  # float32 softmax outputs may exceed 1 by rounding


def _not_probabilities(predictions: Predictions) -> list[Said]:
    """What makes the probability arrays impossible: a negative, an infinite or a value above 1, per array
    (NaN is kept: a diverged model predicts it)."""
    wrong = []
    for name in ("val_probs", "test_probs", "best_val_probs", "best_test_probs"):
        probs = getattr(predictions, name)
        if probs is None or probs.size == 0:
            continue
        with np.errstate(invalid="ignore"):
            values = np.asarray(probs, dtype=float)
            low = np.nanmin(values) if not np.isnan(values).all() else 0.0
            high = np.nanmax(values) if not np.isnan(values).all() else 0.0
        if low < 0 or high > 1 + _PROBABILITY_SLACK or math.isinf(low) or math.isinf(high):
            wrong.append(Said("readers.predictions.range", name=name, low=f"{low:.4g}", high=f"{high:.4g}"))
    return wrong
