"""RunRecord: everything known about one run, read from disk, as plain data.

Rules see only this. It is filled by `rundir.reader.read_run` (a kerasdiag run
directory), by `rundir.tensorboard.read.reader.read_keras_logs` (anyone's Keras
TensorBoard logs), or in memory while kerasdiag trains; fields that a source
cannot supply stay `None` and the rules that need them say so. The parts that
run.json stores round-trip through `to_dict` / `from_dict`.
Epochs are numbered from 1 everywhere a person reads them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kerasdiag.rundir.anatomy import Anatomy
from kerasdiag.rundir.epochs import EpochTable
from kerasdiag.rundir.model_summary import ModelSummary
from kerasdiag.rundir.summaries import DataSummary, Predictions


class RunStatus(str, enum.Enum):
    """run.json `status`: where a run stands. A str, so it is written to JSON as its value."""

    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"  # Ctrl-C, SIGTERM or SIGHUP; every finished epoch is kept
    DIVERGED = "diverged"  # a NaN or infinite loss stopped training
    FAILED = "failed"  # an exception stopped training; `error` says which

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def parse(cls, value: object) -> RunStatus | None:
        """The status a run.json holds, or None when it holds none or an unknown one."""
        try:
            return cls(value)
        except ValueError:
            return None

    @property
    def finished(self) -> bool:
        """Training ran to its end (a diverged run ends early, but on purpose)."""
        return self in (RunStatus.COMPLETED, RunStatus.DIVERGED)


@dataclass
class RunRecord:
    path: str
    source: str  # kerasdiag | keras-logs | tensorboard-scalars | csv-logger | history-json
    epochs: EpochTable = field(default_factory=EpochTable)  # a list of EpochRecords is accepted too
    status: RunStatus | None = None
    error: str | None = None
    config: dict[str, Any] | None = None
    data: DataSummary | None = None
    model: ModelSummary | None = None
    predictions: Predictions | None = None
    anatomy: Anatomy | None = None  # what the run is (task, loss, output, layer graph), where known
    problems: list[str] = field(default_factory=list)
    probes_off: str | None = None  # why kerasdiag took no per-layer probes of a learner's model (a Said)
    # Foreign logs: each tag, column or key read -> what it became (`Loss/val` -> `val_loss`), and those ignored.
    read_tags: dict[str, str] = field(default_factory=dict)
    ignored_tags: list[str] = field(default_factory=list)
    # Plain Keras logs: the runs before this one that a script wrote into the same folder (oldest first).
    earlier_runs: list[RunRecord] = field(default_factory=list)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "epochs" and not isinstance(value, EpochTable):
            value = EpochTable(value)  # a list of EpochRecords, as before the table
        object.__setattr__(self, name, value)

    def series(self, name: str) -> np.ndarray:
        """A metric across epochs as floats, NaN where an epoch lacks it."""
        return self.epochs.array(self.epochs.metrics.get(name))

    def has(self, name: str) -> bool:
        return bool(self.epochs.logged(self.epochs.metrics.get(name)).any())

    def probe_layers(self) -> list[str]:
        """Layer names that have probes, in model order (input side first)."""
        return list(self.epochs.probes)

    def probe_series(self, layer: str, key: str) -> np.ndarray:
        return self.epochs.array(self.epochs.probes.get(layer, {}).get(key))

    def extra_series(self, key: str) -> np.ndarray:
        return self.epochs.array(self.epochs.extra.get(key))

    def batch_loss_series(self, key: str) -> np.ndarray:
        """A batch-loss statistic (`mean`, `std`, `min`, `max`) across epochs, NaN where not logged."""
        return self.epochs.array(self.epochs.batch_loss.get(key))

    @property
    def epoch_numbers(self) -> np.ndarray:
        return self.epochs.epoch_numbers()
