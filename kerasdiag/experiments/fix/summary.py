"""What `kerasdiag fix` measured: per fix, the change of each validation metric with its interval.

Each row compares the seeds of one fix with the seeds of the unchanged config (Welch's t-interval
of the difference of the means, `measures.intervals`), counts the seeds in which the fix's findings
still fire (and in how many baseline seeds they fired), and `winner` names the fix with the largest
gain in the chosen metric. A seed that diverged (status `diverged`, or a NaN or infinite validation loss)
is a failed seed: it stays in the comparison, scored as the worst value any seed of any config reached
(`worst_values`), and the texts count it. With k fixes, every interval is widened to a Bonferroni level
(95% for the k together), since the winner is the best of k. `experiments.fix.conclusion` words the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.experiments.fix.run import Candidate, FixRuns, Member, finished_members
from kerasdiag.experiments.sweep.summary import HIGHER_IS_BETTER
from kerasdiag.measures.intervals import Difference, mean_difference
from kerasdiag.measures.noise import bonferroni_level
from kerasdiag.rundir.record import RunStatus

FIX_METRICS = ("val_accuracy", "best_val_accuracy", "val_loss", "best_val_loss")
LEVEL = 0.95  # the confidence of all the fixes' intervals together


@dataclass
class FixRow:
    """One fix's result beside the baseline."""

    candidate: Candidate
    members: list[Member]
    changes: dict[str, Difference]
    still_fires: int  # finished seeds in which one of the fix's findings still fires
    baseline_fires: int  # finished baseline seeds in which they fire
    baseline_runs: int  # finished baseline seeds
    failed: int = 0  # finished seeds that diverged (counted in `runs`, scored as the worst seed)
    baseline: list[Member] = field(default_factory=list)  # the baseline's members, for the conclusion
    worst: dict[str, float] = field(default_factory=dict)  # `worst_values` of the whole comparison

    @property
    def runs(self) -> int:
        return len(finished_members(self.members))

    def gain(self, metric: str) -> float:
        """The change in `metric`, signed so that positive is better."""
        higher_is_better = HIGHER_IS_BETTER[metric]
        diff = self.changes[metric].diff
        return diff if higher_is_better else -diff


def diverged(member: Member) -> bool:
    """A failed seed: training diverged, or its validation loss ended NaN or infinite after finite epochs."""
    final, best = member.metrics.get("val_loss", math.nan), member.metrics.get("best_val_loss", math.nan)
    went_nan = math.isnan(final) and math.isfinite(best)  # a run without validation has neither: not a failure
    return RunStatus.parse(member.status) is RunStatus.DIVERGED or math.isinf(final) or went_nan


def worst_values(runs: FixRuns) -> dict[str, float]:
    """Per metric, the worst finite value any seed that did not diverge reached (baseline and every fix)."""
    members = [m for group in (runs.baseline, *runs.fixes.values()) for m in finished_members(group)]
    worst = {}
    for key in FIX_METRICS:
        values = [m.metrics.get(key, math.nan) for m in members if not diverged(m)]
        finite = [v for v in values if math.isfinite(v)]
        worst[key] = (min if HIGHER_IS_BETTER[key] else max)(finite) if finite else math.nan
    return worst


def scores(members: list[Member], metric: str, worst: dict[str, float]) -> list[float]:
    """`metric` of every finished seed; a diverged seed counts as the worst value (`worst_values`)."""
    return [worst[metric] if diverged(m) else m.metrics.get(metric, math.nan) for m in finished_members(members)]


def mean(members: list[Member], metric: str, worst: dict[str, float] | None = None) -> float:
    """The mean of `metric` over the finished seeds, a diverged one scored as `worst` (left out without it)."""
    done = finished_members(members)
    values = scores(members, metric, worst) if worst else [m.metrics.get(metric, math.nan) for m in done]
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def fires(members: list[Member], rules: tuple[str, ...]) -> int:
    return sum(1 for m in finished_members(members) if set(m.fired) & set(rules))


def summarise(runs: FixRuns) -> list[FixRow]:
    """One row per applicable fix that has runs, in plan order; intervals at the Bonferroni level over the fixes."""
    worst = worst_values(runs)
    base = runs.baseline
    tried = [c for c in runs.plan.applicable if runs.fixes.get(c.slug)]
    level = bonferroni_level(LEVEL, len(tried))
    rows = []
    for candidate in runs.plan.applicable:
        members = runs.fixes.get(candidate.slug, [])
        changes = {
            key: mean_difference(scores(members, key, worst), scores(base, key, worst), level) for key in FIX_METRICS
        }
        still, before = fires(members, candidate.rules), fires(base, candidate.rules)
        failed = sum(1 for m in finished_members(members) if diverged(m))
        row = FixRow(candidate, members, changes, still, before, len(finished_members(base)), failed, base, worst)
        rows.append(row)
    return rows


def winner(rows: list[FixRow], metric: str) -> FixRow | None:
    """The fix with the largest gain in `metric` (None when no fix has a finite difference)."""
    scored = [r for r in rows if math.isfinite(r.changes[metric].diff)]
    return max(scored, key=lambda r: r.gain(metric), default=None)


def fix_json(candidate: Candidate, row: FixRow | None, root: Any, base: RunConfig, lang: str) -> dict[str, Any]:
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
        out["runs"] = [member_json(m) for m in row.members]
        out["change"] = {key: d.to_dict() for key, d in row.changes.items()}
        out["diverged_seeds"] = row.failed
        out["finding_still_fires"] = {
            "seeds": row.still_fires,
            "of": row.runs,
            "baseline_seeds": row.baseline_fires,
            "baseline_of": row.baseline_runs,
        }
    return out


def member_json(member: Member) -> dict[str, Any]:
    metrics = {k: (round(member.metrics[k], 6) if math.isfinite(member.metrics[k]) else None) for k in FIX_METRICS}
    extra = {"diverged": diverged(member), "epochs": _num(member.metrics.get("epochs"))}
    extra["epochs_to_best"] = _num(member.metrics.get("epochs_to_best"))
    identity = {"seed": member.seed, "path": str(member.path), "status": member.status}
    return {**identity, **metrics, **extra, "fired": member.fired}


def _num(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
