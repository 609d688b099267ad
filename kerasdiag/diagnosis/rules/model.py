"""linear-collapse: consecutive layers with no non-linearity between them compute one linear map."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import About, NotEvaluable, config_value, finding, fix, fmt, text
from kerasdiag.diagnosis.rules.gradients import measure_gradients
from kerasdiag.diagnosis.measure.series import column_medians
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.model_summary import IDENTITY_ACTIVATIONS, LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord

RULE = "linear-collapse"
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
        raise NotEvaluable("no model summary or kerasdiag flags in these logs")
    if config_value(record, "model") != "mlp":
        raise NotEvaluable("no model summary for this CNN run")
    units = list(config_value(record, "units", [128]))
    count = int(config_value(record, "layers", 0))
    units = units * count if len(units) == 1 else units
    activation = config_value(record, "activation", "relu")
    layers = [LayerInfo(f"dense_{i}", "Dense", u, activation) for i, u in enumerate(units)]
    layers.append(LayerInfo("output", "Dense", None, "softmax"))
    return ModelSummary(layers)


def check_linear_collapse(record: RunRecord, th: Thresholds) -> list[Finding]:
    model = record.model if record.model is not None else _model_from_config(record)
    output = model.output_layer
    findings = []
    for chain in linear_chains(model):
        hidden = [layer for layer in chain if layer is not output and is_identity(layer.activation)]
        if hidden:
            findings.append(_collapse_finding(chain, hidden, _gradient_facts(record, th)))
    return sorted(findings, key=lambda f: -f.severity)[:1]


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


def _gradient_sentence(g: dict[str, Any]) -> Text:
    if not g:
        return text("", "")
    first, last = g["grad_layers"][0], g["grad_layers"][-1]
    ratio, span = fmt(g["grad_ratio_first_last"]), f"{g['grad_epochs'][0]}-{g['grad_epochs'][-1]}"
    if g["gradients_vanishing"]:
        verdict_en, verdict_ja = "they vanish toward the input", "入力側に向かって消失している"
    elif g["gradients_exploding"]:
        verdict_en, verdict_ja = "they explode toward the input", "入力側に向かって爆発している"
    else:
        verdict_en = (
            f"they neither vanish (< {fmt(g['threshold_vanishing_ratio'])}) nor explode "
            f"(> {fmt(g['threshold_exploding_ratio'])}) in this run"
        )
        verdict_ja = (
            f"この実行では消失（< {fmt(g['threshold_vanishing_ratio'])}）も爆発"
            f"（> {fmt(g['threshold_exploding_ratio'])}）もしていない"
        )
    return text(
        f" Gradient norm of {first} / {last}: {ratio} (median over epochs {span}): {verdict_en}.",
        f"{first} と {last} の勾配ノルムの比は {ratio}（エポック {span} の中央値）で、{verdict_ja}。",
    )


def _collapse_finding(chain: list[LayerInfo], hidden: list[LayerInfo], grads: dict[str, Any]) -> Finding:
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
    rank = f"; its rank is at most {bottleneck} (the narrowest hidden layer)" if bottleneck else ""
    rank_ja = f"。その階数（ランク）は最も狭い隠れ層の {bottleneck} 以下" if bottleneck else ""
    shown = ", ".join(names) if len(names) <= 5 else f"{', '.join(names[:2])}, ..., {', '.join(names[-2:])}"
    gradients = _gradient_sentence(grads)
    summary = text(
        f"{len(chain)} layers ({shown}) with {len(hidden)} hidden layer(s) without activation "
        f"compute a single linear map before {chain[-1].activation}{rank}.{gradients.en}",
        f"活性化関数のない隠れ層 {len(hidden)} 個を含む {len(chain)} 層（{shown}）は、"
        f"{chain[-1].activation} の手前で 1 つの線形写像と同じ計算しかしていない{rank_ja}。{gradients.ja}",
    )
    return finding(RULE, severity, summary, evidence, _fixes(len(hidden)), ABOUT)


def _fixes(hidden: int) -> list[Fix]:
    fixes = [
        fix(
            "--activation relu",
            "A non-linearity between layers lets depth add expressive power.",
            "層の間の非線形性によって、深さが表現力を増やすようになる。",
        )
    ]
    if hidden > 1:
        fixes.append(
            fix(
                "--layers 1",
                "Without activations one layer can do what the whole stack does, "
                "with fewer parameters and easier training.",
                "活性化関数がなければ 1 層でも積み重ね全体と同じことができ、パラメータが少なく学習も容易。",
            )
        )
    return fixes


TITLE = text(
    "Linear collapse: layers without activation act as one linear map",
    "線形の崩壊: 活性化関数のない層は 1 つの線形写像と同じ",
)
EXPLANATION = text(
    "A Dense or Conv2D layer without activation computes W x + b. Stacking such layers multiplies the "
    "matrices: "
    "W3 (W2 (W1 x)) = (W3 W2 W1) x, one matrix. So the stack can express nothing a single layer cannot "
    "(and its "
    "rank is limited by the narrowest layer). Depth then adds only parameters and optimisation difficulty: "
    "gradients pass through a product of many matrices and SGD struggles, which is why accuracy can drop as "
    "layers are added. A non-linearity such as ReLU between layers is what makes depth useful.",
    "活性化関数のない Dense 層や Conv2D 層は W x + b を計算するだけです。"
    "このような層を重ねると行列が掛け合わされ、"
    "W3 (W2 (W1 x)) = (W3 W2 W1) x という 1 つの行列になります。つまり積み重ねても 1 層で表せないものは表せず"
    "（しかもランクは最も狭い層で制限されます）、深さはパラメータ数と最適化の難しさを増やすだけです。"
    "勾配は多くの行列の積を通って戻るため SGD では学習が進みにくく、"
    "層を増やすと正解率が下がることがあります。"
    "層の間に ReLU などの非線形性を入れて初めて、深さが役に立ちます。",
)
ABOUT = About(TITLE, EXPLANATION)
