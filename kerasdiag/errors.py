"""Every error kerasdiag raises on purpose, each carrying its facts, and the process exit codes.

An error holds what was expected and what was received (plus the path, flag or
port where one applies), so a caller can act on the facts and the CLI can print
one line: "Expected <expected>. Received: <received>" (`str(error)`, English), or in the learner's
language with `error.get(lang)` when `expected` and `received` are catalog messages (`say(...)`,
`Said(...)`); plain strings are shown as they are. `cli/base.py` prints them and turns them
into exit codes: `ConfigError` -> 2 (bad flags), any other -> 1. Anything that is not
a KerasdiagError is a bug and shows a traceback only with `--debug`.

Example:

```python
raise DataError(say("error.data.idx_gzip"), Said("error.data.truncated", path=path), path=path)
```
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from kerasdiag.messages import in_language, render


class ExitCode(enum.IntEnum):
    """Process exit codes of every command."""

    OK = 0
    ERROR = 1  # a runtime problem: missing data, unreadable runs, a port in use
    USAGE = 2  # bad flags (Click's own code for usage errors)
    FINDINGS = 3  # `diagnose --fail-on`: a finding reached that severity
    INTERRUPTED = 130  # Ctrl-C, SIGTERM or SIGHUP (128 + SIGINT, as shells report it)


class KerasdiagError(Exception):
    """Base class of every error kerasdiag reports to the user.

    Args:
        expected: What kerasdiag needed, as a phrase ("a folder of runs"): a catalog message, or a str.
        received: What it got instead, with the value ("runs/x (not found)"): a message, or any value.
    """

    def __init__(self, expected: Any, received: object):
        self.expected = expected
        self.received = received
        super().__init__(self.get("en"))

    def get(self, lang: str) -> str:
        """The one-line message in `lang` ("Expected X. Received: Y" in English)."""
        values = {"expected": in_language(self.expected, lang), "received": in_language(self.received, lang)}
        latin_end = values["expected"][-1:].isascii() and values["expected"][-1:] not in ("", ")")
        return render("error.expected_received.latin_end" if latin_end else "error.expected_received", lang, values)


class ConfigError(KerasdiagError):
    """A flag value, or a combination of flags, that cannot be trained.

    Args:
        flag: The flag at fault (`--lr`), where one is.
    """

    def __init__(self, expected: Any, received: object, flag: str | None = None):
        super().__init__(expected, received)
        self.flag = flag


class PathError(KerasdiagError):
    """An error about one file or folder.

    Args:
        path: The file or folder at fault, where one is.
    """

    def __init__(self, expected: Any, received: object, path: Path | str | None = None):
        super().__init__(expected, received)
        self.path = path


class DataError(PathError):
    """A data set that cannot be found, read or split (`path`: the data file or folder)."""


class RunDirError(PathError):
    """A path that holds no readable run or logs, or where a run cannot be written (`path`: that place)."""


class BoardError(KerasdiagError):
    """TensorBoard could not start or serve.

    Args:
        port: The port it was asked to use.
    """

    def __init__(self, expected: Any, received: object, port: int | None = None):
        super().__init__(expected, received)
        self.port = port
