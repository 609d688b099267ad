"""A learner's script as the calls it makes: where `fit`, `compile` and each Keras layer are called.

Read with the standard library's `ast`, never run. Used by `diagnosis.code_fixes` (the lines a fix names) and
by `kerasdiag fix` (the lines its diff edits). A script that cannot be read or parsed is None: fixes then name
the call without a line. Beside `runs.py`, this is the one module of `diagnosis` that reads a file: the script
run.json names, a regular file of at most `MAX_SCRIPT_BYTES` (`rundir.files.read_capped`: never a FIFO or a
device), parsed once per version of the file.

```python
source = ScriptSource.parse(text)
source.call_at("fit", 42)            # the model.fit(...) call that spans line 42
[c.lineno for c in source.hidden()]  # lines of the hidden Dense/Conv layers, the output layer left out
```
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kerasdiag.rundir.files import read_capped

MAX_SCRIPT_BYTES = 2 * 2**20  # a script larger than this is not read (its fixes name no line)
# Layers with a kernel (`kernel_initializer`, `kernel_regularizer`): the output layer is the last one.
KERNEL_LAYERS = (
    "Dense",
    "EinsumDense",
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "SeparableConv1D",
    "SeparableConv2D",
    "DepthwiseConv2D",
    "SimpleRNN",
    "LSTM",
    "GRU",
)
DROPOUT_LAYERS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout")


def callee(call: ast.Call) -> str:
    """The last name of what is called: `fit` for `model.fit(...)`, `Dense` for `keras.layers.Dense(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def line_of(at: object) -> int | None:
    """The line of a `"<path>:<line>"` place (`fit_at`, `compile_at`), or None when there is none."""
    if not isinstance(at, str) or ":" not in at:
        return None
    number = at.rsplit(":", 1)[1]
    return int(number) if number.isdigit() and int(number) > 0 else None


def file_of(at: object) -> str | None:
    """The path of a `"<path>:<line>"` place, or None."""
    if not isinstance(at, str) or ":" not in at:
        return None
    return at.rsplit(":", 1)[0] or None


@dataclass(frozen=True)
class ScriptSource:
    """A parsed script: its text, its tree and every call in it in source order."""

    text: str
    tree: ast.Module
    calls: tuple[ast.Call, ...]

    @classmethod
    def parse(cls, text: str) -> ScriptSource | None:
        """`text` parsed, or None when it is not Python this interpreter reads."""
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
        return cls(text, tree, tuple(calls))

    @classmethod
    def read(cls, path: object) -> ScriptSource | None:
        """The script at `path` (a regular file of at most `MAX_SCRIPT_BYTES`), or None when it cannot be read."""
        if not path or not isinstance(path, (str, Path)):
            return None
        try:
            stat = os.stat(path)
        except (OSError, ValueError):
            return None
        return _read(str(path), stat.st_mtime_ns, stat.st_size)

    def named(self, *names: str) -> list[ast.Call]:
        """The calls of any of `names` (`"fit"`, `"Dense"`), in source order."""
        return [call for call in self.calls if callee(call) in names]

    def call_at(self, name: str, line: int | None, before: int | None = None) -> ast.Call | None:
        """The `name(...)` call that spans `line`; without one, the only such call (before line `before`), or None."""
        calls = self.named(name)
        if line is not None:
            spanning = [c for c in calls if c.lineno <= line <= (c.end_lineno or c.lineno)]
            if spanning:
                return spanning[-1]
        if before is not None:
            calls = [c for c in calls if c.lineno < before] or calls
            return calls[-1] if calls else None
        return calls[0] if len(calls) == 1 else None

    def layers(self, before: int | None = None) -> list[ast.Call]:
        """The layer calls with a kernel, those before line `before` when there are any (the model `fit` trains)."""
        return _before(self.named(*KERNEL_LAYERS), before)

    def hidden(self, before: int | None = None) -> list[ast.Call]:
        """The kernel layer calls but the last one (the output layer)."""
        return self.layers(before)[:-1]

    def dropouts(self, before: int | None = None) -> list[ast.Call]:
        return _before(self.named(*DROPOUT_LAYERS), before)

    def segment(self, node: ast.AST) -> str:
        """The source text of `node`."""
        return ast.get_source_segment(self.text, node) or ""


def _before(calls: list[ast.Call], line: int | None) -> list[ast.Call]:
    if line is None:
        return calls
    return [c for c in calls if c.lineno <= line] or calls


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> ScriptSource | None:
    """Read and parse once per version of the file (diagnosis runs every epoch during training)."""
    if size > MAX_SCRIPT_BYTES:
        return None
    try:
        text = read_capped(Path(path), MAX_SCRIPT_BYTES, "MAX_SCRIPT_BYTES").decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return ScriptSource.parse(text)
