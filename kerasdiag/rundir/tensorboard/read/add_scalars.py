"""The series of `add_scalars`: one sub-folder per key beside the main writer's own event files.

`SummaryWriter.add_scalars("Loss", {"train": a, "val": b}, epoch)` gives each key a writer of its own, which
writes the value under the main tag (`Loss`). torch (`torch.utils.tensorboard`) names its folder after the
main tag and the key, `/` turned into `_` (`Loss_train/`, `Loss_val/`); tensorboardX nests them
(`Loss/train/`, `Loss/val/`). Each series is read as `<folder>/<main tag>` (`Loss_train/Loss`) and named by
`metric_names.scalars_metric("Loss", "train")`: `loss`, `val_loss`.
"""

from __future__ import annotations

from pathlib import Path

from kerasdiag.messages.said import Said
from kerasdiag.rundir.files import printable
from kerasdiag.rundir.metric_names import MetricName, metric_for, scalars_metric
from kerasdiag.rundir.tensorboard.read.events import files_in, read_events, scalar_value
from kerasdiag.rundir.tensorboard.read.kept import MAX_IGNORED_TAGS, Kept, keep, step_problems

MAX_SERIES_FOLDERS = 100  # sub-folders of one run read as add_scalars series (the first, by name)
MAX_DEPTH = 3  # tensorboardX nests a folder per part of the main tag: `Loss/epoch/train/` is 3 deep


def series_values(
    path: Path, problems: list[str], meanings: dict[str, MetricName | None], others: list[str]
) -> dict[str, dict[int, float]]:
    """The add_scalars series in `path`'s sub-folders, as `<folder>/<main tag>` -> step -> value.

    Args:
        path: The run: the folder of the main writer's event files.
        problems: Where damage and the folders not read are listed.
        meanings: Gets the metric each series names (None: none).
        others: Gets the tags of the sub-folders that are no such series (`<folder>/<tag>`).

    Returns:
        The values of each series, per step.
    """
    values: dict[str, dict[int, float]] = {}
    for folder, files in _folders(path, problems):
        kept, label = Kept([0]), f"{printable(folder)}/"
        for event in read_events(files, problems, label=label):
            for value in event.summary.value:
                shown, number = f"{folder}/{value.tag}", scalar_value(value)
                key = series_key(folder, value.tag)
                if number is not None and key is not None:
                    meanings[shown] = scalars_metric(value.tag, key)
                    keep(values, shown, int(event.step), number, kept)
                elif shown not in others and len(others) < MAX_IGNORED_TAGS:
                    others.append(shown)
        problems.extend(step_problems(label, kept))
    return values


def series_key(folder: str, tag: str) -> str | None:
    """The key of `add_scalars(tag, {key: ...})` that wrote into `folder` (relative to the run, `/`-separated):
    `("Loss_val", "Loss")` (torch) and `("Loss/val", "Loss")` (tensorboardX) give `val`; else None."""
    for prefix in (tag.replace("/", "_") + "_", tag + "/"):
        key = folder[len(prefix) :] if folder.startswith(prefix) else ""
        if key and "/" not in key:
            return key
    return None


def is_series_folder(path: Path) -> bool:
    """Tells whether `path` looks like one torch series of its parent's add_scalars (`Loss_val/` beside event
    files): read alone, its `Loss` would be taken for the training loss. (tensorboardX's `Loss/val/` is refused as
    the held-out folder of `Loss/`, see `scalars.is_scalar_log_dir`.)"""
    key = path.name.rpartition("_")[2]
    if "_" not in path.name or metric_for(f"loss/{key}") is None:
        return False
    return bool(files_in(path.parent, None))


def _folders(path: Path, problems: list[str]) -> list[tuple[str, list[Path]]]:
    """The visible folders under `path` (at most MAX_DEPTH down) holding event files, with them; by name, the
    first MAX_SERIES_FOLDERS."""
    found: list[tuple[str, list[Path]]] = []
    frontier = [path]
    for _ in range(MAX_DEPTH):
        children = []
        for folder in frontier:
            try:
                children += sorted(c for c in folder.iterdir() if not c.name.startswith(".") and c.is_dir())
            except OSError:
                continue
        found += [(c.relative_to(path).as_posix(), files) for c in children if (files := files_in(c, problems))]
        frontier = children[: MAX_SERIES_FOLDERS * 10]  # a folder of thousands of folders is not searched through
    found.sort()
    if len(found) > MAX_SERIES_FOLDERS:
        problems.append(Said("rundir.tb.series_folders", count=len(found), limit=MAX_SERIES_FOLDERS))
    return found[:MAX_SERIES_FOLDERS]
