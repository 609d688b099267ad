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
    "view.report.threshold": "suggested threshold on P({label})",
    "view.report.threshold_rule": "how the threshold is used and chosen",
    "view.report.threshold_value": (
        "predict {label} when P({label}) >= {value}, else {other}; {criterion}; chosen on {chosen} validation "
        "samples, balanced accuracy there {val_balanced}"
    ),
    "view.report.threshold_scored": "threshold scored on",
    "view.report.accuracy_at_threshold": "accuracy at that threshold (on those samples)",
    "view.report.balanced_at_threshold": "balanced accuracy at that threshold (on those samples)",
    "view.report.accuracy_at_half": "accuracy at 0.5 (on those samples)",
    "view.report.caption.loss": (
        "Training and validation loss; the circle marks the epoch with the lowest validation loss."
    ),
    "view.report.caption.accuracy": "Training and validation accuracy.",
    "view.report.caption.gradients": "Gradient norm of each layer across epochs (log scale).",
    "view.report.caption.probabilities": (
        "Predicted probability on held-out data, one histogram per true class; with two classes, the probability "
        "of the first class, with the suggested threshold on it."
    ),
    "view.report.caption.reliability": (
        "Calibration: accuracy against confidence; below the diagonal means over-confident. "
        "A point's area and its n= label give the samples in its bin."
    ),
}
