"""How much of a difference between settings is noise: seed spread, epoch-to-epoch noise, and the band of both.

A sweep or a fix compares means over seeds. Two settings whose means differ by less than the noise of that
difference cannot be told apart. With repeats, the noise is the spread across seeds (pooled standard deviation,
ddof=1). With one seed there is no spread to measure; a lower estimate is how much each run's validation curve
moves from epoch to epoch over its last `NOISE_EPOCHS` epochs (the standard deviation of the successive
differences over sqrt(2): a straight trend does not count as noise). Seed-to-seed noise is usually larger
(another initialisation and another shuffle), so this estimate errs towards calling too little noise, and the
texts say so.

The band: differences of two means of n seeds below `Z * sd * sqrt(2 / n)` are noise (about a 95% band for
one comparison), with sd the larger of the seed spread and the epoch noise. A spread of 0 (seeds that tied) is
not taken as no noise: it is unknown, and only the epoch noise can then set the band.

Example:

```python
band = noise_band([[0.90, 0.92], [0.86, 0.88]], epoch_sds=[0.004, 0.005, 0.003, 0.004])
band.threshold   # 2 * 0.01414 * sqrt(2 / 2) = 0.0283
```
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

NOISE_EPOCHS = 6  # the last epochs of a run whose epoch-to-epoch changes estimate its noise
Z = 2.0  # standard errors of a difference that count as noise (about 95%)


def epoch_noise(series: Iterable[float], window: int = NOISE_EPOCHS) -> float:
    """A run's noise from its last `window` finite values: std of successive differences / sqrt(2).

    NaN with fewer than 3 finite values (fewer than 2 differences).

    Example: `epoch_noise([0.5, 0.6, 0.7, 0.8])` is 0.0 (a straight line has no noise).
    """
    values = [float(v) for v in series if math.isfinite(v)][-window:]
    if len(values) < 3:
        return math.nan
    return float(np.std(np.diff(values), ddof=1) / math.sqrt(2))


def pooled_sd(groups: Sequence[Sequence[float]]) -> tuple[float, int]:
    """The pooled standard deviation (ddof=1) over the groups with 2+ finite values, and its degrees of freedom.

    `(nan, 0)` when no group has two finite values.
    """
    squares, df = 0.0, 0
    for group in groups:
        values = np.asarray([v for v in group if math.isfinite(v)], dtype=np.float64)
        if len(values) > 1:
            squares += float(np.sum((values - values.mean()) ** 2))
            df += len(values) - 1
    return (math.sqrt(squares / df), df) if df else (math.nan, 0)


@dataclass(frozen=True)
class NoiseBand:
    """Differences between two settings' means below `threshold` are noise.

    Args:
        threshold: The band (NaN when neither the seeds nor the epochs tell the noise).
        seeds: Seeds per setting (the smallest count among the settings).
        spread: Pooled standard deviation across seeds (NaN with one seed).
        epoch_sd: Median epoch-to-epoch noise of the runs (NaN when the runs are too short or it does not apply).
    """

    threshold: float
    seeds: int
    spread: float
    epoch_sd: float

    @property
    def source(self) -> str:
        """`seeds` when the spread across seeds sets the band, `epochs` when the epoch noise does, else `unknown`."""
        if not math.isfinite(self.threshold):
            return "unknown"
        seeds = math.isfinite(self.spread) and self.spread > 0
        return "seeds" if seeds and not self.spread < self.epoch_sd else "epochs"

    def within(self, difference: float) -> bool:
        """True when `difference` (either sign) is inside the band; an unknown band holds every difference."""
        return not math.isfinite(self.threshold) or abs(difference) <= self.threshold


def noise_band(groups: Sequence[Sequence[float]], epoch_sds: Sequence[float] = (), z: float = Z) -> NoiseBand:
    """The noise band of a difference of two group means (groups: one metric value per seed).

    Args:
        groups: Per setting, the metric of each seed.
        epoch_sds: Per run, `epoch_noise` of the curve the metric comes from (empty when none applies).
        z: Standard errors of the difference that count as noise. Defaults to `Z` (2.0).
    """
    counts = [n for g in groups if (n := sum(1 for v in g if math.isfinite(v)))]
    seeds = min(counts, default=0)
    spread, _ = pooled_sd(groups)
    finite = [s for s in epoch_sds if math.isfinite(s)]
    epoch_sd = float(np.median(finite)) if finite else math.nan
    sds = [s for s in (spread, epoch_sd) if math.isfinite(s) and s > 0]  # tied seeds: a spread of 0 tells nothing
    if not sds or not seeds:
        return NoiseBand(math.nan, seeds, spread, epoch_sd)
    return NoiseBand(z * max(sds) * math.sqrt(2 / seeds), seeds, spread, epoch_sd)


def bonferroni_level(level: float, comparisons: int) -> float:
    """The per-comparison confidence level that keeps `level` for all `comparisons` together (Bonferroni).

    Example: `bonferroni_level(0.95, 3)` is 0.98333...
    """
    return 1 - (1 - level) / max(1, comparisons)
