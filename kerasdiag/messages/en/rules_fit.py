"""overfitting and underfitting: how the training and validation curves relate."""

MESSAGES = {
    "overfitting.title": "Overfitting: validation loss rises while training loss falls",
    "overfitting.explanation": (
        "The model keeps fitting the training set better while getting worse on data it has not seen: it memorises "
        "training samples instead of learning patterns that generalise. Judge a run by validation loss, not training "
        "loss; accuracy can hide this because it only counts which side of the threshold a prediction falls on, "
        "while the loss also sees predictions becoming over-confident and wrong."
    ),
    "overfitting.summary.rising": (
        "val_loss lowest {best_val} at epoch {best_epoch}, {end_val} over the last {patience} epochs (+{rise} above "
        "its smoothed minimum {smoothed_min}, threshold {threshold}); train loss fell {train_drop} meanwhile "
        "({train_at_best} -> {train_end})."
    ),
    "overfitting.summary.memorised": (
        "val_loss lowest {best_val} at epoch {best_epoch}; by epoch {low_epoch} it was +{part} above its smoothed "
        "minimum {smoothed_min} while train loss still fell ({train_at_best} -> {train_low}): the model memorised "
        "first. After that train loss moved too ({train_end} over the last epochs) and val_loss ends +{rise} above "
        "its minimum."
    ),
    "overfitting.summary.stalled": (
        "val_loss has not improved for {epochs_since_best} epochs (lowest {best_val} at epoch {best_epoch}) while "
        "train loss fell {train_drop} ({train_at_best} -> {train_end}): the gap is growing."
    ),
    "overfitting.few_samples": (
        "The validation split has only about {samples} samples (fewer than {threshold}): a rise this size can come "
        "from a handful of them (on so few, a warning needs a rise of {needed} or more)."
    ),
    "overfitting.one_sample": (
        "Summed over the {samples} validation samples the rise adds {extra} nats of loss, less than the {threshold} "
        "that one prediction turning 90% confidently wrong adds (ln 10): one or two samples can cause it, and "
        "new data need not show it."
    ),
    "overfitting.noted": "{summary} {note}",
    "overfitting.as_note": "{summary} So this is a note, not a warning.",
    "overfitting.calibration": (
        "{summary} On {samples} held-out samples P(true class) is above {high} or below {low} for {share}, ECE {ece}."
    ),
    "overfitting.calibration.with_best": (
        "{summary} On {samples} held-out samples P(true class) is above {high} or below {low} for {share}, ECE {ece} "
        "({best_share} and {best_ece} at the best epoch)."
    ),
    "overfitting.fix.stop": "Stop at the best epoch ({epoch}).",
    "overfitting.fix.dropout": "Randomly drop units while training.",
    "overfitting.fix.l2": "Penalise large weights (weight decay).",
    "overfitting.fix.more_data": "Train on more data.",
    "overfitting.skip.short": "needs at least {needed} finite epochs; this run has {count}",
    "underfitting.title": "Underfitting: training and validation both stay poor",
    "underfitting.explanation": (
        "The model does not even fit the data it trains on, so it cannot do well on new data either. Common causes: "
        "too few epochs, a learning rate that is too low, a model without non-linearities or with too little "
        "capacity, or an optimiser stuck on a hard-to-train network."
    ),
    "underfitting.summary": (
        "Train accuracy {accuracy} and validation accuracy {val_accuracy} at the end (skill {skill} < {threshold}, "
        "0 = chance); loss fell {drop} over the last {window} epochs."
    ),
    "underfitting.summary.regression": (
        "R² (1 - MSE / the targets' variance {variance}) is {r2} on training and {val_r2} on validation at the end "
        "(below {threshold}: the model explains little of the targets' spread, 0 = predicting their mean); loss fell "
        "{drop} over the last {window} epochs."
    ),
    "underfitting.summary.short_skill": (
        "Only {epochs} epochs, and the last one is still poor: train accuracy as skill over chance {train}, "
        "validation {val} (below {threshold}, 0 = chance, 1 = every answer right). Too short to tell whether the "
        "model would learn with more epochs; it has not learned yet."
    ),
    "underfitting.summary.short_r2": (
        "Only {epochs} epochs, and the last one explains little of the targets' spread: R² {train} on training, "
        "{val} on validation (below {threshold}, 0 = predicting their mean). Too short to tell whether the model "
        "would learn with more epochs; it has not learned yet."
    ),
    "underfitting.no_validation": "n/a",
    "underfitting.fix.longer": "The loss is still falling: train longer.",
    "underfitting.fix.short": ("{epochs} epochs are too few to judge; train for well over {needed} and look again."),
    "underfitting.fix.low_lr": (
        "The learning rate {lr} is a tenth of {optimizer}'s usual {usual} or less: take ten times larger steps."
    ),
    "underfitting.fix.relu": "Add a non-linearity between layers.",
    "underfitting.fix.adam": "An adaptive optimiser usually learns faster.",
    "underfitting.fix.units": "Give the model more capacity.",
}
