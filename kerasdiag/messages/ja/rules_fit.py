"""過学習と学習不足: 訓練データの曲線と検証データの曲線の関係。"""

MESSAGES = {
    "overfitting.title": "訓練損失は下がっているのに、検証損失が上がっています",
    "overfitting.explanation": (
        "モデルは訓練データにはますますよく当てはまるようになっているのに、まだ見ていないデータでは悪くなっています。"
        "汎化するパターンを学ぶのではなく、訓練サンプルそのものを覚えてしまっている状態です。"
        "学習の良し悪しは、訓練損失ではなく検証損失で判断しましょう。"
        "正解率だけを見ていると、この状態に気づかないことがあります。正解率は予測が判定しきい値のどちら側にあるかしか"
        "数えませんが、損失は、外れた予測の確信度がどんどん高くなっていく様子まで捉えるからです。"
    ),
    "overfitting.summary.rising": (
        "val_loss は {best_epoch} エポック目に最小の {best_val} になり、最後の {patience} エポックの平均は "
        "{end_val} です（移動平均でならした曲線の最小値 {smoothed_min} より +{rise}、しきい値 {threshold}）。"
        "その間に、訓練損失は {train_drop} 下がりました（{train_at_best} → {train_end}）。"
    ),
    "overfitting.summary.memorised": (
        "val_loss は {best_epoch} エポック目に最小の {best_val} になりました。そのあと {low_epoch} エポック目までの"
        "間、訓練損失はまだ下がり続けていた（{train_at_best} → {train_low}）のに、val_loss は移動平均でならした"
        "曲線の最小値 {smoothed_min} より +{part} 高くなっていました。つまり、まず起きたのは訓練データの丸暗記です。"
        "その後は訓練損失も変動し（最後の数エポックでは {train_end}）、val_loss は最終的に最小値より +{rise} 高く"
        "なっています。"
    ),
    "overfitting.summary.stalled": (
        "val_loss は {epochs_since_best} エポックのあいだ改善していません（最小は {best_epoch} エポック目の "
        "{best_val}）。その間に訓練損失は {train_drop} 下がっていて（{train_at_best} → {train_end}）、"
        "訓練データと検証データの損失の差が広がっています。"
    ),
    "overfitting.few_samples": (
        "ただし、検証データは約 {samples} サンプルしかありません（{threshold} サンプル未満）。これだけ少ないと、"
        "ほんの数サンプルの予測が変わるだけでもこの程度は上がりうるので、警告とするには {needed} 以上の上昇が"
        "必要です。"
    ),
    "overfitting.one_sample": (
        "ただし、検証データ {samples} サンプル全体で合計すると、損失の増加は {extra} ナットにすぎません。これは、"
        "1 つの予測が 90% の確信で外れるようになったときの増加分 {threshold}（ln 10）より小さい値です。"
        "1〜2 サンプルだけでも起こりうる上昇で、新しいデータでも同じように上がるとは限りません。"
    ),
    "overfitting.noted": "{summary}{note}",
    "overfitting.as_note": "{summary}そのため、警告ではなく参考情報にしています。",
    "overfitting.calibration": (
        "{summary}評価用に取り分けたデータ {samples} サンプルでは、正解クラスの予測確率が {high} より大きいか "
        "{low} より小さいものが {share} あり、ECE（確信度と正解率のずれの平均）は {ece} です。"
    ),
    "overfitting.calibration.with_best": (
        "{summary}評価用に取り分けたデータ {samples} サンプルでは、正解クラスの予測確率が {high} より大きいか "
        "{low} より小さいものが {share} あり、ECE（確信度と正解率のずれの平均）は {ece} です"
        "（最良のエポックでは、それぞれ {best_share} と {best_ece}）。"
    ),
    "overfitting.fix.stop": "最良のエポック（{epoch} エポック目）で学習を止めましょう。",
    "overfitting.fix.dropout": "学習中にユニットをランダムに無効化しましょう（ドロップアウト）。",
    "overfitting.fix.l2": "大きな重みにペナルティを課しましょう（重み減衰）。",
    "overfitting.fix.more_data": "訓練データを増やしましょう。",
    "overfitting.skip.short": (
        "損失が NaN/Inf でないエポックが {needed} 個以上必要ですが、この実行には {count} 個しかありません"
    ),
    "underfitting.title": "訓練データでも検証データでも、性能が低いままです",
    "underfitting.explanation": (
        "モデルが、学習に使っている訓練データにすら当てはまっていません。これでは新しいデータでも良い結果は出ません。"
        "よくある原因は、エポック数が少ない、学習率が低すぎる、活性化関数がなく非線形性を持たない、"
        "モデルの表現力が足りない、あるいは学習しにくいネットワークで最適化が進まない、といったことです。"
    ),
    "underfitting.summary": (
        "終盤の訓練正解率は {accuracy} です（検証正解率: {val_accuracy}）。訓練正解率を、チャンスレベル"
        "（ランダム予測）が 0、全問正解が 1 になるように換算すると {skill} で、しきい値 {threshold} を下回っています。"
        "直近 {window} エポックでの損失の下がり幅は {drop} です。"
    ),
    "underfitting.summary.regression": (
        "終盤の R²（1 - MSE / 目標値の分散 {variance}）は、訓練データで {r2} です（検証データ: {val_r2}）。"
        "しきい値 {threshold} を下回っていて、モデルは目標値のばらつきをほとんど説明できていません"
        "（R² が 0 なら、常に目標値の平均を予測するのと同じです）。直近 {window} エポックでの損失の下がり幅は "
        "{drop} です。"
    ),
    "underfitting.summary.short_skill": (
        "学習は {epochs} エポックだけで、最後のエポックでもまだ性能が低いままです。"
        "正解率を、チャンスレベル（ランダム予測）が 0、全問正解が 1 になるように換算すると、訓練データで {train}"
        "（検証データ: {val}）となり、しきい値 {threshold} を下回っています。エポック数が少なすぎるため、"
        "エポックを増やせば学習が進むのかどうかは判断できません。ただ、現時点ではまだ学習できていません。"
    ),
    "underfitting.summary.short_r2": (
        "学習は {epochs} エポックだけで、最後のエポックでもまだ目標値のばらつきをほとんど説明できていません。"
        "R² は訓練データで {train}（検証データ: {val}）となり、しきい値 {threshold} を下回っています"
        "（R² が 0 なら、常に目標値の平均を予測するのと同じです）。エポック数が少なすぎるため、"
        "エポックを増やせば学習が進むのかどうかは判断できません。ただ、現時点ではまだ学習できていません。"
    ),
    "underfitting.no_validation": "記録なし",
    "underfitting.fix.longer": "損失はまだ下がっています。もっと長く学習しましょう。",
    "underfitting.fix.short": (
        "{epochs} エポックでは短すぎて判断できません。{needed} エポックより十分に長く学習してから、"
        "もう一度診断しましょう。"
    ),
    "underfitting.fix.low_lr": (
        "学習率 {lr} は、{optimizer} でふつう使われる {usual} の 10 分の 1 以下です。学習率を 10 倍にして、"
        "1 回の更新幅を大きくしましょう。"
    ),
    "underfitting.fix.relu": "層と層の間に、非線形の活性化関数を入れましょう。",
    "underfitting.fix.adam": "適応的な最適化手法（Adam など）を使うと、たいていは学習が速く進みます。",
    "underfitting.fix.units": "ユニット数を増やして、モデルの表現力を上げましょう。",
}
