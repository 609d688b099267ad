"""Pure measurements on per-epoch series (numpy arrays, NaN where an epoch lacks a value).

Rules measure with these first, then judge the numbers against `Thresholds`.
Indices are 0-based here; rules add 1 when they name an epoch for a person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def finite_prefix(values: np.ndarray) -> np.ndarray:
    """The values before the first NaN/Inf (what a curve rule can trust after a divergence)."""
    bad = np.flatnonzero(~np.isfinite(values))
    return values[: bad[0]] if bad.size else values


def smooth(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average; the window shrinks at both ends, NaNs are ignored."""
    half = window // 2
    finite = np.isfinite(values)
    kernel = np.ones(2 * half + 1)
    # Sums and counts of the finite values in each window, summed directly (no running cumulative sum).
    if not values.size:
        return np.full(values.shape, np.nan)
    sums = np.convolve(np.where(finite, values, 0.0), kernel)[half : half + values.size]
    counts = np.convolve(finite.astype(float), kernel)[half : half + values.size]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), np.nan)


def end_level(values: np.ndarray, count: int) -> float:
    """Mean of the last `count` finite values."""
    finite = values[np.isfinite(values)]
    return float(finite[-count:].mean()) if finite.size else float("nan")


def noise_sd(values: np.ndarray, window: int) -> float:
    """Robust standard deviation (1.4826 MAD) of a curve around its moving average, relative to that average.

    Relative, because the noise of a loss curve scales with its level.
    """
    trend = smooth(values, window)
    residual = (values - trend) / np.where(trend > 0, trend, np.nan)
    residual = residual[np.isfinite(residual)]
    if residual.size < 3:
        return 0.0
    return float(1.4826 * np.median(np.abs(residual - np.median(residual))))


def relative_drop(before: float, after: float) -> float:
    """How much a positive quantity fell, as a share of `before` (negative when it rose)."""
    return (before - after) / before if before > 0 else 0.0


@dataclass(frozen=True)
class Swings:
    """Epoch-to-epoch moves of a curve larger than a threshold."""

    up: int
    down: int
    sign_changes: int
    median_move: float  # median |change| relative to the level (or absolute for accuracy)
    moves: int = 0  # epoch-to-epoch moves counted

    @property
    def share(self) -> float:
        """Share of the moves that are swings."""
        return (self.up + self.down) / self.moves if self.moves else 0.0


def count_swings(values: np.ndarray, threshold: float, relative: bool, floor: float = 0.0) -> Swings:
    """Count moves above `threshold`: relative to the smoothed level (at least `floor`) for losses, else absolute."""
    values = values[np.isfinite(values)]
    if values.size < 3:
        return Swings(0, 0, 0, 0.0)
    moves = np.diff(values)
    if relative:
        level = np.maximum(np.abs(smooth(values, 5)[:-1]), floor)
        moves = moves / np.where(level > 0, level, 1.0)
    signs = np.sign(moves[moves != 0])
    return Swings(
        up=int((moves > threshold).sum()),
        down=int((moves < -threshold).sum()),
        sign_changes=int((signs[1:] != signs[:-1]).sum()),
        median_move=float(np.median(np.abs(moves))),
        moves=int(moves.size),
    )


def longest_flat_run(values: np.ndarray, tolerance: float) -> tuple[int, int]:
    """(start, end) indices, inclusive, of the longest stretch staying within `tolerance` of its start."""
    best = (0, 0)
    start = 0
    for i in range(1, values.size + 1):
        if i == values.size or not abs(values[i] - values[start]) <= tolerance:
            if i - 1 - start > best[1] - best[0]:
                best = (start, i - 1)
            start = i
    return best


def held_share(condition: np.ndarray) -> float:
    """Share of the entries of a boolean window that hold (0 for an empty window)."""
    return float(condition.mean()) if condition.size else 0.0


def last_finite(values: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The last `count` finite values and their indices."""
    index = np.flatnonzero(np.isfinite(values))[-count:]
    return values[index], index


def finite_median(values: np.ndarray) -> float:
    """Median of the finite values, NaN when there are none (no warning)."""
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def column_medians(matrix: np.ndarray) -> np.ndarray:
    return np.array([finite_median(matrix[:, j]) for j in range(matrix.shape[1])])


def row_max(matrix: np.ndarray) -> np.ndarray:
    """Largest finite value per row, NaN for a row without one."""
    safe = np.where(np.isfinite(matrix), matrix, -np.inf).max(axis=1)
    return np.where(np.isfinite(safe), safe, np.nan)


def rebound(loss: np.ndarray, end: float, window: int) -> tuple[float, int]:
    """How far the end level sits above the lowest `window`-epoch mean of `loss` (0 while it keeps falling), and the
    index of that low (the window's centre)."""
    if loss.size < window:
        return 0.0, loss.size - 1
    means = np.convolve(loss, np.ones(window) / window, mode="valid")
    at = int(np.argmin(means))
    low = float(means[at])
    return (end / low - 1 if low > 0 else 0.0), at + window // 2


def samples_behind(accuracy: np.ndarray, most: int = 5000, tolerance: float = 1e-6) -> int | None:
    """The number of samples n an accuracy curve was counted over, or None where its values do not tell.

    Keras's epoch accuracy is correct / n (the validation accuracy exactly, the training accuracy as the running
    mean of a whole epoch), so every value lies on the lattice k / n. The smallest n up to `most` that puts at least
    three distinct values within `tolerance` of it is that count (float32 logs carry about seven digits).
    """
    values = np.unique(np.round(accuracy[np.isfinite(accuracy)], 7))
    values = values[(values > 0) & (values < 1)]
    if values.size < 3:
        return None
    for n in range(2, most + 1):
        scaled = values * n
        if np.all(np.abs(scaled - np.round(scaled)) <= tolerance * n):
            return n
    return None
