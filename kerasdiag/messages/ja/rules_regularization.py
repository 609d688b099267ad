"""正則化が強すぎる: 重みのペナルティやドロップアウトが強すぎて、訓練データに合わせられない。"""

MESSAGES = {
    "over-regularization.title": "正則化が強すぎて、モデルが訓練データに合わせられない",
    "over-regularization.explanation": (
        "重み減衰（L1/L2 ペナルティ）やドロップアウトは、モデルを単純に保って訓練データの丸暗記（過学習）を防ぐための"
        "正則化だ。ところが強すぎると、学習そのものが止まってしまう。ペナルティが損失の大部分を占めたり、"
        "ドロップアウトで多くのユニットが無効化されたりして、訓練正解率がモデル本来の実力よりずっと低いところで"
        "伸びなくなる。強さを段階的に弱めながら何通りか試し（強さのスイープ）、"
        "訓練正解率がまだ伸びる範囲でいちばん強い設定を選ぶとよい。"
    ),
    "over-regularization.summary.with_validation": (
        "訓練正解率は {accuracy}（検証正解率は {val_accuracy}）のまま伸びていない（直近 {window} エポックでの"
        "伸びは {gain}。チャンスレベル（ランダム予測）を 0、正解率 1 を 1 としたときの値は {skill} で、"
        "しきい値 {threshold} を下回っている）。強すぎる正則化: {reasons}。"
    ),
    "over-regularization.summary.train_only": (
        "訓練正解率は {accuracy} のまま伸びていない（直近 {window} エポックでの伸びは {gain}。"
        "チャンスレベル（ランダム予測）を 0、正解率 1 を 1 としたときの値は {skill} で、"
        "しきい値 {threshold} を下回っている）。強すぎる正則化: {reasons}。"
    ),
    "over-regularization.reason.penalty": "ペナルティが損失の {share} を占める（しきい値 {threshold}）",
    "over-regularization.reason.dropout": "ドロップアウト率 {value}（しきい値 {threshold}）",
    "over-regularization.reason.l1": "L1 ペナルティの係数 {value}（しきい値 {threshold}）",
    "over-regularization.reason.l2": "L2 ペナルティの係数 {value}（しきい値 {threshold}）",
    "over-regularization.reason.val_gap": (
        "ドロップアウト率 {dropout} で、訓練正解率が検証正解率より {gap} 低い（しきい値 {threshold}）"
    ),
    "over-regularization.fix.l2": "L2 ペナルティを 1/10 に弱める。",
    "over-regularization.fix.l1": "L1 ペナルティを 1/10 に弱める。",
    "over-regularization.fix.dropout": "ドロップアウト率を下げて、無効化するユニットを減らす。",
    "over-regularization.skip.no_settings": "このログには正則化の設定もペナルティの記録もない",
}
