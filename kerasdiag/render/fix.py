"""`kerasdiag fix` results: the Rich table (one row per fix) and the PNG (metric per fix, interval bars)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text as RichText

from kerasdiag.diagnosis.findings import rule_name
from kerasdiag.experiments.fix.conclusion import percent
from kerasdiag.experiments.fix.run import Candidate, FixRuns, Member, finished_members
from kerasdiag.experiments.fix.script import ScriptFixPlan
from kerasdiag.experiments.fix.script_edit import ScriptChange
from kerasdiag.experiments.fix.summary import FixRow, diverged, mean, scores, worst_values
from kerasdiag.experiments.sweep.summary import HIGHER_IS_BETTER, heading
from kerasdiag.measures.intervals import Difference
from kerasdiag.messages import join, render, text
from kerasdiag.render.console import print_prose
from kerasdiag.render.safe import LINE_BREAK, printable

TABLE_METRICS = ("val_accuracy", "best_val_accuracy", "val_loss")  # the JSON also has best_val_loss


def change_cell(d: Difference, higher_is_better: bool, lang: str = "en") -> str:
    """`+0.0312 [+0.0101, +0.0523]` in green when the interval is all gain, red when all loss; tied seeds say so."""
    if not math.isfinite(d.diff):
        return "-"
    if d.tied:
        return f"{d.diff:+.3f} {escape(render('view.fix.tied_cell', lang))}"
    interval = f" [{d.low:+.3f}, {d.high:+.3f}]" if math.isfinite(d.low) else " [n<2]"
    cell = f"{d.diff:+.3f}{interval}"
    if not d.excludes_zero:
        return cell
    good = (d.low > 0) == higher_is_better
    return f"[{'ok' if good else 'severity.error'}]{cell}[/]"


def fix_table(runs: FixRuns, rows: list[FixRow], lang: str = "en") -> Table:
    """Baseline means on top, then per fix: runs (diverged), the change of each metric [interval], the best epoch
    of the epochs, finding cleared?"""
    n = len(runs.plan.seeds)
    table = Table(title=escape(text("view.fix.title", lang, run=printable(runs.plan.run.name), seeds=n)))
    table.add_column(render("view.fix.fix", lang), no_wrap=True)
    table.add_column(render("view.fix.runs", lang), justify="right")
    level = percent(rows[0].changes[TABLE_METRICS[0]].level) if rows else "95%"
    for key in TABLE_METRICS:
        heading_text = text("view.fix.change", lang, metric=heading(key, lang), level=level)
        table.add_column(escape(heading_text), justify="right")
    table.add_column(render("view.fix.epochs_to_best", lang), justify="right")
    table.add_column(render("view.fix.still_fires", lang), justify="right")
    base, worst = runs.baseline, worst_values(runs)
    table.add_row(
        escape(render("view.fix.baseline_means", lang)),
        _runs_cell(base, lang),
        *(_value(mean(base, k, worst)) for k in TABLE_METRICS),
        _best_epoch_cell(base),
        "-",
    )
    for row in rows:
        other = "*" if row.candidate.other_validation(runs.plan.base) else ""
        rules = _rules(row.candidate, lang)
        label = text("view.fix.label", lang, flags=f"{row.candidate.flags}{other}", rules=rules)
        cells = [change_cell(row.changes[k], HIGHER_IS_BETTER[k], lang) for k in TABLE_METRICS]
        fired = f"{row.still_fires}/{row.runs} ({row.baseline_fires}/{row.baseline_runs})"
        table.add_row(
            escape(printable(label)), _runs_cell(row.members, lang), *cells, _best_epoch_cell(row.members), fired
        )
    return table


def _runs_cell(members: list[Member], lang: str) -> str:
    """Finished seeds, and how many of them diverged (failed seeds, still counted)."""
    done = finished_members(members)
    failed = sum(1 for m in done if diverged(m))
    return text("view.fix.runs_failed", lang, runs=len(done), failed=failed) if failed else str(len(done))


def _best_epoch_cell(members: list[Member]) -> str:
    """`12/20`: the mean epoch of the lowest val_loss over the seeds that did not diverge, of the epochs trained."""
    done = [m for m in finished_members(members) if not diverged(m)]
    at = [m.metrics.get("epochs_to_best", math.nan) for m in done]
    epochs = [m.metrics.get("epochs", math.nan) for m in done]
    at, epochs = [v for v in at if math.isfinite(v)], [v for v in epochs if math.isfinite(v)]
    if not at or not epochs:
        return "-"
    return f"{sum(at) / len(at):.0f}/{sum(epochs) / len(epochs):.0f}"


def _rules(candidate: Candidate, lang: str) -> str:
    """The findings a fix answers: rule ids in English, their names in Japanese."""
    return join((rule_name(rule, lang) for rule in candidate.rules), lang)


def _value(x: float) -> str:
    return f"{x:.4f}" if math.isfinite(x) else "-"


def fix_figure(runs: FixRuns, rows: list[FixRow], metric: str, path: Path, lang: str = "en") -> Path:
    """Left: `metric` of every seed (a diverged one as a red x at the worst value) and the mean per config; right:
    each fix's change with its interval (Bonferroni level over the fixes)."""
    from kerasdiag.render import figures as plots

    with plots.fonts_for(lang):
        plt = plots._pyplot()
        labels = [render("view.fix.baseline", lang)] + [plots.literal(r.candidate.flags) for r in rows]
        groups: list[list[Member]] = [runs.baseline] + [r.members for r in rows]
        height = max(4.5, 1.2 + 0.55 * len(labels))
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, height), sharey=True)
        ys = list(range(len(labels)))[::-1]
        colors = plt.get_cmap("tab10")
        worst = worst_values(runs)
        for y, members, i in zip(ys, groups, range(len(groups))):
            done = finished_members(members)
            values = scores(members, metric, worst)
            kept = [v for m, v in zip(done, values) if not diverged(m)]
            failed = [v for m, v in zip(done, values) if diverged(m)]
            left.plot(kept, [y] * len(kept), "o", color=colors(i % 10), alpha=0.6, ms=7)
            left.plot(failed, [y] * len(failed), "x", color="red", ms=10, mew=2.5)  # diverged: scored as the worst
            left.plot([mean(members, metric, worst)], [y], "|", color="black", ms=22, mew=2.5)
        left.set_yticks(ys, labels)
        left.set_ylim(-0.6, len(labels) - 0.4)
        name = heading(metric, lang)
        left.set_xlabel(text("view.fix.plot.seeds", lang, metric=name))
        left.grid(alpha=0.3)
        for y, row, i in zip(ys[1:], rows, range(1, len(groups))):
            d = row.changes[metric]
            if not math.isfinite(d.diff):
                continue
            err = [[d.diff - d.low], [d.high - d.diff]] if math.isfinite(d.low) else None
            right.errorbar([d.diff], [y], xerr=err, fmt="o", color=colors(i % 10), capsize=6, lw=2, ms=8)
            right.annotate(f"{d.diff:+.3f}", (d.diff, y), textcoords="offset points", xytext=(0, 9), ha="center")
        right.axvline(0.0, color="grey", lw=1.5, ls="--")
        better = render("view.fix.plot.right_better" if HIGHER_IS_BETTER[metric] else "view.fix.plot.left_better", lang)
        level = percent(rows[0].changes[metric].level) if rows else "95%"
        right.set_xlabel(text("view.fix.plot.change", lang, metric=name, better=better, level=level))
        right.grid(alpha=0.3)
        n = len(runs.plan.seeds)
        fig.suptitle(text("view.fix.plot.title", lang, run=plots.literal(runs.plan.run.name), seeds=n), fontsize=11)
        return plots._save(fig, path)


