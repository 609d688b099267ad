"""`kerasdiag fix RUN`: retrain a run with each finding's first fix over seeds and show what each buys."""

from __future__ import annotations

import dataclasses
import json
import shlex
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from kerasdiag.cli.options import RUN_PATH, lang_option
from kerasdiag.cli.train_cmd import train as train_command
from kerasdiag.config import LINEAR, Backend, RunConfig
from kerasdiag.errors import ConfigError, ExitCode
from kerasdiag.limits import MAX_EPOCHS, MAX_FIX_SEEDS
from kerasdiag.messages import say, text
from kerasdiag.render.console import print_prose

# train options that are not part of a run's config.
NOT_CONFIG = ("quiet", "lang", "logdir", "name")
FIX_METRICS = ("val_accuracy", "best_val_accuracy", "val_loss", "best_val_loss")


def fix_flag_values(flags: str) -> dict[str, Any]:
    """The config fields a fix's train flags set, parsed by train's own options (only the flags given).

    Example: `fix_flag_values("--optimizer adam --lr 0.001") == {"optimizer": "adam", "lr": 0.001}`.

    Raises:
        ConfigError: When the flags are not train flags or do not parse.
    """
    tokens = shlex.split(flags)
    if not tokens or not tokens[0].startswith("--"):
        raise ConfigError(say("fix.flags_such_as"), repr(flags))
    try:
        with train_command.make_context("kerasdiag train", list(tokens)) as ctx:
            given = {
                name: value
                for name, value in ctx.params.items()
                if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE and name not in NOT_CONFIG
            }
    except click.UsageError as exc:
        raise ConfigError(say("fix.flags"), f"{flags!r} ({exc.format_message()})") from None
    if given.pop("no_activation", False):
        given["activation"] = LINEAR
    return {k: str(v) if isinstance(v, Path) else v for k, v in given.items()}


def apply_fix_flags(base: RunConfig, flags: str) -> RunConfig:
    """`base` with a fix's train flags applied, parsed by train's own options; only the flags given change.

    Example: `apply_fix_flags(RunConfig(activation="linear"), "--activation relu").activation == "relu"`.

    Raises:
        ConfigError: When the flags are not train flags, do not parse, or make a config train refuses.
    """
    return dataclasses.replace(base, **fix_flag_values(flags)).validate()


@click.command()
@click.argument("run", type=RUN_PATH)
@click.option(
    "--seeds", type=click.IntRange(1, MAX_FIX_SEEDS), default=3, help="Seeds per config (baseline and each fix)."
)
@click.option("--epochs", type=click.IntRange(1, MAX_EPOCHS), help="Train every run this many epochs (quick checks).")
@click.option("--only", metavar="RULE", help="Only the fix of this finding (a rule id, e.g. overfitting).")
@click.option("--metric", type=click.Choice(FIX_METRICS), default="val_accuracy", help="Metric that picks the winner.")
@click.option(
    "--backend", type=click.Choice([b.value for b in Backend]), help="Train on this backend (default: the run's)."
)
@click.option("--vectorize/--no-vectorize", default=True, help="Train same-shape runs as one program (JAX backend).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output form.")
@click.option("--quiet", "-q", is_flag=True, help="No line per trained run.")
@click.option(
    "--script",
    "script_command",
    metavar="'SCRIPT ARGS'",
    help="On a run of your own script: the script and arguments fix may run, as fix shows them (needed when "
    "there is no terminal to ask on).",
)
@lang_option("Language of the table, the plot and the conclusion.")
def fix(
    run: Path,
    seeds: int,
    epochs: int | None,
    only: str | None,
    metric: str,
    backend: str | None,
    vectorize: bool,
    fmt: str,
    quiet: bool,
    script_command: str | None,
    lang: str,
) -> None:
    """Prove the fixes: retrain RUN with each finding's first fix, beside the unchanged config.

    For every warning or error finding, the first fix it suggests is applied to the run's own
    config and trained over --seeds seeds, next to the same seeds of the unchanged config. The
    table shows the change of final and best validation accuracy and loss with a 95% interval
    (Welch t-interval over seeds), in how many seeds the finding still fires, and which fix wins.
    Runs go to RUN/fixes/baseline/ and RUN/fixes/<fix>/ (ordinary run directories), the summary
    to RUN/fixes/fix.json and a plot to RUN/fixes/fix-<metric>.png. On --backend jax, seeds (and
    fixes that change only --lr, --l1, --l2) train as one compiled program. Ctrl-C keeps the
    finished runs and reports them.

    On a run of your own script (kerasdiag run, or the Diagnose callback), the script is run
    again with the same arguments, seeded with keras.utils.set_random_seed, and the change is
    made inside the same fit call: --lr, --optimizer, --momentum, --weight-decay on the compiled
    model; --dropout, --l1, --l2, --activation by rebuilding the model from its config;
    --epochs, --batch-size, --shuffle on fit's arguments. Other fixes are listed as not applied.
    A run folder alone never runs code: fix shows the script and arguments run.json names and
    asks before running them; without a terminal to ask on, pass them as --script 'SCRIPT ARGS'
    (the script must be the same file, the arguments the same).

    \b
    Examples:
      kerasdiag fix runs/20261124-101500-mnist-mlp-l5-linear --backend jax
      kerasdiag fix runs/my-iris-run --seeds 5 --only validation-mismatch
      kerasdiag fix runs/my-run --epochs 5 --seeds 2 --format json
    """
    from kerasdiag.diagnosis.engine import diagnose_run
    from kerasdiag.experiments.fix.run import FixOptions, plan_fixes
    from kerasdiag.experiments.fix.script import is_script_run, plan_script_fixes
    from kerasdiag.rundir.find import load_record

    record = load_record(run)
    findings = diagnose_run(record).findings
    options = FixOptions(seeds=seeds, epochs=epochs, only=only, backend=backend)
    if is_script_run(record):
        plan: Any = plan_script_fixes(run, record, findings, fix_flag_values, options)
        confirm_script(plan, script_command, lang)
    else:
        plan = plan_fixes(run, record, findings, apply_fix_flags, options)
    _run_and_show(plan, metric=metric, fmt=fmt, quiet=quiet, vectorize=vectorize, lang=lang)


