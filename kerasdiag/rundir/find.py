"""Find runs under a path and load each as a RunRecord: kerasdiag run directories or plain Keras logs."""

from __future__ import annotations

from pathlib import Path

from kerasdiag.errors import RunDirError
from kerasdiag.rundir.reader import is_run_dir, read_run
from kerasdiag.rundir.record import RunRecord

MAX_DEPTH = 4


def load_record(path: Path) -> RunRecord:
    """Read one run: a kerasdiag run directory, else a Keras TensorBoard log dir."""
    from kerasdiag.rundir.tensorboard.reader import is_keras_log_dir, read_keras_logs

    if is_run_dir(path):
        return read_run(path)
    if is_keras_log_dir(path):
        return read_keras_logs(path)
    raise RunDirError(
        "a kerasdiag run (run.json, history.jsonl) or Keras TensorBoard logs (train/, validation/)",
        f"{path}",
        path=path,
    )


def find_runs(path: Path) -> list[Path]:
    """`path` itself if it is a run, else every run below it (sorted), at most MAX_DEPTH levels down."""
    from kerasdiag.rundir.tensorboard.reader import is_keras_log_dir

    if not path.exists():
        raise RunDirError("an existing run directory or folder of runs", f"{path} (not found)", path=path)
    if not path.is_dir():
        raise RunDirError("a directory (a run or a folder of runs)", f"{path} (a file)", path=path)
    if is_run_dir(path) or is_keras_log_dir(path):
        return [path]
    found: list[Path] = []
    frontier = [path]
    seen = {path.resolve()}
    for _ in range(MAX_DEPTH):
        children = [c for c in _subfolders(frontier) if c.resolve() not in seen]  # a symlink loop is visited once
        seen.update(c.resolve() for c in children)
        found += [c for c in children if is_run_dir(c) or is_keras_log_dir(c)]
        frontier = [c for c in children if c not in found]
    if not found:
        raise RunDirError(
            f"kerasdiag runs (run.json) or Keras TensorBoard logs (train/, validation/) under {path}", "none", path=path
        )
    return sorted(found)


def _subfolders(folders: list[Path]) -> list[Path]:
    """The visible subfolders of `folders`, sorted; a folder that cannot be listed is passed over."""
    children = []
    for folder in folders:
        try:
            children += [c for c in folder.iterdir() if not c.name.startswith(".") and c.is_dir()]
        except OSError:
            continue
    return sorted(children)
