"""Sweeps: expand flag values into settings, train each (with repeats) into one sweep directory.

A sweep directory holds one normal run directory per setting and seed, and `sweep.json`
listing them; `sweep.json` is rewritten after every run, so a sweep stopped with Ctrl-C keeps
its finished runs and `--resume` trains only what is missing. Data is loaded once per distinct
set of data-affecting flags. Click-free: the command line turns each setting's argv into a
RunConfig with `train`'s own parser and hands the list here.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kerasdiag.config import RunConfig
from kerasdiag.errors import ConfigError, KerasdiagError, RunDirError
from kerasdiag.limits import MAX_SWEEP_RUNS, safe_run_name
from kerasdiag.messages import say
from kerasdiag.rundir.record import RunStatus
from kerasdiag.rundir.writer import make_unique_dir, write_atomic

SWEEP_JSON = "sweep.json"
SWEEP_SCHEMA = 1
FINISHED = tuple(status.value for status in RunStatus if status.finished)  # a run --resume need not redo
NO_ACTIVATION = "none"


@dataclass(frozen=True)
class Axis:
    """One swept flag and its alternatives, as the user typed them (`--layers`, `("1", "2", "3")`)."""

    flag: str
    values: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass
class Setting:
    """One point of the sweep: the swept values, the train argv that gives them, and its config."""

    values: dict[str, str]
    argv: list[str]
    config: RunConfig | None = None

    @property
    def name(self) -> str:
        return "-".join(f"{k}={v}" for k, v in self.values.items()) or "base"


@dataclass
class SweepRun:
    """One trained run of a sweep, as `sweep.json` lists it."""

    setting: str
    values: dict[str, str]
    seed: int
    path: str  # the run directory's name in the sweep folder ("" when it failed before it had one)
    status: str
    seconds: float | None = None
    error: str | None = None  # why a failed run failed (English, as run.json's `error`)


@dataclass
class Sweep:
    """What `sweep.json` holds: the sweep's spec and its runs so far."""

    path: Path
    argv: list[str]
    settings: list[str]
    repeats: int
    runs: list[SweepRun] = field(default_factory=list)
    interrupted: bool = False
    started: bool = False  # opened by `--resume` on a name that held no sweep yet: a new sweep

    @property
    def failed(self) -> list[SweepRun]:
        """The runs that failed (a setting that raised), in the order they ran."""
        return [run for run in self.runs if run.status == RunStatus.FAILED.value]

    def done(self, setting: str, seed: int) -> SweepRun | None:
        for run in self.runs:
            finished = run.status in FINISHED and (self.path / run.path).is_dir()
            if finished and (run.setting, run.seed) == (setting, seed):
                return run
        return None

    def write(self) -> None:
        payload = {
            "schema": SWEEP_SCHEMA,
            "argv": self.argv,
            "settings": self.settings,
            "repeats": self.repeats,
            "interrupted": self.interrupted,
            "runs": [vars(run) for run in self.runs],
        }
        text = json.dumps(payload, indent=2)
        write_atomic(self.path / SWEEP_JSON, lambda stream: stream.write(text.encode("utf-8")))


def split_values(raw: str, *, integer: bool, list_valued: bool) -> tuple[str, ...]:
    """The alternatives one flag value stands for.

    `a,b,c` is a list and `a..b` an integer range (both ends included); for flags whose own
    value is a list (`--units 256,128`), alternatives are separated by `/` instead.

    Example: `split_values("2..4", integer=True, list_valued=False) == ("2", "3", "4")`.
    """
    parts = [p.strip() for p in raw.split("/" if list_valued else ",") if p.strip()]
    values: list[str] = []
    for part in parts:
        if integer and not list_valued and ".." in part:
            values.extend(_int_range(part))
        else:
            values.append(part)
    if not values:
        raise ConfigError(say("sweep.error.one_value"), f"{raw!r}")
    return tuple(values)


