"""The diagnosis views: the table of many runs, the terminal blocks, the HTML report's headings."""

MESSAGES = {
    "table.diagnose.title": "kerasdiag diagnose",
    "table.diagnose.run": "run",
    "table.diagnose.epochs": "epochs",
    "table.diagnose.best_val_acc": "best val_acc",
    "table.diagnose.worst": "worst",
    "table.diagnose.findings": "findings",
    "table.diagnose.healthy": "healthy",
}