def confirm_script(plan: Any, given: str | None, lang: str = "en") -> None:
    """Run a script's fixes only once the user named or confirmed what runs: a run folder alone never runs code.

    The script path and arguments come from the run's run.json, which anyone who sent the folder wrote. With
    `given` (`--script`), they must match it; else, on a terminal, they are shown and the user is asked;
    else fix refuses in one line that shows them.

    Raises:
        ConfigError: `--script` names another script or other arguments, or no terminal to ask on (exit 2).
        click.exceptions.Exit: The user answered no (exit 1; nothing ran).
    """
    from kerasdiag.render.safe import printable

    if not plan.applicable:
        return  # nothing will run
    command = printable(plan.command)
    expected = say("safety.fix.script_expected", command=shlex.quote(command), runs=plan.runs)
    if given is not None:
        if plan.confirmed_by(given):
            return
        raise ConfigError(expected, printable(repr(given)), flag="--script")
    if not stdin_is_terminal():
        raise ConfigError(expected, say("safety.fix.no_terminal"), flag="--script")
    click.echo(text("safety.fix.will_run", lang, command=command, runs=plan.runs), err=True)
    if not click.confirm(text("safety.fix.confirm", lang), default=False, err=True):
        click.echo(text("safety.fix.declined", lang), err=True)
        raise click.exceptions.Exit(ExitCode.ERROR)


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question on stdin (tests replace this)."""
    import sys

    return sys.stdin is not None and sys.stdin.isatty()


def _run_and_show(plan: Any, *, metric: str, fmt: str, quiet: bool, vectorize: bool, lang: str = "en") -> None:
    from kerasdiag.experiments.fix.conclusion import conclusion, report_json
    from kerasdiag.experiments.fix.run import FIX_JSON, run_fixes
    from kerasdiag.experiments.fix.script import ScriptFixPlan, run_script_fixes
    from kerasdiag.experiments.fix.summary import summarise
    from kerasdiag.render.console import stdout_console
    from kerasdiag.render.fix import fix_figure, fix_table, print_not_applied, print_other_validation

    console = stdout_console()
    shows_text = fmt == "text"
    script = isinstance(plan, ScriptFixPlan)
    for note in plan.notes if script and shows_text else ():
        console.print(text("fix.note", lang, note=note), markup=True)
    if not plan.applicable:
        _nothing_to_train(plan, fmt, lang)
        return
    total = len(plan.seeds) * (1 + len(plan.applicable))
    if shows_text:
        how = text("fix.header.script", lang, script=plan.script.name, fit=plan.fit_index + 1) if script else ""
        numbers = {"fixes": len(plan.applicable), "seeds": len(plan.seeds), "total": total}
        numbers.update(epochs=plan.base.epochs)
        header = text("fix.header", lang, run=plan.run, backend=plan.base.backend, how=how, **numbers)
        print_prose(console, header, lang)
    done: list[str] = []

    def on_member(where: str, member: Any) -> None:
        done.append(where)
        if shows_text and not quiet:
            status = text(f"run.status.{member.status}", lang)
            console.print(f"  [{len(done)}/{total}] {where}/{member.path.name}: {status}")

    def on_note(note: str) -> None:
        if shows_text:
            console.print(f"[dim]{note}[/dim]")

    progress = console if (console.is_terminal and not quiet and shows_text) else None
    runner = run_script_fixes if script else run_fixes
    runs = runner(plan, vectorize=vectorize, on_member=on_member, on_note=on_note, progress_console=progress, lang=lang)
    rows = summarise(runs)
    plot = fix_figure(runs, rows, metric, plan.root / f"fix-{metric}.png", lang=lang) if plan.applicable else None
    payload = report_json(runs, rows, metric, plot, lang=lang)
    verified = _verified_change(plan, rows, metric) if script else None
    if verified is not None:
        payload["script_change"] = _script_change_json(plan, *verified, lang)
    plan.root.mkdir(parents=True, exist_ok=True)
    (plan.root / FIX_JSON).write_text(json.dumps(payload, indent=2), encoding="utf-8")
    if fmt == "json":
        click.echo(json.dumps(payload, indent=2, ensure_ascii=lang == "en"))  # Japanese readable as is
    else:
        from kerasdiag.cli.sweep_cmd import wide_console

        out = console if console.is_terminal else wide_console()
        print_not_applied(console, runs, lang=lang)
        if plan.applicable:
            out.print(fix_table(runs, rows, lang=lang))
            print_other_validation(console, runs, lang=lang)
        print_prose(console, conclusion(rows, metric, lang=lang), lang)
        if verified is not None:
            from kerasdiag.render.fix import print_script_change

            candidate, change = verified
            print_script_change(console, plan.shown, candidate.flags, plan.shown_change(candidate, lang), change, lang)
        if plot is not None:
            console.print(text("cli.plot", lang, metric=metric, path=plot))
        if runs.interrupted:
            console.print(text("fix.interrupted", lang, done=len(done), total=total))
    if runs.interrupted:
        raise click.exceptions.Exit(ExitCode.INTERRUPTED)


def _verified_change(plan: Any, rows: list[Any], metric: str) -> tuple[Any, Any] | None:
    """(candidate, its ScriptChange or None when the script cannot be read) of the fix that gained, or None."""
    from kerasdiag.experiments.fix.script_edit import read_script_change
    from kerasdiag.experiments.fix.summary import winner

    best = winner(rows, metric)
    if best is None or best.gain(metric) <= 0:
        return None
    given = plan.given.get(best.candidate.slug, {})
    return best.candidate, read_script_change(plan.script, plan.shown, given, plan.fit_line, plan.compile_line)


def _script_change_json(plan: Any, candidate: Any, change: Any, lang: str) -> dict[str, Any]:
    return {
        "flags": candidate.flags,
        "code": plan.shown_change(candidate, lang),
        "script": plan.shown,
        "diff": change.diff if change is not None else None,
        "unplaced": list(change.unplaced) if change is not None else None,
    }


def _nothing_to_train(plan: Any, fmt: str, lang: str = "en") -> None:
    """No fix can be trained: say why (no warning/error finding, or one line per fix that cannot be applied)."""
    from kerasdiag.diagnosis.findings import rule_name
    from kerasdiag.experiments.fix.script import ScriptFixPlan
    from kerasdiag.messages import join
    from kerasdiag.render.console import stdout_console

    reasons = [{"rules": list(c.rules), "flags": c.flags, "reason": c.reason_in(lang)} for c in plan.candidates]
    message = text("fix.nothing.none_applicable" if reasons else "fix.nothing.no_finding", lang)
    if fmt == "json":
        payload = {"run": str(plan.run), "fixes": reasons, "conclusion": message}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=lang == "en"))  # Japanese readable as is
        return
    console = stdout_console()
    for c, r in zip(plan.candidates, reasons):
        rules = join((rule_name(rule, lang) for rule in c.rules), lang)
        flags = plan.shown_change(c, lang) if isinstance(plan, ScriptFixPlan) else c.flags
        console.print(text("fix.not_applied", lang, flags=flags, rules=rules, reason=r["reason"]), markup=False)
    console.print(message)
