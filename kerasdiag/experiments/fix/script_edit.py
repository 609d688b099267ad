"""The change `kerasdiag fix` verified, as a unified diff against the learner's script (the file is never written).

The change is a dict of `kerasdiag train` fields (`{"lr": 0.001}`, `{"shuffle": True}`), as a fix's flags set
them. Each maps onto the script's own calls, found with `ast` (`diagnosis.script_source`) and edited as text
spans, so that every other character of the file stays as it was:

- `lr`, `optimizer`, `momentum`, `weight_decay`: the optimizer of the `compile` call (its constructor's
  `learning_rate`/`lr`, or a new `keras.optimizers.X(...)` for a name such as `"adam"`), or the constructor
  the variable passed to `compile` was assigned from;
- `epochs`, `batch_size`: the `fit` call's argument (keyword or positional), added where it is missing;
- `shuffle`: two lines before the statement of the `fit` call that permute its arrays alike
  (`idx = np.random.permutation(len(x))`; `x, y = x[idx], y[idx]`), and `import numpy as np` where missing;
- `dropout`: the rate of the Dropout layers; `activation`, `l1`/`l2`: the hidden layers' `activation` and
  `kernel_regularizer`.

A part with no line to edit (no `compile` call found, arrays that are not names) is listed in `unplaced`.

```python
change = script_change(text, "train.py", {"epochs": 34}, fit_line=42)
print(change.diff)   # --- a/train.py / +++ b/train.py / -...epochs=200... / +...epochs=34...
```
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.config import LINEAR
from kerasdiag.diagnosis.code_fixes import OPTIMIZERS
from kerasdiag.diagnosis.script_source import MAX_SCRIPT_BYTES, ScriptSource, callee
from kerasdiag.rundir.files import read_capped

OPTIMIZER_FIELDS = {"lr": "learning_rate", "momentum": "momentum", "weight_decay": "weight_decay"}
FIT_POSITIONS = {"batch_size": 2, "epochs": 3}  # fit(x, y, batch_size, epochs, ...)


@dataclass(frozen=True)
class ScriptChange:
    """A change as a diff against the script: `diff` ('' when nothing maps onto a line), `unplaced` the parts
    (`optimizer`, `epochs`, `batch_size`, `shuffle`, `dropout`, `activation`, `regularizer`) with no line."""

    diff: str
    unplaced: tuple[str, ...] = ()


def read_script_change(
    path: Path, shown: str, change: dict[str, Any], fit_line: int | None = None, compile_line: int | None = None
) -> ScriptChange | None:
    """`script_change` of the script at `path`, or None when it cannot be read or parsed."""
    try:
        text = read_capped(path, MAX_SCRIPT_BYTES, "MAX_SCRIPT_BYTES").decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return script_change(text, shown, change, fit_line, compile_line)


def script_change(
    text: str, shown: str, change: dict[str, Any], fit_line: int | None = None, compile_line: int | None = None
) -> ScriptChange | None:
    """The unified diff that makes `change` in `text` (the script named `shown`), or None when it does not parse.

    Args:
        text: The script's source.
        shown: Its name in the diff's `---` and `+++` lines (`a/` and `b/` before a relative path, as git writes).
        change: Train field -> value, as a fix's flags set them.
        fit_line: The line of the `fit` call that was diagnosed. Defaults to `None` (the only `fit` call).
        compile_line: The line of its `compile` call. Defaults to `None` (the last one before `fit`).
    """
    source = ScriptSource.parse(text)
    if source is None:
        return None
    editor = _Editor(source, fit_line, compile_line)
    unplaced = tuple(part for part, edit in PARTS.items() if _wanted(part, change) and not edit(editor, change))
    new = editor.result()
    old_name, new_name = (shown, shown) if Path(shown).is_absolute() else (f"a/{shown}", f"b/{shown}")
    lines = difflib.unified_diff(text.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name)
    return ScriptChange("".join(line if line.endswith("\n") else line + "\n" for line in lines), unplaced)


def _wanted(part: str, change: dict[str, Any]) -> bool:
    if part == "optimizer":
        return any(key in change for key in ("optimizer", *OPTIMIZER_FIELDS))
    if part == "regularizer":
        return "l1" in change or "l2" in change
    return part in change and (part != "shuffle" or bool(change["shuffle"]))


@dataclass
class _Editor:
    """Text edits of one script, as (start, end, replacement) character spans, applied at the end."""

    source: ScriptSource
    fit_line: int | None
    compile_line: int | None
    edits: list[tuple[int, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = self.source.text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.fit = self.source.call_at("fit", self.fit_line)
        self.before = self.fit.lineno if self.fit is not None else self.fit_line

    def offset(self, lineno: int, col: int) -> int:
        """The character offset of ast's (line, UTF-8 byte column)."""
        line = self.lines[lineno - 1] if lineno <= len(self.lines) else ""
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "ignore"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        return start, self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def replace(self, node: ast.AST, text: str) -> None:
        self.edits.append((*self.span(node), text))

    def insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, text))

    def set_arguments(
        self, call: ast.Call, values: dict[str, str], positions: dict[str, int] | None = None, **aliases: str
    ) -> None:
        """Set each argument of `call`: its keyword (or alias), its positional slot, else a new keyword at the end."""
        keywords = {k.arg: k for k in call.keywords if k.arg}
        added = []
        for name, value in values.items():
            keyword = keywords.get(name) or keywords.get(aliases.get(name, ""))
            slot = (positions or {}).get(name)
            if keyword is not None:
                self.replace(keyword.value, value)
            elif slot is not None and len(call.args) > slot and not _starred(call.args[: slot + 1]):
                self.replace(call.args[slot], value)
            else:
                added.append(f"{name}={value}")
        if added:
            given: list[ast.AST] = [*call.args, *call.keywords]
            if given:
                last = max(given, key=lambda n: (n.end_lineno, n.end_col_offset))  # type: ignore[attr-defined]
                self.insert(self.span(last)[1], ", " + ", ".join(added))
            else:
                self.insert(self.span(call)[1] - 1, ", ".join(added))

    def keras(self) -> str:
        """How the script names keras: `keras` (imported), else `tf.keras` (TensorFlow only), else `keras`."""
        bound = _bound_names(self.source.tree)
        return "keras" if "keras" in bound or "tf" not in bound else "tf.keras"

    def result(self) -> str:
        text = self.source.text
        for start, end, replacement in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


