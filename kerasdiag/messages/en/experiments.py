"""Words of the experiments (sweep, fix, compare): metric names, conclusions, why a fix is not applied, notes."""

MESSAGES = {
    # Sweep and fix metrics: the short heading (tables, sentences) and the axis label (sweep plot).
    "exp.metric.val_accuracy": "final val_acc",
    "exp.metric.best_val_accuracy": "best val_acc",
    "exp.metric.val_loss": "final val_loss",
    "exp.metric.best_val_loss": "best val_loss",
    "exp.metric.gap": "acc gap train-val",
    "exp.metric.epochs_to_best": "epochs to best",
    "exp.axis.val_accuracy": "validation accuracy (last epoch)",
    "exp.axis.best_val_accuracy": "best validation accuracy",
    "exp.axis.val_loss": "validation loss (last epoch)",
    "exp.axis.best_val_loss": "lowest validation loss",
    "exp.axis.gap": "accuracy gap: training - validation (last epoch)",
    "exp.axis.epochs_to_best": "epochs to the lowest validation loss",
    "exp.healthy": "healthy",
    # Sweep conclusion.
    "exp.sweep.no_metric": "No finished run has this metric yet.",
    "exp.sweep.best": "Best setting by {metric}: {setting} ({value}).",
    "exp.sweep.runner_up": (
        "The runner-up, {setting}, is within the spread over repeats: the two are not clearly apart."
    ),
    "exp.sweep.range": "Across settings it ranges from {worst} ({worst_setting}) to {best}.",
    "exp.sweep.peak": "{metric} improves up to {key}={value} and gets worse beyond it.",
    "exp.sweep.largest": "{metric} is best at the largest {key} tried: try larger values.",
    "exp.sweep.smallest": "{metric} is best at the smallest {key} tried: try smaller values.",
    "exp.sweep.sharpest": "The sharpest turn is from {key}={before} to {key}={after}: {low} -> {high}.",
    # Fix conclusion.
    "exp.fix.nothing": "No fix finished on both sides; nothing to compare ({metric}).",
    "exp.fix.no_interval": "(no interval: fewer than 2 seeds)",
    "exp.fix.seeds": "n={changed}+{base} seeds",
    "exp.fix.no_gain": "No fix improves {metric}: the best, {flags}, changes it by {diff} {interval} ({seeds}).",
    "exp.fix.no_gain_noise": (
        "No fix improves {metric}: the best, {flags}, changes it by {diff} {interval} ({seeds}): "
        "within what seeds alone can change."
    ),
    "exp.fix.winner": (
        "Winner on {metric}: {flags} ({diff}, 95% interval {interval}, {seeds}): a gain the seeds cannot explain."
    ),
    "exp.fix.winner_noise": (
        "Winner on {metric}: {flags} ({diff}, 95% interval {interval}, {seeds}): within what seeds alone can change."
    ),
    # Why a fix is not applied automatically.
    "exp.fix.reason.no_flag": "no train flag fixes it (a change to the data or the setup)",
    "exp.fix.reason.refused": "train refuses it: {error}",
    "exp.fix.reason.already": "changes nothing: the run already has it",
    "exp.fix.reason.does_not_parse": "does not parse as train flags: {error}",
    "exp.fix.reason.script_already": "changes nothing: the script's run already has it",
    "exp.fix.reason.not_in_script": "cannot be applied to a script automatically: {flags}: {why}",
    "exp.fix.reason.script_data": "the script loads and splits its data (edit the script)",
    "exp.fix.reason.script_model": "the script builds it (edit the script)",
    "exp.fix.reason.no_dropout_layer": "the model has no Dropout layer (add one)",
    "exp.fix.reason.split_never_shuffles": "changes nothing: Keras's validation_split never shuffles",
    "exp.fix.reason.no_split_to_shuffle": (
        "changes nothing: the script's fit has no validation_split to shuffle before (fit shuffles each epoch)"
    ),
    # Notes while planning or training.
    "exp.fix.note.no_argv": (
        "run.json records no argv (a run from an older kerasdiag): the script runs without arguments"
    ),
    "exp.fix.note.no_fit_index": "run.json records no fit index: the script's first fit is changed",
    "exp.fix.note.no_run": "{where} {name}: no run ({problem}; output in {log})",
    "exp.batched.not_vectorised": "Training runs one by one, not vectorised: {reason}",
    # The held-out split a number was measured on, and how the suggested threshold was chosen.
    "exp.split.val": "val",
    "exp.split.validation": "validation",
    "exp.split.test": "test",
    "exp.threshold.criterion": (
        "maximises balanced accuracy on the validation predictions (of the thresholds within one sample of the best, "
        "the one nearest 0.5)"
    ),
}
