"""Strict readers of the values in a history.jsonl line: a wrong type or an impossible epoch raises ValueError.

Every message names the field and what it held, so a damaged line can be reported as
"history.jsonl line 7 is damaged (epoch is inf, not a whole number 1..1000000000)".
Keys are interned: a history of 100,000 epochs holds each key string once, not once per line.
"""

from __future__ import annotations

import math
import numbers
from sys import intern
from typing import Any

from kerasdiag.messages.said import Said

MAX_EPOCH = 10**9


def shown(value: Any) -> str:
    """A short form of a JSON value for a message."""
    text = repr(value)
    return text if len(text) <= 30 else f"{text[:27]}..."


def number(value: Any, field: str) -> float:
    """A JSON number as float (None -> NaN); ValueError for strings, booleans, lists, objects."""
    kind = type(value)
    if kind is float or kind is int:  # the common case, without the slower ABC check below
        return float(value)
    if value is None:
        return math.nan
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise ValueError(Said("rundir.value.number", field=field, value=shown(value)))


def epoch_number(value: Any) -> int:
    """A 1-based epoch: a whole number in 1..MAX_EPOCH (floats like 3.0 are accepted)."""
    whole = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not whole or not math.isfinite(value) or not 1 <= value <= MAX_EPOCH or value != int(value):
        raise ValueError(Said("rundir.value.epoch", value=shown(value), last=MAX_EPOCH))
    return int(value)


def number_map(value: Any, field: str) -> dict[str, float]:
    """A JSON object of numbers (None -> empty), keys interned."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(Said("rundir.value.numbers", field=field, value=shown(value)))
    out = {}
    for key, item in value.items():
        kind = type(item)
        out[intern(key)] = item if kind is float else float(item) if kind is int else number(item, f"{field}.{key}")
    return out


def nested_number_map(value: Any, field: str) -> dict[str, dict[str, float]]:
    """A JSON object of objects of numbers (the per-layer probes), keys interned."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(Said("rundir.value.per_layer", field=field, value=shown(value)))
    return {intern(key): number_map(item, f"{field}.{key}") for key, item in value.items()}
