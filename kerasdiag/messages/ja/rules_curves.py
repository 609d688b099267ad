"""発散と振動: 損失が爆発的に増える、または学習曲線が上下に揺れる。"""

MESSAGES = {
    "divergence.title": "損失が爆発的に増えました",
    "divergence.explanation": (
        "更新のたびに損失の最小値を大きく飛び越えてしまい、損失が下がるどころか増え続けています。ひどくなると数値が"
        "あふれます（NaN や Inf）。多くの場合、原因は入力や勾配のスケールに対して学習率が大きすぎることです。"
        "損失が一度 NaN になると、学習は回復しません。"
    ),
    "divergence.summary.non_finite": (
        "{epoch} エポック目で損失が NaN/Inf になりました（状態 {status}、学習率 {lr}）。{last}。"
    ),
    "divergence.no_finite_loss": "損失が有限の値で終わったエポックは 1 つもありません",
    "divergence.last_finite_loss": "最後の有限の損失は {last} でした（最小は {lowest}）",
    "divergence.summary.above_chance": (
        "訓練損失は有限の値のままですが、爆発的に増えています。最後は {end} で、{chance} の {times} 倍です"
        "（しきい値 {threshold} 倍。1 エポック目は {first}、最小は {lowest}、学習率 {lr}）。"
    ),
    "divergence.summary.rose": (
        "訓練損失は最後に最小値 {lowest} の {factor} 倍まで上がり、1 エポック目の {first} も上回りました"
        "（しきい値 {threshold} 倍、学習率 {lr}）。"
    ),
    "divergence.fix.lr": "学習率を 1/10 にして、1 回の更新幅を小さくしましょう。",
    "divergence.fix.normalize": "入力を [0, 1] の範囲にそろえましょう（入力の正規化）。",
    "divergence.fix.batch_norm": "バッチ正規化で、各層への入力のスケールを一定に保ちます。",
    "oscillation.title": "学習曲線が上下に揺れています",
    "oscillation.explanation": (
        "更新幅が大きすぎると、損失の谷に降りていく代わりに谷を飛び越えてしまい、損失がエポックごとに上下します。"
        "バッチサイズが小さいと、各更新にノイズが加わります。学習率を下げるかバッチサイズを大きくすると、"
        "降下がなめらかになります。検証データが少ない場合も、曲線は跳ねやすくなります"
        "（数サンプルの判定が変わるだけで値が大きく動くため）。"
    ),
    "oscillation.summary": (
        "{series} は {warmup} エポック目を過ぎてから、{size} を超える幅で {up} 回上がり、{down} 回下がりました。"
        "エポックごとの変化のうち {share} が、こうした大きな上下です（変化幅の中央値は {median}。しきい値は、"
        "上がる・下がるがそれぞれ {min_swings} 回以上、かつ変化全体の {min_share} 以上）。"
    ),
    "oscillation.fix.lr": "学習率を下げて、1 回の更新幅を小さくしましょう。",
    "oscillation.fix.batch_size": "バッチサイズを大きくすると、勾配のばらつき（ノイズ）が減ります。",
    "oscillation.skip.short": "loss か val_loss が NaN/Inf でないエポックが {needed} 個以上必要です",
}
