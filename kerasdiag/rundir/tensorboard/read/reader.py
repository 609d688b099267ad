"""Read any Keras TensorBoard log dir into a RunRecord, without TensorFlow.

A log dir holds `train/` and `validation/` folders of `events.out.tfevents.*`
files, as `keras.callbacks.TensorBoard` writes them in anyone's script and as
kerasdiag's `SummaryWriter` writes them in every run directory. The event
files themselves are read in `events.py`, the model config text in `model_text.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.errors import RunDirError
from kerasdiag.limits import MAX_EVENT_VALUES
from kerasdiag.messages import say
from kerasdiag.messages.said import Joined, Said
from kerasdiag.rundir.epochs import EpochRecord, EpochTable
from kerasdiag.rundir.files import printable, shown_path
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import (
    DEAD_FRACTION,
    GRAD_NORM,
    GRAD_NORM_STEP_MAX,
    GRAD_NORM_STEP_MEAN,
    SATURATED_FRACTION,
    UPDATE_RATIO,
    WEIGHT_NORM,
)
from kerasdiag.rundir.schema import EXTRA_TAGS as RECORD_EXTRA_TAGS
from kerasdiag.rundir.tensorboard.read import sessions
from kerasdiag.rundir.tensorboard.read.events import EVENT_FILE_GLOB, event_files, read_events, scalar_value
from kerasdiag.rundir.tensorboard.read.model_text import MODEL_TAG, anatomy_from_text, model_summary_from_text
from kerasdiag.rundir.values import MAX_EPOCH

EXPECTED_LOGS = say("rundir.tb.expected", glob=EVENT_FILE_GLOB)

# The first of these present in a split is that split's accuracy.
ACCURACY_TAGS = tuple(
    f"epoch_{name}" for name in ("accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy")
)
METRIC_TAGS = {
    "train": {"epoch_loss": "loss", "epoch_learning_rate": "learning_rate"},
    "validation": {"epoch_loss": "val_loss"},
}
ACCURACY_NAMES = {"train": "accuracy", "validation": "val_accuracy"}
PROBE_KEYS = {
    key: key
    for key in (
        GRAD_NORM,
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
MAX_IGNORED_TAGS = 1_000  # tags listed as not read, per split (a file of a million tags lists the first ones)


@dataclass
class _Split:
    """What one split folder held: numeric values per tag (tags in first-seen order) and the model JSON."""

    values: dict[str, dict[int, float]] = field(default_factory=dict)
    model_json: str | None = None
    records: int = 0
    ignored: list[str] = field(default_factory=list)
    seen_ignored: set[str] = field(default_factory=set)
    kept: Kept = field(default_factory=lambda: Kept([0]))


@dataclass
class Kept:
    """What was and was not kept of one event file's values (`keep` counts, `step_problems` reports).

    Args:
        budget: Values kept so far from the whole split folder, in a list shared by its files (at most
            MAX_EVENT_VALUES).
    """

    budget: list[int]
    beyond: int = 0  # values at steps out of range (negative, or past epoch MAX_EPOCH), not kept
    first_beyond: int = 0  # the first such step
    dropped: int = 0  # values past MAX_EVENT_VALUES, not kept
    not_numbers: int = 0  # values of a known tag (epoch_loss...) that are no scalar (a string, an unknown dtype)
    first_not_number: tuple[str, int] = ("", 0)  # the tag and step of the first


def is_keras_log_dir(path: Path) -> bool:
    """Tells whether `path` has `train/` or `validation/` folders holding TensorBoard event files.

    Args:
        path: The folder to look at.

    Returns:
        True if at least one `events.out.tfevents.*` file lies in `path/train` or `path/validation`.
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
    budgets = {name: [0] for name in files}  # values kept per split folder, all its files together
    parts = {
        name: [_read_split(name, [file], record.problems, budgets[name]) for file in found]
        for name, found in files.items()
    }
    if not any(part.records for found in parts.values() for part in found):
        detail = say("rundir.tb.no_records", problems=Joined(tuple(record.problems)))
        raise RunDirError(EXPECTED_LOGS, say("rundir.tb.path", path=shown_path(path), detail=detail), path=path)
    _fill(record, {name: _merged(found) for name, found in parts.items()})
    record.earlier_runs = _earlier_runs(path, parts)
    return record


def _fill(record: RunRecord, splits: dict[str, _Split]) -> None:
    record.epochs = EpochTable(_build_epochs(splits["train"], splits["validation"]))
    record.model = model_summary_from_text(splits["train"].model_json, record.problems)
    record.anatomy = anatomy_from_text(splits["train"].model_json)
    _note_tags(record, splits)
    if not record.epochs:
        record.problems.append(Said("rundir.tb.no_epoch_scalars"))


def _merged(parts: list[_Split]) -> _Split:
    """One split's event files merged as TensorBoard shows them (a restart orphans the later steps)."""
    values, _ = sessions.tensorboard_view([part.values for part in parts])
    model_json = next((part.model_json for part in reversed(parts) if part.model_json), None)
    ignored = list(dict.fromkeys(tag for part in parts for tag in part.ignored))
    return _Split(values=values, model_json=model_json, records=sum(part.records for part in parts), ignored=ignored)


