"""過学習と学習不足: 訓練データの曲線と検証データの曲線の関係。"""

MESSAGES = {
    "overfitting.title": "過学習: 訓練損失は下がるのに検証損失が上がっている",
    "overfitting.explanation": (
        "モデルは訓練データにはますますよく当てはまるようになっているのに、まだ見ていないデータでは悪くなっている。"
        "汎化するパターンを学ぶのではなく、訓練サンプルそのものを覚えてしまっている状態だ。"
        "学習の良し悪しは、訓練損失ではなく検証損失で判断する。"
        "正解率だけを見ていると、この状態に気づかないことがある。正解率は予測が判定しきい値のどちら側にあるかしか"
        "数えないが、損失は、外れている予測の確信度がどんどん高くなっていく様子まで捉えるからだ。"
    ),
    "overfitting.summary.rising": (
        "val_loss は {best_epoch} エポック目に最小の {best_val} になり、最後の {patience} エポックの平均は "
        "{end_val}（移動平均でならした曲線の最小値 {smoothed_min} より +{rise}、しきい値 {threshold}）。"
        "その間に訓練損失は {train_drop} 下がった（{train_at_best} → {train_end}）。"
    ),
    "overfitting.summary.stalled": (
        "val_loss は {epochs_since_best} エポックのあいだ改善していない（最小は {best_epoch} エポック目の "
        "{best_val}）。その間に訓練損失は {train_drop} 下がっていて（{train_at_best} → {train_end}）、"
        "訓練データと検証データでの損失の差が広がっている。"
    ),
    "overfitting.calibration": (
        "{summary}評価用に取り分けたデータ {samples} サンプルでは、正解クラスの予測確率が {high} より大きいか "
        "{low} より小さいものが {share} あり、ECE（確信度と実際の正解率のずれの平均）は {ece}。"
    ),
    "overfitting.calibration.with_best": (
        "{summary}評価用に取り分けたデータ {samples} サンプルでは、正解クラスの予測確率が {high} より大きいか "
        "{low} より小さいものが {share} あり、ECE（確信度と実際の正解率のずれの平均）は {ece}"
        "（最良のエポックではそれぞれ {best_share} と {best_ece}）。"
    ),
    "overfitting.fix.stop": "最良のエポック（{epoch} エポック目）で学習を止める。",
    "overfitting.fix.dropout": "学習中にユニットをランダムに無効化する（ドロップアウト）。",
    "overfitting.fix.l2": "大きな重みにペナルティを課す（重み減衰）。",
    "overfitting.fix.more_data": "訓練データを増やす。",
    "overfitting.skip.short": (
        "損失が NaN/Inf でないエポックが {needed} 以上必要だが、この実行には {count} エポックしかない"
    ),
    "underfitting.title": "学習不足: 訓練データでも検証データでも性能が低い",
    "underfitting.explanation": (
        "モデルが、学習に使っている訓練データにすら当てはまっていない。これでは新しいデータでも良い結果は出ない。"
        "よくある原因は、エポック数が少ない、学習率が低すぎる、活性化関数がなく非線形性を持たない、"
        "モデルの表現力が足りない、あるいは学習しにくいネットワークで最適化が進まない、といったことだ。"
    ),
    "underfitting.summary": (
        "終盤の訓練正解率は {accuracy}、検証正解率は {val_accuracy}（チャンスレベル（ランダム予測）を 0、"
        "正解率 1 を 1 としたときの値が {skill} で、しきい値 {threshold} を下回っている）。"
        "直近 {window} エポックで損失は {drop} 下がった。"
    ),
    "underfitting.no_validation": "なし",
    "underfitting.fix.longer": "損失はまだ下がっている。もっと長く学習する。",
    "underfitting.fix.relu": "層と層の間に非線形の活性化関数を入れる。",
    "underfitting.fix.adam": "適応的な最適化手法（Adam など）のほうが、たいていは速く学習が進む。",
    "underfitting.fix.units": "ユニット数を増やして、モデルの表現力を上げる。",
}
