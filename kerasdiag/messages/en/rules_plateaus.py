"""loss-plateau and accuracy-plateau: curves that stop moving."""

MESSAGES = {
    "loss-plateau.title": "Loss plateau: the loss barely moves",
    "loss-plateau.explanation": (
        "The loss has almost stopped changing while it is still far from what a trained model reaches. Usually the "
        "learning rate is too small to make progress, or the network is stuck: dead units, vanishing gradients, "
        "or a deep stack that plain SGD cannot move."
    ),
    "loss-plateau.summary": (
        "The loss moved {change} over the last {window} epochs ({start} -> {end}, threshold {threshold}) while still "
        "at {level} of {reference} (epochs {first_epoch}-{last_epoch})."
    ),
    "loss-plateau.first_epoch": "epoch 1's loss {value} (the chance level is unknown for this run)",
    "loss-plateau.fix.lr": "Take ten times larger steps.",
    "loss-plateau.fix.adam": "Adam adapts the step to each weight.",
    "loss-plateau.fix.relu": "Add a non-linearity.",
    "loss-plateau.fix.init": "Start from weights that let signals through.",
    "loss-plateau.skip.short": "needs at least {needed} finite epochs of loss; this run has {count}",
    "accuracy-plateau.title": "Accuracy plateau while the loss keeps falling",
    "accuracy-plateau.explanation": (
        "Loss and accuracy measure different things. The loss sees every change in a sample's predicted probability "
        "for its true class; accuracy only counts whether that probability wins. A misclassified sample can improve a "
        "lot (the loss falls) without crossing the decision threshold (accuracy unchanged); when it does, accuracy "
        "jumps by one sample's worth. Flat steps are normal on a small data set."
    ),
    # {step} and {near} are the optional phrases below, or empty.
    "accuracy-plateau.summary": (
        "{metric} stayed at {accuracy} for {length} epochs ({start_epoch}-{end_epoch}) while the loss fell {drop} "
        "({loss_start} -> {loss_end}){step}{near}."
    ),
    "accuracy-plateau.settled": (
        "{summary} The loss fell early in that stretch and then stopped (it moved {late} from epoch {mid_epoch} "
        "on): the fall was not predictions creeping towards the threshold, so training longer will not move accuracy."
    ),
    "accuracy-plateau.step": "; one sample moves it by {step}",
    "accuracy-plateau.none_wrong": "; no training (probe) sample is misclassified",
    "accuracy-plateau.near": (
        "; {near} of {wrong} misclassified training (probe) samples are within {margin} of the winning class"
    ),
    "accuracy-plateau.fix.longer": "Give the improving predictions time to cross the threshold.",
    "accuracy-plateau.skip.no_accuracy": "no accuracy metric next to its loss in these logs",
}
