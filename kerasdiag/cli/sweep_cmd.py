"""`kerasdiag sweep`: train every combination of flag values and summarise them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape

from kerasdiag.cli.options import IntList, config_from_flags, lang_option
from kerasdiag.cli.param_types import BoundedInt, OutputDir, RunName
from kerasdiag.cli.train_cmd import train as train_command
from kerasdiag.config import RunConfig
from kerasdiag.errors import ConfigError, ExitCode
from kerasdiag.limits import MAX_SWEEP_RUNS, safe_run_name
from kerasdiag.messages import say, text
from kerasdiag.render.console import print_prose
from kerasdiag.render.safe import printable

# train parameters that sweep owns itself (or that are not flags of a run).
SWEEP_OWN = ("logdir", "name", "quiet", "lang")
METRIC_CHOICES = ("val_accuracy", "best_val_accuracy", "val_loss", "best_val_loss", "gap", "epochs_to_best")


def _config_params() -> list[click.Parameter]:
    """train's run flags; each value-taking one re-declared as text so it can hold several values."""
    fields = set(RunConfig.__dataclass_fields__) | {"no_activation", "no_normalize"}
    params: list[click.Parameter] = []
    for param in train_command.params:
        if not isinstance(param, click.Option) or param.name not in fields or param.name in SWEEP_OWN:
            continue
        if param.is_flag:
            params.append(param)
            continue
        default = f" Default: {param.default}." if isinstance(param.default, (str, int, float)) else ""
        extra = " (none = --no-activation)" if param.name == "activation" else ""
        help_text = f"{param.help}{default}{extra}"
        params.append(click.Option(param.opts, type=str, metavar=_metavar(param.type), help=help_text))
    return params


def _metavar(kind: click.ParamType) -> str:
    """How several values of this type are written: `N,...|A..B`, `N,N/...`, `[a|b],...`."""
    if isinstance(kind, IntList):
        return "N,N/..."
    if isinstance(kind, click.types.IntParamType):
        return "N,...|A..B"
    if isinstance(kind, click.types.FloatParamType):
        return "X,..."
    if isinstance(kind, click.Choice):
        choices = "|".join(map(str, kind.choices))
        return f"[{choices}],..." if len(choices) < 40 else "NAME,..."
    return "TEXT,..."


def train_flags_with_values(func: Any) -> Any:
    """Add train's flags to `func`, each accepting several values."""
    func.__click_params__ = getattr(func, "__click_params__", []) + list(reversed(_config_params()))
    return func


def given_axes(ctx: click.Context) -> tuple[list[Any], list[str]]:
    """The value flags the user typed as sweep axes, and the boolean flags as fixed train argv."""
    from kerasdiag.experiments.sweep.run import Axis, split_values

    axes, fixed = [], []
    for param in ctx.command.params:
        if param.name is None or ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        value = ctx.params[param.name]
        original = next((p for p in train_command.params if p.name == param.name), None)
        if not isinstance(param, click.Option) or original is None or param.name in SWEEP_OWN:
            continue
        if param.is_flag:
            fixed.append(param.opts[0] if value else param.secondary_opts[0])
            continue
        integer = isinstance(original.type, click.types.IntParamType)
        values = split_values(value, integer=integer, list_valued=isinstance(original.type, IntList))
        axes.append(Axis(param.opts[0], values))
    return axes, fixed


def parse_setting(argv: list[str], where: str, lang: str = "en") -> RunConfig:
    """A RunConfig from one setting's argv, with train's own parser and checks."""
    try:
        with train_command.make_context("kerasdiag sweep", list(argv)) as sub:
            flags = {k: v for k, v in sub.params.items() if k not in SWEEP_OWN}
    except click.UsageError as exc:
        raise click.UsageError(text("sweep.setting_error", lang, error=exc.format_message(), setting=where)) from None
    return config_from_flags(flags)


