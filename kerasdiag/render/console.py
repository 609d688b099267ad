"""The stdout console and kerasdiag's named styles.

Every console kerasdiag prints through is a `SafeConsole`: whatever text reaches the terminal has its control
characters escaped (`render.safe.printable`), line breaks aside, so a run, metric or layer name read from a
file can never move the cursor, clear the screen or set the window title, even where a view forgot to escape
it. Views still escape the names they print themselves (`printable`), so that tables are laid out by the
width of what is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.theme import Theme

from kerasdiag.render.safe import LINE_BREAK, printable

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


class SafeConsole(Console):
    """A Rich console whose text segments are printed with control characters escaped (Rich's own control
    segments, the styles it writes, pass as they are)."""

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not segment.text:
                yield segment
            else:
                yield Segment(printable(segment.text, keep=LINE_BREAK), segment.style, segment.control)


def stdout_console() -> Console:
    """A console on stdout with kerasdiag's theme, made per command so that it reads the width (COLUMNS) of now."""
    return SafeConsole(theme=THEME, highlight=False)


def stderr_console() -> Console:
    """A console on stderr with kerasdiag's theme, for warnings that must not mix with machine output."""
    return SafeConsole(theme=THEME, stderr=True, highlight=False)


def print_prose(console: Console, markup: str, lang: str = "en", **kwargs: Any) -> None:
    """Print a paragraph (Rich markup): English exactly as `console.print` prints it, Japanese wrapped between
    characters and never between a number and its counter (`render.wrap.wrap_text`), each continuation line
    keeping the paragraph's own indent.
    """
    markup = printable(markup, keep=LINE_BREAK)  # escaped before it is laid out: widths are what is shown
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
