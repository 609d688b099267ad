"""kerasdiag for your own Keras script: one callback, or one wrapped `fit`.

```python
import kerasdiag.keras as kd

model.fit(x, y, epochs=20, validation_split=0.2, callbacks=[kd.Diagnose(logdir="runs")])
kd.fit(model, x, y, epochs=20, validation_split=0.2)   # the same, and a Ctrl-C still leaves a diagnosed run
```

Each `fit` writes `runs/<time>-<script>-<model>/` exactly as `kerasdiag train` does (run.json,
history.jsonl, predictions.npz, diagnosis.json, TensorBoard train/ and validation/) and prints
the diagnosis at the end. `kerasdiag diagnose`, `compare`, `report` and `board` read it.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Any

from kerasdiag.diagnosis.findings import Diagnosis, Finding, rule_name
from kerasdiag.messages import text
from kerasdiag.messages.language import language_from_locale
from kerasdiag.render.console import print_prose, stderr_console, stdout_console
from kerasdiag.render.terminal import print_diagnosis
from kerasdiag.rundir.record import RunStatus
from kerasdiag.training.callbacks.diagnose import DiagnoseCallback
from kerasdiag.training.callbacks.progress import ProgressCallback
from kerasdiag.training.script.instrument import diagnosed_fit

__all__ = ["Diagnose", "fit"]

LANGS = ("en", "ja")


class Diagnose(DiagnoseCallback):
    """Keras callback: write a kerasdiag run directory for this `fit` and print its diagnosis.

    It measures what `kerasdiag train` measures (per-layer gradient norms, update
    ratios, dead and saturated units on a fixed probe batch, the spread of batch
    losses) without slowing `fit` down: no per-batch host synchronisation. The
    data summary (class counts of training vs validation, input range) comes from
    the arrays given to `fit`; with `validation_split` it knows Keras takes the
    LAST rows, so a class-ordered file shows up as `validation-mismatch`.

    Args:
        logdir: Folder of runs. Defaults to `"runs"`.
        log_dir: Keras's spelling of `logdir` (as `keras.callbacks.TensorBoard` names it). Defaults to `None`.
        name: The run directory's name instead of `<time>-<script>-<model>`. Defaults to `None`.
        x: Training inputs, needed only when `fit` gets a dataset or generator. Defaults to `None`.
        y: Their labels, integer or one-hot. Defaults to `None`.
        validation_data: `(x_val, y_val)` to go with `x` and `y`. Defaults to `None`.
        validation_split: The fraction `fit` holds out, to go with `x` and `y`. Defaults to `0.0`.
        probe_every: Probe every N epochs. Defaults to `1`.
        verbose: `0`: silent; `1`: the full diagnosis, and one line on stderr when a rule fires during
            training (`divergence`, `exploding-gradients`, `dead-relu`; once per rule); `2`: one block per
            finding without explanations, no live lines. Defaults to `1`.
        lang: `"en"` or `"ja"`; `None` takes the locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`: Japanese for
            `ja_JP.UTF-8`, else English). Defaults to `None`.
        progress: A progress line on stderr while a `fit(verbose=0)` trains (`kerasdiag run` sets it).
            Defaults to `False`.

    Example:

    ```python
    import kerasdiag.keras as kd
    model.fit(x, y, epochs=20, validation_split=0.2, callbacks=[kd.Diagnose(logdir="runs")])
    ```
    """

    def __init__(
        self,
        logdir: str | Path = "runs",
        *,
        verbose: int = 1,
        lang: str | None = None,
        progress: bool = False,
        **kwargs: Any,
    ):
        lang = language_from_locale() if lang is None else lang
        if lang not in LANGS:
            raise ValueError(f"Expected lang to be one of {', '.join(LANGS)}. Received: lang={lang!r}")
        if verbose not in (0, 1, 2):
            raise ValueError(f"Expected verbose to be 0, 1 or 2. Received: verbose={verbose!r}")
        super().__init__(logdir, **kwargs)
        self.verbose = verbose
        self.lang = lang
        self.progress = progress
        self.bar: ProgressCallback | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        super().on_train_begin(logs)
        self.bar = None
        if self.progress and self.verbose and (self.params or {}).get("verbose") == 0:
            self.guarded("progress", self._start_bar)

    def _start_bar(self) -> None:
        console = stderr_console()
        if not console.is_terminal:  # a bar nobody sees would still end with an empty line on stderr
            return
        title = self.path.name if self.path is not None else "fit"
        self.bar = ProgressCallback(console, title, transient=True)
        self.bar.set_params(self.params)
        self.bar.on_train_begin()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        super().on_epoch_end(epoch, logs)
        if self.bar is not None:
            self.guarded("progress", self.bar.on_epoch_end, epoch, logs)

    def end(self, status: RunStatus, error: BaseException | None = None) -> None:
        if self.bar is not None:
            bar, self.bar = self.bar, None
            self.guarded("progress", bar.on_train_end)
        super().end(status, error)

    def on_static(self, diagnosis: Diagnosis) -> None:
        if self.verbose and diagnosis.findings:
            console = stdout_console()
            print_prose(console, text("keras.before", self.lang), self.lang)
            print_diagnosis(console, diagnosis, self.lang, verbose=False)

    def on_live_finding(self, epoch: int, finding: Finding) -> None:
        if self.verbose == 1:
            label = f"[severity.{finding.severity.label}]{finding.severity.shown(self.lang)}[/]"
            rule, title = rule_name(finding.rule, self.lang), finding.title.get(self.lang)
            stderr_console().print(text("keras.live", self.lang, epoch=epoch, severity=label, rule=rule, title=title))

    def on_internal_error(self, part: str, error: str, exc: Exception) -> None:
        if os.environ.get("KERASDIAG_DEBUG"):
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        stderr_console().print(text("keras.internal_error", self.lang, part=part, error=error), markup=False)

    def on_diagnosis(self, diagnosis: Diagnosis) -> None:
        if not self.verbose:
            return
        console = stdout_console()
        print_diagnosis(console, diagnosis, self.lang, verbose=self.verbose == 1)
        anatomy = self.session.record.anatomy if self.session is not None else None
        if self.data is None and (anatomy is None or anatomy.task.classifier):  # a regression has no classes to read
            print_prose(console, text("keras.no_data", self.lang, problem=self.data_problem), self.lang)
        print_prose(console, text("keras.run_directory", self.lang, path=self.path, logdir=self.logdir), self.lang)


def fit(
    model: Any,
    x: Any = None,
    y: Any = None,
    *,
    logdir: str | Path = "runs",
    verbose_diagnosis: int = 1,
    lang: str | None = None,
    **fit_kwargs: Any,
) -> Any:
    """`model.fit(x, y, **fit_kwargs)` with a `Diagnose` callback that sees `fit`'s arguments.

    Unlike a bare callback, a Ctrl-C or an exception inside `fit` still leaves a
    diagnosed run directory (marked interrupted or failed) before it propagates.

    Args:
        model: A compiled Keras model.
        x: Training inputs, as `fit` takes them.
        y: Labels, integer or one-hot.
        logdir: Folder of runs. Defaults to `"runs"`.
        verbose_diagnosis: The callback's `verbose` (`fit`'s own `verbose` goes in `fit_kwargs`). Defaults to `1`.
        lang: `"en"` or `"ja"`; `None` takes the locale's (see `Diagnose`). Defaults to `None`.
        **fit_kwargs: Everything else `model.fit` takes (`epochs`, `validation_split`, `callbacks`, ...).

    Returns:
        The `History` that `model.fit` returns.

    Example:

    ```python
    history = kd.fit(model, x, y, epochs=20, batch_size=128, validation_split=0.2)
    ```
    """
    callback = Diagnose(logdir, verbose=verbose_diagnosis, lang=lang)
    original = getattr(type(model).fit, "kerasdiag_original", type(model).fit)
    return diagnosed_fit(original, model, (x, y), fit_kwargs, callback)
