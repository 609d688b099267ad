"""train(): flags -> data -> model -> fit with probes -> run directory -> diagnosis.

The run keeps its RunRecord in memory as it trains (the callbacks append each
epoch) and diagnoses that record at the end: the run directory is written for
others to read, never read back here. Keras is imported after the backend is
chosen, inside `train`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.engine import static_checks
from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.errors import ConfigError
from kerasdiag.messages import say, text
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.writer import RunWriter, writable_dir
from kerasdiag.training.backends.select import select_backend
from kerasdiag.training.flags import datasets
from kerasdiag.training.session import RunSession, TrainResult, held_out, named, run_stem, training_failure
from kerasdiag.training.signals import interrupt_on_termination

if TYPE_CHECKING:  # keras is imported only after the backend is chosen
    import keras
    from rich.console import Console


# JAX runs train as one-member chunked programs; `bench/cases_vector.py` turns this off to time the per-epoch path.
CHUNKED_SINGLE_RUNS = True


def train(
    config: RunConfig,
    *,
    splits: datasets.Splits | None = None,
    progress_console: Console | None = None,
    on_static: Callable[[Diagnosis], None] | None = None,
    lang: str = "en",
) -> TrainResult:
    """Train the model `config` describes and write its run directory.

    Args:
        config: The run's flags (validated here).
        splits: Data already loaded for this config (a sweep loads once); loaded here if `None`.
        progress_console: A Rich console to draw the epoch bar on, or `None` for no bar.
        on_static: Called with the static checks' diagnosis before the first epoch.
        lang: Language of what is printed while training (the epoch bar, the fit path note). Defaults to `"en"`.

    Returns:
        The run's TrainResult; status is completed, interrupted or diverged.

    Raises:
        KerasdiagError: Before the run directory exists, for flags, data or a `--logdir` that cannot be used; after
            it exists, for whatever stopped the run (a full disk, a refused `--fit-mode fast`, an error while
            training or saving), once the run is marked failed with the reason and diagnosed (`train_run`).
    """
    result = train_run(config, splits=splits, progress_console=progress_console, on_static=on_static, lang=lang)
    if result.failure is not None:
        raise result.failure
    return result


def train_run(
    config: RunConfig,
    *,
    splits: datasets.Splits | None = None,
    progress_console: Console | None = None,
    on_static: Callable[[Diagnosis], None] | None = None,
    lang: str = "en",
) -> TrainResult:
    """`train`, but a run that fails once its directory exists is returned, not raised: status `failed`, run.json's
    `error` and `result.failure` say why, and its diagnosis is written (sweeps and fixes go on to the next run).

    Raises:
        KerasdiagError: Before the run directory exists (flags, data, `--logdir`), as `train` does.
    """
    config.validate()
    writable_dir(Path(config.logdir))  # before minutes of loading: an unwritable --logdir fails at once
    select_backend(config.backend)
    splits = splits or datasets.load(config)
    import keras  # noqa: F401  (imported before the clock starts: a sweep pays for it once, not in its first run)

    from kerasdiag.training.backends.select import keep_tensorflow_unloaded

    keep_tensorflow_unloaded()
    chunked = _train_chunked(config, splits, progress_console, on_static, lang)
    if chunked is not None:
        return chunked

    started = time.perf_counter()
    record = RunRecord(path="", source="kerasdiag", config=config.to_dict(), data=splits.summary())
    session = RunSession.start(config.logdir, run_stem(config), record)
    session.lang = lang
    run = session.run
    failure = None
    try:
        model = _prepare_model(config, splits, session)
        if on_static is not None:
            on_static(named(static_checks(record), run))
        _fit(model, config, splits, session, progress_console, lang)
        session.save_predictions(model, held_out(splits))
        diagnosis = session.finish()
    except KeyboardInterrupt:  # after fit (predicting, writing the end): the run is kept, marked interrupted
        with contextlib.suppress(Exception):
            session.interrupt()
            session.finish()
        raise
    except Exception as exc:  # the run is marked failed with the reason and diagnosed; the caller hears why
        diagnosis = session.abort(exc)
        failure = training_failure(exc, run.path)
    finally:
        session.close()
    seconds = time.perf_counter() - started
    return TrainResult(run.path, session.status, record, diagnosis, seconds, session.best_epoch, failure)


def _train_chunked(
    config: RunConfig,
    splits: datasets.Splits,
    console: Console | None,
    on_static: Callable[[Diagnosis], None] | None,
    lang: str = "en",
) -> TrainResult | None:
    """JAX runs train as a one-member chunked program (`training.vector.run`); `None` where that does not apply.

    Chunks of epochs run in one compiled call with the probes inside, so a run pays no host round trip per
    epoch. Where it does not apply (`--fit-mode keras`, other backends, layers or losses the compiled path
    lacks, too little device memory) nothing was written and `train()` goes on with its own paths.
    """
    import keras

    if not CHUNKED_SINGLE_RUNS or keras.backend.backend() != "jax" or config.fit_mode == "keras":
        return None
    from kerasdiag.training.vector.run import VectorFallback, train_group

    try:
        return train_group([config], [splits], progress_console=console, on_static=on_static, lang=lang)[0]
    except VectorFallback:
        return None


def _prepare_model(config: RunConfig, splits: datasets.Splits, session: RunSession) -> keras.Model:
    from kerasdiag.training.models import build_model

    model = build_model(config, splits.x_train.shape[1:], splits.num_classes)
    session.describe_model(model)
    return model


def _fit(
    model: keras.Model,
    config: RunConfig,
    splits: datasets.Splits,
    session: RunSession,
    console: Console | None,
    lang: str = "en",
) -> None:
    from kerasdiag.training.callbacks.best_weights import BestWeights
    from kerasdiag.training.callbacks.probe import ProbeCallback
    from kerasdiag.training.callbacks.progress import ProgressCallback
    from kerasdiag.training.callbacks.run_logger import RunLogger

    probe = ProbeCallback(splits.x_train, splits.y_train, freq=config.probe_every)
    session.logger = RunLogger(session.run, session.record, probe)
    session.best = BestWeights()
    callbacks: list[keras.callbacks.Callback] = [probe, session.logger, session.best]
    progress = ProgressCallback(console, text("training.progress", lang)) if console is not None else None
    if progress is not None:
        callbacks.append(progress)
    fit = _choose_fit(model, config, splits, session.run, console, lang)
    session.status = RunStatus.COMPLETED
    try:
        with interrupt_on_termination():
            fit(model, splits, config, callbacks)
    except KeyboardInterrupt:
        session.interrupt()
    finally:
        if progress is not None:
            progress.progress.stop()


def _choose_fit(
    model: keras.Model,
    config: RunConfig,
    splits: datasets.Splits,
    run: RunWriter,
    console: Console | None,
    lang: str = "en",
) -> Callable:
    """The compiled fast path where it applies (`--fit-mode auto|fast`), else `model.fit`; recorded in run.json."""
    from kerasdiag.training.fastfit.loop import fast_fit, fast_fit_supported

    fast, reason = fast_fit_supported(model, config, splits)
    if config.fit_mode == "fast" and not fast:
        raise ConfigError(say("training.fast.required"), reason, flag="--fit-mode")
    run.write_meta(fit={"path": "fast" if fast else "keras", "reason": reason or "compiled whole epochs"})
    if console is not None and not fast and config.fit_mode == "auto" and config.backend == "jax":
        console.print(text("training.keras_fit", lang, reason=reason))
    return fast_fit if fast else keras_fit


def keras_fit(
    model: keras.Model, splits: datasets.Splits, config: RunConfig, callbacks: list[keras.callbacks.Callback]
) -> None:
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
