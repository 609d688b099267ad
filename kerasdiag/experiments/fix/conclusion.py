"""`kerasdiag fix`'s conclusion in words: the winner (best of k), the seed noise, failed seeds, training length.

Each claim is one sentence, only where it applies:

- the winner with its interval, at the Bonferroni level when it is the best of k fixes, and whether the seeds can
  explain the gain ("cannot tell" when the seeds tied: a spread of 0 from a few seeds is unknown, not zero);
- why the interval is wider when k > 1;
- every config whose seeds diverged: those are failed seeds, scored as the worst seed, never left out;
- the baseline's spread over its seeds (or that one seed, or tied seeds, cannot show it);
- when the winner by the final value is another than by the best epoch's value, or a config was still improving
  in its last epochs: the order may change with the training length.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from kerasdiag.experiments.fix.run import FixRuns, Member, finished_members
from kerasdiag.experiments.fix.summary import FixRow, diverged, fix_json, member_json, scores, winner, worst_values
from kerasdiag.experiments.sweep.conclusion import LAST_EPOCHS, OTHER_END
from kerasdiag.experiments.sweep.summary import heading
from kerasdiag.measures.intervals import Difference
from kerasdiag.messages import catalog, join, render, text


def conclusion(rows: list[FixRow], metric: str, lang: str = "en", runs: FixRuns | None = None) -> str:
    """The sentences above in `lang`, as one paragraph."""
    best = winner(rows, metric)
    if best is None:
        return text("exp.fix.nothing", lang, metric=heading(metric, lang))
    compared = sum(1 for r in rows if math.isfinite(r.changes[metric].diff))
    d = best.changes[metric]
    sentences = [_verdict(best, metric, compared, lang)]
    if compared > 1 and math.isfinite(d.low):
        sentences.append(text("exp.fix.bonferroni", lang, k=compared, level=percent(d.level)))
    base = runs.baseline if runs is not None else best.baseline
    worst = worst_values(runs) if runs is not None else best.worst
    sentences += _failed(rows, metric, lang, base, worst)
    sentences.append(_noise(base, metric, lang, worst))
    sentences += _training_length(rows, best, metric, lang, base)
    return catalog(lang).get("exp.fix.sentence_gap", " ").join(sentences)  # "" in Japanese: no space after 。


def percent(level: float) -> str:
    """`95%`, `97.5%`, `98.3%`: a confidence level as people write it."""
    return f"{level * 100:.1f}".removesuffix(".0") + "%"


def interval_text(d: Difference, lang: str = "en") -> str:
    """`95% interval [+0.010, +0.052]`, or why there is none (fewer than 2 seeds, tied seeds)."""
    if d.tied:
        return text("exp.fix.tied", lang, seeds=f"{d.n_changed}+{d.n_base}")
    if not math.isfinite(d.low):
        return text("exp.fix.no_interval", lang)
    return text("exp.fix.interval", lang, level=percent(d.level), low=f"{d.low:+.4f}", high=f"{d.high:+.4f}")


def _verdict(best: FixRow, metric: str, compared: int, lang: str) -> str:
    d = best.changes[metric]
    label = heading(metric, lang)
    gained = best.gain(metric) > 0
    head = f"exp.fix.head.{'winner' if gained else 'no_gain'}.{'best_of' if compared > 1 else 'one'}"
    facts = {
        "metric": label,
        "head": text(head, lang, k=compared, metric=label),
        "flags": best.candidate.flags,
        "diff": f"{d.diff:+.4f}",
        "interval": interval_text(d, lang),
        "seeds": text("exp.fix.seeds", lang, changed=d.n_changed, base=d.n_base),
    }
    how = "" if d.excludes_zero else "_unknown" if d.tied else "_noise"
    return text(f"exp.fix.{'winner' if gained else 'no_gain'}{how}", lang, **facts)


def _failed(rows: list[FixRow], metric: str, lang: str, base: list[Member], worst: dict[str, float]) -> list[str]:
    """One sentence per config with diverged seeds (the baseline first)."""
    value = worst.get(metric, math.nan)
    facts = {"metric": heading(metric, lang), "worst": f"{value:.4f}" if math.isfinite(value) else "-"}
    out = []
    done = finished_members(base)
    failed = sum(1 for m in done if diverged(m))
    if failed:
        out.append(text("exp.fix.baseline_failed", lang, failed=failed, runs=len(done), **facts))
    for row in rows:
        if row.failed:
            out.append(
                text("exp.fix.failed", lang, flags=row.candidate.flags, failed=row.failed, runs=row.runs, **facts)
            )
    return out


def _noise(base: list[Member], metric: str, lang: str, worst: dict[str, float]) -> str:
    """How much the baseline's seeds spread: the noise any change is measured against."""
    values = [v for v in scores(base, metric, worst) if math.isfinite(v)] if worst else []
    facts = {"metric": heading(metric, lang), "seeds": len(values)}
    if len(values) < 2:
        return text("exp.fix.noise.one", lang, **facts)
    spread = float(np.std(values, ddof=1))
    if spread <= 1e-12:
        return text("exp.fix.noise.tied", lang, **facts)
    return text("exp.fix.noise.seeds", lang, spread=f"{spread:.4f}", **facts)


