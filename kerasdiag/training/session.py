"""RunSession: one run's directory, in-memory record and callbacks, shared by `train` and `kerasdiag.keras`.

`kerasdiag train` (flags -> model) and a learner's own script (`Diagnose`,
`kerasdiag run`) write the same run directory the same way: run.json's
status, model and versions; history through `RunLogger`; held-out
predictions at the end and at the best epoch; the diagnosis of the record
held in memory, in diagnosis.json and as TensorBoard text.
"""

from __future__ import annotations

import contextlib
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kerasdiag import __version__
from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.diagnosis.markdown import diagnosis_markdown
from kerasdiag.errors import KerasdiagError, RunDirError
from kerasdiag.messages import say
from kerasdiag.rundir.anatomy import Task
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.schema import DIAGNOSIS_TAG
from kerasdiag.rundir.summaries import Predictions
from kerasdiag.rundir.writer import RunWriter, cannot_write, now

if TYPE_CHECKING:  # keras is imported only after the backend is chosen
    import keras

    from kerasdiag.training.callbacks.best_weights import BestWeights
    from kerasdiag.training.callbacks.run_logger import RunLogger
    from kerasdiag.training.flags.datasets import Splits

HeldOut = dict[str, tuple[np.ndarray, np.ndarray]]  # split name ("val", "test") -> (x, integer labels)


@dataclass
class TrainResult:
    """What one finished (or stopped) training left behind."""

    path: Path
    status: RunStatus
    record: RunRecord
    diagnosis: Diagnosis
    seconds: float
    best_epoch: int | None
    failure: KerasdiagError | None = None  # why a failed run failed: the one line a command prints


def run_stem(config: RunConfig) -> str:
    """The run directory's name: `--name`, or a timestamp and the config's short name."""
    return config.name or f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{config.short_name()}"


def held_out(splits: Splits) -> HeldOut:
    """The held-out splits whose predictions a run keeps: validation, and test where the data set has one."""
    found = {"val": (splits.x_val, splits.y_val)}
    if splits.x_test is not None and splits.y_test is not None:
        found["test"] = (splits.x_test, splits.y_test)
    return found


