"""発散と振動: 損失が爆発する、または曲線が上下に揺れる。"""

MESSAGES = {
    "divergence.title": "発散: 損失が爆発した",
    "divergence.explanation": (
        "更新のたびに損失の最小値を大きく飛び越えてしまい、損失が下がるどころか増え続け、ついには数値があふれた"
        "（NaN や Inf）。たいていの原因は、入力や勾配のスケールに対して学習率が大きすぎることだ。"
        "損失が一度 NaN になると、学習は回復しない。"
    ),
    "divergence.summary.non_finite": (
        "{epoch} エポック目で損失が NaN/Inf になった（状態 {status}、学習率 {lr}）。{last}。"
    ),
    "divergence.no_finite_loss": "損失が有限な値で終わったエポックはない",
    "divergence.last_finite_loss": "最後の有限な損失は {last}（最小は {lowest}）",
    "divergence.summary.above_chance": (
        "訓練損失は有限な値のままだが、爆発している。最後は {end} で、チャンスレベル（ランダム予測）の損失 "
        "ln(k) = {chance} の {times} 倍（しきい値 {threshold} 倍。1 エポック目は {first}、最小は {lowest}、"
        "学習率 {lr}）。"
    ),
    "divergence.summary.rose": (
        "訓練損失は最後に最小値 {lowest} の {factor} 倍まで上がり、1 エポック目の {first} も上回った"
        "（しきい値 {threshold} 倍、学習率 {lr}）。"
    ),
    "divergence.fix.lr": "学習率を 1/10 にして、1 回の更新幅を小さくする。",
    "divergence.fix.normalize": "入力を [0, 1] の範囲にそろえる（入力の正規化）。",
    "divergence.fix.batch_norm": "バッチ正規化で、各層への入力のスケールを一定に保つ。",
    "oscillation.title": "振動: 曲線が上下に揺れている",
    "oscillation.explanation": (
        "更新幅が大きすぎると、損失の谷に降りていく代わりに谷を飛び越えてしまい、損失がエポックごとに上下する。"
        "バッチサイズが小さいと、各更新にノイズが加わる。学習率を下げるかバッチサイズを大きくすると、"
        "降下がなめらかになる。検証データが少ない場合も曲線は跳ねやすい"
        "（数サンプルの判定が変わるだけで値が大きく動くため）。"
    ),
    "oscillation.summary": (
        "{series} は {warmup} エポック目より後、{size} を超える幅で {up} 回上がり、{down} 回下がった。"
        "これはエポック間の変化の {share} にあたる（変化幅の中央値 {median}。しきい値は上下それぞれ "
        "{min_swings} 回、かつ変化の {min_share}）。"
    ),
    "oscillation.fix.lr": "学習率を下げて、1 回の更新幅を小さくする。",
    "oscillation.fix.batch_size": "バッチサイズを大きくすると、勾配のばらつき（ノイズ）が減る。",
    "oscillation.skip.short": "損失か val_loss が NaN/Inf でないエポックが {needed} 以上必要",
}
