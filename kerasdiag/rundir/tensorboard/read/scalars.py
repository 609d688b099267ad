"""Read one folder of TensorBoard scalars from any writer into a RunRecord, without TensorFlow.

torch's `SummaryWriter`, `tf.summary` and Keras 2 in TF1 mode write every tag into one folder,
with no `train/` and `validation/`: the split is in the tag's name (`Loss/train`, `Loss/val`,
`val_loss`, `epoch_val_accuracy`). `metric_names` decides what each tag means; the step is the
epoch, counted from 0 or from 1, unless an `epoch` scalar numbers the steps (PyTorch Lightning's global
steps). Scalars may be `simple_value`s (torch, TF1) or one-element tensors (TF2): `reader.scalar_value`
reads both. Other tags (histograms, batch scalars) are ignored.

The series of `add_scalars("Loss", {"train": a, "val": b}, epoch)`, in sub-folders (`Loss_train/`, or
`Loss/train/` with tensorboardX), are read with the folder's own tags (`add_scalars.py`).
"""

from __future__ import annotations

from pathlib import Path

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.messages.said import Joined
from kerasdiag.rundir.epochs import EpochRecord, EpochTable
from kerasdiag.rundir.files import printable, shown_path
from kerasdiag.rundir.metric_names import MetricName, epoch_offset, map_names, metric_for
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.tensorboard.read.add_scalars import is_series_folder, series_values
from kerasdiag.rundir.tensorboard.read.events import SPLIT_FOLDERS, files_in, read_events, scalar_value
from kerasdiag.rundir.tensorboard.read.kept import MAX_IGNORED_TAGS, Kept, keep, step_problems
from kerasdiag.rundir.tensorboard.read.reader import is_keras_log_dir

SOURCE = "tensorboard-scalars"


def is_scalar_log_dir(path: Path) -> bool:
    """Tells whether `path` directly holds event files, and is not the `train/` or `validation/` of a Keras log dir.

    Args:
        path: The folder to look at.
    """
    path = Path(path)
    if not path.is_dir() or not _event_files(path):
        return False
    if any(path.name in names for names in SPLIT_FOLDERS.values()) and is_keras_log_dir(path.parent):
        return False
    return not is_series_folder(path)


def read_scalar_logs(path: Path) -> RunRecord:
    """Reads a folder of scalar event files into a RunRecord with `source="tensorboard-scalars"`.

    Args:
        path: The folder holding `events.out.tfevents.*` files.

    Returns:
        The run, one EpochRecord per step (1-based), `read_tags` saying which tag became which metric.

    Raises:
        RunDirError: If no event could be read, or no tag names an epoch metric.

    Example:

    ```python
    record = read_scalar_logs(Path("runs/Dec05_12-00-00_host"))  # torch's SummaryWriter default
    print(record.read_tags)  # {"Loss/train": "loss", "Loss/val": "val_loss"}
    ```
    """
    path = Path(path)
    record = RunRecord(path=str(path), source=SOURCE)
    values, others = _read_values(path, record.problems)
    meanings: dict[str, MetricName | None] = {}
    values.update(series_values(path, record.problems, meanings, others))
    used, ignored = map_names(list(values), lambda tag: meanings[tag] if tag in meanings else metric_for(tag))
    record.read_tags, record.ignored_tags = used, ignored + [t for t in others if t not in values]
    if not used:
        found = printable(", ".join(tag[:40] for tag in list(values)[:8])) or say("rundir.tb.no_scalar_tags")
        detail = say("rundir.tb.path", path=shown_path(path), detail=found)
        raise RunDirError(say("rundir.tb.scalars"), detail, path=path)
    offset = epoch_offset(min(min(values[tag]) for tag in used))
    numbered = epochs_by_tag(values, used) or {step: step + offset for tag in used for step in values[tag]}
    epochs: dict[int, EpochRecord] = {}
    for tag, metric in used.items():
        for step, number in sorted(values[tag].items()):
            epoch = numbered[step]
            epochs.setdefault(epoch, EpochRecord(epoch=epoch)).metrics[metric] = number
    record.epochs = EpochTable(epochs[epoch] for epoch in sorted(epochs))
    return record


def epochs_by_tag(values: dict[str, dict[int, float]], used: dict[str, str]) -> dict[int, int] | None:
    """Step -> 1-based epoch from an `epoch` scalar (PyTorch Lightning logs its 0-based epoch at the global step of
    every logged value), where it holds a whole number at every step a metric was logged; else None (the step is
    the epoch)."""
    tagged = values.get("epoch")
    steps = {step for tag in used for step in values[tag]}
    if not tagged or not steps <= tagged.keys():
        return None
    found = {step: tagged[step] for step in steps}
    if not all(value >= 0 and float(value).is_integer() for value in found.values()):
        return None
    return {step: int(value) + 1 for step, value in found.items()}


def _event_files(path: Path, problems: list[str] | None = None) -> list[Path]:
    return files_in(path, problems)


def _read_values(path: Path, problems: list[str]) -> tuple[dict[str, dict[int, float]], list[str]]:
    """Scalar values per tag (first-seen order; later records win on a repeated step), and every other tag."""
    values: dict[str, dict[int, float]] = {}
    others: dict[str, None] = {}  # an ordered set
    events = 0
    kept = Kept([0])
    for event in read_events(_event_files(path, problems), problems):
        events += 1
        for value in event.summary.value:
            number = scalar_value(value)
            if number is not None:
                keep(values, value.tag, int(event.step), number, kept)
            elif value.tag not in others and len(others) < MAX_IGNORED_TAGS:
                others[value.tag] = None
    problems.extend(step_problems(".", kept))
    if not events:
        detail = Joined(tuple(problems)) if problems else say("rundir.tb.no_event_records")
        raise RunDirError(
            say("rundir.tb.readable"), say("rundir.tb.path", path=shown_path(path), detail=detail), path=path
        )
    return values, list(others)
