"""The stdout and stderr consoles and kerasdiag's named styles."""

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

console = Console(theme=THEME, highlight=False)
err_console = Console(theme=THEME, stderr=True, highlight=False)