@click.command()
@train_flags_with_values
@click.option(
    "--repeats", type=BoundedInt(1, MAX_SWEEP_RUNS), default=1, help="Train each setting with this many seeds."
)
@click.option("--metric", type=click.Choice(METRIC_CHOICES), default="val_accuracy", help="Metric of the plot.")
@click.option("--logdir", type=OutputDir(), default="runs", help="Folder of sweeps.")
@click.option("--name", type=RunName(), help="Sweep directory name (default: sweep-<swept flags>). Never overwritten.")
@click.option("--resume", is_flag=True, help="Continue the sweep <logdir>/<name>: skip settings already finished.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output form.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars, no line per run.")
@click.option(
    "--vectorize/--no-vectorize",
    default=True,
    help="Train runs that differ only in seed, --lr, --l1, --l2 as one compiled program (JAX backend).",
)
@lang_option("Language of the table, the plot and the conclusion.")
@click.pass_context
def sweep(
    ctx: click.Context,
    repeats: int,
    metric: str,
    logdir: Path,
    name: str | None,
    resume: bool,
    fmt: str,
    quiet: bool,
    vectorize: bool,
    lang: str,
    **_: Any,
) -> None:
    """Train one setting per combination of flag values; print a table and plot the metric.

    Every train flag takes several values: a list (--l2 0,1e-4,1e-3), an integer range
    (--layers 2..10), or for list-valued flags alternatives separated by / (--units 64/128,64).
    --activation none means --no-activation. Each run is a normal run directory under
    <logdir>/<name>/, listed in sweep.json; Ctrl-C keeps the finished runs and --resume
    trains only the missing ones. On --backend jax, runs that differ only in seed, --lr, --l1
    or --l2 train together as one compiled program (--no-vectorize: one at a time).

    \b
    Examples:
      kerasdiag sweep --layers 2..10 --no-activation --repeats 3      # scenario 1
      kerasdiag sweep --l2 0,1e-4,1e-3,1e-2 --dropout 0,0.5          # scenario 3
      kerasdiag sweep --dataset iris --layers 1..3 --epochs 3 --name tiny --resume
    """

    axes, fixed = given_axes(ctx)
    options = SweepOptions(
        repeats=repeats,
        metric=metric,
        logdir=logdir,
        name=name,
        resume=resume,
        fmt=fmt,
        quiet=quiet,
        vectorize=vectorize,
        lang=lang,
    )
    run_sweep_command(axes, fixed, options)


@dataclass(frozen=True)
class SweepOptions:
    """How `kerasdiag sweep` runs and shows its sweep (the command's own flags).

    Args:
        repeats: Seeds per setting (`--repeats`).
        metric: The metric of the plot and the conclusion (`--metric`).
        logdir: The folder of sweeps (`--logdir`).
        name: The sweep directory's name, or None for `sweep-<swept flags>` (`--name`).
        resume: Continue the sweep `<logdir>/<name>` (`--resume`).
        fmt: `text` or `json` (`--format`).
        quiet: No progress bars, no line per run (`--quiet`).
        vectorize: Train runs of one architecture together where possible. Defaults to `True`.
        lang: Language of what is printed and plotted (`--lang`). Defaults to `"en"`.
    """

    repeats: int
    metric: str
    logdir: Path
    name: str | None
    resume: bool
    fmt: str
    quiet: bool
    vectorize: bool = True
    lang: str = "en"


def run_sweep_command(axes: list[Any], fixed: list[str], options: SweepOptions) -> None:
    """Expand, open (or resume) the sweep directory, train, then print the table and write the plot."""
    from kerasdiag.experiments.sweep.run import FINISHED, expand, open_sweep, run_sweep
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    lang = options.lang
    shows_text = options.fmt == "text"

    settings = list({s.name: s for s in expand(axes, fixed)}.values())
    if len(settings) * options.repeats > MAX_SWEEP_RUNS:
        raise ConfigError(
            say("sweep.too_many", limit=f"{MAX_SWEEP_RUNS:,}"),
            say("sweep.too_many.received", settings=len(settings), repeats=options.repeats),
            flag="--repeats",
        )
    for setting in settings:
        setting.config = parse_setting(setting.argv, setting.name, lang)
    swept = [a.key for a in axes if len(a.values) > 1]
    name = options.name or safe_run_name("sweep-" + ("-".join(swept) or "base"))
    spec = [f"{a.flag} {','.join(a.values)}" for a in axes] + fixed
    state = open_sweep(options.logdir, name, spec, [s.name for s in settings], options.repeats, options.resume)
    total = len(settings) * options.repeats
    if shows_text:
        if state.started:
            print_prose(console, text("safety.sweep.started", lang, name=escape(printable(name))), lang)
        numbers = {"settings": len(settings), "repeats": options.repeats, "total": total}
        print_prose(console, text("sweep.header", lang, path=state.path, **numbers), lang)
    progress = console if (console.is_terminal and not options.quiet and shows_text) else None

    def on_run(run: Any, result: Any) -> None:
        if shows_text and run.status == "failed":  # shown even with --quiet: a setting that raised
            where = escape(printable(run.path or f"{run.setting}-seed={run.seed}"))
            why = escape(printable(_failure_line(result, run, lang)))
            console.print(text("safety.sweep.run_failed", lang, run=where, error=why), soft_wrap=True)
        elif shows_text and not options.quiet:
            done = sum(1 for r in state.runs if r.status in FINISHED)
            what = text("sweep.already_done", lang) if result is None else status_in(run.status, run.seconds, lang)
            console.print(f"  [{done}/{total}] {run.path}: {what}")

    def on_note(note: str) -> None:
        if shows_text:
            console.print(f"[dim]{note}[/dim]")

    run_sweep(
        state,
        settings,
        on_run=on_run,
        progress_console=progress,
        vectorize=options.vectorize,
        on_note=on_note,
        lang=lang,
    )
    resume_hint = f"kerasdiag sweep {' '.join(spec)} --name {state.path.name} --resume"
    _show_results(state, options.metric, options.fmt, resume_hint=resume_hint, lang=lang)
    if state.interrupted:
        raise click.exceptions.Exit(ExitCode.INTERRUPTED)
    if state.failed:  # every other setting trained and is shown; the exit code still says not all did
        raise click.exceptions.Exit(ExitCode.ERROR)


