"""Reading a file of a run without trusting it: regular files only, sizes capped before reading, names shown safely.

Every reader of a run directory or a log file opens through here. A path that is a folder, a FIFO, a device
(`/dev/zero` behind a symlink), a socket, a broken symlink or a symlink loop is never opened for reading (a FIFO
is opened without blocking, then refused), and a file past its cap (the named limits in `kerasdiag/limits.py`)
is refused before it is read. Each refusal is a `FileRefused` (an `OSError`) whose first argument is the reason as
a catalog message, so a reader turns it into one problem naming the file and the cap.

Example:

```python
data = read_capped(run / "run.json", MAX_RUN_JSON_BYTES, "MAX_RUN_JSON_BYTES")
```
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO

from kerasdiag.messages.said import Said


class FileRefused(OSError):
    """A file kerasdiag will not read: not a regular file, or past a size cap (`args[0]`: the reason, a `Said`)."""


def entry_kind(path: Path) -> Said | None:
    """What `path` is when it is not a regular file kerasdiag can open ("a folder", "a FIFO"...), None if it is one.

    A missing path is "missing"; a symlink is followed (one to `/dev/zero` is "a device").
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Said("readers.kind.loop")
        if os.path.lexists(path):
            return Said("readers.kind.broken_link")
        return Said("readers.kind.missing")
    return _kind(mode)


def _kind(mode: int) -> Said | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Said("readers.kind.folder")
    if stat.S_ISFIFO(mode):
        return Said("readers.kind.fifo")
    if stat.S_ISSOCK(mode):
        return Said("readers.kind.socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Said("readers.kind.device")
    return Said("readers.kind.other")


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading in binary, or `FileRefused` when it is no regular file (a FIFO never blocks).

    Raises:
        FileRefused: If `path` is a folder, FIFO, device, socket, broken link or symlink loop.
        OSError: If it cannot be opened (permission denied...).
    """
    kind = entry_kind(path)
    if kind is not None:
        raise FileRefused(Said("readers.not_regular", kind=kind))
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        kind = _kind(os.fstat(descriptor).st_mode)  # what was opened, should it have changed since the stat
        if kind is not None:
            raise FileRefused(Said("readers.not_regular", kind=kind))
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def too_large(size: int, limit: int, name: str) -> FileRefused:
    """The refusal of a file of `size` bytes past the cap `name` (`limit` bytes)."""
    return FileRefused(Said("readers.too_large", size=f"{size:,}", limit=f"{limit:,}", name=name))


def read_capped(path: Path, limit: int, name: str) -> bytes:
    """The whole of a regular file of at most `limit` bytes (the cap called `name` in `kerasdiag/limits.py`).

    Raises:
        FileRefused: If `path` is no regular file, or holds more than `limit` bytes (checked before reading, and
            again while reading, for a file that grows).
        OSError: If it cannot be read.
    """
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise too_large(size, limit, name)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(len(data), limit, name)
    return data


def printable(text: str) -> str:
    """`text` safe to print anywhere: control characters and the surrogates of undecodable bytes escaped.

    A byte that is not UTF-8 in a file name (decoded by Python as a lone surrogate) is shown as `\\xff`, another
    lone surrogate (`"\\ud800"` in a JSON string) as `\\ud800`, a control character (an ANSI escape's ESC, a
    newline) as `\\x1b` or `\\n`, a bidirectional override as `\\u202e`. Any other text is returned as it is.
    """
    if text.isprintable():
        return text
    return "".join(_escaped(ch) if _unsafe(ch) else ch for ch in text)


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_CONTROLS


def _escaped(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if ch in "\n\r\t":
        return repr(ch)[1:-1]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def valid_text(text: str) -> str:
    """`text` with every lone surrogate (from a JSON `\\ud800` escape or an undecodable name) escaped, so that it
    can always be encoded as UTF-8; other characters (control characters, non-ASCII letters) are kept.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(_escaped(ch) if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def shown_path(path: Path | str) -> str:
    """A path as shown in messages: `printable`."""
    return printable(os.fspath(path))


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def may_hold_surrogates(raw: bytes | str) -> bool:
    """Tells whether JSON text may decode to a lone surrogate (it holds a `\\ud800`-`\\udfff` escape)."""
    return _SURROGATE_ESCAPE.search(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")) is not None


def valid_json(value: Any) -> Any:
    """A decoded JSON value with `valid_text` applied to every string in it, keys included (no recursion).

    Only worth calling where `may_hold_surrogates` said so: it visits every node.
    """
    if isinstance(value, str):
        return valid_text(value)
    root = [value]
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = valid_text(item)
                elif isinstance(item, (list, dict)):
                    stack.append(item)
        elif isinstance(node, dict):
            items = list(node.items())
            node.clear()
            for key, item in items:
                node[valid_text(key) if isinstance(key, str) else key] = (
                    valid_text(item) if isinstance(item, str) else item
                )
                if isinstance(item, (list, dict)):
                    stack.append(item)
    return root[0]


def not_utf8(error: UnicodeDecodeError) -> Said:
    """A file's bytes that are not UTF-8, said without Python's own wording."""
    byte = error.object[error.start : error.start + 1].hex() if error.object else "?"
    return Said("readers.not_utf8", byte=f"0x{byte}", position=f"{error.start:,}")