def _earlier_runs(path: Path, parts: dict[str, list[_Split]]) -> list[RunRecord]:
    """The runs before the newest one, when a script wrote into the same folder again (steps restart at 0)."""
    groups = {name: sessions.runs(found, [part.values for part in found]) for name, found in parts.items()}
    count = max(len(found) for found in groups.values())
    earlier = []
    for index in range(count - 1):
        run = RunRecord(path=f"{path} (run {index + 1} of {count})", source="keras-logs")
        splits = {name: _merged(found[index]) if index < len(found) - 1 else _Split() for name, found in groups.items()}
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


def _read_split(name: str, files: list[Path], problems: list[str], budget: list[int]) -> _Split:
    """Reads every event file of one split; later files and later records win on repeated steps.

    `budget`: the values kept so far from the split folder (shared by its files, at most MAX_EVENT_VALUES).
    """
    split = _Split(kept=Kept(budget))
    for event in read_events(files, problems, label=f"{name}/"):
        split.records += 1
        _add_event(name, event, split)
    label = f"{name}/{printable(files[0].name)}" if len(files) == 1 else f"{name}/"
    problems.extend(step_problems(label, split.kept))
    return split


def step_problems(file: str, kept: Kept) -> list[Said]:
    """The problems of values not kept from `file`: at steps out of range, past MAX_EVENT_VALUES, not numbers."""
    out = []
    if kept.beyond:
        step, last = kept.first_beyond, MAX_EPOCH - 1
        out.append(Said("readers.tb.steps", file=file, count=f"{kept.beyond:,}", step=step, last=f"{last:,}"))
    if kept.dropped:
        count, limit = f"{kept.dropped:,}", f"{MAX_EVENT_VALUES:,}"
        out.append(Said("readers.tb.values_cap", file=file, count=count, limit=limit))
    if kept.not_numbers:
        tag, step = kept.first_not_number
        out.append(Said("readers.tb.not_numbers", file=file, count=kept.not_numbers, tag=printable(tag), step=step))
    return out


def keep(values: dict[str, dict[int, float]], tag: str, step: int, number: float, kept: Kept) -> None:
    """Keep `number` at `step` of `tag` unless the step is out of range or MAX_EVENT_VALUES are kept already;
    `kept` counts what is not kept."""
    if not 0 <= step < MAX_EPOCH:  # epoch = step + 1 (or + 0) <= MAX_EPOCH: a 2^63 - 1 step is never an epoch
        if not kept.beyond:
            kept.first_beyond = step
        kept.beyond += 1
        return
    series = values.setdefault(tag, {})
    if step not in series:
        if kept.budget[0] >= MAX_EVENT_VALUES:
            kept.dropped += 1
            return
        kept.budget[0] += 1
    series[step] = number


def _add_event(name: str, event: Any, split: _Split) -> None:
    """Keeps the values of the tags kerasdiag knows; ignores every other tag."""
    for value in event.summary.value:
        tag = value.tag
        if name == "train" and tag == MODEL_TAG:
            split.model_json = _text_value(value)
        elif _is_known_tag(name, tag):
            number = scalar_value(value)
            if number is not None:
                keep(split.values, tag, int(event.step), number, split.kept)
            else:
                split.kept.not_numbers += 1
                if split.kept.not_numbers == 1:
                    split.kept.first_not_number = (tag, int(event.step))
        elif tag not in split.seen_ignored and len(split.ignored) < MAX_IGNORED_TAGS:
            split.seen_ignored.add(tag)
            split.ignored.append(tag)


def _is_known_tag(name: str, tag: str) -> bool:
    if tag in METRIC_TAGS[name] or tag in ACCURACY_TAGS:
        return True
    if name != "train":
        return False
    return tag in BATCH_LOSS_TAGS or tag in EXTRA_TAGS or tag.partition("/")[0] in PROBE_KEYS


def _text_value(value: Any) -> str | None:
    if value.WhichOneof("value") != "tensor" or not value.tensor.string_val:
        return None
    return value.tensor.string_val[0].decode("utf-8", errors="replace")


def _build_epochs(train: _Split, validation: _Split) -> list[EpochRecord]:
    """One EpochRecord per step seen in any known tag, in step order."""
    epochs: dict[int, EpochRecord] = {}
    for name, split in (("train", train), ("validation", validation)):
        metrics = _metric_names(name, split.values)
        for tag, series in split.values.items():
            for step, number in series.items():
                epoch = epochs.setdefault(step, EpochRecord(epoch=step + 1))
                _store(epoch, tag, number, metrics)
    return [epochs[step] for step in sorted(epochs)]


def _metric_names(name: str, values: dict[str, dict[int, float]]) -> dict[str, str]:
    """Tag -> metric name for one split's epoch scalars, with the preferred accuracy tag only."""
    names = {tag: metric for tag, metric in METRIC_TAGS[name].items() if tag in values}
    accuracy = next((tag for tag in ACCURACY_TAGS if tag in values), None)
    if accuracy:
        names[accuracy] = ACCURACY_NAMES[name]
    return names


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
        metrics = _metric_names(name, split.values)
        for tag in split.values:
            if tag in metrics:
                record.read_tags[f"{name}/{tag}"] = metrics[tag]
            elif tag in ACCURACY_TAGS:
                record.ignored_tags.append(f"{name}/{tag}")
            else:
                family = tag.partition("/")[0]
                record.read_tags.setdefault(f"{name}/{family}{'/*' if '/' in tag else ''}", "probes")
        record.ignored_tags += [f"{name}/{tag}" for tag in split.ignored]
    if record.model is not None:
        record.read_tags[f"train/{MODEL_TAG}"] = "model"
