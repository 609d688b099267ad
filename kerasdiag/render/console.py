"""The stdout console and kerasdiag's named styles."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "severity.error": "bold red",
        "severity.warning": "yellow",
        "severity.info": "cyan",
        "metric": "bold",
        "path": "underline",
        "muted": "dim",
        "ok": "green",
    }
)


def stdout_console() -> Console:
    """A console on stdout with kerasdiag's theme, made per command so that it reads the width (COLUMNS) of now."""
    return Console(theme=THEME, highlight=False)


def stderr_console() -> Console:
    """A console on stderr with kerasdiag's theme, for warnings that must not mix with machine output."""
    return Console(theme=THEME, stderr=True, highlight=False)


def print_prose(console: Console, markup: str, lang: str = "en", **kwargs: Any) -> None:
    """Print a paragraph (Rich markup): English exactly as `console.print` prints it, Japanese wrapped between
    characters and never between a number and its counter (`render.wrap.wrap_text`), each continuation line
    keeping the paragraph's own indent.
    """
    if lang != "ja":
        console.print(markup, **kwargs)
        return
    from rich.text import Text

    from kerasdiag.render.wrap import wrap_text

    text = Text.from_markup(markup)
    indent = len(text.plain) - len(text.plain.lstrip(" "))
    body = text.divide([indent])[-1] if indent else text
    for line in wrap_text(console, body, max(console.width - indent, 20), lang):
        line.rstrip()
        console.print(Text(" " * indent) + line, soft_wrap=True)
