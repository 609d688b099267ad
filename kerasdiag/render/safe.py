"""Text from files shown safely: control characters escaped, so a file can never drive the terminal.

A run name, tag, metric or layer name, script path or config value is read from files someone else may have
written. Printed raw, an ESC (`\\x1b`) starts an ANSI sequence that can clear the screen, recolour it or set
the window title; a lone surrogate (a non-UTF-8 file name read with `surrogateescape`) makes the write to
stdout fail. `printable` shows every such character as an escape (`\\x1b`, `\\n`, `\\u202e`, `\\xff` for
an undecodable byte), which is itself plain ASCII: escaping twice changes nothing.

The rule is the readers' (`rundir.files.printable`: control characters, lone surrogates, bidirectional
overrides and isolates; Japanese, emoji and every other printable character stay), so a name reads the same
in a problem the readers wrote and in a view. The views add `keep`: a view's own multi-line text keeps its
line breaks.
"""

from __future__ import annotations

import re

from kerasdiag.rundir.files import printable as _printable

# Characters that may stay in a *view's* own text (a paragraph's line break); names never keep any.
LINE_BREAK = "\n"
# In JSON text, C0 controls are escaped by json.dumps inside strings, and line breaks outside them are layout.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(value: object, keep: str = "") -> str:
    """`value` as text with every control, bidirectional-override and lone-surrogate character escaped.

    Args:
        value: Any value; shown with `str`.
        keep: Characters to leave as they are (`LINE_BREAK` for a view's own multi-line text).

    Example: `printable("run\\x1b[2J")` is `run\\\\x1b[2J`, shown as `run\\x1b[2J`.
    """
    text = str(value)
    if text.isprintable():
        return text
    if not keep:
        return _printable(text)
    return "".join(part if part in keep else _printable(part) for part in re.split(f"([{re.escape(keep)}])", text))


def json_text(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with C1 controls, bidirectional overrides and lone
    surrogates written as `\\uXXXX` escapes: the same JSON value, safe to print (json.dumps escapes only C0).

    Outside its strings, JSON text is ASCII, so every such character is inside a string, where `\\uXXXX` means it.
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