def _int_range(text: str) -> list[str]:
    low, _, high = text.partition("..")
    try:
        start, stop = int(low), int(high)
    except ValueError:
        raise ConfigError(say("sweep.error.range_syntax"), f"{text!r}") from None
    if stop < start:
        raise ConfigError(say("sweep.error.range_order"), f"{text!r}")
    if stop - start + 1 > MAX_SWEEP_RUNS:
        raise ConfigError(say("sweep.error.range_size", limit=f"{MAX_SWEEP_RUNS:,}"), f"{text!r}")
    return [str(n) for n in range(start, stop + 1)]


def expand(axes: Sequence[Axis], fixed: Sequence[str]) -> list[Setting]:
    """The cartesian product of the axes, each as `train` argv (`fixed` flags appended to all).

    `--activation none` becomes `--no-activation`. Only axes with several values name a setting.
    """
    swept = [axis for axis in axes if len(axis.values) > 1]
    count = math.prod(len(axis.values) for axis in axes)
    if count > MAX_SWEEP_RUNS:
        sizes = " x ".join(f"{len(a.values)} {a.flag}" for a in swept)
        raise ConfigError(say("sweep.error.sweep_size", limit=f"{MAX_SWEEP_RUNS:,}"), f"{count:,} ({sizes})")
    settings = []
    for combo in itertools.product(*(axis.values for axis in axes)):
        argv: list[str] = []
        for axis, value in zip(axes, combo):
            if axis.flag == "--activation" and value == NO_ACTIVATION:
                argv.append("--no-activation")
            else:
                argv += [axis.flag, value]
        values = {axis.key: value for axis, value in zip(axes, combo) if axis in swept}
        settings.append(Setting(values=values, argv=argv + list(fixed)))
    return settings


def open_sweep(root: Path, name: str, argv: list[str], settings: list[str], repeats: int, resume: bool) -> Sweep:
    """A new sweep directory `<root>/<name>` (`-2`, `-3`... if taken), or with `resume` the existing one.

    `resume` on a name that holds nothing yet starts the sweep there (`sweep.started`), so the same command
    line starts a sweep and continues it after Ctrl-C.
    """
    if resume and not (root / name).exists():
        sweep = Sweep(make_unique_dir(root, name), argv, settings, repeats, started=True)
    elif resume:
        return _resume(root / name, argv, settings, repeats)
    else:
        sweep = Sweep(make_unique_dir(root, name), argv, settings, repeats)
    sweep.write()
    return sweep


def _resume(path: Path, argv: list[str], settings: list[str], repeats: int) -> Sweep:
    previous = read_sweep(path)
    if previous.settings != settings or previous.repeats != repeats:
        raise ConfigError(
            say("sweep.error.resume_same", path=path, settings=len(previous.settings), repeats=previous.repeats),
            say("sweep.error.resume_given", settings=len(settings), repeats=repeats),
        )
    previous.argv, previous.interrupted = argv, False
    return previous


