"""vanishing-gradients and exploding-gradients: titles, explanations, summaries, fixes and skip reasons."""

MESSAGES = {
    # Why the gradient rules cannot judge (no probes at all: `skip.no_gradient_probes` in rules_shared).
    "gradients.skip.one_layer": "gradient probes for one layer only ({layer}); need the input and output side",
    "gradients.skip.few_epochs": "gradient probes on {count} epoch(s); need at least 2 to judge a trend",
    "vanishing-gradients.title": "Vanishing gradients: the input-side layers barely learn",
    "vanishing-gradients.explanation": (
        "Backpropagation multiplies the gradient by each layer's weights (and activation slopes) on its way back to "
        "the input. When those factors are below 1 the gradient shrinks layer by layer, so the first layers receive "
        "almost no signal and stay near their random start: deeper networks then train worse, not better."
    ),
    "vanishing-gradients.summary.probes": (
        "Gradient norm of {first} (input side) is {ratio} times that of {last} (output side), median over "
        "epochs {span} (threshold {threshold}, held in {share} of them)."
    ),
    "vanishing-gradients.of_data_loss": (
        "{summary} These are gradients of the data loss alone: the L1/L2 penalty's own pull towards zero, which "
        "carries no learning signal, is left out."
    ),
    "vanishing-gradients.summary.config": (
        "{depth} sigmoid/tanh hidden layers (threshold {threshold}) and the loss moved {change} over the last "
        "{window} epochs: each squashing layer shrinks the gradient, so the first layers likely barely learn "
        "(from the model config and curves; no probes)."
    ),
    "vanishing-gradients.fix.relu": "ReLU passes gradients back without squashing them.",
    "vanishing-gradients.fix.init": "Scale initial weights so that signals keep their size layer by layer.",
    "vanishing-gradients.fix.batch_norm": "Re-centre and re-scale each layer's inputs.",
    "vanishing-gradients.fix.residual": "Shortcut connections carry gradients past layers (as in ResNet).",
    "vanishing-gradients.fix.adam": "Adam scales each layer's step to its own gradient size.",
    "vanishing-gradients.fix.fewer_layers": "Use fewer layers.",
    "vanishing-gradients.skip.diverged": ("{diverged}: tiny input-side gradients are its symptom (saturated units)"),
    "exploding-gradients.title": "Exploding gradients",
    "exploding-gradients.explanation": (
        "When the factors multiplied during backpropagation are above 1, or the learning rate is too large, gradients "
        "grow by orders of magnitude; each update then overshoots, the weights grow, and the loss usually ends as "
        "NaN. Smaller steps and normalisation keep the gradients in range."
    ),
    "exploding-gradients.summary.non_finite": (
        "Gradient norms were NaN/Inf from epoch {epoch} on, in every probed layer ({layers}): no finite gradient was "
        "measured before the numbers overflowed."
    ),
    "exploding-gradients.summary.growth": (
        "The largest gradient norm grew {growth}x from {initial} (epoch {epoch}; threshold {threshold_growth}x); "
        "input/output side ratio {ratio} (threshold {threshold_ratio})."
    ),
    "exploding-gradients.summary.growth_then_non_finite": (
        "The largest gradient norm grew {growth}x from {initial} (epoch {epoch}; threshold {threshold_growth}x); "
        "input/output side ratio {ratio} (threshold {threshold_ratio}); gradients became NaN/Inf at epoch "
        "{non_finite_epoch}."
    ),
    "exploding-gradients.fix.lr": "Take smaller steps.",
    "exploding-gradients.fix.batch_norm": "Keep each layer's inputs at a steady scale.",
    "exploding-gradients.fix.init": "Start from weights scaled to the layer size.",
    "exploding-gradients.fix.normalize": "Scale inputs to a small range.",
}
