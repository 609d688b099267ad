"""Instrument a learner's `model.fit` calls: one wrapped call (`kd.fit`) or a whole script (`kerasdiag run`).

Each instrumented `fit` gets a fresh diagnosing callback (a `DiagnoseCallback`)
holding `fit`'s own arguments, so the data summary comes from the arrays the
script trains on. When `fit` raises (Ctrl-C, SIGTERM, an error in the script's
code or model), the run keeps every finished epoch, is marked interrupted or
failed, and is diagnosed before the exception goes on.
"""

from __future__ import annotations

import contextlib
import inspect
import runpy
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.errors import ExitCode, KerasdiagError
from kerasdiag.messages import text
from kerasdiag.rundir.record import RunStatus
from kerasdiag.training.callbacks.diagnose import DiagnoseCallback
from kerasdiag.training.signals import interrupt_on_termination

MakeCallback = Callable[[], DiagnoseCallback]


def diagnosed_fit(fit: Callable, model: Any, args: tuple, kwargs: dict[str, Any], callback: DiagnoseCallback) -> Any:
    """Call `fit(model, *args, **kwargs)` with `callback` added and fed `fit`'s arguments."""
    bound = inspect.signature(fit).bind(model, *args, **kwargs)
    bound.apply_defaults()
    callbacks = bound.arguments.get("callbacks")
    if callbacks is not None and not isinstance(callbacks, (list, tuple)):
        return fit(model, *args, **kwargs)  # a CallbackList built by the caller: leave it alone
    if any(isinstance(existing, DiagnoseCallback) for existing in callbacks or ()):
        return fit(model, *args, **kwargs)  # the script diagnoses this fit itself
    callback.supply_fit_arguments(bound.arguments)
    bound.arguments["callbacks"] = [*(callbacks or ()), callback]
    try:
        return fit(*bound.args, **bound.kwargs)
    except KeyboardInterrupt:
        callback.end(RunStatus.INTERRUPTED)
        raise
    except Exception as exc:
        callback.end(RunStatus.FAILED, exc)
        raise


@dataclass
class ScriptResult:
    """What running a script left: its exit code and the callbacks of its instrumented fits."""

    exit_code: int = 0
    callbacks: list[DiagnoseCallback] = field(default_factory=list)

    @property
    def runs(self) -> list[Path]:
        return [cb.path for cb in self.callbacks if cb.path is not None]


@contextlib.contextmanager
def patched_fit(make_callback: MakeCallback, made: list[DiagnoseCallback]) -> Iterator[None]:
    """Within the block, every `keras.Model.fit` call gets a new callback from `make_callback`."""
    import keras

    original = keras.Model.fit

    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        callback = make_callback()
        callback.fit_index = len(made)
        made.append(callback)
        return diagnosed_fit(original, self, args, kwargs, callback)

    fit.kerasdiag_original = original  # type: ignore[attr-defined]
    keras.Model.fit = fit
    try:
        yield
    finally:
        keras.Model.fit = original


def run_script(path: Path, argv: list[str], make_callback: MakeCallback, lang: str = "en") -> ScriptResult:
    """Run `path` as `__main__` with `sys.argv = [path, *argv]`, every `fit` diagnosed (notes in `lang`).

    Returns:
        The script's exit code (its `SystemExit`, 1 after an uncaught exception, 130 after
        Ctrl-C or SIGTERM) and one callback per `fit` call.
    """
    result = ScriptResult()
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(path), *argv]
    sys.path.insert(0, str(path.resolve().parent))
    try:
        with interrupt_on_termination(), patched_fit(make_callback, result.callbacks):
            runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exit_:
        result.exit_code = _exit_code(exit_.code)
    except KeyboardInterrupt:
        print(text("cli.interrupted", lang), file=sys.stderr)
        result.exit_code = ExitCode.INTERRUPTED
    except KerasdiagError as exc:  # kerasdiag's own (a full disk while writing a run): one line, the run kept
        print(exc.get(lang), file=sys.stderr)
        result.exit_code = ExitCode.ERROR
    except Exception:  # noqa: BLE001 - the script's own error: shown as Python would, then exit 1
        traceback.print_exc()
        result.exit_code = ExitCode.ERROR
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return result


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") prints it and exits 1
    return 1
