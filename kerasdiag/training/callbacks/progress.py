"""ProgressCallback: a Rich epoch bar with the latest loss and accuracy."""

from __future__ import annotations

import keras
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

SHOWN = ("loss", "accuracy", "val_loss", "val_accuracy")


class ProgressCallback(keras.callbacks.Callback):
    """Shows one bar over the epochs; the description carries the last epoch's metrics.

    Args:
        console: Where to draw; nothing is drawn unless it is a terminal.
        title: Text before the bar, e.g. the run name.
        transient: Remove the bar when training ends. Defaults to `False`.
    """

    def __init__(self, console: Console, title: str, transient: bool = False):
        super().__init__()
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[metrics]}"),
            console=console,
            transient=transient,
        )
        self.title = title

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.progress.start()
        self.task = self.progress.add_task(self.title, total=self.params.get("epochs"), metrics="")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        metrics = "  ".join(f"{k} {float(logs[k]):.4f}" for k in SHOWN if k in logs)
        self.progress.update(self.task, advance=1, metrics=metrics)

    def on_train_end(self, logs: dict | None = None) -> None:
        self.progress.stop()