class RunSession:
    """One run's writer, record and callbacks, and how it ended.

    Args:
        run: The run directory being written.
        record: The RunRecord the callbacks append to and the diagnosis reads.
    """

    def __init__(self, run: RunWriter, record: RunRecord):
        self.run, self.record = run, record
        self.logger: RunLogger | None = None
        self.best: BestWeights | None = None
        self.status = RunStatus.RUNNING
        self.internal_errors: list[dict[str, str]] = []
        self.lang = "en"  # the language of the diagnosis text in TensorBoard's Text tab (diagnosis.json: English)

    @classmethod
    def start(cls, logdir: str | Path, stem: str, record: RunRecord) -> RunSession:
        """Create `<logdir>/<stem>` (never reused), hold back disk space, and write run.json's first version.

        Raises:
            RunDirError: When the folder or its run.json cannot be written (the empty folder is removed again).
        """
        run = RunWriter.create(logdir, stem)
        record.path = str(run.path)
        record.status = RunStatus.RUNNING
        data = record.data.to_dict() if record.data is not None else None
        run.reserve()
        try:
            run.write_meta(status=record.status, started=now(), config=record.config, data=data)
        except BaseException:
            run.release_reserve()
            with contextlib.suppress(OSError):
                run.path.rmdir()  # nothing of the run was written: no folder claims to hold one
            raise
        return cls(run, record)

    @property
    def best_epoch(self) -> int | None:
        return self.best.epoch if self.best is not None else None

    @property
    def epochs_done(self) -> int:
        return self.logger.epochs_done if self.logger is not None else 0

    def describe_model(self, model: keras.Model, y: Any = None, source: str = "model") -> None:
        """The model summary, the run's anatomy (`y`: the targets `fit` got), versions and device, into the
        record and run.json."""
        import keras

        from kerasdiag.training.anatomy import anatomy_of
        from kerasdiag.training.backends.select import device_name
        from kerasdiag.training.models import describe_model

        self.record.model = describe_model(model)
        self.record.anatomy = anatomy_of(model, y, source)
        versions = {"kerasdiag": __version__, "keras": keras.__version__, "backend": keras.backend.backend()}
        versions["python"] = platform.python_version()
        model_meta = {"model": self.record.model.to_dict(), "anatomy": self.record.anatomy.to_dict()}
        self.run.write_meta(**model_meta, versions=versions, device=device_name())

    def record_internal_error(self, part: str, error: str) -> None:
        """Note that a part of kerasdiag failed and was switched off (run.json `kerasdiag_errors`; never a
        problem of the run's files: the learner's run is not damaged by kerasdiag's own failure)."""
        self.internal_errors.append({"part": part, "error": error})
        with contextlib.suppress(KerasdiagError, OSError):
            self.run.write_meta(kerasdiag_errors=self.internal_errors)

    def fail(self, exc: BaseException) -> None:
        """Mark the run failed with the reason (in the record; in run.json where it can still be written)."""
        self.status = self.record.status = RunStatus.FAILED
        self.record.error = failure_reason(exc, self.run.path)
        with contextlib.suppress(KerasdiagError, OSError):
            self.run.write_meta(status=self.status, error=self.record.error, ended=now())

    def interrupt(self) -> None:
        self.status = RunStatus.INTERRUPTED
        self.run.write_meta(status=self.status, ended=now())

    def finish(self) -> Diagnosis:
        """Write the final status, diagnose the in-memory record, write the diagnosis everywhere.

        Raises:
            RunDirError: When a file cannot be written (the caller then `abort`s the run).
        """
        if self.logger is not None and self.logger.diverged and self.status != RunStatus.FAILED:
            self.status = RunStatus.DIVERGED
        self.record.status = self.status
        done = self.epochs_done
        self.run.write_meta(status=self.status, ended=now(), epochs_completed=done, best_epoch=self.best_epoch)
        diagnosis = named(diagnose_run(self.record), self.run)
        self.run.write_diagnosis(diagnosis.to_dict())
        if self.logger is not None:
            self.logger.writer().text(DIAGNOSIS_TAG, diagnosis_markdown(diagnosis, self.lang), step=max(done - 1, 0))
            self.logger.close()  # flushed now: a full disk fails here, not unseen in `close`
        self.run.release_reserve()
        return diagnosis

    def abort(self, exc: BaseException) -> Diagnosis:
        """The run failed with `exc`: mark it failed with the reason, diagnose it, write what can be written.

        Never raises: on a full disk the reserved space is given back first, so run.json and diagnosis.json
        still fit; a file that cannot be written all the same is left as it was.
        """
        self.run.release_reserve()
        self.fail(exc)
        done = self.epochs_done
        with contextlib.suppress(KerasdiagError, OSError):
            self.run.write_meta(epochs_completed=done, best_epoch=self.best_epoch)
        diagnosis = named(diagnose_run(self.record), self.run)
        with contextlib.suppress(KerasdiagError, OSError):
            self.run.write_diagnosis(diagnosis.to_dict())
        if self.logger is not None:
            with contextlib.suppress(Exception):
                markdown = diagnosis_markdown(diagnosis, self.lang)
                self.logger.writer().text(DIAGNOSIS_TAG, markdown, step=max(done - 1, 0))
        self.close()
        return diagnosis

    def close(self) -> None:
        """Close the event files (idempotent); an error closing them (a full disk) is the run's last word lost."""
        if self.logger is not None:
            with contextlib.suppress(OSError):
                self.logger.close()
        self.run.release_reserve()

    def save_predictions(
        self,
        model: keras.Model,
        held_out: HeldOut,
        predict: Callable[[np.ndarray], np.ndarray] | None = None,
        task: Task = Task.SOFTMAX,
    ) -> None:
        """Held-out probabilities now and, where known, at the best validation-loss epoch.

        Args:
            model: The trained model.
            held_out: The held-out splits, `{name: (x, integer labels)}`.
            predict: `x -> model(x)` for the model's current weights (a compiled one); defaults to direct calls.
            task: A classifier's task: how its outputs become class probabilities (`probe.to_probabilities`:
                logits through softmax, a binary output as `[1 - p, p]`). Defaults to `Task.SOFTMAX` (as they are).
        """
        if self.epochs_done == 0 or not held_out:
            return
        predict = predict or (lambda x: probabilities(model, x))
        arrays: dict[str, Any] = {}
        for name, (x, y) in held_out.items():
            arrays[f"{name}_y"] = y
            arrays[f"{name}_probs"] = class_probabilities(predict(x), task)
        if self.best is not None and self.best.weights is not None:
            final = model.get_weights()
            model.set_weights(self.best.weights)
            for name, (x, _) in held_out.items():
                arrays[f"best_{name}_probs"] = class_probabilities(predict(x), task)
            model.set_weights(final)
        predictions = Predictions(**arrays, best_epoch=self.best_epoch)
        self.record.predictions = predictions
        self.run.write_predictions(**predictions.to_arrays())


