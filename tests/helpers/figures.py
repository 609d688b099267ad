"""Helpers for tests that check figures: decode a PNG, count the axes of each figure saved."""

from __future__ import annotations

from pathlib import Path

from kerasdiag.render import figures as plots


def assert_png(path: Path, min_bytes: int = 10_000) -> None:
    """A real, decodable, non-blank PNG of README size."""
    from matplotlib import image

    pixels = image.imread(path)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 400, pixels.shape
    assert path.stat().st_size > min_bytes
    assert pixels.std() > 0.01  # not a blank image


def count_axes(monkeypatch) -> dict[str, int]:
    """Record the number of axes of every figure kerasdiag.render.figures saves, by file name."""
    seen: dict[str, int] = {}
    save = plots._save

    def counting(fig, path):
        seen[path.name] = len(fig.axes)
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", counting)
    return seen
