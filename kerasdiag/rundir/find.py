"""Find runs under a path and load each as a RunRecord: kerasdiag run directories or other writers' logs.

A run is one of: a kerasdiag run directory; Keras TensorBoard logs (train/, validation/; or train/ and test/ as
the TensorBoard tutorial's GradientTape loop writes them); a folder of TensorBoard scalars from any writer (torch,
tf.summary; torch's add_scalars sub-folders belong to it); a Keras CSVLogger file; a History JSON file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.rundir.files import entry_kind, shown_path
from kerasdiag.rundir.reader import is_run_dir, read_run
from kerasdiag.rundir.record import RunRecord

MAX_DEPTH = 4
LOG_FILE_SUFFIXES = (".csv", ".log", ".json")
ACCEPTED = say("rundir.accepted")


def load_record(path: Path) -> RunRecord:
    """Read one run, whichever of the accepted forms `path` is (see the module docstring).

    Raises:
        RunDirError: If `path` is none of them, or cannot be read as the one it looks like.
    """
    if path.is_file():
        return _read_log_file(path)
    _refuse_special(path)
    reader = _dir_reader(path)
    if reader is not None:
        return reader(path)
    files = _log_files(path) if path.is_dir() else []
    if len(files) == 1:
        return _read_log_file(files[0])
    found = say("rundir.log_files", count=len(files)) if files else say("rundir.none_of_these")
    raise RunDirError(ACCEPTED, say("rundir.path_detail", path=shown_path(path), detail=found), path=path)


def find_runs(path: Path) -> list[Path]:
    """`path` itself if it is a run, else every run below it (sorted), at most MAX_DEPTH levels down."""
    if not path.exists():
        raise RunDirError(say("rundir.existing"), say("rundir.not_found", path=shown_path(path)), path=path)
    if path.is_file():
        if path.suffix.lower() in LOG_FILE_SUFFIXES:
            return [path]
        raise RunDirError(say("rundir.dir_or_log"), say("rundir.a_file", path=shown_path(path)), path=path)
    _refuse_special(path)
    if _dir_reader(path) is not None:
        return [path]
    found: list[Path] = []
    frontier = [path]
    seen = {path.resolve()}
    for _ in range(MAX_DEPTH):
        found += [f for p in frontier for f in _log_files(p)]
        children = [c for c in _subfolders(frontier) if c.resolve() not in seen]  # a symlink loop is visited once
        seen.update(c.resolve() for c in children)
        found += [c for c in children if _dir_reader(c) is not None]
        frontier = [c for c in children if c not in found]
    if not found:
        raise RunDirError(say("rundir.runs_under", path=shown_path(path)), say("rundir.none"), path=path)
    return sorted(found)


def _refuse_special(path: Path) -> None:
    """Raise RunDirError when `path` is neither a folder nor a regular file (a FIFO, `/dev/null`, a socket)."""
    if path.is_dir():
        return
    kind = entry_kind(path)
    if kind is not None:
        detail = say("rundir.path_detail", path=shown_path(path), detail=kind)
        raise RunDirError(say("rundir.dir_or_log"), detail, path=path)


def _dir_reader(path: Path) -> Callable[[Path], RunRecord] | None:
    """The reader for a folder that is a run, or None."""
    from kerasdiag.rundir.tensorboard.read.reader import is_keras_log_dir, read_keras_logs
    from kerasdiag.rundir.tensorboard.read.scalars import is_scalar_log_dir, read_scalar_logs

    if is_run_dir(path):
        return read_run
    if is_keras_log_dir(path):
        return read_keras_logs
    if is_scalar_log_dir(path):
        return read_scalar_logs
    return None


def _read_log_file(path: Path) -> RunRecord:
    from kerasdiag.rundir.formats import read_csv_log, read_history_json

    if path.suffix.lower() == ".json":
        return read_history_json(path)
    if path.suffix.lower() in LOG_FILE_SUFFIXES:
        return read_csv_log(path)
    kind = say("rundir.suffix_file", suffix=shown_path(path.suffix)) if path.suffix else say("rundir.suffixless_file")
    raise RunDirError(ACCEPTED, say("rundir.path_detail", path=shown_path(path), detail=kind), path=path)


def _log_files(folder: Path) -> list[Path]:
    """The CSVLogger and History JSON files directly in `folder`, sorted."""
    from kerasdiag.rundir.formats import is_csv_log, is_history_json

    try:
        files = sorted(f for f in folder.iterdir() if f.suffix.lower() in LOG_FILE_SUFFIXES and f.is_file())
    except OSError:  # a folder that cannot be listed holds no log kerasdiag can read
        return []
    return [f for f in files if is_csv_log(f) or is_history_json(f)]


def _subfolders(folders: list[Path]) -> list[Path]:
    """The visible subfolders of `folders`, sorted; a folder that cannot be listed is passed over."""
    children = []
    for folder in folders:
        try:
            children += [c for c in folder.iterdir() if not c.name.startswith(".") and c.is_dir()]
        except OSError:
            continue
    return sorted(children)
