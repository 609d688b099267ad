"""linear-collapse: consecutive layers with no non-linearity between them compute one linear map.

It needs nothing from the task. Where the run has an anatomy with a layer graph, the chains are read from it
(`linear_chains_of`): each layer's effective non-linearity, separate activation layers (`ReLU()`,
`Activation("relu")`) and max-pooling included, branches followed through their inputs and nested models opened.
A layer kerasdiag does not know (a custom layer) is never assumed linear: it ends a chain, so it never makes a
collapse. Without a graph, the model summary (or the flags) is read as a sequence, as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Localized, Severity
from kerasdiag.diagnosis.measure.series import column_medians
from kerasdiag.diagnosis.rules.base import NotEvaluable, about, config_value, finding, fix, fmt
from kerasdiag.diagnosis.rules.gradients import measure_gradients
from kerasdiag.diagnosis.rules.layer_graph import Link, linear_chains_of
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import say
from kerasdiag.rundir.model_summary import IDENTITY_ACTIVATIONS, LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord

RULE = "linear-collapse"
ABOUT = about(RULE)
# Layers that are non-linear by themselves (an `Activation` layer is, unless its activation is linear).
NONLINEAR_KINDS = (
    "ReLU",
    "LeakyReLU",
    "ELU",
    "PReLU",
    "Softmax",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
)


def is_identity(activation: str | None) -> bool:
    return activation in IDENTITY_ACTIVATIONS


def breaks_linearity(layer: LayerInfo) -> bool:
    """A non-parametric layer that ends a linear chain (Dropout, BatchNormalization, Flatten, Add do not)."""
    if layer.kind == "Activation":
        return not is_identity(layer.activation)
    return layer.kind in NONLINEAR_KINDS


def linear_chains(model: ModelSummary) -> list[list[LayerInfo]]:
    """Maximal runs of parametric layers with no non-linearity between them (each ends where one starts)."""
    chains: list[list[LayerInfo]] = []
    current: list[LayerInfo] = []
    for layer in model.layers:
        if layer.parametric:
            current.append(layer)
            if not is_identity(layer.activation):
                chains.append(current)
                current = []
        elif breaks_linearity(layer):
            chains.append(current)
            current = []
    chains.append(current)
    return [chain for chain in chains if len(chain) >= 2]


def _model_from_config(record: RunRecord) -> ModelSummary:
    """The MLP a kerasdiag config describes, when the run has no model summary."""
    if record.config is None:
        raise NotEvaluable(say("linear-collapse.skip.no_model"))
    if config_value(record, "model") != "mlp":
        raise NotEvaluable(say("linear-collapse.skip.cnn_without_summary"))
    units = list(config_value(record, "units", [128]))
    count = int(config_value(record, "layers", 0))
    units = units * count if len(units) == 1 else units
    activation = config_value(record, "activation", "relu")
    layers = [LayerInfo(f"dense_{i}", "Dense", u, activation) for i, u in enumerate(units)]
    layers.append(LayerInfo("output", "Dense", None, "softmax"))
    return ModelSummary(layers)


def check_linear_collapse(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Chains of weighted layers with no non-linearity between them.

    Needs nothing from the task: it reads the layer graph. A chain whose layers are all linear except possibly the
    last is one linear map (before that last activation); hidden linear layers in it are the finding.
    """
    graph = record.anatomy.layers if record.anatomy is not None else []
    chains = linear_chains_of(record.anatomy, record.model) if graph else _summary_chains(record)
    findings = []
    for chain in chains:
        hidden = [link for link in chain if not link.output and is_identity(link.activation)]
        if hidden:
            findings.append(_collapse_finding(chain, hidden, _gradient_facts(record, th)))
    return sorted(findings, key=lambda f: -f.severity)[:1]


def _summary_chains(record: RunRecord) -> list[list[Link]]:
    """The chains of a model summary (or of the flags' MLP) read as a sequence."""
    model = record.model if record.model is not None else _model_from_config(record)
    output = model.output_layer
    return [
        [Link(layer.name, layer.units, layer.activation, layer.params, layer is output) for layer in chain]
        for chain in linear_chains(model)
    ]


def _gradient_facts(record: RunRecord, th: Thresholds) -> dict[str, Any]:
    """What the per-layer gradient probes showed, once training ran (empty before the first epoch)."""
    try:
        profile = measure_gradients(record)
    except NotEvaluable:
        return {}
    rows = profile.window(th.probe_window)
    if rows.size == 0:
        return {}
    medians = column_medians(profile.norms[rows])
    ratio = float(np.median(profile.ratio[rows]))
    return {
        "grad_layers": profile.layers,
        "median_grad_norms": medians.tolist(),
        "grad_ratio_first_last": ratio,
        "grad_epochs": [int(profile.epochs[rows][0]), int(profile.epochs[rows][-1])],
        "gradients_vanishing": ratio < th.vanishing_ratio,
        "gradients_exploding": ratio > th.exploding_ratio,
        "threshold_vanishing_ratio": th.vanishing_ratio,
        "threshold_exploding_ratio": th.exploding_ratio,
    }


def _gradient_sentence(g: dict[str, Any]) -> Localized | str:
    if not g:
        return ""
    if g["gradients_vanishing"]:
        verdict = say("linear-collapse.verdict.vanishing")
    elif g["gradients_exploding"]:
        verdict = say("linear-collapse.verdict.exploding")
    else:
        verdict = say(
            "linear-collapse.verdict.neither",
            vanishing=fmt(g["threshold_vanishing_ratio"]),
            exploding=fmt(g["threshold_exploding_ratio"]),
        )
    return say(
        "linear-collapse.gradients",
        first=g["grad_layers"][0],
        last=g["grad_layers"][-1],
        ratio=fmt(g["grad_ratio_first_last"]),
        span=f"{g['grad_epochs'][0]}-{g['grad_epochs'][-1]}",
        verdict=verdict,
    )


def _collapse_finding(chain: list[Link], hidden: list[Link], grads: dict[str, Any]) -> Finding:
    names = [layer.name for layer in chain]
    units = [layer.units for layer in hidden if layer.units]
    bottleneck = min(units) if units else None
    params = [layer.params for layer in chain if layer.params is not None]
    evidence = {
        "layers": names,
        "linear_hidden_layers": len(hidden),
        "collapsed_layers": len(chain),
        "units": [layer.units for layer in chain],
        "rank_bottleneck": bottleneck,
        "params_in_chain": sum(params) if len(params) == len(chain) else None,
        "ends_with": f"{chain[-1].name} ({chain[-1].activation})",
        **grads,
    }
    severity = Severity.WARNING if len(hidden) >= 2 else Severity.INFO
    summary = say(
        "linear-collapse.summary",
        count=len(chain),
        layers=names if len(names) <= 5 else [*names[:2], "...", *names[-2:]],
        hidden=len(hidden),
        activation=chain[-1].activation,
        rank=say("linear-collapse.rank", bottleneck=bottleneck) if bottleneck else "",
        gradients=_gradient_sentence(grads),
    )
    return finding(RULE, severity, summary, evidence, _fixes(len(hidden)), ABOUT)


def _fixes(hidden: int) -> list[Fix]:
    fixes = [fix("--activation relu", say("linear-collapse.fix.relu"))]
    if hidden > 1:
        fixes.append(fix("--layers 1", say("linear-collapse.fix.one_layer")))
    return fixes
