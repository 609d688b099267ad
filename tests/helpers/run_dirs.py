"""Build kerasdiag run directories on disk without training, through the real RunWriter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kerasdiag.rundir.writer import RunWriter

RunDirFactory = Callable[..., Path]


def falling_rows(epochs: int) -> list[dict[str, float]]:
    """A healthy, gently improving curve: loss 1/epoch, accuracy rising from 0.54."""
    return [
        {"epoch": i, "loss": 1.0 / i, "accuracy": 0.5 + 0.04 * i, "val_loss": 1.1 / i, "val_accuracy": 0.5 + 0.04 * i}
        for i in range(1, epochs + 1)
    ]


def make_run_dir(
    root: Path,
    name: str = "run",
    *,
    epochs: int = 5,
    status: str | None = "completed",
    rows: Sequence[dict[str, Any]] | None = None,
    dataset: str = "iris",
    **meta: Any,
) -> Path:
    """Write `root/name` with run.json (`status`, a config of `epochs`, extra `meta` fields) and history.jsonl.

    Args:
        root: Where the run directory goes.
        name: Its name.
        epochs: Planned epochs (config) and, without `rows`, the epochs of the default curve.
        status: run.json's status; `None` leaves it out.
        rows: history.jsonl lines; defaults to `falling_rows(epochs)`.
        dataset: The config's data set.
        **meta: More run.json fields (`error=...`, `data={...}`, `model={...}`).
    """
    run = RunWriter.create(root, name)
    fields: dict[str, Any] = {"config": {"epochs": epochs, "dataset": dataset}, **meta}
    if status is not None:
        fields["status"] = status
    run.write_meta(**fields)
    for row in falling_rows(epochs) if rows is None else rows:
        run.append_epoch(dict(row))
    return run.path
