"""The terms kerasdiag uses, in English and Japanese, and the Japanese wordings it avoids.

Every Japanese message uses these terms; `tests/messages/test_messages.py` fails on an avoided wording, so one
idea keeps one name everywhere (a learner should not wonder whether 決定しきい値 and 判定のしきい値 differ).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    en: str
    ja: str
    avoid: tuple[str, ...] = ()


TERMS: tuple[Term, ...] = (
    Term("overfitting", "過学習"),
    Term("underfitting", "学習不足"),
    Term("vanishing gradients", "勾配消失"),
    Term("exploding gradients", "勾配爆発"),
    Term("training data", "訓練データ", ("学習データ",)),
    Term("validation data", "検証データ", ("バリデーションデータ",)),
    Term("test data", "テストデータ"),
    Term("loss", "損失"),
    Term("accuracy", "正解率", ("精度",)),
    Term("epoch", "エポック"),
    Term("learning rate", "学習率"),
    Term("chance level (random guessing)", "チャンスレベル（ランダム予測）", ("当てずっぽう",)),
    Term("decision threshold", "判定しきい値", ("決定しきい値", "判定のしきい値")),
    Term("the class with the highest predicted probability", "予測確率が最大のクラス", ("勝ったクラス",)),
    Term(
        "no activation function: any number of layers equals one linear map",
        "活性化関数なし: 何層重ねても 1 つの線形変換と同じ",
        ("線形の崩壊",),
    ),
    Term("samples per class", "クラスごとのサンプル数", ("クラスの数が違う",)),
    Term("activation function", "活性化関数"),
    Term("weight decay (L1/L2 penalty)", "重み減衰（L1/L2 ペナルティ）"),
    Term("regularisation", "正則化"),
    Term("dropout", "ドロップアウト"),
    Term("normalise (inputs)", "正規化（入力）"),
    Term("batch size", "バッチサイズ"),
    Term("gradient norm", "勾配ノルム"),
    Term("calibration (do predicted probabilities match how often they are right)", "キャリブレーション"),
    Term("expected calibration error (ECE)", "ECE（確信度と正解率のずれの平均）"),
    Term("confidence", "確信度"),
    Term("over-confident", "自信過剰", ("過信",)),
    Term("balanced accuracy (mean of the per-class accuracies)", "バランス正解率"),
    Term(
        "skill (accuracy rescaled so that chance is 0 and all correct is 1)",
        "チャンスレベル（ランダム予測）が 0、全問正解が 1 になるように換算した正解率",
        ("スキル",),
    ),
    Term("probes (what kerasdiag measures in each layer every epoch)", "層ごとの計測", ("プローブ",)),
    Term("baseline (the unchanged config a fix is compared with)", "ベースライン（元の設定）"),
    Term("seed", "シード"),
    Term("held-out data", "評価用に取り分けたデータ"),
    Term("data loss (without the penalty)", "データ損失（ペナルティを除いた損失）"),
)
