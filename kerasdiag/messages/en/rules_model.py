"""linear-collapse: title, explanation, summary, fixes and skip reasons."""

MESSAGES = {
    "linear-collapse.title": "Linear collapse: layers without activation act as one linear map",
    "linear-collapse.explanation": (
        "A Dense or Conv2D layer without activation computes W x + b. Stacking such layers multiplies the matrices: "
        "W3 (W2 (W1 x)) = (W3 W2 W1) x, one matrix. So the stack can express nothing a single layer cannot (and its "
        "rank is limited by the narrowest layer). Depth then adds only parameters and optimisation difficulty: "
        "gradients pass through a product of many matrices and SGD struggles, which is why accuracy can drop as "
        "layers are added. A non-linearity such as ReLU between layers is what makes depth useful."
    ),
    "linear-collapse.summary": (
        "{count} layers ({layers}) with {hidden} hidden layer(s) without activation compute a single linear map "
        "before {activation}{rank}.{gradients}"
    ),
    "linear-collapse.rank": "; its rank is at most {bottleneck} (the narrowest hidden layer)",
    "linear-collapse.gradients": " Gradient norm of {first} / {last}: {ratio} (median over epochs {span}): {verdict}.",
    "linear-collapse.verdict.vanishing": "they vanish toward the input",
    "linear-collapse.verdict.exploding": "they explode toward the input",
    "linear-collapse.verdict.neither": "they neither vanish (< {vanishing}) nor explode (> {exploding}) in this run",
    "linear-collapse.fix.relu": "A non-linearity between layers lets depth add expressive power.",
    "linear-collapse.fix.one_layer": (
        "Without activations one layer can do what the whole stack does, with fewer parameters and easier training."
    ),
    "linear-collapse.skip.no_model": "no model summary or kerasdiag flags in these logs",
    "linear-collapse.skip.cnn_without_summary": "no model summary for this CNN run",
}
