"""The fix view: the table of fixes against the baseline, the plot, fixes not applied, the footnote."""

MESSAGES = {
    "view.fix.title": "Fixes of {run}: change vs the unchanged config, {seeds} seeds each",
    "view.fix.fix": "fix (finding)",
    "view.fix.runs": "runs",
    "view.fix.change": "Δ {metric}\n[{level} interval]",
    "view.fix.runs_failed": "{runs} ({failed} diverged)",
    "view.fix.epochs_to_best": "best epoch\n(val_loss)/epochs",
    "view.fix.tied_cell": "[seeds tied: spread unknown]",
    "view.fix.still_fires": "finding still\nfires (base)",
    "view.fix.baseline_means": "baseline (means)",
    "view.fix.label": "{flags} ({rules})",
    "view.fix.baseline": "baseline",
    "view.fix.plot.seeds": "{metric} (dots: seeds, red x: diverged seed, scored as the worst; bar: mean)",
    "view.fix.plot.change": "Δ {metric} vs baseline, {level} t-interval ({better})",
    "view.fix.plot.right_better": "right is better",
    "view.fix.plot.left_better": "left is better",
    "view.fix.plot.title": "kerasdiag fix {run}: {seeds} seeds per config",
    "view.fix.not_applied": "Not applied",
    "view.fix.not_applied.flags": "{flags} ({rules}): {reason}",
    "view.fix.not_applied.no_flags": "({rules}): {reason}",
    "view.fix.other_validation": (
        "* {flags}: changes which samples are held out, so its validation metrics are measured on other samples "
        "than the baseline's (the finding column still says whether it cleared)."
    ),
}
