"""A sweep's results as a Rich table: one row per setting, mean ± std over repeats, best and final values."""

from __future__ import annotations

import math

from rich.table import Table

from kerasdiag.experiments.sweep.summary import METRICS, SettingRow, heading, mean_pm
from kerasdiag.messages import render
from kerasdiag.render.safe import printable


def sweep_table(rows: list[SettingRow], title: str, lang: str = "en") -> Table:
    """A Rich table: one row per setting, mean ± std over repeats, and the main finding (headings in `lang`)."""
    from rich.markup import escape

    table = Table(title=escape(printable(title)))  # names from sweep.json and run folders: control chars escaped
    table.add_column(render("view.sweep.setting", lang), no_wrap=True)
    table.add_column(render("view.sweep.runs", lang), justify="right")
    for key in METRICS:
        table.add_column(_two_lines(heading(key, lang)), justify="right")
    table.add_column(render("view.sweep.main_finding", lang), no_wrap=True)
    for row in rows:
        cells = [_cell(row, key) for key in METRICS]
        name, finding = printable(row.name), printable(row.main_finding_in(lang))
        table.add_row(escape(name), str(row.runs), *map(printable, cells), escape(finding))
    return table


def _cell(row: SettingRow, key: str) -> str:
    """`mean±std`; epochs to best with the epochs trained (`19.0±1.0/20`), so a best at the last epoch shows."""
    cell = mean_pm(row, key)
    epochs = row.mean("epochs")
    if key == "epochs_to_best" and cell != "-" and math.isfinite(epochs):
        return f"{cell}/{epochs:.0f}"
    return cell


def _two_lines(heading: str) -> str:
    """A column heading on two lines: `final\\nval_acc`, `val_acc\\n（最終）`."""
    if "（" in heading and not heading.startswith("（"):
        return heading.replace("（", "\n（", 1)
    return heading.replace(" ", "\n", 1)
