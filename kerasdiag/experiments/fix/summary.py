"""What `kerasdiag fix` measured: per fix, the change of each validation metric with a 95% interval.

Each row compares the seeds of one fix with the seeds of the unchanged config (Welch's t-interval
of the difference of the means, `measures.intervals`), counts the seeds in which the fix's findings
still fire (and in how many baseline seeds they fired), and `winner` names the fix with the largest
gain in the chosen metric, saying whether its interval excludes zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.experiments.fix.run import Candidate, FixRuns, Member, finished_members
from kerasdiag.experiments.sweep.summary import HIGHER_IS_BETTER, heading
from kerasdiag.measures.intervals import Difference, mean_difference
from kerasdiag.messages import text

FIX_METRICS = ("val_accuracy", "best_val_accuracy", "val_loss", "best_val_loss")


@dataclass
class FixRow:
    """One fix's result beside the baseline."""

    candidate: Candidate
    members: list[Member]
    changes: dict[str, Difference]
    still_fires: int  # finished seeds in which one of the fix's findings still fires
    baseline_fires: int  # finished baseline seeds in which they fire
    baseline_runs: int  # finished baseline seeds

    @property
    def runs(self) -> int:
        return len(finished_members(self.members))

    def gain(self, metric: str) -> float:
        """The change in `metric`, signed so that positive is better."""
        higher_is_better = HIGHER_IS_BETTER[metric]
        diff = self.changes[metric].diff
        return diff if higher_is_better else -diff


def mean(members: list[Member], metric: str) -> float:
    values = [m.metrics.get(metric, math.nan) for m in finished_members(members)]
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def fires(members: list[Member], rules: tuple[str, ...]) -> int:
    return sum(1 for m in finished_members(members) if set(m.fired) & set(rules))


def summarise(runs: FixRuns) -> list[FixRow]:
    """One row per applicable fix that has runs, in plan order."""
    base = finished_members(runs.baseline)
    rows = []
    for candidate in runs.plan.applicable:
        members = runs.fixes.get(candidate.slug, [])
        done = finished_members(members)
        changes = {
            key: mean_difference([m.metrics[key] for m in done], [m.metrics[key] for m in base]) for key in FIX_METRICS
        }
        rows.append(
            FixRow(
                candidate, members, changes, fires(members, candidate.rules), fires(base, candidate.rules), len(base)
            )
        )
    return rows


def winner(rows: list[FixRow], metric: str) -> FixRow | None:
    """The fix with the largest gain in `metric` (None when no fix has a finite difference)."""
    scored = [r for r in rows if math.isfinite(r.changes[metric].diff)]
    return max(scored, key=lambda r: r.gain(metric), default=None)


def conclusion(rows: list[FixRow], metric: str, seeds: int, lang: str = "en") -> str:
    """One sentence in `lang`: which fix wins on `metric`, by how much, and whether the seeds can explain it."""
    best = winner(rows, metric)
    label = heading(metric, lang)
    if best is None:
        return text("exp.fix.nothing", lang, metric=label)
    d = best.changes[metric]
    interval = f"[{d.low:+.4f}, {d.high:+.4f}]" if math.isfinite(d.low) else text("exp.fix.no_interval", lang)
    facts = {
        "metric": label,
        "flags": best.candidate.flags,
        "diff": f"{d.diff:+.4f}",
        "interval": interval,
        "seeds": text("exp.fix.seeds", lang, changed=d.n_changed, base=d.n_base),
    }
    noise = "" if d.excludes_zero else "_noise"
    if best.gain(metric) <= 0:
        return text(f"exp.fix.no_gain{noise}", lang, **facts)
    return text(f"exp.fix.winner{noise}", lang, **facts)


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
        "baseline": {"dir": str(plan.root / "baseline"), "runs": [_member_json(m) for m in runs.baseline]},
        "fixes": [_fix_json(c, by_slug.get(c.slug), plan.root, plan.base, lang) for c in plan.candidates],
        "winner": None if best is None else {"flags": best.candidate.flags, **best.changes[metric].to_dict()},
        "conclusion": conclusion(rows, metric, len(plan.seeds), lang),
        "plot": None if plot is None else str(plot),
    }


def _fix_json(candidate: Candidate, row: FixRow | None, root: Any, base: RunConfig, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rules": list(candidate.rules),
        "flags": candidate.flags,
        "applied": candidate.config is not None,
        "reason": candidate.reason_in(lang) or None,
    }
    if candidate.config is None:
        return out
    out["dir"] = str(root / candidate.slug)
    out["other_validation_set"] = candidate.other_validation(base)
    out["epochs"] = candidate.config.epochs
    if row is not None:
        out["runs"] = [_member_json(m) for m in row.members]
        out["change"] = {key: d.to_dict() for key, d in row.changes.items()}
        out["finding_still_fires"] = {
            "seeds": row.still_fires,
            "of": row.runs,
            "baseline_seeds": row.baseline_fires,
            "baseline_of": row.baseline_runs,
        }
    return out


def _member_json(member: Member) -> dict[str, Any]:
    metrics = {k: (round(member.metrics[k], 6) if math.isfinite(member.metrics[k]) else None) for k in FIX_METRICS}
    return {"seed": member.seed, "path": str(member.path), "status": member.status, **metrics, "fired": member.fired}
