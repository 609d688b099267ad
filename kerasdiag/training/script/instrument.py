"""Instrument a learner's `model.fit` calls: one wrapped call (`kd.fit`) or a whole script (`kerasdiag run`).

Each instrumented `fit` gets a fresh diagnosing callback (a `DiagnoseCallback`)
holding `fit`'s own arguments, so the data summary comes from the arrays the
script trains on. When `fit` raises (Ctrl-C, SIGTERM, an error in the script's
code or model), the run keeps every finished epoch, is marked interrupted or
failed, and is diagnosed before the exception goes on.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.abc
import importlib.util
import inspect
import os
import runpy
import sys
import traceback
import types
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kerasdiag.errors import ExitCode, KerasdiagError
from kerasdiag.messages import text
from kerasdiag.rundir.record import RunStatus
from kerasdiag.training.signals import interrupt_on_termination

if TYPE_CHECKING:  # keras is imported by the script first, with the backend it chooses
    from kerasdiag.training.callbacks.diagnose import DiagnoseCallback

MakeCallback = Callable[[], "DiagnoseCallback"]


def diagnosed_fit(fit: Callable, model: Any, args: tuple, kwargs: dict[str, Any], callback: DiagnoseCallback) -> Any:
    """Call `fit(model, *args, **kwargs)` with `callback` added and fed `fit`'s arguments.

    Arguments `fit` would refuse go to `fit` unchanged, so Keras raises its own error as without kerasdiag.
    """
    try:
        bound = inspect.signature(fit).bind(model, *args, **kwargs)
    except TypeError:
        return fit(model, *args, **kwargs)
    bound.apply_defaults()
    from kerasdiag.training.callbacks.diagnose import DiagnoseCallback

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
    """Within the block, every `keras.Model.fit` call gets a new callback from `make_callback`.

    Keras is patched when the script imports it, never imported here: a script that chooses its backend
    (`os.environ["KERAS_BACKEND"] = "jax"` before `import keras`) gets that backend. `compile` calls are
    noted (where in the script) for fixes written as code.
    """
    restore: list[Callable[[], None]] = []

    def patch(keras: Any) -> None:
        model_class = keras.Model
        original_fit, original_compile = model_class.fit, model_class.compile

        def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                callback = make_callback()
            except Exception:  # noqa: BLE001 - kerasdiag cannot diagnose this fit; the fit runs as written
                return original_fit(self, *args, **kwargs)
            callback.fit_index = len(made)
            callback.fit_at = caller_location()
            callback.compile_at = COMPILED_AT.get(self)
            made.append(callback)
            return diagnosed_fit(original_fit, self, args, kwargs, callback)

        def compile(self: Any, *args: Any, **kwargs: Any) -> Any:
            with contextlib.suppress(Exception):
                COMPILED_AT[self] = caller_location()
            return original_compile(self, *args, **kwargs)

        fit.kerasdiag_original = original_fit  # type: ignore[attr-defined]
        model_class.fit, model_class.compile = fit, compile

        def undo() -> None:
            model_class.fit, model_class.compile = original_fit, original_compile

        restore.append(undo)

    try:
        with when_imported("keras", patch):
            yield
    finally:
        for undo in restore:
            undo()


COMPILED_AT: weakref.WeakKeyDictionary[Any, str | None] = weakref.WeakKeyDictionary()
PACKAGE_DIR = str(Path(__file__).resolve().parents[1]) + os.sep  # kerasdiag/training/: the wrappers' frames


def caller_location() -> str | None:
    """`file:line` of the learner's code that called into kerasdiag's wrapper (the first frame outside it)."""
    frame = inspect.currentframe()
    try:
        while frame is not None:
            name = frame.f_code.co_filename
            if not name.startswith(PACKAGE_DIR) and not name.startswith("<frozen"):
                return f"{name}:{frame.f_lineno}"
            frame = frame.f_back
        return None
    finally:
        del frame


@contextlib.contextmanager
def when_imported(name: str, action: Callable[[Any], None]) -> Iterator[None]:
    """Call `action(module)` once the top-level module `name` is imported (now, if it already is)."""
    if name in sys.modules:
        action(sys.modules[name])
        yield
        return
    finder = _OnImport(name, action)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(finder)


class _OnImport(importlib.abc.MetaPathFinder):
    """A meta-path finder that lets the normal finders find `name`, then runs `action` after the module ran."""

    def __init__(self, name: str, action: Callable[[Any], None]):
        self.name, self.action, self.busy = name, action, False

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
            return None
        spec.loader = _ThenAct(spec.loader, self)
        return spec


class _ThenAct(importlib.abc.Loader):
    def __init__(self, loader: Any, finder: _OnImport):
        self.loader, self.finder = loader, finder

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self.finder)
        self.finder.action(module)


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
        code = keras3_code(path, lang)
        with interrupt_on_termination(), patched_fit(make_callback, result.callbacks):
            if code is None:
                runpy.run_path(str(path), run_name="__main__")
            else:
                run_as_main(code, path)
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


def keras3_code(path: Path, lang: str) -> Any:
    """The script compiled from its Keras 3 translation (`script.upgrade`), or `None` when it needs none.

    Each translated line, and each Keras 2 idiom left as it is, is named on stderr, one line each. The file
    itself is never changed; every line keeps its number, so tracebacks point into the learner's file.
    """
    from kerasdiag.training.script.upgrade import upgrade_source

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # runpy reports it as Python would
    upgrade = upgrade_source(source)
    if upgrade.code != upgrade.source:
        print(text("upgrade.in_memory", lang, script=path), file=sys.stderr)
    for change in [*upgrade.changes, *upgrade.unsupported]:
        print(change.message.get(lang), file=sys.stderr)
    if upgrade.code == upgrade.source:
        return None
    return compile(upgrade.code.removeprefix("\ufeff"), str(path), "exec")


def run_as_main(code: Any, path: Path) -> None:
    """Run compiled `code` as the `__main__` module of file `path` (as `runpy.run_path` runs a file)."""
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=str(path), __builtins__=builtins, __loader__=None, __spec__=None)
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") prints it and exits 1
    return 1
