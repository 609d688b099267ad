"""Click parameter types that refuse bad values with "Expected X. Received: Y" (exit 2).

Finite numbers in a range, integers in a range (seeds, sizes), run names that stay one
folder, and output folders that can exist.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NoReturn

import click

from kerasdiag.errors import KerasdiagError
from kerasdiag.limits import MAX_NAME_LENGTH, RUN_NAME_RULE, run_name_problem
from kerasdiag.messages import Message, say
from kerasdiag.messages.language import language_from_locale
from kerasdiag.render.safe import printable

# Where the group keeps the command line's `--lang` (read before any value is converted): see cli/base.py.
LANG_META = "kerasdiag.lang"


def command_lang(ctx: click.Context | None) -> str:
    """The language the running command was given (`--lang`, read by the group first), else the locale's."""
    return str((ctx.meta.get(LANG_META) if ctx is not None else None) or language_from_locale())


def refuse(kind: click.ParamType, expected: Any, received: Any, param: Any, ctx: Any) -> NoReturn:
    """Fail with "Expected X. Received: Y" in the command line's language (`--lang`, else the locale)."""
    lang = command_lang(ctx)
    values = {
        name: value.get(lang) if isinstance(value, Message) else value
        for name, value in (("expected", expected), ("received", received))
    }
    kind.fail(printable(KerasdiagError(values["expected"], values["received"]).get(lang)), param, ctx)


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

    def describe(self) -> Message:
        if self.low is not None and self.high is not None:
            left, right = "(" if self.low_open else "[", ")" if self.high_open else "]"
            return say("param.finite.range", interval=f"{left}{self.low:g}, {self.high:g}{right}")
        if self.low is not None:
            return say("param.finite.above" if self.low_open else "param.finite.at_least", low=f"{self.low:g}")
        return say("param.finite")

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        if isinstance(value, float) and math.isfinite(value) and self._inside(value):
            return value
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            refuse(self, self.describe(), repr(value), param, ctx)
        if not math.isfinite(number) or not self._inside(number):
            refuse(self, self.describe(), repr(value), param, ctx)
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
            bound = (
                say("param.int.at_least", low=self.low)
                if self.high is None
                else say("param.int.range", low=self.low, high=f"{self.high:,}")
            )
            shown = value if len(str(value)) <= 40 else f"{str(value)[:37]}..."
            refuse(self, bound, repr(shown), param, ctx)
        return number

    def _inside(self, number: int) -> bool:
        return number >= self.low and (self.high is None or number <= self.high)


class RunName(click.ParamType):
    """A run or sweep name: one folder name under `--logdir`, never a path out of it."""

    name = "NAME"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        problem = run_name_problem(str(value))
        if problem:
            refuse(self, RUN_NAME_RULE, problem, param, ctx)
        return str(value)


class OutputDir(click.ParamType):
    """A folder to write into (created if missing): each part at most 255 bytes, no NUL, not a file."""

    name = "DIR"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path:
        text = str(value)
        if not text or "\x00" in text:
            refuse(self, say("param.dir.no_nul"), repr(text), param, ctx)
        too_long = [part for part in Path(text).parts if len(part.encode("utf-8", "replace")) > 255]
        if too_long:
            expected = say("param.dir.part_length", max=MAX_NAME_LENGTH)
            refuse(self, expected, say("param.dir.long_part", length=len(too_long[0])), param, ctx)
        path = Path(text)
        if path.exists() and not path.is_dir():
            refuse(self, say("param.dir.writable"), say("param.dir.a_file", path=text), param, ctx)
        return path


class ExistingDir(click.ParamType):
    """An existing folder to read (a run, or a folder of runs)."""

    name = "DIR"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path:
        path = Path(str(value))
        if "\x00" in str(value) or not path.exists():
            refuse(self, say("param.dir.existing"), say("param.dir.not_found", path=value), param, ctx)
        if not path.is_dir():
            refuse(self, say("param.dir.run"), say("param.dir.a_file", path=value), param, ctx)
        return path
