"""The HTML report of one run. The templates are HTML: the page escapes the values, never the template."""

MESSAGES = {
    "view.report.title": "kerasdiag report: {name}",
    "view.report.status": "Status: <b>{status}</b>, {epochs} epochs.",
    "view.report.status.running": "running",
    "view.report.status.completed": "completed",
    "view.report.status.interrupted": "interrupted",
    "view.report.status.diverged": "diverged",
    "view.report.status.failed": "failed",
    "view.report.findings": "Findings",
    "view.report.figures": "Figures",
    "view.report.config": "Config",
    "view.report.numbers": "{evidence} (numbers)",
    "view.report.ece": "expected calibration error ({split})",
    "view.report.threshold": "suggested threshold on P(class 1)",
    "view.report.threshold_value": "{value} ({criterion})",
    "view.report.accuracy_at_threshold": "accuracy at that threshold ({split})",
    "view.report.accuracy_at_half": "accuracy at 0.5 ({split})",
    "view.report.caption.loss": (
        "Training and validation loss; the circle marks the epoch with the lowest validation loss."
    ),
    "view.report.caption.accuracy": "Training and validation accuracy.",
    "view.report.caption.gradients": "Gradient norm of each layer across epochs (log scale).",
    "view.report.caption.probabilities": "Predicted probability on held-out data, one histogram per true class.",
    "view.report.caption.reliability": (
        "Calibration: accuracy against confidence; below the diagonal means over-confident."
    ),
}
