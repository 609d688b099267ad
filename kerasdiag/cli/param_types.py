"""Click parameter types that refuse bad values with "Expected X. Received: Y" (exit 2).

Finite numbers in a range, integers in a range (seeds, sizes), run names that stay one
folder, and output folders that can exist.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from kerasdiag.limits import MAX_NAME_LENGTH, RUN_NAME_RULE, run_name_problem


class FiniteFloat(click.types.FloatParamType):
    """A finite float within bounds (`nan`, `inf` and overflowing literals are refused).

    Args:
        low: Smallest allowed value, or None. Defaults to `None`.
        high: Largest allowed value, or None. Defaults to `None`.
        low_open: Whether `low` itself is refused. Defaults to `False`.
        high_open: Whether `high` itself is refused. Defaults to `False`.
    """

    name = "float"

    def __init__(self, low: float | None = None, high: float | None = None, low_open=False, high_open=False):
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open

    def describe(self) -> str:
        if self.low is not None and self.high is not None:
            left, right = "(" if self.low_open else "[", ")" if self.high_open else "]"
            return f"a finite number in {left}{self.low:g}, {self.high:g}{right}"
        if self.low is not None:
            return f"a finite number {'>' if self.low_open else '>='} {self.low:g}"
        return "a finite number"

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        if isinstance(value, float) and math.isfinite(value) and self._inside(value):
            return value
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(f"Expected {self.describe()}. Received: {value!r}", param, ctx)
        if not math.isfinite(number) or not self._inside(number):
            self.fail(f"Expected {self.describe()}. Received: {value!r}", param, ctx)
        return number

    def _inside(self, number: float) -> bool:
        if self.low is not None and (number < self.low or (self.low_open and number == self.low)):
            return False
        return not (self.high is not None and (number > self.high or (self.high_open and number == self.high)))


class BoundedInt(click.types.IntParamType):
    """An integer in [low, high]; the message names the cap.

    Args:
        low: Smallest allowed value.
        high: Largest allowed value, or None. Defaults to `None`.
    """

    name = "integer"

    def __init__(self, low: int, high: int | None = None):
        self.low, self.high = low, high

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and self._inside(value):
            return value
        try:
            number = int(str(value).strip(), 10)
        except ValueError:
            number = None
        if number is None or not self._inside(number):
            bound = f">= {self.low}" if self.high is None else f"in [{self.low}, {self.high:,}]"
            shown = value if len(str(value)) <= 40 else f"{str(value)[:37]}..."
            self.fail(f"Expected an integer {bound}. Received: {shown!r}", param, ctx)
        return number

    def _inside(self, number: int) -> bool:
        return number >= self.low and (self.high is None or number <= self.high)


class RunName(click.ParamType):
    """A run or sweep name: one folder name under `--logdir`, never a path out of it."""

    name = "NAME"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        problem = run_name_problem(str(value))
        if problem:
            self.fail(f"Expected {RUN_NAME_RULE}. Received: {problem}", param, ctx)
        return str(value)


class OutputDir(click.ParamType):
    """A folder to write into (created if missing): each part at most 255 bytes, no NUL, not a file."""

    name = "DIR"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path:
        text = str(value)
        if not text or "\x00" in text:
            self.fail(f"Expected a folder path without NUL characters. Received: {text!r}", param, ctx)
        too_long = [part for part in Path(text).parts if len(part.encode("utf-8", "replace")) > 255]
        if too_long:
            self.fail(
                f"Expected a folder path whose parts are at most 255 bytes (names up to {MAX_NAME_LENGTH} "
                f"characters are safest). Received: a part of {len(too_long[0])} characters",
                param,
                ctx,
            )
        path = Path(text)
        if path.exists() and not path.is_dir():
            self.fail(f"Expected a folder to write into. Received: {text} (a file)", param, ctx)
        return path


class ExistingDir(click.ParamType):
    """An existing folder to read (a run, or a folder of runs)."""

    name = "DIR"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path:
        path = Path(str(value))
        if "\x00" in str(value) or not path.exists():
            self.fail(
                f"Expected an existing run directory or folder of runs. Received: {value} (not found)", param, ctx
            )
        if not path.is_dir():
            self.fail(f"Expected a run directory or folder of runs. Received: {value} (a file)", param, ctx)
        return path
