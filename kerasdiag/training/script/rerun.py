"""Re-run a learner's script with one seed and a change applied inside one of its `fit` calls.

`kerasdiag fix` on a run from `kerasdiag run`: the script runs again with the same argv, in this
process. `keras.utils.set_random_seed(seed)` is called before it runs, and any call the script
makes itself is turned into the same call with `seed` (so a script that seeds itself still gets
a different seed per member). The `fit` call with the run's index gets the change
(`script.change`) and a silent `DiagnoseCallback` writing `<logdir>/<name>`; a `Diagnose` the
script adds itself is left out of that call. Other `fit` calls run unchanged and unrecorded. The
script's printed output goes to `script.log` in the run directory (`<logdir>/<name>.log` when the
chosen `fit` made no run).
"""

from __future__ import annotations

import contextlib
import inspect
import runpy
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.errors import ExitCode
from kerasdiag.messages.said import Said
from kerasdiag.rundir.record import RunStatus
from kerasdiag.training.script.change import changed_fit_arguments, changed_model, copy_weights
from kerasdiag.training.signals import interrupt_on_termination

SCRIPT_LOG = "script.log"  # the script's printed output, in its run directory


@dataclass
class Rerun:
    """One re-run of the script: its run directory (None when the chosen `fit` never finished a run)."""

    path: Path | None
    status: RunStatus
    diagnosis: Diagnosis | None
    exit_code: int
    problem: str = ""


@dataclass
class _State:
    fits: int = 0
    callback: Any = None
    error: str = ""


def rerun_script(
    script: Path, argv: list[str], *, fit_index: int, change: dict[str, Any], seed: int, logdir: Path, name: str
) -> Rerun:
    """Run `script` with `sys.argv = [script, *argv]`, seeded, its `fit` number `fit_index` changed and recorded.

    Raises:
        KeyboardInterrupt: After Ctrl-C or SIGTERM (the recorded run is kept, marked interrupted).
    """
    state = _State()
    logdir.mkdir(parents=True, exist_ok=True)
    exit_code = 0
    log_path = logdir / f"{name}.log"
    with (
        open(log_path, "w", encoding="utf-8") as log,
        _seeded(seed),
        _patched_fit(state, fit_index, change, seed, logdir, name, str(script)),
    ):
        exit_code = _run(script, argv, log, state)
    callback = state.callback
    if callback is None or callback.path is None or callback.session is None:
        problem = state.error or Said("rerun.fit_calls", fits=state.fits, wanted=fit_index + 1)
        return Rerun(None, RunStatus.FAILED, None, exit_code, problem)
    log_path.replace(callback.path / SCRIPT_LOG)
    return Rerun(callback.path, callback.session.status, callback.diagnosis, exit_code, state.error)


def _run(script: Path, argv: list[str], log: Any, state: _State) -> int:
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(script), *argv]
    sys.path.insert(0, str(script.resolve().parent))
    try:
        with interrupt_on_termination(), contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit_:
        code = exit_.code
        return 0 if code is None else code if isinstance(code, int) else ExitCode.ERROR
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - the script's own error: kept as the member's problem
        state.error = state.error or Said("rerun.raised", kind=type(exc).__name__, error=exc)
        return ExitCode.ERROR
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Seed everything Keras seeds; the script's own `keras.utils.set_random_seed(n)` seeds `seed` instead."""
    import keras

    original = keras.utils.set_random_seed
    original(seed)

    def set_random_seed(_ignored: int) -> None:
        original(seed)

    keras.utils.set_random_seed = set_random_seed
    try:
        yield
    finally:
        keras.utils.set_random_seed = original


@contextlib.contextmanager
def _patched_fit(
    state: _State, fit_index: int, change: dict[str, Any], seed: int, logdir: Path, name: str, script: str
) -> Iterator[None]:
    import keras

    from kerasdiag.training.callbacks.diagnose import DiagnoseCallback
    from kerasdiag.training.script.instrument import diagnosed_fit

    original = getattr(keras.Model.fit, "kerasdiag_original", keras.Model.fit)

    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        index, state.fits = state.fits, state.fits + 1
        if index != fit_index:
            return original(self, *args, **kwargs)
        bound = inspect.signature(original).bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = {key: value for key, value in bound.arguments.items() if key != "self"}
        arguments.update(bound.arguments.pop("kwargs", None) or {})
        arguments.pop("kwargs", None)
        callbacks = arguments.get("callbacks")
        if isinstance(callbacks, (list, tuple)):
            arguments["callbacks"] = [cb for cb in callbacks if not isinstance(cb, DiagnoseCallback)]
        try:
            arguments = changed_fit_arguments(arguments, change, seed)
            model = changed_model(self, change)
        except Exception as exc:
            state.error = Said("rerun.change_failed", error=exc)
            raise
        callback = DiagnoseCallback(logdir, name=name, script=script)
        callback.fit_index = index
        state.callback = callback
        history = diagnosed_fit(original, model, (), arguments, callback)
        if model is not self:
            copy_weights(model, self)  # the script's later use of its model sees the trained weights
        return history

    keras.Model.fit = fit
    try:
        yield
    finally:
        keras.Model.fit = original