def not_applied_line(candidate: Candidate, lang: str = "en", shown: str | None = None) -> str:
    """`Not applied --flags (rule): why`, plain text without markup, for a fix that cannot be applied.

    `shown` names the change instead of the flags (a script's run: the code to write at its line).
    """
    rest = _not_applied_rest(candidate, lang, shown)
    return printable(f"{render('view.fix.not_applied', lang)} {rest}", keep=LINE_BREAK)


def _not_applied_rest(candidate: Candidate, lang: str, shown: str | None = None) -> str:
    rules, reason = _rules(candidate, lang), candidate.reason_in(lang)
    if candidate.flags:
        flags = shown or candidate.flags
        return text("view.fix.not_applied.flags", lang, flags=flags, rules=rules, reason=reason)
    return text("view.fix.not_applied.no_flags", lang, rules=rules, reason=reason)


def print_not_applied(console: Any, runs: FixRuns, lang: str = "en") -> None:
    """One line per fix that cannot be applied automatically, and why (on a script's run: the code to write)."""
    word = escape(render("view.fix.not_applied", lang))
    plan = runs.plan
    for c in plan.candidates:
        if c.config is None:
            shown = plan.shown_change(c, lang) if isinstance(plan, ScriptFixPlan) else None
            print_prose(console, f"[severity.warning]{word}[/] {escape(_not_applied_rest(c, lang, shown))}", lang)


def print_other_validation(console: Any, runs: FixRuns, lang: str = "en") -> None:
    """A footnote for fixes marked `*`: they change which samples are held out."""
    marked = [c.flags for c in runs.plan.applicable if c.other_validation(runs.plan.base)]
    if marked:
        print_prose(console, escape(text("view.fix.other_validation", lang, flags=join(marked, lang))), lang)


def print_script_change(
    console: Any, shown: str, flags: str, code: str, change: ScriptChange | None, lang: str = "en"
) -> None:
    """The verified change as a unified diff against the script, and one line per part with no line to edit.

    Args:
        console: Where to print.
        shown: The script as the learner named it.
        flags: The winning fix's flags.
        code: The fix as the diagnosis wrote it for the script (`train.py:42: fit(..., epochs=34)`).
        change: The diff (`experiments.fix.script_edit`), or None when the script could not be read.
        lang: The language of the words around the diff.
    """
    if change is None:
        print_prose(console, escape(text("code.diff.unreadable", lang, script=shown, code=code)), lang)
        return
    if change.diff:
        print_prose(console, escape(text("code.diff.heading", lang, flags=flags, script=shown)), lang)
        for line in change.diff.splitlines():
            style = "bold" if line.startswith(("+++", "---")) else "muted" if line.startswith("@@") else ""
            style = style or ("ok" if line.startswith("+") else "severity.error" if line.startswith("-") else "")
            console.print(RichText(printable(line), style=style), soft_wrap=True)
    for part in change.unplaced:
        what = render(f"code.diff.what.{part}", lang)
        print_prose(console, escape(text("code.diff.no_line", lang, what=what, script=shown, code=code)), lang)
