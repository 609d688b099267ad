"""The data rules: validation-mismatch, unnormalized-input and class-imbalance, from class counts or curves."""

MESSAGES = {
    # validation-mismatch
    "validation-mismatch.title": "Validation classes differ from training classes",
    "validation-mismatch.explanation": (
        "Keras's validation_split takes the LAST part of the arrays, without shuffling. When the file is ordered by "
        "class, the validation set holds only the last class(es), some of which training may never see: validation "
        "loss and accuracy then measure something else than the model's skill on the task. Shuffle before splitting."
    ),
    "validation-mismatch.summary.counts": (
        "Class counts differ: train {train}, validation {validation} (distance {distance}, threshold {threshold})"
        "{unseen}{single}."
    ),
    "validation-mismatch.unseen": "; validation holds class(es) {classes} that training never saw",
    "validation-mismatch.single": (
        "; validation holds a single class ({label}), so its accuracy says nothing about the others"
    ),
    "validation-mismatch.summary.curves": (
        "Validation accuracy ends at {val_end}, below {share} x chance ({chance}), while training accuracy reaches "
        "{train_end}: the validation set likely holds classes training never saw (from the curves; no class counts in "
        "these logs)."
    ),
    "validation-mismatch.fix.shuffle": "Shuffle before splitting so that both splits hold every class.",
    "validation-mismatch.skip.no_validation_counts": "no class counts of the validation split",
    "validation-mismatch.skip.no_validation": "no validation data (fit had no validation_split or validation_data)",
    # unnormalized-input
    "unnormalized-input.title": "Inputs are not normalised",
    "unnormalized-input.init.title": "A bad initialisation: epoch 1's loss is far above chance",
    "unnormalized-input.init.explanation": (
        "Kernels drawn with a large spread (the model config says so) make each layer's outputs grow layer by "
        "layer, so the first predictions are extreme and confidently wrong: epoch 1's loss is far above what "
        "guessing scores. Training can recover, but slowly, and units can saturate or die on the way. Initialisers "
        "scaled to the layer size (Keras's default Glorot, or He) keep the outputs in range. These logs hold no "
        "input range, so the inputs are not blamed."
    ),
    "unnormalized-input.explanation": (
        "Inputs far larger than 1 (raw pixels 0..255) make the first layer's outputs and gradients huge, so a "
        "learning rate that suits normalised data overshoots, units saturate or die, and the loss can diverge. "
        "Scaling inputs to [0, 1] or to mean 0 and std 1 keeps every layer in a well-behaved range."
    ),
    "unnormalized-input.summary.range": (
        "Inputs range from {low} to {high} (std {std}); thresholds |x| <= {abs_max}, std <= {std_max}."
    ),
    "unnormalized-input.summary.first_loss": (
        "Epoch 1's loss{less_penalty} is {first}, {ratio}x {chance} (threshold {threshold}x): {causes}{init}."
    ),
    "unnormalized-input.less_penalty": " less its weight penalty",
    "unnormalized-input.cause.init": "a bad initialisation",
    "unnormalized-input.cause.inputs_or_init": "unscaled inputs or a bad initialisation",
    "unnormalized-input.cause.any": (
        "unscaled inputs, a learning rate too large for the first steps, an L1/L2 penalty in the loss or a bad "
        "initialisation"
    ),
    "unnormalized-input.curves_only": (
        "{summary} These logs hold no input range, learning rate or penalty, so they cannot tell which: this is a "
        "note, not a warning."
    ),
    "unnormalized-input.wide_init": "; kernels drawn with stddev {stddev}",
    "unnormalized-input.fix.normalize": "Scale inputs to [0, 1] (drop --no-normalize).",
    "unnormalized-input.fix.scale": "Bring the inputs to a small range: [0, 1], or mean 0 and standard deviation 1.",
    "unnormalized-input.fix.init": "Start from weights scaled to the layer size.",
    "unnormalized-input.skip.no_first_loss": "no data summary and no epoch-1 loss with a known number of classes",
    "unnormalized-input.skip.not_classifier": (
        "no data summary, and epoch 1's loss is judged only against a classifier's chance-level loss (task {task})"
    ),
    # class-imbalance
    "class-imbalance.title": "Training classes are imbalanced",
    "class-imbalance.explanation": (
        "When one class is much more frequent, a model can reach a high accuracy by mostly predicting it and still "
        "fail on the rare classes. Look at per-class results, and balance the classes (same number per class, or "
        "class weights)."
    ),
    "class-imbalance.summary.counts": (
        "The largest training class has {largest} samples, the smallest {smallest} (ratio {ratio}; thresholds "
        "{threshold_info} info, {threshold_warning} warning)."
    ),
    "class-imbalance.weighted": (
        "{summary} fit weights the classes (class_weight or sample_weight), so the loss already counts them more "
        "evenly: a note, nothing to change unless the small classes stay poorly predicted."
    ),
    "class-imbalance.summary.pinned": (
        "Training accuracy stays at {value} from epoch {epoch} to the end (spread {spread}), far above chance "
        "{chance}: the model predicts one class, which makes up about {value} of the data (from the curves; no class "
        "counts in these logs)."
    ),
    "class-imbalance.fix.same_count": "Take the same number of samples from every class.",
    "class-imbalance.fix.balance": "Balance the classes (same number per class).",
    "class-imbalance.skip.no_train_counts": "no class counts of the training split",
    "class-imbalance.skip.no_accuracy": "no data summary and no accuracy curve in these logs",
}
