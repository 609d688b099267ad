"""The files the views write (report's page and figures, compare's figures): only kerasdiag's own, never through
a link, always whole.

`report` writes into a folder the user owns (a CSVLogger folder may already hold their own `loss.png` and
`report.html`), and `compare` into `--out`. So:

- **Which files are kerasdiag's**: a manifest, `.kerasdiag-files` in the same folder, lists every file the views
  wrote there with its size and SHA-256. A file counts as kerasdiag's only while its bytes are still the ones
  kerasdiag wrote: a user's file of the same name, or kerasdiag's file edited or replaced since, is theirs.
  Why a manifest of hashes, not "the folder is a kerasdiag run directory": the run directory's `run.json` is
  the training's record and lists none of these files, report also runs on other writers' logs, and a name
  alone cannot tell kerasdiag's `loss.png` from the user's. Why not a marker inside each file: a copied or
  edited file keeps its marker. The manifest is hidden (a leading dot) and has no `.json` suffix, so readers
  never take it for a History JSON log.
- **Nothing is overwritten that kerasdiag did not write**: where such a file is in the way, the new one is
  written beside it under the next free name (`loss-2.png`, `report-2.html`) and the command says so; a
  folder, link, pipe or device in the way is refused in one line.
- **Never through a link**: a symbolic link where a file would go is refused in one line; files are written
  to a temporary file created in the same folder (`O_EXCL`: never an existing path or link), and moved into
  place with `os.replace`, which replaces a name and never follows a link at it. So a planted link can make
  kerasdiag refuse, never write outside the folder, and a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.render.safe import printable

MANIFEST = ".kerasdiag-files"
MAX_MANIFEST_BYTES = 1 << 20  # 1 MiB: thousands of entries; a larger one is not kerasdiag's
MAX_OWNED_BYTES = 1 << 28  # 256 MiB: larger than any page or figure kerasdiag writes, never read to be hashed
MAX_NAMES = 100  # loss.png, loss-2.png ... loss-100.png; then refused


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole: a temporary file in the same folder, then `os.replace`.

    Raises:
        RunDirError: A link, folder or other non-file is at `path`, or the folder cannot be written.
    """
    refuse_in_the_way(path)
    try:
        fd, tmp = _temporary(path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _cannot_write(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside `path` (a random hidden name, `O_EXCL`: never an existing file or link), opened to
    write, with the permissions the umask gives any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name[:60]}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def refuse_in_the_way(path: Path) -> None:
    """Raise RunDirError when something other than a plain file (a link, a folder, a pipe, a device) is at `path`."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISLNK(info.st_mode):
        why = say("views.files.link_in_the_way")
    elif stat.S_ISDIR(info.st_mode):
        why = say("views.files.folder_in_the_way")
    else:
        why = say("views.files.special_in_the_way")
    raise RunDirError(say("rundir.writable"), say("rundir.cannot_write", path=printable(path), why=why), path=path)


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of the plain file at `path`, never through a link; None if it is not one, or holds more than
    `limit` bytes, or cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = stream.read(limit + 1)
    return data if len(data) <= limit else None


@dataclass
class OwnedFiles:
    """The files kerasdiag's views wrote in one folder, from its manifest.

    Use `read(folder)`, then `place(name)` for where a file goes, write it, and `record(path)`.
    """

    folder: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    beside: dict[str, str] = field(default_factory=dict)  # wanted name -> the name written instead
    written: list[Path] = field(default_factory=list)  # in the order written, the manifest left out

    @classmethod
    def read(cls, folder: Path) -> OwnedFiles:
        """The manifest of `folder`; an empty one where there is none, or it is damaged (then nothing in the
        folder counts as kerasdiag's, so nothing is overwritten).

        Raises:
            RunDirError: A link, folder or other non-file is where the manifest goes.
        """
        path = folder / MANIFEST
        refuse_in_the_way(path)
        data = read_regular(path, MAX_MANIFEST_BYTES)
        files: dict[str, dict[str, Any]] = {}
        try:
            payload = json.loads(data) if data is not None else {}
        except (ValueError, RecursionError):
            payload = {}
        entries = payload.get("files") if isinstance(payload, dict) else None
        for name, entry in (entries if isinstance(entries, dict) else {}).items():
            if (
                isinstance(entry, dict)
                and isinstance(entry.get("bytes"), int)
                and isinstance(entry.get("sha256"), str)
                and name == Path(name).name
            ):
                files[name] = {"bytes": entry["bytes"], "sha256": entry["sha256"]}
        return cls(folder, files)

    def owns(self, path: Path) -> bool:
        """Whether the plain file at `path` holds exactly the bytes kerasdiag last wrote there."""
        entry = self.files.get(path.name)
        if entry is None or entry["bytes"] > MAX_OWNED_BYTES:
            return False
        data = read_regular(path, entry["bytes"])
        return data is not None and len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"]

    def place(self, name: str) -> Path:
        """Where to write `name`: itself when free or kerasdiag's, else the first of `stem-2.ext`, `stem-3.ext`
        ... that is.

        Raises:
            RunDirError: A link, folder or other non-file is in the way, or all MAX_NAMES names are others' files.
        """
        stem, suffix = os.path.splitext(name)
        for number in range(1, MAX_NAMES + 1):
            path = self.folder / (name if number == 1 else f"{stem}-{number}{suffix}")
            refuse_in_the_way(path)
            if not os.path.lexists(path) or self.owns(path):
                if number > 1:
                    self.beside[name] = path.name
                return path
        last = f"{stem}-{MAX_NAMES}{suffix}"
        why = say("views.files.names_taken", first=name, last=last)
        path = self.folder / name
        raise RunDirError(say("rundir.writable"), say("rundir.cannot_write", path=printable(path), why=why), path=path)

    def write(self, path: Path, data: bytes) -> Path:
        """Write `data` at `path` (from `place`) whole, and list it as kerasdiag's."""
        write_atomic(path, data)
        self._remember(path, data)
        return path

    def record(self, path: Path) -> Path:
        """List the file just written at `path` (from `place`) as kerasdiag's."""
        data = read_regular(path, MAX_OWNED_BYTES)
        if data is not None:
            self._remember(path, data)
        return path

    def _remember(self, path: Path, data: bytes) -> None:
        self.files[path.name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        if path not in self.written:
            self.written.append(path)
        listed = {name: entry for name, entry in sorted(self.files.items()) if os.path.lexists(self.folder / name)}
        payload = {"written_by": "kerasdiag", "about": "files kerasdiag wrote here; others are never overwritten"}
        text = json.dumps({**payload, "files": listed}, indent=1, ensure_ascii=True) + "\n"
        write_atomic(self.folder / MANIFEST, text.encode("ascii"))


def _cannot_write(path: Path, exc: OSError) -> RunDirError:
    from kerasdiag.rundir.writer import cannot_write

    return cannot_write(Path(printable(path)), exc)