def read_sweep(path: Path) -> Sweep:
    """Read `<path>/sweep.json`; RunDirError when it is missing or unreadable."""
    file = path / SWEEP_JSON
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        runs = [SweepRun(**run) for run in raw["runs"]]
        return Sweep(path, raw["argv"], raw["settings"], int(raw["repeats"]), runs, bool(raw.get("interrupted")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RunDirError(
            say("sweep.error.readable", file=SWEEP_JSON, path=path), f"{type(exc).__name__}", path=path
        ) from None


def run_sweep(
    sweep: Sweep,
    settings: Sequence[Setting],
    *,
    on_run: Callable[[SweepRun, Any], None] | None = None,
    progress_console: Any = None,
    vectorize: bool = True,
    on_note: Callable[[str], None] | None = None,
    lang: str = "en",
) -> Sweep:
    """Train every setting `sweep.repeats` times (seeds `seed`, `seed+1`, ...) unless already done.

    The seed also decides the validation split, so data is loaded once per seed (and per
    distinct data flags), not once per run. With `vectorize` (the default), runs that differ only in
    seed, `--lr`, `--l1` or `--l2` train together as one compiled program on the JAX backend
    (`experiments.batched.train_many`); `on_note` hears why a group falls back to one run at a time.

    Stops at the first interrupted run or Ctrl-C, with `sweep.interrupted` set; `sweep.json` is
    rewritten after each run. A setting that raises (its data cannot be loaded, its run fails) is recorded in
    `sweep.json` with status `failed` and the reason, and the sweep goes on; `--resume` trains it again.

    Args:
        sweep: The opened sweep directory (see `open_sweep`).
        settings: Settings with their configs filled in.
        on_run: Called with each run and its TrainResult (`None` when skipped as done; the exception when the run
            failed before it had a run directory).
        progress_console: A Rich console for each run's epoch bar, or `None`.
        vectorize: Train runs of one architecture together where possible (`--no-vectorize`: never).
        on_note: Called with a one-line note when runs cannot be vectorised.
        lang: Language of the notes. Defaults to `"en"`.
    """
    from kerasdiag.experiments.batched import train_many
    from kerasdiag.training.signals import interrupt_on_termination

    jobs: list[tuple[Setting, int]] = []
    for setting, seed in _jobs(settings, sweep.repeats):
        if (done := sweep.done(setting.name, seed)) is not None:
            if on_run is not None:
                on_run(done, None)
            continue
        jobs.append((setting, seed))

    def finished(index: int, result: Any) -> None:
        _between_runs()
        setting, seed = jobs[index]
        error = str(result.failure) if result.failure is not None else None
        run = _record(sweep, setting, seed, result.path.name, result.status, result.seconds, error)
        if on_run is not None:
            on_run(run, result)

    def failed(index: int, exc: Exception) -> None:
        setting, seed = jobs[index]
        error = str(exc) if isinstance(exc, KerasdiagError) else f"{type(exc).__name__}: {exc}"
        run = _record(sweep, setting, seed, "", RunStatus.FAILED, 0.0, error)
        if on_run is not None:
            on_run(run, exc)

    configs = [_job_config(sweep, setting, seed) for setting, seed in jobs]
    try:
        with interrupt_on_termination():  # SIGTERM/SIGHUP between runs stop the sweep like Ctrl-C
            train_many(
                configs,
                vectorize=vectorize,
                on_result=finished,
                on_note=on_note,
                progress_console=progress_console,
                lang=lang,
                on_failure=failed,
            )
    except KeyboardInterrupt:
        sweep.interrupted = True
        sweep.write()
    return sweep


def _job_config(sweep: Sweep, setting: Setting, seed: int) -> RunConfig:
    assert setting.config is not None
    name = safe_run_name(f"{setting.name}-seed={seed}")
    return replace(setting.config, seed=seed, logdir=str(sweep.path), name=name)


def _between_runs() -> None:
    """Silence TensorFlow's retracing notice, which many models in one process trigger by design.

    No `keras.backend.clear_session()`: it costs about 0.2 s a run, and kerasdiag names every layer
    itself, so nothing depends on Keras's global name counters; the models are small enough to leave
    to the garbage collector.
    """
    logging.getLogger("tensorflow").setLevel(logging.ERROR)


def _jobs(settings: Sequence[Setting], repeats: int) -> list[tuple[Setting, int]]:
    """Repeat-major: a stopped sweep has whole passes over the settings, and runs sharing data run in a row."""
    return [(s, s.config.seed + r) for r in range(repeats) for s in settings if s.config is not None]


def _record(
    sweep: Sweep, setting: Setting, seed: int, path: str, status: str, seconds: float, error: str | None = None
) -> SweepRun:
    run = SweepRun(setting.name, setting.values, seed, path, str(status), round(seconds, 2), error)
    sweep.runs = [r for r in sweep.runs if (r.setting, r.seed) != (setting.name, seed)] + [run]
    sweep.write()
    return run
