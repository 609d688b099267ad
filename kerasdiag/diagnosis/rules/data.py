"""validation-mismatch, unnormalized-input and class-imbalance: static checks of the data summary."""

from __future__ import annotations

from typing import Any

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import About, NotEvaluable, config_value, finding, fix, fmt, text
from kerasdiag.diagnosis.rules.data_curves import first_loss_finding, majority_from_curves, mismatch_from_curves
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord


def class_shares(counts: dict[int, int], classes: list[int]) -> list[float]:
    total = sum(counts.values())
    return [counts.get(c, 0) / total if total else 0.0 for c in classes]


def total_variation(p: list[float], q: list[float]) -> float:
    """Half the L1 distance between two distributions: 0 identical, 1 disjoint."""
    return 0.5 * sum(abs(a - b) for a, b in zip(p, q))


def check_validation_mismatch(record: RunRecord, th: Thresholds) -> list[Finding]:
    if record.data is None:
        return mismatch_from_curves(record, th, MISMATCH)
    data = record.data
    if data.validation is None or not data.validation.class_counts:
        raise NotEvaluable("no class counts of the validation split")
    train, val = data.train.class_counts, data.validation.class_counts
    classes = sorted(set(train) | set(val))
    distance = total_variation(class_shares(train, classes), class_shares(val, classes))
    unseen = [c for c in classes if val.get(c, 0) > 0 and train.get(c, 0) == 0]
    if not unseen and distance < th.mismatch_distance:
        return []
    severity = Severity.ERROR if unseen or distance >= th.mismatch_distance_error else Severity.WARNING
    evidence = {
        "train_class_counts": {str(c): train.get(c, 0) for c in classes},
        "validation_class_counts": {str(c): val.get(c, 0) for c in classes},
        "total_variation": distance,
        "classes_unseen_in_training": unseen,
        "classes_missing_in_validation": [c for c in classes if val.get(c, 0) == 0],
        "validation_classes": [c for c in classes if val.get(c, 0) > 0],
        "shuffle": config_value(record, "shuffle"),
        "threshold_warning": th.mismatch_distance,
        "threshold_error": th.mismatch_distance_error,
    }
    summary = _mismatch_summary(evidence, unseen, th)
    fixes = [SHUFFLE]
    return [finding("validation-mismatch", severity, summary, evidence, fixes, MISMATCH)]


def _mismatch_summary(evidence: dict[str, Any], unseen: list[int], th: Thresholds) -> Text:
    shown_train, shown_val = (
        _shown(evidence["train_class_counts"]),
        _shown(evidence["validation_class_counts"]),
    )
    distance = fmt(evidence["total_variation"])
    unseen_en = f"; validation holds class(es) {unseen} that training never saw" if unseen else ""
    unseen_ja = f"。検証データには訓練で一度も見ていないクラス {unseen} がある" if unseen else ""
    present = evidence["validation_classes"]
    single_en = single_ja = ""
    if len(present) == 1 and len(evidence["train_class_counts"]) > 1:
        single_en = f"; validation holds a single class ({present[0]}), so its accuracy says nothing about the others"
        single_ja = f"。検証データはクラス {present[0]} だけなので、その正解率は他のクラスについて何も語らない"
    return text(
        f"Class counts differ: train {shown_train}, validation {shown_val} (distance {distance}, "
        f"threshold {fmt(th.mismatch_distance)}){unseen_en}{single_en}.",
        f"クラスの数が違う: 訓練 {shown_train}、検証 {shown_val}"
        f"（距離 {distance}、しきい値 {fmt(th.mismatch_distance)}）{unseen_ja}{single_ja}。",
    )


def _shown(counts: dict[str, int]) -> str:
    """Class counts for a sentence: `{0: 50, 1: 50, 2: 20}`."""
    return "{" + ", ".join(f"{c}: {n}" for c, n in counts.items()) + "}"


def check_unnormalized_input(record: RunRecord, th: Thresholds) -> list[Finding]:
    data = record.data
    if data is None or (data.input_max is None and data.input_std is None):
        return first_loss_finding(record, th, INPUT)
    low, high, std = data.input_min, data.input_max, data.input_std
    largest = max(abs(v) for v in (low, high) if v is not None) if (low, high) != (None, None) else 0.0
    if largest <= th.input_abs_max and (std is None or std <= th.input_std_max):
        return first_loss_finding(record, th, INPUT) if record.epochs else []
    evidence = {
        "input_min": low,
        "input_max": high,
        "input_mean": data.input_mean,
        "input_std": std,
        "normalize": config_value(record, "normalize"),
        "threshold_abs_max": th.input_abs_max,
        "threshold_std": th.input_std_max,
    }
    summary = text(
        f"Inputs range from {fmt(low)} to {fmt(high)} (std {fmt(std)}); thresholds |x| <= "
        f"{fmt(th.input_abs_max)}, "
        f"std <= {fmt(th.input_std_max)}.",
        f"入力の範囲は {fmt(low)} から {fmt(high)}（標準偏差 {fmt(std)}）。しきい値は |x| <= "
        f"{fmt(th.input_abs_max)}、"
        f"標準偏差 <= {fmt(th.input_std_max)}。",
    )
    fixes = [
        fix(
            "--normalize",
            "Scale inputs to [0, 1] (drop --no-normalize).",
            "入力を [0, 1] にスケールする（--no-normalize を外す）。",
        )
    ]
    return [finding("unnormalized-input", Severity.WARNING, summary, evidence, fixes, INPUT)]


