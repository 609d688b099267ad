"""The stdout console and kerasdiag's named styles."""

from __future__ import annotations

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
