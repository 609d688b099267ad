"""What is kept of the scalar values read from event files: steps in range, at most MAX_EVENT_VALUES per folder,
and the problems of what was not kept. Shared by `reader` (Keras log folders) and `scalars` (any writer's)."""

from __future__ import annotations

from dataclasses import dataclass

from kerasdiag.limits import MAX_EVENT_VALUES
from kerasdiag.messages.said import Said
from kerasdiag.rundir.files import printable
from kerasdiag.rundir.values import MAX_EPOCH

MAX_IGNORED_TAGS = 1_000  # tags listed as not read, per split (a file of a million tags lists the first ones)


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
