"""ルールが実行の構成（タスク・損失・層）に求めるもの: 評価しない理由、比べるチャンスレベル、判定に使った損失。"""

MESSAGES = {
    # 評価しない理由（です/ます、「。」なし）。
    "needs.regression": "回帰の実行（損失 {loss}）なので、クラス分類を前提とするルールは当てはまりません",
    "needs.multilabel": (
        "マルチラベル分類の実行（独立したラベルが {labels} 個）なので、1 サンプルに 1 クラスを前提とするルールは"
        "当てはまりません"
    ),
    "needs.multi_output": (
        "出力が {outputs} 個あるモデルでは、Keras の損失と正解率に各出力の値が混ざるため、出力が 1 つの分類器を"
        "前提とするルールは当てはまりません"
    ),
    "needs.probabilities": (
        "保存された予測がクラスごとの確率（0〜1 の値で、各行の合計が 1）になっていないため、キャリブレーション"
        "（予測確率が実際に当たる割合と合っているか）を測れません（タスク: {task}）"
    ),
    "needs.chance_accuracy": (
        "クラス数が分からないため、チャンスレベル（ランダム予測）の正解率を決められません（タスク: {task}）"
    ),
    "needs.target_variance": "訓練データの目標値がばらついていない（分散 {variance}）ため、R² で当てはまりを測れません",
    # 損失と比べるチャンスレベル（文に差し込む名詞句）。
    "chance.loss.multiclass": "チャンスレベル（ランダム予測）の損失 ln({classes}) = {value}",
    "chance.loss.binary": "チャンスレベル（ランダム予測）の損失 ln(2) = {value}",
    "chance.loss.regression": (
        "目標値の分散（常に目標値の平均を予測したときの MSE）にあたるチャンスレベルの損失 {value}"
    ),
    "chance.loss.guessed": "チャンスレベル（ランダム予測）の損失 ln(k) = {value}",
    "chance.loss.bound": (
        "ln({classes}) = {value}（ログにクラス数の記録がないため、クラス数が {classes} 以下のどの分類器の"
        "チャンスレベルの損失よりも大きい値を基準にしています）"
    ),
    "chance.loss.squared": (
        "チャンスレベル（{classes} クラスそれぞれに確率 1/{classes} を出す予測）の二乗誤差 {value}"
    ),
    # 要約のあとに付ける、判定に使った損失の説明。
    "loss_basis.data": (
        "{summary}Keras の損失には L1/L2 ペナルティが加わっているため、判定には、毎エポック調べている訓練サンプル"
        "（訓練データの一部）で測ったデータ損失（ペナルティを除いた損失）を使っています。"
    ),
    "loss_basis.data.validation": (
        "{summary}どちらもデータ損失（ペナルティを除いた損失）です。訓練損失は毎エポック調べている訓練サンプル"
        "（訓練データの一部）で測った値、検証損失は val_loss からそのエポックのペナルティを引いた値です。"
    ),
    "loss_basis.unmeasured": (
        "{summary}Keras の損失には L1/L2 ペナルティが含まれていますが、その値を計測していないため、ペナルティと"
        "データ損失を合わせた値で判定しています（確度は低め）。"
    ),
    # 理由の中で示すタスク名（JSON の根拠では英語の ID のまま）。
    "task.multiclass-softmax": "多クラス分類・softmax 出力",
    "task.multiclass-logits": "多クラス分類・ロジット出力",
    "task.binary-sigmoid": "2 クラス分類・sigmoid 出力",
    "task.binary-logits": "2 クラス分類・ロジット出力",
    "task.multi-label": "マルチラベル分類",
    "task.regression": "回帰",
    "task.unknown": "不明",
    "task.outputs": "出力が {count} 個のモデル",
}
