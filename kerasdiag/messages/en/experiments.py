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
    "exp.sweep.noise.seeds": (
        "Seed noise: over {seeds} seeds per setting, {metric} spreads by {spread} (pooled standard deviation); "
        "differences between settings below {threshold} are noise."
    ),
    "exp.sweep.noise.tied": (
        "Over {seeds} seeds per setting the seeds barely differ in {metric} (spread {spread}: {seeds} seeds cannot "
        "show a spread is small); by the runs' epoch-to-epoch noise, differences below {threshold} are noise."
    ),
    "exp.sweep.noise.tied_unknown": (
        "The {seeds} seeds of each setting tied on {metric} (a spread of 0 from {seeds} seeds: unknown, not zero), "
        "and the runs are too short to estimate their noise: any of these differences may be noise."
    ),
    "exp.sweep.noise.one_seed": (
        "One seed: differences below {threshold} are noise (estimated from how much each run's {curve} moves from "
        "epoch to epoch over its last {window} epochs; the noise between seeds is usually larger: --repeats 3 "
        "measures it)."
    ),
    "exp.sweep.noise.unknown": (
        "One seed, and curves too short or too flat to estimate the noise from: any of these differences may be "
        "noise (--repeats 3 measures it)."
    ),
    "exp.sweep.noise.no_curve": (
        "One seed: the noise of {metric} cannot be estimated from one run, so any of these differences may be noise "
        "(--repeats 3 measures it)."
    ),
    "exp.sweep.runner_up": (
        "The runner-up, {setting}, is {diff} behind: within the noise, so the two are not clearly apart."
    ),
    "exp.sweep.range": "Across settings it ranges from {worst} ({worst_setting}) to {best}.",
    "exp.sweep.flat": (
        "{metric} is flat over {key} within the noise ({threshold}): no value of {key} tried is clearly better."
    ),
    "exp.sweep.near_best": (
        "{metric} is best at {key}={value}, but {key}={others} is also within the noise ({threshold}) of it."
    ),
    "exp.sweep.peak": "{metric} improves up to {key}={value} and gets worse beyond it.",
    "exp.sweep.largest": "{metric} is best at the largest {key} tried, beyond the noise: try larger values.",
    "exp.sweep.smallest": "{metric} is best at the smallest {key} tried, beyond the noise: try smaller values.",
    "exp.sweep.sharpest": "The sharpest turn is from {key}={before} to {key}={after}: {low} -> {high}.",
    "exp.sweep.ends_disagree": (
        "By {other} the best setting is {other_setting}, not {setting}: which one wins depends on when training stops."
    ),
    "exp.sweep.still_improving": (
        "Still improving at the last epoch in {count} of {total} settings ({settings}; best epoch/epochs): "
        "a longer run may change the order."
    ),
    "exp.sweep.and_more": ", and {count} more",
    # Fix conclusion.
    "exp.fix.nothing": "No fix finished on both sides; nothing to compare ({metric}).",
    "exp.fix.sentence_gap": " ",
    "exp.fix.interval": "{level} interval [{low}, {high}]",
    "exp.fix.no_interval": "no interval: fewer than 2 seeds",
    "exp.fix.tied": "no interval: the seeds tied, and a spread of 0 from n={seeds} seeds is unknown, not zero",
    "exp.fix.seeds": "n={changed}+{base} seeds",
    "exp.fix.head.winner.one": "Winner on {metric}",
    "exp.fix.head.winner.best_of": "Best of {k} fixes on {metric}",
    "exp.fix.head.no_gain.one": "the one fix tried",
    "exp.fix.head.no_gain.best_of": "the best of {k}",
    "exp.fix.winner": "{head}: {flags} ({diff}, {interval}, {seeds}): a gain the seeds cannot explain.",
    "exp.fix.winner_noise": "{head}: {flags} ({diff}, {interval}, {seeds}): within what seeds alone can change.",
    "exp.fix.winner_unknown": "{head}: {flags} ({diff}, {interval}, {seeds}): the seeds cannot tell it from noise.",
    "exp.fix.no_gain": "No fix improves {metric}: {head}, {flags}, changes it by {diff} ({interval}, {seeds}).",
    "exp.fix.no_gain_noise": (
        "No fix improves {metric}: {head}, {flags}, changes it by {diff} ({interval}, {seeds}): "
        "within what seeds alone can change."
    ),
    "exp.fix.no_gain_unknown": (
        "No fix improves {metric}: {head}, {flags}, changes it by {diff} ({interval}, {seeds}): "
        "the seeds cannot tell it from noise."
    ),
    "exp.fix.bonferroni": (
        "The best of {k} fixes is likely the luckiest too, so every interval is a {level} one (Bonferroni over "
        "{k}: the {k} intervals hold together at 95%)."
    ),
    "exp.fix.failed": (
        "{flags} diverged in {failed} of {runs} seeds: those are failed seeds, counted against it as the worst "
        "{metric} any seed reached ({worst})."
    ),
    "exp.fix.baseline_failed": (
        "The baseline diverged in {failed} of {runs} seeds: counted as the worst {metric} any seed reached ({worst})."
    ),
    "exp.fix.noise.seeds": (
        "Seed noise: the baseline's {metric} spreads by {spread} over {seeds} seeds (standard deviation)."
    ),
    "exp.fix.noise.one": (
        "Seed noise: with {seeds} baseline seed the spread between seeds is unknown (--seeds 3 measures it)."
    ),
    "exp.fix.noise.tied": (
        "Seed noise: the {seeds} baseline seeds tied on {metric}; a spread of 0 from {seeds} seeds says the spread "
        "is unknown, not that there is none."
    ),
    "exp.fix.ends_disagree": (
        "By {other} the best fix is {other_flags}, not {flags}: which one wins depends on when training stops."
    ),
    "exp.fix.still_improving": (
        "Still improving at the last epoch: {configs} (best epoch/epochs): a longer run may change the order."
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
