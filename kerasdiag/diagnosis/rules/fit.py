"""overfitting and underfitting: how the training and validation curves relate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.diagnosis.rules.base import (
    About,
    NotEvaluable,
    chance_accuracy,
    config_value,
    finding,
    fix,
    fmt,
    pct,
    require_metric,
    skill,
    text,
)
from kerasdiag.diagnosis.rules.calibration import calibration_facts
from kerasdiag.diagnosis.rules.curves import diverging
from kerasdiag.diagnosis.rules.regularization import measure_fit_level, over_regularized
from kerasdiag.diagnosis.measure.series import end_level, finite_prefix, noise_sd, rebound, relative_drop, smooth
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord


@dataclass(frozen=True)
class Overfit:
    best_epoch: int  # 1-based epoch of the lowest val_loss
    best_val: float
    smoothed_min: float
    end_val: float  # mean val_loss over the last `patience` epochs
    rise: float  # end_val / smoothed_min - 1
    noise: float  # robust relative sd of val_loss around its moving average
    train_at_best: float
    train_end: float
    train_drop: float  # share train loss fell from the best epoch to the end
    train_rebound: float  # share the train loss ended above its lowest since the best epoch
    epochs_since_best: int
    epochs: int


def measure_overfit(record: RunRecord, th: Thresholds) -> Overfit:
    loss = finite_prefix(require_metric(record, "loss", th.min_epochs))
    val = finite_prefix(require_metric(record, "val_loss", th.min_epochs))
    n = min(loss.size, val.size)
    if n < th.min_epochs:
        raise NotEvaluable(f"needs at least {th.min_epochs} finite epochs; this run has {n}")
    loss, val = loss[:n], val[:n]
    best = int(np.argmin(val))
    smoothed_min = float(np.min(smooth(val, th.smooth_window)))
    end_val = end_level(val, th.patience)
    train_end = end_level(loss, th.patience)
    return Overfit(
        best_epoch=int(record.epoch_numbers[best]),
        best_val=float(val[best]),
        smoothed_min=smoothed_min,
        end_val=end_val,
        rise=end_val / smoothed_min - 1 if smoothed_min > 0 else 0.0,
        noise=noise_sd(val, th.smooth_window),
        train_at_best=float(loss[best]),
        train_end=train_end,
        train_drop=relative_drop(float(loss[best]), train_end),
        train_rebound=rebound(loss[best:], train_end, th.patience),
        epochs_since_best=n - 1 - best,
        epochs=n,
    )


def check_overfitting(record: RunRecord, th: Thresholds) -> list[Finding]:
    m = measure_overfit(record, th)
    rising = (
        m.rise >= th.overfit_rise
        and m.rise >= th.overfit_noise_factor * m.noise
        and m.train_drop >= th.overfit_train_drop
        and m.epochs_since_best >= th.patience
    )
    # Both curves rising at the end is the optimizer overshooting, not memorising: overfitting needs a train
    # loss that keeps falling (or holds) while val_loss rises.
    rising = rising and m.train_rebound < th.overfit_train_rebound
    stalled = m.epochs_since_best >= th.overfit_stall_epochs and m.train_drop >= th.overfit_stall_train_drop
    # A long stall whose end level is clearly above the minimum is a rise too: persistence over
    # `overfit_stall_epochs` epochs stands in for part of the noise margin.
    rising = rising or (
        stalled
        and m.rise >= th.overfit_rise
        and m.rise >= th.overfit_stall_noise_factor * m.noise
        and m.train_rebound < th.overfit_train_rebound
    )
    if not (rising or stalled) or _cannot_fit(record, th):
        return []
    evidence = {
        **m.__dict__,
        **_end_gap(record, th),
        "variant": "rising" if rising else "stalled",
        "threshold_rise": th.overfit_rise,
        "threshold_noise_factor": th.overfit_noise_factor,
        "threshold_train_drop": th.overfit_train_drop,
        "threshold_train_rebound": th.overfit_train_rebound,
    }
    calibration = calibration_facts(record, th)
    evidence |= calibration
    severity = Severity.WARNING if rising else Severity.INFO
    summary = _rising_summary(m, th) if rising else _stalled_summary(m)
    summary = _with_calibration(summary, calibration, th)
    return [finding("overfitting", severity, summary, evidence, _overfit_fixes(record, m), OVERFIT)]


def _with_calibration(summary: Text, c: dict[str, Any], th: Thresholds) -> Text:
    """The summary plus how extreme the held-out probabilities are, where predictions were saved."""
    if not c:
        return summary
    hi, lo = fmt(th.extreme_probability), fmt(1 - th.extreme_probability)
    best_en = best_ja = ""
    if "best_epoch_ece" in c:
        best_en = f" ({pct(c['best_epoch_extreme_true_share'])} and {fmt(c['best_epoch_ece'])} at the best epoch)"
        best_ja = f"（最良のエポックでは {pct(c['best_epoch_extreme_true_share'])} と {fmt(c['best_epoch_ece'])}）"
    return text(
        f"{summary.en} On {c['heldout_samples']} held-out samples P(true class) is above {hi} or below {lo} "
        f"for {pct(c['heldout_extreme_true_share'])}, ECE {fmt(c['heldout_ece'])}{best_en}.",
        f"{summary.ja}評価用の {c['heldout_samples']} サンプルでは正解クラスの確率 P が {hi} より上か {lo} "
        f"より下のものが {pct(c['heldout_extreme_true_share'])}、ECE は {fmt(c['heldout_ece'])}{best_ja}。",
    )


def _cannot_fit(record: RunRecord, th: Thresholds) -> bool:
    """A model that does not fit its training set (skill below `underfit_skill`) is not overfitting."""
    if not record.has("accuracy"):
        return False
    accuracy = end_level(finite_prefix(record.series("accuracy")), th.patience)
    return bool(np.isfinite(accuracy)) and _skill_of(record, accuracy) < th.underfit_skill


def _end_gap(record: RunRecord, th: Thresholds) -> dict[str, float]:
    """The train/validation gap over the last epochs: val_loss - loss, and accuracy - val_accuracy."""
    gap = {
        "gap_loss": end_level(record.series("val_loss"), th.patience) - end_level(record.series("loss"), th.patience)
    }
    if record.has("accuracy") and record.has("val_accuracy"):
        train, val = (end_level(record.series(k), th.patience) for k in ("accuracy", "val_accuracy"))
        gap |= {"train_accuracy": train, "val_accuracy": val, "gap_accuracy": train - val}
    return gap


def _rising_summary(m: Overfit, th: Thresholds) -> Text:
    return text(
        f"val_loss lowest {fmt(m.best_val)} at epoch {m.best_epoch}, {fmt(m.end_val)} over the last "
        f"{th.patience} "
        f"epochs (+{pct(m.rise)} above its smoothed minimum {fmt(m.smoothed_min)}, threshold "
        f"{pct(th.overfit_rise)}); "
        f"train loss fell {pct(m.train_drop)} meanwhile ({fmt(m.train_at_best)} -> {fmt(m.train_end)}).",
        f"val_loss はエポック {m.best_epoch} で最小 {fmt(m.best_val)}、最後の {th.patience} エポックの平均は "
        f"{fmt(m.end_val)}（平滑化した最小値 {fmt(m.smoothed_min)} より +{pct(m.rise)}、しきい値 "
        f"{pct(th.overfit_rise)}）。"
        f"その間に訓練損失は {pct(m.train_drop)} 下がった（{fmt(m.train_at_best)} → {fmt(m.train_end)}）。",
    )


def _stalled_summary(m: Overfit) -> Text:
    return text(
        f"val_loss has not improved for {m.epochs_since_best} epochs (lowest {fmt(m.best_val)} at epoch "
        f"{m.best_epoch}) while train loss fell {pct(m.train_drop)} ({fmt(m.train_at_best)} -> "
        f"{fmt(m.train_end)}): "
        f"the gap is growing.",
        f"val_loss は {m.epochs_since_best} エポックのあいだ改善していない（エポック {m.best_epoch} で最小 "
        f"{fmt(m.best_val)}）。その間に訓練損失は {pct(m.train_drop)} 下がり（{fmt(m.train_at_best)} → "
        f"{fmt(m.train_end)}）、差が広がっている。",
    )


def _overfit_fixes(record: RunRecord, m: Overfit) -> list[Fix]:
    dropout = float(config_value(record, "dropout", 0.0))
    l2 = float(config_value(record, "l2", 0.0))
    fixes = [
        fix(
            f"--epochs {m.best_epoch}",
            f"Stop at the best epoch ({m.best_epoch}).",
            f"最良のエポック（{m.best_epoch}）で学習を止める。",
        ),
        fix(
            f"--dropout {min(0.7, dropout + 0.2) if dropout else 0.3:g}",
            "Randomly drop units while training.",
            "学習中にユニットをランダムに無効化する（ドロップアウト）。",
        ),
        fix(
            f"--l2 {l2 * 10 if l2 else 1e-4:g}",
            "Penalise large weights (weight decay).",
            "大きな重みにペナルティを課す（荷重減衰）。",
        ),
    ]
    train_size = config_value(record, "train_size")
    if train_size:
        fixes.append(fix(f"--train-size {int(train_size) * 2}", "Train on more data.", "より多くのデータで学習する。"))
    return fixes


def check_underfitting(record: RunRecord, th: Thresholds) -> list[Finding]:
    level = measure_fit_level(record, th)
    val_poor = level.val_accuracy is None or _skill_of(record, level.val_accuracy) < th.underfit_skill
    if level.skill >= th.underfit_skill or not val_poor or over_regularized(record, th) or diverging(record, th):
        return []
    loss = finite_prefix(require_metric(record, "loss", th.min_epochs))
    drop = relative_drop(float(smooth(loss, th.smooth_window)[-level.window - 1]), end_level(loss, th.patience))
    learning = drop > th.underfit_still_learning
    evidence = {
        "train_accuracy": level.accuracy,
        "val_accuracy": level.val_accuracy,
        "train_skill": level.skill,
        "loss_drop_last_window": drop,
        "window_epochs": level.window,
        "still_learning": learning,
        "threshold_skill": th.underfit_skill,
        "threshold_still_learning": th.underfit_still_learning,
    }
    val = fmt(level.val_accuracy) if level.val_accuracy is not None else "n/a"
    summary = text(
        f"Train accuracy {fmt(level.accuracy)} and validation accuracy {val} at the end (skill "
        f"{fmt(level.skill)} "
        f"< {fmt(th.underfit_skill)}, 0 = chance); loss fell {pct(drop)} over the last {level.window} "
        "epochs.",
        f"最後の訓練正解率 {fmt(level.accuracy)}、検証正解率 {val}（スキル {fmt(level.skill)} < "
        f"{fmt(th.underfit_skill)}、0 = 当てずっぽう）。直近 {level.window} エポックで損失は {pct(drop)} "
        "下がった。",
    )
    severity = Severity.INFO if learning else Severity.WARNING
    return [finding("underfitting", severity, summary, evidence, _underfit_fixes(record, learning), UNDERFIT)]


def _skill_of(record: RunRecord, accuracy: float) -> float:
    return skill(accuracy, chance_accuracy(record))


def _underfit_fixes(record: RunRecord, learning: bool) -> list[Fix]:
    fixes = []
    epochs = len(record.epochs)
    if learning:
        fixes.append(
            fix(
                f"--epochs {epochs * 2}",
                "The loss is still falling: train longer.",
                "損失はまだ下がっている: もっと長く学習する。",
            )
        )
    if config_value(record, "activation") == "linear":
        fixes.append(fix("--activation relu", "Add a non-linearity between layers.", "層の間に非線形性を入れる。"))
    if config_value(record, "optimizer") != "adam":
        fixes.append(
            fix(
                "--lr 0.001 --optimizer adam",
                "An adaptive optimiser usually learns faster.",
                "適応的な最適化手法は通常より速く学習する。",
            )
        )
    fixes.append(fix("--units 256", "Give the model more capacity.", "モデルの表現力（ユニット数）を増やす。"))
    return fixes


OVERFIT_TITLE = text(
    "Overfitting: validation loss rises while training loss falls",
    "過学習: 訓練損失は下がるのに検証損失が上がっている",
)
OVERFIT_EXPLANATION = text(
    "The model keeps fitting the training set better while getting worse on data it has not seen: it "
    "memorises "
    "training samples instead of learning patterns that generalise. Judge a run by validation loss, not "
    "training "
    "loss; accuracy can hide this because it only counts which side of the threshold a prediction falls on, "
    "while the loss also sees predictions becoming over-confident and wrong.",
    "モデルは訓練データへの当てはまりを良くし続けていますが、見たことのないデータでは悪くなっています。"
    "汎化するパターンではなく訓練サンプルそのものを覚えてしまっている状態です。"
    "訓練損失ではなく検証損失で判断して"
    "ください。正解率は予測がしきい値のどちら側にあるかしか数えないためこれを隠すことがありますが、損失は"
    "予測が自信過剰なまま外れていく様子も捉えます。",
)
UNDERFIT_TITLE = text(
    "Underfitting: training and validation both stay poor", "学習不足: 訓練データでも検証データでも性能が低い"
)
UNDERFIT_EXPLANATION = text(
    "The model does not even fit the data it trains on, so it cannot do well on new data either. Common "
    "causes: "
    "too few epochs, a learning rate that is too low, a model without non-linearities or with too little "
    "capacity, "
    "or an optimiser stuck on a hard-to-train network.",
    "モデルが学習に使ったデータにすら合っていないため、新しいデータでも良い結果は出ません。よくある原因は、"
    "エポック数が少ない、学習率が低すぎる、非線形性がない・表現力が足りないモデル、"
    "あるいは学習しにくいネットワークで最適化が進まないことです。",
)
OVERFIT = About(OVERFIT_TITLE, OVERFIT_EXPLANATION)
UNDERFIT = About(UNDERFIT_TITLE, UNDERFIT_EXPLANATION)