def _failure_line(result: Any, run: Any, lang: str) -> str:
    """Why a sweep's run failed, in `lang` where the error can say it (else as sweep.json keeps it)."""
    failure = getattr(result, "failure", result)
    get = getattr(failure, "get", None)
    return str(get(lang)) if callable(get) else str(run.error or "")


def wide_console() -> Console:
    """A console at least 150 columns wide on the current stdout (a sweep table is wide)."""
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    console.width = max(console.width, 150)
    return console


def status_in(status: Any, seconds: float, lang: str) -> str:
    """A finished run's status and time, as one line of progress shows it (`completed in 3.2 s`)."""
    return text("cli.status_in", lang, status=text(f"run.status.{status}", lang), seconds=f"{seconds:.1f}")


def board_command(path: Path) -> str:
    """The command that opens TensorBoard on a sweep's runs only: `kerasdiag board <sweep folder>`."""
    import shlex

    return f"kerasdiag board {shlex.quote(str(path))}"


def _show_results(state: Any, metric: str, fmt: str, resume_hint: str, lang: str = "en") -> None:
    import json
    import textwrap

    from kerasdiag.experiments.sweep.conclusion import conclusion
    from kerasdiag.experiments.sweep.summary import axis_label, rows_json, summarise
    from kerasdiag.render.console import stdout_console

    console = stdout_console()
    from kerasdiag.render.sweep import sweep_table

    rows = summarise(state)
    plot = None
    if rows:
        from kerasdiag.render.figures import sweep_figure

        shown = " ".join(a for a in state.argv if not a.startswith("--data-dir"))
        title = textwrap.shorten(text("sweep.figure_title", lang, name=state.path.name, argv=shown), 90)
        plot = sweep_figure(
            rows, metric, axis_label(metric, lang), state.path / f"sweep-{metric}.png", title, lang=lang
        )
    if fmt == "json":
        payload = {
            "sweep": str(state.path),
            "interrupted": state.interrupted,
            "metric": metric,
            "settings": rows_json(rows),
            "conclusion": conclusion(rows, metric, lang),
            "plot": str(plot),
            "failed": [
                {"setting": r.setting, "seed": r.seed, "path": r.path or None, "error": r.error} for r in state.failed
            ],
            "board": board_command(state.path),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=lang == "en"))  # Japanese readable as is
        return
    out = console if console.is_terminal else wide_console()  # a wide table beats a cropped one in a file
    out.print(sweep_table(rows, text("sweep.table_title", lang, name=state.path.name), lang))
    for line in conclusion(rows, metric, lang):
        print_prose(console, line, lang)
    if plot is not None:
        console.print(text("cli.plot", lang, metric=metric, path=plot))
    if state.failed:
        count = len(state.failed)
        print_prose(console, text("safety.sweep.failed", lang, count=count, hint=escape(resume_hint)), lang)
    console.print(
        text("safety.sweep.board", lang, command=escape(printable(board_command(state.path)))), soft_wrap=True
    )
    if state.interrupted:
        finished = sum(r.runs for r in rows)
        console.print(text("sweep.interrupted", lang, finished=finished, hint=resume_hint))