def _training_length(rows: list[FixRow], best: FixRow, metric: str, lang: str, base: list[Member]) -> list[str]:
    out = []
    other = OTHER_END.get(metric)
    rival = winner(rows, other) if other else None
    if other and rival is not None and rival is not best and rival.gain(other) > 0:
        facts = {"other": heading(other, lang), "flags": best.candidate.flags, "other_flags": rival.candidate.flags}
        out.append(text("exp.fix.ends_disagree", lang, **facts))
    configs = [(render("view.fix.baseline", lang), base)] + [(r.candidate.flags, r.members) for r in rows]
    late = [f"{name} ({shown})" for name, members in configs if (shown := _still_improving(members, metric))]
    if late:
        out.append(text("exp.fix.still_improving", lang, configs=join(late, lang)))
    return out


def _still_improving(members: list[Member], metric: str) -> str:
    """`19/20` (mean best epoch / epochs) when the config's best epoch lies in its last epochs, else empty."""
    key = "epochs_to_best_accuracy" if "accuracy" in metric else "epochs_to_best"
    done = [m for m in finished_members(members) if not diverged(m)]
    at = _mean(m.metrics.get(key) for m in done)
    epochs = _mean(m.metrics.get("epochs") for m in done)
    if not (math.isfinite(at) and math.isfinite(epochs)) or epochs < 2:
        return ""
    return f"{at:.0f}/{epochs:.0f}" if at > epochs - max(1.0, LAST_EPOCHS * epochs) else ""


def _mean(values: Any) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def report_json(runs: FixRuns, rows: list[FixRow], metric: str, plot: Any, lang: str = "en") -> dict[str, Any]:
    """The whole result as plain JSON (what `--format json` prints and `fixes/fix.json` holds); prose in `lang`."""
    plan = runs.plan
    best = winner(rows, metric)
    by_slug = {r.candidate.slug: r for r in rows}
    return {
        "run": str(plan.run),
        "seeds": plan.seeds,
        "epochs": plan.base.epochs,
        "backend": plan.base.backend,
        "metric": metric,
        "interrupted": runs.interrupted,
        "baseline": {"dir": str(plan.root / "baseline"), "runs": [member_json(m) for m in runs.baseline]},
        "fixes": [fix_json(c, by_slug.get(c.slug), plan.root, plan.base, lang) for c in plan.candidates],
        "winner": None if best is None else {"flags": best.candidate.flags, **best.changes[metric].to_dict()},
        "fixes_compared": sum(1 for r in rows if math.isfinite(r.changes[metric].diff)),
        "conclusion": conclusion(rows, metric, lang, runs),
        "plot": None if plot is None else str(plot),
    }