def _starred(nodes: list[ast.expr]) -> bool:
    return any(isinstance(n, ast.Starred) for n in nodes)


def _bound_names(tree: ast.Module) -> dict[str, str]:
    """Top-level import names -> the module they name (`np` -> `numpy`)."""
    bound = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            bound.update({(a.asname or a.name.split(".")[0]): a.name for a in node.names})
        elif isinstance(node, ast.ImportFrom) and node.module:
            bound.update({(a.asname or a.name): f"{node.module}.{a.name}" for a in node.names})
    return bound


def _optimizer(editor: _Editor, change: dict[str, Any]) -> bool:
    call = editor.source.call_at("compile", editor.compile_line, before=editor.before)
    if call is None:
        return False
    values = {arg: f"{float(change[key]):g}" for key, arg in OPTIMIZER_FIELDS.items() if key in change}
    given = next((k.value for k in call.keywords if k.arg == "optimizer"), call.args[0] if call.args else None)
    target = _assigned_call(editor.source, given) if isinstance(given, ast.Name) else given
    wanted = OPTIMIZERS.get(str(change.get("optimizer", "")).lower())
    known = isinstance(target, ast.Call) and callee(target) in OPTIMIZERS.values()
    if known and isinstance(target, ast.Call) and (wanted is None or callee(target) == wanted):
        editor.set_arguments(target, values, {"learning_rate": 0}, learning_rate="lr")
        return True
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        wanted = wanted or OPTIMIZERS.get(given.value.lower())
    if wanted is None and given is not None:
        return False
    arguments = ", ".join(f"{name}={value}" for name, value in values.items())
    new = f"{editor.keras()}.optimizers.{wanted or 'RMSprop'}({arguments})"  # RMSprop: compile's default
    if given is None:
        editor.set_arguments(call, {"optimizer": new})
    else:
        editor.replace(given, new)
    return True


