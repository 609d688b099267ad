"""What `upgrade_source` returns: the `Upgrade` of a script, and each `Change` in it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from kerasdiag.messages import Message


@dataclass(frozen=True)
class Change:
    """One translated, or untranslatable, Keras 2 idiom.

    Args:
        line: Its line in the user's file (1-based): the same before and after the translation.
        message: The catalog message that names it (`say("upgrade.module", line=5, ...)`).
    """

    line: int
    message: Message


@dataclass(frozen=True)
class Upgrade:
    """A script and its Keras 3 translation.

    Args:
        source: The script as given.
        code: The translation; `source` itself when nothing changed. Always as many lines as `source`.
        changes: The idioms translated, by line.
        unsupported: The Keras 2 idioms left as they are, each naming its Keras 3 replacement, by line.
        syntax_error_line: Where `source` does not parse as Python (then `code` is `source`); None when it parses.
    """

    source: str
    code: str
    changes: list[Change] = field(default_factory=list)
    unsupported: list[Change] = field(default_factory=list)
    syntax_error_line: int | None = None

    def diff(self, name: str) -> str:
        """A unified diff of `source` against `code`, both named `name`; empty when nothing changed."""
        if self.code == self.source:
            return ""
        return "".join(difflib.unified_diff(_lines(self.source), _lines(self.code), name, name))


def _lines(text: str) -> list[str]:
    return [line if line.endswith(("\n", "\r")) else line + "\n" for line in text.splitlines(keepends=True)]
