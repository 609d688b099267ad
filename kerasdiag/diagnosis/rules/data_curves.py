"""validation-mismatch, unnormalized-input and class-imbalance as far as plain curves show them.

Used when a run has no data summary (plain Keras logs), or, for unnormalized-input, when the summary says the
inputs are scaled and epoch 1's loss still points to a bad initialisation. Findings carry `basis` and
`confidence: low` in their evidence: curves admit other explanations than class counts do.
"""

from __future__ import annotations

from kerasdiag.diagnosis.findings import Finding, Severity
from kerasdiag.diagnosis.rules.base import About, NotEvaluable, finding, fix, fmt, require_metric, skill, text
from kerasdiag.diagnosis.measure.record import (
    CURVES,
    basis,
    classes,
    first_loss,
    layer_facts,
    negative_bias_relus,
    pinned_accuracy,
    wide_inits,
)
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord

SHUFFLE_FIX = fix(
    "--shuffle",
    "Shuffle before splitting so that both splits hold every class.",
    "分割の前にシャッフルして、両方にすべてのクラスが入るようにする。",
)


def mismatch_from_curves(record: RunRecord, th: Thresholds, about: About) -> list[Finding]:
    """Validation accuracy far below chance while training accuracy is good: validation holds other classes."""
    train = finite_prefix(require_metric(record, "accuracy", th.min_epochs))
    val = finite_prefix(require_metric(record, "val_accuracy", th.min_epochs))
    k = classes(record)
    chance = 1.0 / k if k else 0.1
    train_end, val_end = end_level(train, th.patience), end_level(val, th.patience)
    train_skill = skill(train_end, chance)
    if train_skill < th.underfit_skill or val_end > th.mismatch_val_share * chance:
        return []
    evidence = {
        "train_accuracy": train_end,
        "val_accuracy": val_end,
        "train_skill": train_skill,
        "chance_accuracy": chance,
        "classes": k,
        "threshold_val_share_of_chance": th.mismatch_val_share,
        **basis(CURVES),
    }
    summary = text(
        f"Validation accuracy ends at {fmt(val_end)}, below {fmt(th.mismatch_val_share)} x chance ({fmt(chance)}), "
        f"while training accuracy reaches {fmt(train_end)}: the validation set likely holds classes training never "
        "saw (from the curves; no class counts in these logs).",
        f"訓練正解率は {fmt(train_end)} に達するのに検証正解率は {fmt(val_end)} で、当てずっぽう（{fmt(chance)}）の "
        f"{fmt(th.mismatch_val_share)} 倍を下回る。検証データに訓練で見ていないクラスがある可能性が高い"
        "（曲線から判断。このログにクラス数はない）。",
    )
    return [finding("validation-mismatch", Severity.WARNING, summary, evidence, [SHUFFLE_FIX], about)]


def first_loss_finding(record: RunRecord, th: Thresholds, about: About) -> list[Finding]:
    """Epoch 1's loss orders of magnitude above ln(k): unscaled inputs or a bad initialisation."""
    first = first_loss(record)
    if first is None:
        raise NotEvaluable("no data summary and no epoch-1 loss with a known number of classes")
    end = end_level(finite_prefix(record.series("loss")), th.patience)
    if first.ratio < th.first_loss_factor or end >= th.divergence_keep_share * (first.first + first.penalty):
        return []  # a loss that stays that high is divergence's finding
    wide = wide_inits(record, th)
    scaled = record.data is not None
    evidence = {
        "first_loss": first.first,
        "first_penalty_excluded": first.penalty,
        "end_loss": end,
        "chance_loss": first.chance_loss,
        "ratio": first.ratio,
        "possible_causes": ["a bad initialisation"] if scaled else ["unscaled inputs", "a bad initialisation"],
        "wide_init_layers": {layer.name: layer.kernel_stddev for layer in wide},
        "threshold_ratio": th.first_loss_factor,
        **basis(CURVES if not wide else "from the model config and curves"),
    }
    init_en = f"; kernels drawn with stddev {fmt(max(layer.kernel_stddev or 0 for layer in wide))}" if wide else ""
    init_ja = f"。カーネルは標準偏差 {fmt(max(layer.kernel_stddev or 0 for layer in wide))} で初期化" if wide else ""
    less_en, less_ja = (" less its weight penalty", "（重みのペナルティを除く）") if first.penalty else ("", "")
    causes_en = "a bad initialisation" if scaled else "unscaled inputs or a bad initialisation"
    causes_ja = "不適切な初期化" if scaled else "スケールされていない入力か不適切な初期化"
    summary = text(
        f"Epoch 1's loss{less_en} is {fmt(first.first)}, {fmt(first.ratio)}x the loss of guessing ln(k) = "
        f"{fmt(first.chance_loss)} (threshold {fmt(th.first_loss_factor)}x): {causes_en}{init_en}.",
        f"エポック 1 の損失{less_ja}は {fmt(first.first)} で、当てずっぽうの損失 ln(k) = {fmt(first.chance_loss)} の "
        f"{fmt(first.ratio)} 倍（しきい値 {fmt(th.first_loss_factor)} 倍）: {causes_ja}{init_ja}。",
    )
    fixes = [] if scaled else [fix("--normalize", "Scale inputs to [0, 1].", "入力を [0, 1] にスケールする。")]
    fixes.append(
        fix("--init glorot_uniform", "Start from weights scaled to the layer size.", "層の大きさに合った初期値にする。")
    )
    return [finding("unnormalized-input", Severity.WARNING, summary, evidence, fixes, about)]


def majority_from_curves(record: RunRecord, th: Thresholds, about: About) -> list[Finding]:
    """Training accuracy pinned far above chance from the first epochs: a majority-class predictor."""
    pinned = pinned_accuracy(record, th)
    if pinned is None:
        if not record.has("accuracy"):
            raise NotEvaluable("no data summary and no accuracy curve in these logs")
        return []
    if pinned.chance is None or pinned.value < pinned.chance + th.pinned_majority_margin:
        return []
    if pinned.value >= 1.0 - th.pinned_tolerance:
        return []  # every training sample right: a perfect fit, not one predicted class
    evidence = {
        "pinned_accuracy": pinned.value,
        "from_epoch": pinned.from_epoch,
        "spread": pinned.spread,
        "chance_accuracy": pinned.chance,
        "majority_share_estimate": pinned.value,
        "dead_network_evidence": layer_facts(negative_bias_relus(record)),
        "points_to": "class imbalance: a constant prediction scores the majority class's share",
        "threshold_margin": th.pinned_majority_margin,
        **basis(CURVES),
    }
    summary = text(
        f"Training accuracy stays at {fmt(pinned.value)} from epoch {pinned.from_epoch} to the end (spread "
        f"{fmt(pinned.spread)}), far above chance {fmt(pinned.chance)}: the model predicts one class, which makes "
        f"up about {fmt(pinned.value)} of the data (from the curves; no class counts in these logs).",
        f"訓練正解率はエポック {pinned.from_epoch} から最後まで {fmt(pinned.value)} のまま"
        f"（幅 {fmt(pinned.spread)}）で、"
        f"当てずっぽう {fmt(pinned.chance)} よりずっと高い。モデルは 1 つのクラスだけを予測しており、そのクラスが"
        f"データの約 {fmt(pinned.value)} を占める（曲線から判断。このログにクラス数はない）。",
    )
    fixes = [fix("--train-size 1000", "Balance the classes (same number per class).", "クラスの数をそろえる。")]
    return [finding("class-imbalance", Severity.WARNING, summary, evidence, fixes, about)]
