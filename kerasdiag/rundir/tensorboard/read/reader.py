"""Read any Keras TensorBoard log dir into a RunRecord, without TensorFlow.

A log dir holds `train/` and `validation/` folders of `events.out.tfevents.*`
files, as `keras.callbacks.TensorBoard` writes them in anyone's script and as
kerasdiag's `SummaryWriter` writes them in every run directory; the TensorBoard
tutorial's `tf.GradientTape` loop writes `train/` and `test/` with `loss` and
`accuracy` tags (`events.split_folders` names the folders, `split_tags` the tags).
The event files themselves are read in `events.py`, the model config text in
`model_text.py`, Keras's per-iteration points in `update_freq.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.errors import RunDirError
from kerasdiag.messages import say
from kerasdiag.messages.said import Joined, Said
from kerasdiag.rundir.epochs import EpochRecord, EpochTable
from kerasdiag.rundir.files import printable, shown_path
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import (
    DATA_GRAD_NORM,
    DEAD_FRACTION,
    GRAD_NORM,
    GRAD_NORM_STEP_MAX,
    GRAD_NORM_STEP_MEAN,
    SATURATED_FRACTION,
    UPDATE_RATIO,
    WEIGHT_NORM,
)
from kerasdiag.rundir.schema import EXTRA_TAGS as RECORD_EXTRA_TAGS
from kerasdiag.rundir.tensorboard.read import sessions, update_freq
from kerasdiag.rundir.tensorboard.read.events import (
    EVENT_FILE_GLOB,
    SPLITS,
    event_files,
    other_held_out,
    read_events,
    scalar_value,
    split_folders,
)
from kerasdiag.rundir.tensorboard.read.kept import MAX_IGNORED_TAGS, Kept, keep, step_problems
from kerasdiag.rundir.tensorboard.read.model_text import MODEL_TAG, anatomy_from_text, model_summary_from_text
from kerasdiag.rundir.tensorboard.read.split_tags import epoch_meaning, epoch_metric_names, iteration_metric

EXPECTED_LOGS = say("rundir.tb.expected", glob=EVENT_FILE_GLOB)

PROBE_KEYS = {
    key: key
    for key in (
        GRAD_NORM,
        DATA_GRAD_NORM,
        WEIGHT_NORM,
        UPDATE_RATIO,
        DEAD_FRACTION,
        SATURATED_FRACTION,
        GRAD_NORM_STEP_MEAN,
        GRAD_NORM_STEP_MAX,
    )
}
BATCH_LOSS_TAGS = {f"batch_loss/{stat}": stat for stat in ("mean", "std", "min", "max")}
EXTRA_TAGS = {tag: key for key, tag in RECORD_EXTRA_TAGS.items()}


@dataclass
class _Split:
    """What one split folder held: numeric values per tag (tags in first-seen order) and the model JSON.

    `values` are at epoch steps, `iterations` (Keras's `batch_loss`, `evaluation_loss_vs_iterations`) at batch or
    optimizer-iteration steps, kept apart so that a restart is told by the epoch steps alone.
    """

    folder: str = ""
    values: dict[str, dict[int, float]] = field(default_factory=dict)
    iterations: dict[str, dict[int, float]] = field(default_factory=dict)
    model_json: str | None = None
    records: int = 0
    ignored: list[str] = field(default_factory=list)
    seen_ignored: set[str] = field(default_factory=set)
    kept: Kept = field(default_factory=lambda: Kept([0]))


def is_keras_log_dir(path: Path) -> bool:
    """Tells whether `path` has `train/` or `validation/` folders holding TensorBoard event files.

    Args:
        path: The folder to look at.

    Returns:
        True if at least one `events.out.tfevents.*` file lies in `path/train` or `path/validation` (or in a
        held-out folder named `test/`, `val/`, `eval/`, ... beside a train folder: `events.split_folders`).
    """
    return any(event_files(Path(path)).values())


def read_keras_logs(path: Path) -> RunRecord:
    """Reads a Keras TensorBoard log dir into a RunRecord with `source="keras-logs"`.

    Epoch scalars (`epoch_loss`, `epoch_accuracy`, ...) become `metrics`, kerasdiag's probe scalars
    become `probes`, `batch_loss` and `extra`, and the `keras` model-config tag becomes `model`.
    Damaged files are read up to the damage and reported in `record.problems`.

    Args:
        path: The log dir, the parent of `train/` and `validation/`.

    Returns:
        The run, one EpochRecord per epoch (TensorBoard step + 1).

    Raises:
        RunDirError: If `path` is not a folder or no event record could be read from it.

    Example:

    ```python
    record = read_keras_logs(Path("logs/fit"))
    print(record.series("val_loss"))
    ```
    """
    path = Path(path)
    record = RunRecord(path=str(path), source="keras-logs")
    files = event_files(path, record.problems)
    if not path.is_dir() or not any(files.values()):
        detail = say("rundir.tb.path", path=shown_path(path), detail=_what_is_there(path))
        raise RunDirError(EXPECTED_LOGS, detail, path=path)
    folders = split_folders(path)
    budgets = {name: [0] for name in files}  # values kept per split folder, all its files together
    parts = {
        name: [_read_split(name, folders[name], [file], record.problems, budgets[name]) for file in found]
        for name, found in files.items()
    }
    if not any(part.records for found in parts.values() for part in found):
        detail = say("rundir.tb.no_records", problems=Joined(tuple(record.problems)))
        raise RunDirError(EXPECTED_LOGS, say("rundir.tb.path", path=shown_path(path), detail=detail), path=path)
    _fill(record, {name: _merged(folders[name], found) for name, found in parts.items()})
    record.ignored_tags += [f"{folder}/*" for folder in other_held_out(path)]
    record.earlier_runs = _earlier_runs(path, folders, parts)
    return record


def _fill(record: RunRecord, splits: dict[str, _Split]) -> None:
    _place_iterations(splits)
    record.epochs = EpochTable(_build_epochs(splits["train"], splits["validation"]))
    record.model = model_summary_from_text(splits["train"].model_json, record.problems)
    record.anatomy = anatomy_from_text(splits["train"].model_json)
    _note_tags(record, splits)
    if not record.epochs:
        _refuse_batches_only(Path(record.path), splits["train"])
        record.problems.append(Said("rundir.tb.no_epoch_scalars"))


def _refuse_batches_only(path: Path, train: _Split) -> None:
    """A complete run logged with `update_freq=N` whose epochs never ended on a multiple of N holds batch points
    only: nothing to diagnose, and no damage either (a one-line error, never run-incomplete)."""
    steps = sorted({step for tag, series in train.iterations.items() if tag.startswith("batch_") for step in series})
    if steps and steps[0] > 0:
        detail = say("rundir.tb.only_batches", every=math.gcd(*steps))
        raise RunDirError(
            say("rundir.tb.epochs_expected"), say("rundir.tb.path", path=shown_path(path), detail=detail), path=path
        )


def _merged(folder: str, parts: list[_Split]) -> _Split:
    """One split's event files merged as TensorBoard shows them (a restart orphans the later steps)."""
    values, _ = sessions.tensorboard_view([part.values for part in parts])
    iterations, _ = sessions.tensorboard_view([part.iterations for part in parts])
    model_json = next((part.model_json for part in reversed(parts) if part.model_json), None)
    ignored = list(dict.fromkeys(tag for part in parts for tag in part.ignored))
    records = sum(part.records for part in parts)
    return _Split(folder, values, iterations, model_json=model_json, records=records, ignored=ignored)


def _place_iterations(splits: dict[str, _Split]) -> None:
    """Adds to each split's values the per-iteration points that fill epochs its epoch scalars miss."""
    placed = update_freq.placed_points({name: _known_epochs(name, split) for name, split in splits.items()})
    for name, split in splits.items():
        split.values.update(placed[name])


def _known_epochs(name: str, split: _Split) -> update_freq.Split:
    """One split's epoch scalars per metric, and its per-iteration points with their metric."""
    epochs = {metric: split.values[tag] for tag, metric in _metric_names(name, split.values).items()}
    points = {tag: (iteration_metric(name, tag) or "", series) for tag, series in split.iterations.items()}
    return epochs, points


def _earlier_runs(path: Path, folders: dict[str, str], parts: dict[str, list[_Split]]) -> list[RunRecord]:
    """The runs before the newest one, when a script wrote into the same folder again (steps restart at 0)."""
    groups = {name: sessions.runs(found, [part.values for part in found]) for name, found in parts.items()}
    count = max(len(found) for found in groups.values())
    earlier = []
    for index in range(count - 1):
        run = RunRecord(path=f"{path} (run {index + 1} of {count})", source="keras-logs")
        splits = {
            name: _merged(folders[name], found[index]) if index < len(found) - 1 else _Split(folders[name])
            for name, found in groups.items()
        }
        _fill(run, splits)
        earlier.append(run)
    return earlier


def _what_is_there(path: Path) -> Said:
    if not path.exists():
        return Said("rundir.tb.does_not_exist")
    if not path.is_dir():
        return Said("rundir.tb.not_a_directory")
    try:
        if any(path.glob(EVENT_FILE_GLOB)):
            return Said("rundir.tb.events_directly")
    except OSError:
        pass
    return Said("rundir.tb.no_event_files")


def _read_split(name: str, folder: str, files: list[Path], problems: list[str], budget: list[int]) -> _Split:
    """Reads every event file of one split (`train` or `validation`, read from `folder`); later files and later
    records win on repeated steps.

    `budget`: the values kept so far from the split folder (shared by its files, at most MAX_EVENT_VALUES).
    """
    split = _Split(folder, kept=Kept(budget))
    for event in read_events(files, problems, label=f"{folder}/"):
        split.records += 1
        _add_event(name, event, split)
    label = f"{folder}/{printable(files[0].name)}" if len(files) == 1 else f"{folder}/"
    problems.extend(step_problems(label, split.kept))
    return split


def _add_event(name: str, event: Any, split: _Split) -> None:
    """Keeps the values of the tags kerasdiag knows; ignores every other tag."""
    for value in event.summary.value:
        tag = value.tag
        if name == "train" and tag == MODEL_TAG:
            split.model_json = _text_value(value)
        elif (values := _kept_in(name, tag, split)) is not None:
            number = scalar_value(value)
            if number is not None:
                keep(values, tag, int(event.step), number, split.kept)
            else:
                split.kept.not_numbers += 1
                if split.kept.not_numbers == 1:
                    split.kept.first_not_number = (tag, int(event.step))
        elif tag not in split.seen_ignored and len(split.ignored) < MAX_IGNORED_TAGS:
            split.seen_ignored.add(tag)
            split.ignored.append(tag)


def _kept_in(name: str, tag: str, split: _Split) -> dict[str, dict[int, float]] | None:
    """Where a tag's values go: `values` for an epoch metric of the split or one of kerasdiag's own per-epoch tags
    (train only), `iterations` for Keras's per-iteration points, None for a tag not read."""
    if _is_probe_tag(name, tag) or epoch_meaning(name, tag) is not None:
        return split.values
    return split.iterations if iteration_metric(name, tag) else None


def _text_value(value: Any) -> str | None:
    if value.WhichOneof("value") != "tensor" or not value.tensor.string_val:
        return None
    return value.tensor.string_val[0].decode("utf-8", errors="replace")


def _build_epochs(train: _Split, validation: _Split) -> list[EpochRecord]:
    """One EpochRecord per step seen in any known tag, in step order."""
    epochs: dict[int, EpochRecord] = {}
    for name, split in zip(SPLITS, (train, validation)):
        metrics = _metric_names(name, split.values)
        for tag, series in split.values.items():
            for step, number in series.items():
                epoch = epochs.setdefault(step, EpochRecord(epoch=step + 1))
                _store(epoch, tag, number, metrics)
    return [epochs[step] for step in sorted(epochs)]


def _metric_names(name: str, values: dict[str, dict[int, float]]) -> dict[str, str]:
    """Tag -> metric name for one split's epoch scalars (the best-named tag of each metric only), and for the
    per-iteration tags placed on epochs (`update_freq.py`)."""
    epoch_tags = [tag for tag in values if not _is_probe_tag(name, tag)]
    names = epoch_metric_names(name, epoch_tags)
    for tag in epoch_tags:
        metric = iteration_metric(name, tag)
        if metric and tag not in names:
            names[tag] = metric
    return names


def _is_probe_tag(name: str, tag: str) -> bool:
    return name == "train" and (tag in BATCH_LOSS_TAGS or tag in EXTRA_TAGS or tag.partition("/")[0] in PROBE_KEYS)


def _store(epoch: EpochRecord, tag: str, number: float, metrics: dict[str, str]) -> None:
    if tag in metrics:
        epoch.metrics[metrics[tag]] = number
    elif tag in BATCH_LOSS_TAGS:
        epoch.batch_loss = epoch.batch_loss or {}
        epoch.batch_loss[BATCH_LOSS_TAGS[tag]] = number
    elif tag in EXTRA_TAGS:
        epoch.extra[EXTRA_TAGS[tag]] = number
    else:
        key, _, layer = tag.partition("/")
        if key in PROBE_KEYS and layer:
            epoch.probes.setdefault(layer, {})[PROBE_KEYS[key]] = number


def _note_tags(record: RunRecord, splits: dict[str, _Split]) -> None:
    """Says in `record.read_tags` which tags became which metric, and in `ignored_tags` which were not read."""
    for name, split in splits.items():
        metrics, folder = _metric_names(name, split.values), split.folder
        for tag in split.values:
            if tag in metrics:
                record.read_tags[f"{folder}/{tag}"] = metrics[tag]
            elif not _is_probe_tag(name, tag):  # a worse spelling of a metric read from another tag
                record.ignored_tags.append(f"{folder}/{tag}")
            else:
                family = tag.partition("/")[0]
                record.read_tags.setdefault(f"{folder}/{family}{'/*' if '/' in tag else ''}", "probes")
        unplaced = [tag for tag in split.iterations if tag not in split.values]
        record.ignored_tags += [f"{folder}/{tag}" for tag in [*unplaced, *split.ignored]]
    if record.model is not None:
        record.read_tags[f"train/{MODEL_TAG}"] = "model"
