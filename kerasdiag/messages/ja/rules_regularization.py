"""強すぎる正則化: 重みのペナルティやドロップアウトが強すぎて、訓練データに合わせられない。"""

MESSAGES = {
    "over-regularization.title": "モデルが訓練データにさえ合わせられなくなっています",
    "over-regularization.explanation": (
        "重み減衰（L1/L2 ペナルティ）やドロップアウトは、モデルを単純に保って訓練データの丸暗記（過学習）を防ぐための"
        "正則化です。ところが強すぎると、学習そのものが止まってしまいます。ペナルティが損失の大部分を占めたり、"
        "ドロップアウトで多くのユニットが無効化されたりして、訓練正解率がモデル本来の実力よりずっと低いところで"
        "伸びなくなります。強さを段階的に弱めながら何通りか試し（強さのスイープ）、"
        "訓練正解率がまだ伸びる範囲で、いちばん強い設定を選びましょう。"
    ),
    "over-regularization.summary.with_validation": (
        "訓練正解率は {accuracy} のまま伸びていません（検証正解率は {val_accuracy}、直近 {window} エポックでの"
        "伸びは {gain}）。訓練正解率を、チャンスレベル（ランダム予測）が 0、全問正解が 1 になるように換算すると "
        "{skill} で、しきい値 {threshold} を下回っています。正則化が強すぎると判断した根拠: {reasons}。"
    ),
    "over-regularization.summary.train_only": (
        "訓練正解率は {accuracy} のまま伸びていません（直近 {window} エポックでの伸びは {gain}）。"
        "訓練正解率を、チャンスレベル（ランダム予測）が 0、全問正解が 1 になるように換算すると {skill} で、"
        "しきい値 {threshold} を下回っています。正則化が強すぎると判断した根拠: {reasons}。"
    ),
    "over-regularization.summary.regression": (
        "訓練データでの R²（1 - MSE / 目標値の分散 {variance}）は {accuracy} のまま伸びていません"
        "（検証データ: {val_r2}、直近 {window} エポックでの伸びは {gain}）。R² は、常に目標値の平均を予測すると 0、"
        "完全に当てると 1 になる指標です。訓練データでの R² は、しきい値 {threshold} を下回っています。"
        "正則化が強すぎると判断した根拠: {reasons}。"
    ),
    "over-regularization.reason.penalty": "損失に占めるペナルティの割合 {share}（しきい値 {threshold}）",
    "over-regularization.reason.dropout": "ドロップアウト率 {value}（しきい値 {threshold}）",
    "over-regularization.reason.l1": "L1 ペナルティの係数 {value}（しきい値 {threshold}）",
    "over-regularization.reason.l2": "L2 ペナルティの係数 {value}（しきい値 {threshold}）",
    "over-regularization.reason.val_gap": (
        "検証正解率より {gap} 低い訓練正解率（差のしきい値 {threshold}、ドロップアウト率 {dropout}）"
    ),
    "over-regularization.reason.val_gap.r2": (
        "訓練データでの R² が、検証データでの値より {gap} 低い（差のしきい値 {threshold}、ドロップアウト率 {dropout}）"
    ),
    "over-regularization.fix.l2": "L2 ペナルティを 1/10 に弱めましょう。",
    "over-regularization.fix.l1": "L1 ペナルティを 1/10 に弱めましょう。",
    "over-regularization.fix.dropout": "ドロップアウト率を下げて、無効化するユニットを減らしましょう。",
    "over-regularization.skip.no_settings": "このログには、正則化の設定もペナルティの記録もありません",
}
