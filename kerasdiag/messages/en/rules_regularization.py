"""over-regularization: a weight penalty or dropout so strong that training cannot fit."""

MESSAGES = {
    "over-regularization.title": "Regularised too strongly: the model cannot fit",
    "over-regularization.explanation": (
        "A weight penalty (L1/L2) or dropout keeps the model simple so that it does not memorise the training set. "
        "Too much of it stops learning altogether: the penalty dominates the loss, or dropout removes so many units "
        "that training accuracy stops rising well below what the model can reach. Weaken it step by step (a sweep "
        "over the strength) and keep the strongest setting whose training accuracy still rises."
    ),
    "over-regularization.summary.with_validation": (
        "Train accuracy stays at {accuracy}, validation {val_accuracy} (gain {gain} over the last {window} epochs, "
        "skill {skill} < {threshold}) with {reasons}."
    ),
    "over-regularization.summary.train_only": (
        "Train accuracy stays at {accuracy} (gain {gain} over the last {window} epochs, skill {skill} < {threshold}) "
        "with {reasons}."
    ),
    "over-regularization.summary.regression": (
        "Train R² (1 - MSE / the targets' variance {variance}) stays at {accuracy}, validation {val_r2} (gain "
        "{gain} over the last {window} epochs, below {threshold}) with {reasons}."
    ),
    "over-regularization.reason.penalty": "penalty {share} of the loss >= {threshold}",
    "over-regularization.reason.dropout": "dropout {value} >= {threshold}",
    "over-regularization.reason.l1": "l1 {value} >= {threshold}",
    "over-regularization.reason.l2": "l2 {value} >= {threshold}",
    "over-regularization.reason.val_gap": (
        "train accuracy {gap} below validation (threshold {threshold}) with dropout {dropout}"
    ),
    "over-regularization.reason.val_gap.r2": (
        "train R² {gap} below validation (threshold {threshold}) with dropout {dropout}"
    ),
    "over-regularization.fix.l2": "Weaken the L2 penalty tenfold.",
    "over-regularization.fix.l1": "Weaken the L1 penalty tenfold.",
    "over-regularization.fix.dropout": "Drop fewer units.",
    "over-regularization.skip.no_settings": "no regularisation settings or penalty measurements in these logs",
}
