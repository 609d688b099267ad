"""dead-relu and saturation: titles, explanations, summaries, fixes and skip reasons."""

MESSAGES = {
    "dead-relu.title": "Dead ReLU units",
    "dead-relu.explanation": (
        "A ReLU unit whose input is negative for every sample outputs 0 and gets a zero gradient, so it never "
        "learns again: it is dead. A large update (a high learning rate) or a bad initialisation can push many "
        "units there at once, and the layer loses that share of its capacity."
    ),
    "dead-relu.summary.probes": (
        "{share} of {layer}'s units are dead (zero on every probe sample), median over epochs {span} "
        "(threshold {threshold}, held in {held} of them){others}."
    ),
    "dead-relu.summary.config": (
        "{cause}, and the loss moved {change} over the last {window} epochs: the ReLU units are likely dead, so the "
        "output ignores the input (from the model config and curves; no probes)."
    ),
    "dead-relu.in_all": " ({count} layer(s) in all)",
    "dead-relu.negative_bias": "{count} ReLU layer(s) start with bias {bias} ({layer})",
    "dead-relu.negative_bias_pinned": (
        "{count} ReLU layer(s) start with bias {bias} ({layer}), training accuracy stays at {value} from epoch {epoch}"
    ),
    "dead-relu.pinned": "training accuracy is pinned at {value}, about chance, from epoch {epoch}",
    "dead-relu.fix.leaky_relu": "Leaky ReLU keeps a small slope below zero, so units can recover.",
    "dead-relu.fix.lr": "Large steps push units into the dead zone.",
    "dead-relu.fix.init": "He initialisation suits ReLU layers.",
    "dead-relu.fix.batch_norm": "Keeps pre-activations centred around zero.",
    "dead-relu.skip.no_layer": "no ReLU-family layer in this model",
    "dead-relu.skip.standalone": (
        "the model applies ReLU in separate layers only ({layers}); the probes measure dead units only on Dense/Conv "
        "layers with their own relu activation"
    ),
    "dead-relu.skip.no_probes": "no per-layer dead_fraction probes in these logs",
    "dead-relu.skip.no_relu_in_config": (
        "no per-layer dead_fraction probes and no hidden layer in the model config whose units can die (relu, relu6: "
        "output and gradient 0 for every negative input; leaky_relu, elu, selu and gelu keep a gradient)"
    ),
    "saturation.title": "Saturated sigmoid/tanh units",
    "saturation.explanation": (
        "Sigmoid and tanh flatten out at their limits: there their slope is almost 0, so almost no gradient passes "
        "back through a saturated unit and the layers before it stop learning. Large inputs or weights push units "
        "into saturation."
    ),
    "saturation.summary.probes": (
        "{share} of {layer}'s units are saturated (within {margin} of a limit), median over epochs {span} "
        "(threshold {threshold}, held in {held} of them){others}."
    ),
    "saturation.summary.config": (
        "{count} {activation} layer(s) draw their kernels with stddev up to {stddev} ({layer}; threshold "
        "{threshold}): their pre-activations start far outside the sensitive range, so the units saturate "
        "(from the model config and curves; no probes)."
    ),
    "saturation.in_all": " ({count} layer(s) in all)",
    "saturation.fix.relu": "ReLU does not saturate for positive inputs.",
    "saturation.fix.normalize": "Large inputs push sigmoid/tanh to their limits.",
    "saturation.fix.batch_norm": "Keeps pre-activations in the sensitive range.",
    "saturation.fix.init": "Glorot initialisation suits sigmoid/tanh.",
    "saturation.skip.no_layer": "no sigmoid/tanh layer in this model",
    "saturation.skip.standalone": (
        "the model applies sigmoid/tanh in separate layers only ({layers}); the probes measure saturation only on "
        "Dense/Conv layers with their own sigmoid or tanh activation"
    ),
    "saturation.skip.no_probes": "no per-layer saturated_fraction probes in these logs",
}
