"""Reasons and phrases several rule families share: a rule could not be evaluated because data is missing."""

MESSAGES = {
    "skip.no_epochs": "no finished epoch in this run",
    "skip.no_metric": "no '{metric}' metric in these logs",
    "skip.too_few_epochs": "needs at least {needed} epochs with a finite '{metric}'; this run has {count}",
    "skip.diverged": "the loss diverged (see divergence)",
    "skip.no_gradient_probes": "no per-layer gradient probes in these logs",
    "skip.probes_off": "kerasdiag could not probe this model: {reason}",
}
