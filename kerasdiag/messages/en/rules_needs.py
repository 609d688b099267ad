"""What rules need from a run's anatomy: why one is skipped, the chance level it judges against, which loss it read."""

MESSAGES = {
    # Why a rule is skipped: the anatomy rules out what it needs (rules.base.needs).
    "needs.regression": "a regression run (loss {loss}): class rules do not apply",
    "needs.multilabel": (
        "a multi-label run ({labels} independent labels): rules for one class per sample do not apply"
    ),
    "needs.multi_output": (
        "a model with {outputs} outputs: Keras's loss and accuracy mix its heads, so rules for one classifier do not "
        "apply"
    ),
    "needs.probabilities": (
        "the saved predictions are not class probabilities (rows in [0, 1] that sum to 1; task {task}): "
        "calibration cannot be measured"
    ),
    "needs.chance_accuracy": "the chance-level accuracy is unknown: the number of classes is not known (task {task})",
    "needs.target_variance": (
        "the training targets do not vary (variance {variance}): there is no spread for R² to explain"
    ),
    # The chance level a loss is compared with (rules.base.Chance.loss_phrase).
    "chance.loss.multiclass": "the chance-level loss ln({classes}) = {value}",
    "chance.loss.binary": "the chance-level loss ln(2) = {value}",
    "chance.loss.regression": (
        "the chance-level loss {value} (the targets' variance: the MSE of always predicting their mean)"
    ),
    "chance.loss.guessed": "the chance-level loss ln(k) = {value}",
    "chance.loss.bound": (
        "ln({classes}) = {value}, above the chance-level loss of any classifier with up to {classes} classes (the "
        "logs give no class count)"
    ),
    "chance.loss.squared": (
        "the chance-level loss of a squared error on {classes} classes, {value} (every class given 1/{classes})"
    ),
    # Which loss a loss rule judged, after its summary (rules.loss_series).
    "loss_basis.data": (
        "{summary} Judged on the data loss (without the L1/L2 penalty) measured on the probe batch: Keras's loss "
        "adds the penalty."
    ),
    "loss_basis.data.validation": (
        "{summary} Both are data losses (without the L1/L2 penalty): training measured on the probe batch, "
        "validation as val_loss less the penalty at that epoch."
    ),
    "loss_basis.unmeasured": (
        "{summary} Keras's loss includes an L1/L2 penalty that was not measured, so this judges penalty and data "
        "loss together (low confidence)."
    ),
    # A run's task as a reason names it (the ids stay in JSON evidence).
    "task.multiclass-softmax": "multiclass-softmax",
    "task.multiclass-logits": "multiclass-logits",
    "task.binary-sigmoid": "binary-sigmoid",
    "task.binary-logits": "binary-logits",
    "task.multi-label": "multi-label",
    "task.regression": "regression",
    "task.unknown": "unknown",
    "task.outputs": "{count} outputs",
}