def _assigned_call(source: ScriptSource, name: ast.Name) -> ast.Call | None:
    """The call last assigned to `name` before it is used (`opt = keras.optimizers.Adam(0.01)`)."""
    assigned = [
        node.value
        for node in ast.walk(source.tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and node.lineno <= name.lineno
        and any(isinstance(t, ast.Name) and t.id == name.id for t in node.targets)
    ]
    return max(assigned, key=lambda call: call.lineno, default=None)


def _fit_argument(key: str) -> Any:
    def edit(editor: _Editor, change: dict[str, Any]) -> bool:
        if editor.fit is None:
            return False
        editor.set_arguments(editor.fit, {key: str(int(change[key]))}, FIT_POSITIONS)
        return True

    return edit


def _shuffle(editor: _Editor, change: dict[str, Any]) -> bool:
    fit = editor.fit
    if fit is None:
        return False
    keywords = {k.arg: k.value for k in fit.keywords if k.arg}
    arrays = [fit.args[i] if len(fit.args) > i else keywords.get(k) for i, k in enumerate(("x", "y"))]
    statement = _statement_of(editor.source.tree, fit)
    if statement is None or not all(isinstance(a, (ast.Name, ast.Attribute, ast.Subscript)) for a in arrays):
        return False
    line = editor.lines[statement.lineno - 1]
    indent = line[: len(line) - len(line.lstrip())]
    if len(indent.encode("utf-8")) != statement.col_offset:
        return False  # another statement before it on its line (`if ok: model.fit(...)`)
    x, y = (editor.source.segment(a) for a in arrays)  # type: ignore[arg-type]
    np = next((name for name, module in _bound_names(editor.source.tree).items() if module == "numpy"), None)
    if np is None:
        np = "np"
        imports = [n for n in editor.source.tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        after = imports[-1].end_lineno if imports else 0
        editor.insert(editor.starts[after or 0], "import numpy as np\n")
    lines = f"{indent}idx = {np}.random.permutation(len({x}))\n{indent}{x}, {y} = {x}[idx], {y}[idx]\n"
    editor.insert(editor.starts[statement.lineno - 1], lines)
    return True


def _statement_of(tree: ast.Module, call: ast.Call) -> ast.stmt | None:
    """The innermost statement that holds `call`."""
    holding = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
        and (node.lineno, node.col_offset) <= (call.lineno, call.col_offset)
        and (node.end_lineno or 0, node.end_col_offset or 0) >= (call.end_lineno or 0, call.end_col_offset or 0)
    ]
    return max(holding, key=lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0)), default=None)


def _dropout(editor: _Editor, change: dict[str, Any]) -> bool:
    calls = editor.source.dropouts(editor.before)
    for call in calls:
        editor.set_arguments(call, {"rate": f"{float(change['dropout']):g}"}, {"rate": 0})
    return bool(calls)


def _activation(editor: _Editor, change: dict[str, Any]) -> bool:
    name = "linear" if change["activation"] == LINEAR else str(change["activation"])
    calls = editor.source.hidden(editor.before)
    for call in calls:
        editor.set_arguments(call, {"activation": f'"{name}"'}, {"activation": 1} if callee(call) == "Dense" else {})
    return bool(calls)


def _regularizer(editor: _Editor, change: dict[str, Any]) -> bool:
    l1, l2 = float(change.get("l1") or 0.0), float(change.get("l2") or 0.0)
    regularizers = f"{editor.keras()}.regularizers"
    if l1 and l2:
        value = f"{regularizers}.L1L2(l1={l1:g}, l2={l2:g})"
    else:
        value = f"{regularizers}.L1({l1:g})" if l1 else f"{regularizers}.L2({l2:g})"
    calls = editor.source.hidden(editor.before)
    for call in calls:
        editor.set_arguments(call, {"kernel_regularizer": value})
    return bool(calls)


PARTS = {
    "optimizer": _optimizer,
    "epochs": _fit_argument("epochs"),
    "batch_size": _fit_argument("batch_size"),
    "shuffle": _shuffle,
    "dropout": _dropout,
    "activation": _activation,
    "regularizer": _regularizer,
}
