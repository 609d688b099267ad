"""A sweep's results as a Rich table: one row per setting, mean ± std over repeats."""

from __future__ import annotations

from rich.table import Table

from kerasdiag.experiments.sweep.summary import METRICS, SettingRow, mean_pm


def sweep_table(rows: list[SettingRow], title: str) -> Table:
    """A Rich table: one row per setting, mean ± std over repeats, and the main finding."""
    from rich.markup import escape

    table = Table(title=escape(title))
    table.add_column("setting", no_wrap=True)
    table.add_column("runs", justify="right")
    for heading, _ in METRICS.values():
        table.add_column(heading.replace(" ", "\n", 1), justify="right")
    table.add_column("main finding", no_wrap=True)
    for row in rows:
        cells = [mean_pm(row, key) for key in METRICS]
        table.add_row(escape(row.name), str(row.runs), *cells, escape(row.main_finding))
    return table
