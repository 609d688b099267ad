"""The compare view: table titles, metric labels, shared findings, the suggested threshold of each run."""

MESSAGES = {
    "view.compare.flags": "Flags that differ",
    "view.compare.same_flags": "The runs have the same flags (apart from their seeds and names, if those differ).",
    "view.compare.metrics": "Metrics",
    "view.compare.findings": "Findings that differ",
    "view.compare.shared": "Findings in every run: {findings}",
    "view.compare.none": "none",
    "view.compare.threshold": (
        "suggested threshold: predict {label} when P({label}) >= {value}, else {other} ({criterion}; chosen on "
        "{chosen} validation samples, balanced accuracy there {val_balanced}); on {scored} it gives accuracy "
        "{accuracy}, balanced accuracy {balanced} (at 0.5: accuracy {at_half})"
    ),
    "view.compare.scored.held_out": "{count} {split} samples (not used to choose it)",
    "view.compare.scored.half": (
        "the other half of the validation samples ({count}, not used to choose it: the run has no test data)"
    ),
    "view.compare.bins": "Reliability bins (held-out data): samples, accuracy and mean confidence in each bin",
    "view.compare.bin": "confidence",
    "view.compare.bin_cell": "n={count}: acc {accuracy} (conf {confidence})",
    "view.compare.bin_empty": "n=0",
    # Rows of the metrics tables (compare, report): a measure's key in English, its name in Japanese.
    "view.metric.epochs": "epochs",
    "view.metric.final": "final {name}",
    "view.metric.best": "best {name}",
    "view.metric.best_epoch": "best epoch (val_loss)",
    "view.metric.gap": "train-val acc gap",
    "view.metric.ece": "ECE (held-out)",
}