def probabilities(model: keras.Model, x: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """The model's outputs (a softmax's probabilities) by direct calls: `model.predict` would compile a new
    function for every run of a sweep. `class_probabilities` turns other classifiers' outputs into probabilities."""
    import keras

    parts = [keras.ops.convert_to_numpy(model(x[i : i + chunk], training=False)) for i in range(0, len(x), chunk)]
    return np.concatenate(parts).astype(np.float32)


def class_probabilities(outputs: np.ndarray, task: Task) -> np.ndarray:
    """A classifier's outputs as (samples, classes) float32 probabilities (see `probe.to_probabilities`).

    Raises:
        ValueError: For a task that has no class probabilities (a regression, multi-label, unknown).
    """
    from kerasdiag.training.callbacks.probe import to_probabilities

    probs = to_probabilities(outputs, task)
    if probs is None:
        raise ValueError(f"Expected a classifier's task for held-out probabilities. Received: task={task.value}")
    return probs


def failure_reason(exc: BaseException, run: Path) -> str:
    """Why a run failed, in one English line for run.json's `error`: `ValueError: ...`, `cannot write <path>: no
    space left on the device`, or a KerasdiagError's own line."""
    if isinstance(exc, OSError):
        exc = training_failure(exc, run)
    if isinstance(exc, RunDirError) and getattr(exc.received, "id", None) == "rundir.cannot_write":
        return str(exc.received)  # "cannot write <path>: no space left on the device"
    if isinstance(exc, KerasdiagError):
        return str(exc)
    return _type_and_message(exc)


def training_failure(exc: BaseException, run: Path) -> KerasdiagError:
    """The one-line error a command shows for a run that failed with `exc` after its folder `run` existed.

    A KerasdiagError is its own line; a write that failed (a full disk) says "cannot write <path>: <why>";
    anything else names its type and message and the failed run.
    """
    if isinstance(exc, KerasdiagError):
        return exc
    if isinstance(exc, OSError):
        return cannot_write(Path(exc.filename) if isinstance(exc.filename, str) else run, exc)
    error = _type_and_message(exc)
    return RunDirError(say("safety.runs.to_the_end"), say("safety.runs.failed", error=error, path=run), path=run)


def _type_and_message(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:300]}" if message else type(exc).__name__


def named(diagnosis: Diagnosis, run: RunWriter) -> Diagnosis:
    """The diagnosis named by its run directory's name (as `diagnose` names runs)."""
    diagnosis.run = run.path.name
    return diagnosis
