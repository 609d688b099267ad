"""The calibration rule: overconfidence, held-out probabilities more extreme than the accuracy justifies."""

MESSAGES = {
    "overconfidence.title": "Over-confident predictions (poor calibration)",
    "overconfidence.explanation": (
        "The predicted probabilities are more extreme than the model's accuracy justifies: it says 99% where it is "
        "right far less often. An overfitting model pushes its outputs towards 0 and 1, so the histogram of P(class) "
        "piles up at both ends. Accuracy hides this, because it only looks at which class wins; the loss and "
        "calibration (ECE: the average gap between confidence and accuracy) show it. Do not pick a decision "
        "threshold from such probabilities."
    ),
    "overconfidence.summary": (
        "On {samples} held-out samples the mean confidence is {confidence} but accuracy is {accuracy} (gap {gap}, "
        "threshold {threshold_gap}); ECE {ece} (threshold {threshold_ece}); {extreme_share} of predictions have a "
        "top probability above {extreme}, and P(true class) is above {extreme} or below {extreme_low} for "
        "{extreme_true_share}{best}."
    ),
    "overconfidence.few_samples": (
        "{summary} These are only {samples} predictions (fewer than {needed}), so the gap had to exceed {z} standard "
        "errors of their accuracy, the threshold above."
    ),
    "overconfidence.best_epoch": "; at the best epoch ({epoch}) ECE was {ece}",
    "overconfidence.fix.best_epoch": "Stop at the best epoch, before confidence outgrows skill.",
    "overconfidence.fix.dropout": "Regularise so that the model does not memorise.",
    "overconfidence.fix.l2": "Penalise large weights, which make probabilities extreme.",
    "overconfidence.skip.no_predictions": "no held-out predictions in these logs",
    "overconfidence.skip.shape": "predictions of shape {shape} do not match {labels} labels",
    "overconfidence.skip.not_finite": "held-out probabilities are NaN/Inf (the model diverged)",
    "overconfidence.skip.unseen_classes": (
        "{unseen} held-out samples are of classes the training split never held: no model can predict them, so "
        "they say nothing about calibration; the {count} others are too few to judge (need {needed})"
    ),
    "overconfidence.skip.few_samples": "only {count} held-out predictions; need {needed}",
    "overconfidence.skip.diverged": ("{diverged}: a blown-up model's probabilities say nothing about its calibration"),
}
