"""A Keras 2 script translated to Keras 3, line for line: `upgrade_source(source) -> Upgrade`.

Learners bring Keras 2 code from books, tutorials and answers: `from keras.layers.core import Dense`,
`np_utils.to_categorical`, `Adam(lr=0.001)`, `fit_generator`, `history.history['acc']`. Keras 3 rejects most
of it. This code-mod rewrites the script's syntax tree with LibCST, which keeps every comment, space and quote
as written, and changes only what Keras 3 rejects or reads differently (each idiom checked against Keras 3.15
on JAX; `tables` says what Keras 3 does). Names are read the way Python binds them
(`QualifiedNameProvider`): `adam(...)` is renamed only where `adam` is the optimizer the script imported.

Every translation keeps every line on its own line number, so a traceback or a `file:line` into the user's
file stays right: a removed argument leaves its line breaks behind as blank lines. What cannot be translated
on the same lines is reported as `unsupported`, naming the Keras 3 replacement.

The package: `tables` holds the Keras 2 -> 3 names, `facts` the pre-pass that reads the whole script,
`transform` the transformer that rewrites it, `arguments` the removal of a call's argument that keeps its
lines, `syntax` what a LibCST node says, and `result` the `Upgrade` and `Change` it returns.

Example:

```python
upgrade = upgrade_source(Path("iris.py").read_text(encoding="utf-8"))
exec(compile(upgrade.code, "iris.py", "exec"))
for change in upgrade.changes + upgrade.unsupported:
    print(change.message.get("ja"))
```
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper

from kerasdiag.training.script.upgrade.facts import _Facts
from kerasdiag.training.script.upgrade.result import Change, Upgrade
from kerasdiag.training.script.upgrade.transform import _Upgrader

__all__ = ["Change", "Upgrade", "upgrade_source"]

BOM = "\ufeff"


def upgrade_source(source: str) -> Upgrade:
    """Translate the Keras 2 idioms of a script's `source` into Keras 3, every line kept on its number.

    A source that does not parse comes back unchanged, with no changes: run as it is, Python reports the
    error as it would have.

    Args:
        source: The script's text.

    Returns:
        The translation, what changed, and what could not be translated.
    """
    body = source.removeprefix(BOM)
    try:
        wrapper = MetadataWrapper(cst.parse_module(body))
    except cst.ParserSyntaxError as error:
        return Upgrade(source, source, syntax_error_line=error.raw_line)
    except RecursionError:  # nested deeper than LibCST's parser goes: left to Python
        return Upgrade(source, source)
    facts = _Facts()
    wrapper.visit(facts)
    upgrader = _Upgrader(facts)
    code = wrapper.visit(upgrader).code
    unsupported = sorted(upgrader.unsupported, key=lambda change: change.line)
    if code == body or code.count("\n") != body.count("\n"):
        return Upgrade(source, source, unsupported=unsupported)
    changes = sorted(upgrader.changes, key=lambda change: change.line)
    return Upgrade(source, source[: len(source) - len(body)] + code, changes, unsupported)