def check_class_imbalance(record: RunRecord, th: Thresholds) -> list[Finding]:
    if record.data is None:
        return majority_from_curves(record, th, IMBALANCE)
    data = record.data
    counts = {c: n for c, n in data.train.class_counts.items() if n > 0}
    if not counts:
        raise NotEvaluable("no class counts of the training split")
    largest, smallest = max(counts.values()), min(counts.values())
    ratio = largest / smallest
    if ratio < th.imbalance_ratio:
        return []
    severity = Severity.WARNING if ratio >= th.imbalance_ratio_warning else Severity.INFO
    evidence = {
        "train_class_counts": {str(c): n for c, n in sorted(counts.items())},
        "ratio": ratio,
        "absent_classes": [c for c in range(data.num_classes or 0) if c not in counts],
        "threshold_info": th.imbalance_ratio,
        "threshold_warning": th.imbalance_ratio_warning,
    }
    summary = text(
        f"The largest training class has {largest} samples, the smallest {smallest} (ratio {fmt(ratio)}; "
        f"thresholds {fmt(th.imbalance_ratio)} info, {fmt(th.imbalance_ratio_warning)} warning).",
        f"訓練データの最大クラスは {largest} 件、最小クラスは {smallest} 件（比 {fmt(ratio)}、しきい値は情報 "
        f"{fmt(th.imbalance_ratio)}、警告 {fmt(th.imbalance_ratio_warning)}）。",
    )
    return [finding("class-imbalance", severity, summary, evidence, _imbalance_fixes(smallest), IMBALANCE)]


def _imbalance_fixes(smallest: int) -> list[Fix]:
    return [
        fix(
            f"--train-size {smallest}",
            "Take the same number of samples from every class.",
            "各クラスから同じ数のサンプルを取る。",
        )
    ]


SHUFFLE = fix(
    "--shuffle",
    "Shuffle before splitting so that both splits hold every class.",
    "分割の前にシャッフルして、両方にすべてのクラスが入るようにする。",
)
MISMATCH_TITLE = text("Validation classes differ from training classes", "検証データのクラス構成が訓練データと違う")
MISMATCH_EXPLANATION = text(
    "Keras's validation_split takes the LAST part of the arrays, without shuffling. When the file is "
    "ordered by "
    "class, the validation set holds only the last class(es), some of which training may never see: "
    "validation "
    "loss and accuracy then measure something else than the model's skill on the task. Shuffle before "
    "splitting.",
    "Keras の validation_split はシャッフルせずに配列の「最後の」部分を検証データにします。"
    "ファイルがクラス順に"
    "並んでいると、検証データは最後のクラスだけになり、"
    "その中には訓練で一度も見ないクラスが含まれることがあります。"
    "その場合、検証損失や検証正解率はモデルの実力とは別のものを測っています。"
    "分割の前にシャッフルしてください。",
)
INPUT_TITLE = text("Inputs are not normalised", "入力が正規化されていない")
INPUT_EXPLANATION = text(
    "Inputs far larger than 1 (raw pixels 0..255) make the first layer's outputs and gradients huge, so a "
    "learning rate that suits normalised data overshoots, units saturate or die, and the loss can diverge. "
    "Scaling inputs to [0, 1] or to mean 0 and std 1 keeps every layer in a well-behaved range.",
    "1 よりずっと大きな入力（0〜255 の生の画素値など）は最初の層の出力と勾配を巨大にします。"
    "正規化されたデータに"
    "合う学習率では行き過ぎ、ユニットが飽和したり死んだりし、損失が発散することもあります。入力を [0, 1] や"
    "平均 0・標準偏差 1 にそろえると、どの層も扱いやすい範囲に収まります。",
)
IMBALANCE_TITLE = text("Training classes are imbalanced", "訓練データのクラスが偏っている")
IMBALANCE_EXPLANATION = text(
    "When one class is much more frequent, a model can reach a high accuracy by mostly predicting it and "
    "still "
    "fail on the rare classes. Look at per-class results, and balance the classes (same number per class, or "
    "class weights).",
    "あるクラスがずっと多いと、モデルはほぼそのクラスを予測するだけで高い正解率に達し、"
    "少ないクラスでは失敗する"
    "ことがあります。クラスごとの結果を確認し、クラスの数をそろえて（各クラス同数、またはクラス重み）"
    "ください。",
)
MISMATCH = About(MISMATCH_TITLE, MISMATCH_EXPLANATION)
IMBALANCE = About(IMBALANCE_TITLE, IMBALANCE_EXPLANATION)
INPUT = About(INPUT_TITLE, INPUT_EXPLANATION)
