"""divergence and oscillation: a loss that blows up, or curves that swing up and down."""

MESSAGES = {
    "divergence.title": "Divergence: the loss blew up",
    "divergence.explanation": (
        "Each update overshot the minimum by so much that the loss grew instead of falling, until the numbers "
        "overflowed (NaN or Inf). The usual cause is a learning rate too large for the scale of the inputs and "
        "gradients; once the loss is NaN, training cannot recover."
    ),
    "divergence.summary.non_finite": (
        "The loss became NaN/Inf at epoch {epoch} (status {status}, learning rate {lr}); {last}."
    ),
    "divergence.no_finite_loss": "no epoch ended with a finite loss",
    "divergence.last_finite_loss": "last finite loss {last} (lowest {lowest})",
    "divergence.summary.above_chance": (
        "The training loss stayed finite but blew up: it ended at {end}, {times}x {chance} (threshold {threshold}x; "
        "epoch 1 {first}, lowest {lowest}; learning rate {lr})."
    ),
    "divergence.summary.rose": (
        "The training loss ended {factor}x above its lowest value {lowest} and above epoch 1's {first} "
        "(threshold {threshold}x; learning rate {lr})."
    ),
    "divergence.fix.lr": "Take ten times smaller steps.",
    "divergence.fix.normalize": "Scale inputs to [0, 1].",
    "divergence.fix.batch_norm": "Keep each layer's inputs at a steady scale.",
    "oscillation.title": "Oscillation: the curves swing up and down",
    "oscillation.explanation": (
        "Steps that are too large jump across the valley of the loss instead of descending into it, so the loss "
        "goes up and down from epoch to epoch. Small batches add noise to each step. A smaller learning rate or "
        "a larger batch smooths the descent. A small validation set also makes its curve jumpy: a few samples "
        "flipping change the numbers a lot."
    ),
    "oscillation.summary": (
        "{series} swung up {up} times and down {down} times by more than {size} after epoch {warmup}: {share} of its "
        "moves (median move {median}; thresholds {min_swings} each way, {min_share} of moves)."
    ),
    "oscillation.fix.lr": "Take smaller steps.",
    "oscillation.fix.batch_size": "Larger batches give less noisy gradients.",
    "oscillation.skip.short": "needs at least {needed} finite epochs of loss or val_loss",
}
