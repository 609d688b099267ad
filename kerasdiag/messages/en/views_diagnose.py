"""The diagnosis views: the table of many runs, the terminal blocks, the HTML report's headings, the verdict line."""

MESSAGES = {
    "table.diagnose.title": "kerasdiag diagnose",
    "table.diagnose.run": "run",
    "table.diagnose.epochs": "epochs",
    "table.diagnose.best_val_acc": "best val_acc",
    "table.diagnose.worst": "worst",
    "table.diagnose.findings": "findings",
    "table.diagnose.healthy": "healthy",
    "table.diagnose.too_short": "too short",
    # The verdict line above the findings: never "No problems found." beside a finding.
    "diagnosis.verdict.healthy": "No problems found.",
    "diagnosis.verdict.notes": "No warnings or errors; {count} notes below.",
    "diagnosis.verdict.notes.one": "No warnings or errors; 1 note below.",
    "diagnosis.verdict.too_short": "Too short to judge: {count} epochs; the curve rules need at least {needed}.",
    "diagnosis.verdict.too_short.one": "Too short to judge: 1 epoch; the curve rules need at least {needed}.",
    "diagnosis.verdict.with_notes": "{verdict} {notes}",
    "diagnosis.verdict.notes_below": "{count} notes below.",
    "diagnosis.verdict.notes_below.one": "1 note below.",
}
