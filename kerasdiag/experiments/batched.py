"""Train many configs: those that can share one compiled program together (JAX), the rest one by one.

`sweep` (settings x seeds) and `fix` (a change x seeds beside the unchanged config) both call
`train_many`. Configs with the same `training.vector.run.group_key` (they differ only in seed,
`--lr`, `--l1`, `--l2`) train as one vectorised program; each still gets its own run directory.
When a group cannot (another backend, `--fit-mode keras`, unsupported layers, too little device
memory), a one-line note says why and its runs train sequentially.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from kerasdiag.config import RunConfig
from kerasdiag.messages import text
from kerasdiag.rundir.record import RunStatus

# RunConfig fields that change the arrays data.load returns: runs that agree on these share one load.
DATA_FIELDS = (
    "dataset",
    "data_dir",
    "train_size",
    "classes",
    "validation_split",
    "shuffle",
    "normalize",
    "seed",
    "model",
)


def data_key(config: RunConfig) -> tuple[str, ...]:
    return tuple(json.dumps(getattr(config, f)) for f in DATA_FIELDS)


def train_many(
    configs: Sequence[RunConfig],
    *,
    vectorize: bool = True,
    on_result: Callable[[int, Any], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    progress_console: Any = None,
    data_cache: dict[tuple, Any] | None = None,
    lang: str = "en",
    on_failure: Callable[[int, Exception], None] | None = None,
) -> None:
    """Train every config; call `on_result(index, TrainResult)` as each finishes.

    Vectorised groups train first, then the other runs one at a time in the order given.
    Data are loaded once per group (and kept for the next run alone while it shares them); with
    `data_cache` (a dict, `fix` passes one) every distinct data config is loaded once for the whole call.
    `on_note` hears each note in `lang`.

    A run that fails once its run directory exists is a result like any other: status `failed`, its run.json and
    diagnosis say why, and `result.failure` holds the one-line error. A config that fails before it has a run
    directory (its data cannot be loaded, its folder cannot be made) goes to `on_failure(index, error)` and the
    next config trains; without `on_failure` that error is raised.
    Raises KeyboardInterrupt after reporting the runs a Ctrl-C stopped (their finished epochs are kept).
    """
    from kerasdiag.training.vector.run import group_key

    groups: dict[str, list[int]] = {}
    for i, config in enumerate(configs):
        groups.setdefault(group_key(config) if vectorize else str(i), []).append(i)
    notes: set[str] = set()
    one_by_one: list[int] = []
    for indices in groups.values():
        members = [configs[i] for i in indices]
        try:
            results = _train_group(members, notes, on_note, data_cache, lang) if len(members) > 1 else None
        except Exception as exc:  # no member could get its run directory (those made are marked failed)
            if on_failure is None:
                raise
            for i in indices:
                on_failure(i, exc)
            continue
        if results is None:
            one_by_one += indices
            continue
        for i, result in zip(indices, results):
            if on_result is not None:
                on_result(i, result)
        if any(r.status == RunStatus.INTERRUPTED for r in results):
            raise KeyboardInterrupt
    # in the caller's order
    _train_each(sorted(one_by_one), configs, on_result, progress_console, data_cache, on_failure)


def _train_group(
    configs: list[RunConfig],
    notes: set[str],
    on_note: Callable[[str], None] | None,
    shared: dict | None = None,
    lang: str = "en",
) -> Any:
    from kerasdiag.training.vector.run import VectorFallback, train_group

    loaded: dict[tuple, Any] = {} if shared is None else shared
    try:
        splits = [_load(config, loaded) for config in configs]
    except Exception:  # noqa: BLE001 - one at a time, each config's load failure is its own
        return None
    try:
        return train_group(configs, splits)
    except VectorFallback as exc:
        note = text("exp.batched.not_vectorised", lang, reason=exc)
        if on_note is not None and note not in notes:
            on_note(note)
        notes.add(note)
        return None


def _train_each(
    indices: list[int],
    configs: Sequence[RunConfig],
    on_result: Any,
    progress_console: Any,
    shared: dict | None = None,
    on_failure: Callable[[int, Exception], None] | None = None,
) -> None:
    from kerasdiag.training.flags import run as training

    cache: dict[tuple, Any] = {} if shared is None else shared
    for i in indices:
        key = data_key(configs[i])
        if key not in cache and shared is None:
            cache = {}  # keep one data set in memory
        try:
            splits = _load(configs[i], cache)
            result = training.train_run(configs[i], splits=splits, progress_console=progress_console)
        except Exception as exc:  # before the run had a directory: its data, its folder
            if on_failure is None:
                raise
            on_failure(i, exc)
            continue
        if on_result is not None:
            on_result(i, result)
        if result.status == RunStatus.INTERRUPTED:
            raise KeyboardInterrupt


def _load(config: RunConfig, cache: dict[tuple, Any]) -> Any:
    from kerasdiag.training.flags import datasets

    key = data_key(config)
    if key not in cache:
        cache[key] = datasets.load(config)
    return cache[key]
