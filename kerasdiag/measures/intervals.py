"""The difference of two means with a t-interval (Welch): how much a change moved a metric, and how surely.

`kerasdiag fix` trains N seeds of a changed config beside N seeds of the unchanged one; the
question "did the change help?" is the difference of the two means and its 95% interval. Welch's
interval does not assume the two groups spread alike (a fix often changes the spread too), and its
degrees of freedom come from the Welch–Satterthwaite formula. With fewer than two finite values on a
side there is no interval (`low`/`high` are NaN) and `n` says so; nor when every seed on both sides tied
(`tied`): zero spread from a few seeds is no certainty. `kerasdiag fix` asks for a wider level when it reports
the best of k fixes (`measures.noise.bonferroni_level`).

Example:

```python
d = mean_difference([0.91, 0.93, 0.92], [0.85, 0.86, 0.84])
d.diff, d.low, d.high   # 0.07, 0.0540..., 0.0859...
```
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Difference:
    """`mean(changed) - mean(base)` with its t-interval.

    Args:
        diff: The difference of the means.
        low: Lower end of the interval (NaN without one).
        high: Upper end of the interval (NaN without one).
        df: Welch–Satterthwaite degrees of freedom (NaN without an interval).
        n_changed: Finite values on the changed side.
        n_base: Finite values on the base side.
        level: The interval's confidence level. Defaults to `0.95`.
        tied: The seeds of both sides tied (both spreads 0): no interval, as a spread of 0 measured on a few seeds
            says the spread is unknown, not that there is none. Defaults to `False`.
    """

    diff: float
    low: float
    high: float
    df: float
    n_changed: int
    n_base: int
    level: float = 0.95
    tied: bool = False

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of 0 (a difference the seeds cannot explain)."""
        return math.isfinite(self.low) and math.isfinite(self.high) and (self.low > 0 or self.high < 0)

    def to_dict(self) -> dict[str, float | int | None]:
        def num(x: float) -> float | None:
            return round(x, 6) if math.isfinite(x) else None

        return {
            "diff": num(self.diff),
            "low": num(self.low),
            "high": num(self.high),
            "df": num(self.df),
            "n_changed": self.n_changed,
            "n_base": self.n_base,
            "level": self.level,
            "tied": self.tied,
        }


def mean_difference(changed: Sequence[float], base: Sequence[float], level: float = 0.95) -> Difference:
    """Welch's t-interval for `mean(changed) - mean(base)`; non-finite values are left out.

    Args:
        changed: The metric of each seed with the change.
        base: The metric of each seed without it.
        level: Confidence level of the interval. Defaults to `0.95`.
    """
    a = np.asarray([v for v in changed if math.isfinite(v)], dtype=np.float64)
    b = np.asarray([v for v in base if math.isfinite(v)], dtype=np.float64)
    if not len(a) or not len(b):
        return Difference(math.nan, math.nan, math.nan, math.nan, len(a), len(b), level)
    diff = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2:
        return Difference(diff, math.nan, math.nan, math.nan, len(a), len(b), level)
    if _tied(a) and _tied(b):  # a spread of 0 from a few seeds is unknown, not zero
        return Difference(diff, math.nan, math.nan, math.nan, len(a), len(b), level, tied=True)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = t_quantile(0.5 + level / 2, df) * se
    return Difference(diff, diff - half, diff + half, float(df), len(a), len(b), level)


def _tied(values: np.ndarray) -> bool:
    """All values equal, up to rounding (0.9 three times has a variance of 1e-32, not 0)."""
    return bool(np.ptp(values) <= 1e-12 * max(1.0, float(np.max(np.abs(values)))))


def t_quantile(p: float, df: float) -> float:
    """The `p` quantile of Student's t with `df` degrees of freedom (scipy, a dependency of scikit-learn)."""
    from scipy.stats import t

    return float(t.ppf(p, df))
