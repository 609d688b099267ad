"""One run's session (writer, record, callbacks, how it ended), its predictions and its result.

Shared by `run.train` (one run) and `vector_run.train_group` (many runs in one program), so that both
write the same run directory. Keras is imported lazily, after the backend is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.diagnosis.markdown import diagnosis_markdown
from kerasdiag.rundir.record import Predictions, RunRecord, RunStatus
from kerasdiag.rundir.schema import DIAGNOSIS_TAG
from kerasdiag.rundir.writer import RunWriter, now
from kerasdiag.training import datasets

if TYPE_CHECKING:
    import keras

    from kerasdiag.training.callbacks.best_weights import BestWeights
    from kerasdiag.training.callbacks.run_logger import RunLogger


@dataclass
class TrainResult:
    """What one finished (or stopped) training left behind."""

    path: Path
    status: RunStatus
    record: RunRecord
    diagnosis: Diagnosis
    seconds: float
    best_epoch: int | None


def run_stem(config: RunConfig) -> str:
    return config.name or f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{config.short_name()}"


class _Session:
    """One run's writer, record and callbacks, and how it ended."""

    def __init__(self, run: RunWriter, record: RunRecord):
        self.run, self.record = run, record
        self.logger: RunLogger | None = None
        self.best: BestWeights | None = None
        self.status = RunStatus.RUNNING

    @property
    def best_epoch(self) -> int | None:
        return self.best.epoch if self.best is not None else None

    def fail(self, exc: BaseException) -> None:
        self.status = RunStatus.FAILED
        self.record.error = f"{type(exc).__name__}: {exc}"
        self.run.write_meta(status=self.status, error=self.record.error, ended=now())

    def finish(self) -> Diagnosis:
        """Write the final status, diagnose the in-memory record, write the diagnosis everywhere."""
        self.record.status = self.status
        done = self.logger.epochs_done if self.logger is not None else 0
        self.run.write_meta(status=self.status, ended=now(), epochs_completed=done, best_epoch=self.best_epoch)
        diagnosis = _named(diagnose_run(self.record), self.run)
        self.run.write_diagnosis(diagnosis.to_dict())
        if self.logger is not None:
            self.logger.writer().text(DIAGNOSIS_TAG, diagnosis_markdown(diagnosis), step=max(done - 1, 0))
        return diagnosis

    def close(self) -> None:
        if self.logger is not None:
            self.logger.close()


def _save_predictions(model: keras.Model, splits: datasets.Splits, session: _Session) -> None:
    """Held-out probabilities now and, where known, at the best validation-loss epoch."""
    if session.logger is None or session.logger.epochs_done == 0:
        return
    held_out = {"val": (splits.x_val, splits.y_val)}
    if splits.x_test is not None and splits.y_test is not None:
        held_out["test"] = (splits.x_test, splits.y_test)
    arrays: dict[str, Any] = {}
    for name, (x, y) in held_out.items():
        arrays[f"{name}_y"] = y
        arrays[f"{name}_probs"] = probabilities(model, x)
    best = session.best
    if best is not None and best.weights is not None:
        final = model.get_weights()
        model.set_weights(best.weights)
        for name, (x, _) in held_out.items():
            arrays[f"best_{name}_probs"] = probabilities(model, x)
        model.set_weights(final)
    predictions = Predictions(**arrays, best_epoch=session.best_epoch)
    session.record.predictions = predictions
    session.run.write_predictions(**predictions.to_arrays())


def probabilities(model: keras.Model, x: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Softmax outputs by direct calls: `model.predict` would compile a new function for every run of a sweep."""
    import keras

    parts = [keras.ops.convert_to_numpy(model(x[i : i + chunk], training=False)) for i in range(0, len(x), chunk)]
    return np.concatenate(parts).astype(np.float32)


def _named(diagnosis: Diagnosis, run: RunWriter) -> Diagnosis:
    diagnosis.run = run.path.name
    return diagnosis
