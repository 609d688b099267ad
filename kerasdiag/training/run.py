"""train(): flags -> data -> model -> fit with probes -> run directory -> diagnosis.

The only module, with sweep, that drives Keras training. Keras is imported
after the backend is chosen, inside `train`.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag import __version__
from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.errors import ConfigError
from kerasdiag.rundir.reader import read_run
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.writer import RunWriter, now
from kerasdiag.training import datasets as data
from kerasdiag.training.backends.select import device_name, select_backend


@dataclass
class TrainResult:
    """What one finished (or stopped) training left behind."""

    path: Path
    status: str
    record: RunRecord
    diagnosis: Diagnosis
    seconds: float
    best_epoch: int | None


def run_stem(config: RunConfig) -> str:
    return config.name or f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{config.short_name()}"


def train(
    config: RunConfig,
    *,
    splits: data.Splits | None = None,
    progress_console: Any = None,
    on_static: Callable[[Diagnosis], None] | None = None,
) -> TrainResult:
    """Train the model `config` describes and write its run directory.

    Args:
        config: The run's flags (validated here).
        splits: Data already loaded for this config (a sweep loads once); loaded here if `None`.
        progress_console: A Rich console to draw the epoch bar on, or `None` for no bar.
        on_static: Called with the static checks' diagnosis before the first epoch.

    Returns:
        The run's TrainResult; status is `completed`, `interrupted`, `diverged` or `failed`.
    """
    config.validate()
    select_backend(config.backend)
    splits = splits or data.load(config)
    import keras  # noqa: F401  (imported before the clock starts: a sweep pays for it once, not in its first run)

    started = time.perf_counter()
    run = RunWriter.create(config.logdir, run_stem(config))
    run.write_meta(status="running", started=now(), config=config.to_dict(), data=splits.summary())
    try:
        model = _prepare_model(config, splits, run)
        if on_static is not None:
            on_static(_static_diagnosis(run.path))
        status, logger = _fit(model, config, splits, run, progress_console)
    except Exception as exc:
        run.write_meta(status="failed", error=f"{type(exc).__name__}: {exc}", ended=now())
        raise
    _save_predictions(run, model, splits, logger)
    run.write_meta(status=status, ended=now(), epochs_completed=logger.epochs_done, best_epoch=logger.best_epoch)
    record = read_run(run.path)
    diagnosis = _final_diagnosis(record, run, logger)
    return TrainResult(run.path, status, record, diagnosis, time.perf_counter() - started, logger.best_epoch)


def _prepare_model(config: RunConfig, splits: data.Splits, run: RunWriter) -> Any:
    import keras

    from kerasdiag.training.models import build_model, describe_model

    model = build_model(config, splits.x_train.shape[1:], splits.num_classes)
    run.write_meta(
        model=describe_model(model),
        versions={
            "kerasdiag": __version__,
            "keras": keras.__version__,
            "backend": keras.backend.backend(),
            "python": platform.python_version(),
        },
        device=device_name(),
    )
    return model


def _fit(model: Any, config: RunConfig, splits: data.Splits, run: RunWriter, console: Any) -> tuple[str, Any]:
    from kerasdiag.training.callbacks.probe import ProbeCallback
    from kerasdiag.training.callbacks.progress import ProgressCallback
    from kerasdiag.training.callbacks.run_logger import RunLogger

    probe = ProbeCallback(splits.x_train, splits.y_train, freq=config.probe_every)
    logger = RunLogger(run, probe)
    progress = ProgressCallback(console, "epochs") if console is not None else None
    callbacks = [probe, logger] + ([progress] if progress is not None else [])
    fit = _choose_fit(model, config, splits, run, console)
    status = "completed"
    try:
        fit(model, splits, config, callbacks)
    except KeyboardInterrupt:
        status = "interrupted"
        run.write_meta(status=status, ended=now())
    finally:
        logger.close()
        if progress is not None:
            progress.progress.stop()
    return ("diverged" if logger.diverged else status), logger


def _choose_fit(model: Any, config: RunConfig, splits: data.Splits, run: RunWriter, console: Any) -> Callable:
    """The compiled fast path where it applies (`--fit-mode auto|fast`), else `model.fit`; recorded in run.json."""
    from kerasdiag.training.fastfit.loop import fast_fit, fast_fit_supported

    fast, reason = fast_fit_supported(model, config, splits)
    if config.fit_mode == "fast" and not fast:
        raise ConfigError(f"Expected a model and data the fast path supports with --fit-mode fast. Received: {reason}")
    run.write_meta(fit={"path": "fast" if fast else "keras", "reason": reason or "compiled whole epochs"})
    if console is not None and not fast and config.fit_mode == "auto" and config.backend == "jax":
        console.print(f"[dim]Training with model.fit: {reason}[/dim]")
    return fast_fit if fast else keras_fit


def keras_fit(model: Any, splits: data.Splits, config: RunConfig, callbacks: list[Any]) -> None:
    """Plain `model.fit` on the run's splits: the path used where the fast path does not apply."""
    model.fit(
        splits.x_train,
        splits.y_train,
        validation_data=(splits.x_val, splits.y_val),
        epochs=config.epochs,
        batch_size=config.batch_size,
        shuffle=True,
        verbose=0,
        callbacks=callbacks,
    )


def _save_predictions(run: RunWriter, model: Any, splits: data.Splits, logger: Any) -> None:
    """Held-out probabilities now and, where known, at the best validation-loss epoch."""
    if logger.epochs_done == 0:
        return
    held_out = {"val": (splits.x_val, splits.y_val)}
    if splits.x_test is not None and splits.y_test is not None:
        held_out["test"] = (splits.x_test, splits.y_test)
    arrays: dict[str, np.ndarray] = {}
    for name, (x, y) in held_out.items():
        arrays[f"{name}_y"] = y
        arrays[f"{name}_probs"] = _probabilities(model, x)
    if logger.best_weights is not None:
        final = model.get_weights()
        model.set_weights(logger.best_weights)
        for name, (x, _) in held_out.items():
            arrays[f"best_{name}_probs"] = _probabilities(model, x)
        model.set_weights(final)
        arrays["best_epoch"] = np.array(logger.best_epoch)
    run.write_predictions(**arrays)


def _probabilities(model: Any, x: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Softmax outputs by direct calls: `model.predict` would compile a new function for every run of a sweep."""
    import keras

    parts = [keras.ops.convert_to_numpy(model(x[i : i + chunk], training=False)) for i in range(0, len(x), chunk)]
    return np.concatenate(parts).astype(np.float32)


def _static_diagnosis(path: Path) -> Diagnosis:
    from kerasdiag.diagnosis.engine import static_checks

    diagnosis = static_checks(read_run(path))
    diagnosis.run = path.name
    return diagnosis


def _final_diagnosis(record: RunRecord, run: RunWriter, logger: Any) -> Diagnosis:
    from kerasdiag.diagnosis.engine import diagnose_run
    from kerasdiag.render.markdown import diagnosis_markdown

    diagnosis = diagnose_run(record)
    diagnosis.run = run.path.name
    run.write_diagnosis(diagnosis.to_dict())
    logger.train_writer.text("diagnosis", diagnosis_markdown(diagnosis), step=max(logger.epochs_done - 1, 0))
    logger.close()
    return diagnosis
