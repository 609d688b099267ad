"""勾配消失と勾配爆発: 見出し、解説、根拠の要約、試すこと、評価できなかった理由。"""

MESSAGES = {
    "gradients.skip.one_layer": (
        "勾配ノルムの記録（プローブ）がある層が 1 つだけ（{layer}）で、入力側と出力側を比べられない"
    ),
    "gradients.skip.few_epochs": (
        "勾配ノルムの記録（プローブ）があるエポックが {count} 個しかない。傾向を判断するには 2 エポック以上必要"
    ),
    "vanishing-gradients.title": "勾配消失: 入力側の層がほとんど学習していない",
    "vanishing-gradients.explanation": (
        "誤差逆伝播では、勾配が出力側から入力側へ 1 層戻るたびに、その層の重み（と活性化関数の傾き）が"
        "掛け合わされる。この係数が 1 より小さいと、勾配は層を戻るごとに小さくなっていく。"
        "すると入力に近い層にはほとんど信号が届かず、重みはランダムな初期値のまま残ってしまう。"
        "そのため、層を深くすると学習が良くなるどころか、かえって悪くなる。"
    ),
    "vanishing-gradients.summary.probes": (
        "入力側の {first} の勾配ノルムは、出力側の {last} の {ratio} 倍しかない（エポック {span} の中央値）。"
        "しきい値は {threshold} で、この期間の {share} のエポックでしきい値を下回った。"
    ),
    "vanishing-gradients.summary.config": (
        "sigmoid/tanh の隠れ層が {depth} 個あり（しきい値 {threshold} 個）、損失は直近 {window} エポックで "
        "{change} しか変わっていない。sigmoid/tanh のように値を押しつぶす層を通るたびに勾配は小さくなるので、"
        "入力に近い層はほとんど学習していない可能性が高い（層ごとの計測がないため、モデル設定と学習曲線から推定）。"
    ),
    "vanishing-gradients.fix.relu": "ReLU は正の入力で傾きが 1 なので、勾配を押しつぶさずに入力側へ伝える。",
    "vanishing-gradients.fix.init": "層を通っても信号の大きさが変わらないように、重みの初期値の大きさを調整する。",
    "vanishing-gradients.fix.batch_norm": "各層の入力を、平均 0・分散 1 の付近にそろえ直す。",
    "vanishing-gradients.fix.residual": "ショートカット接続（ResNet と同じ仕組み）で、勾配が層を飛び越えて伝わる。",
    "vanishing-gradients.fix.adam": "Adam は層ごとの勾配の大きさに合わせて更新幅を調整する。",
    "vanishing-gradients.fix.fewer_layers": "層の数を減らす。",
    "vanishing-gradients.skip.diverged": (
        "{diverged}。入力側の勾配がごく小さいのは、発散でユニットが飽和した結果にすぎない"
    ),
    "exploding-gradients.title": "勾配爆発",
    "exploding-gradients.explanation": (
        "誤差逆伝播で掛け合わされる係数が 1 より大きいときや、学習率が大きすぎるときは、勾配が桁違いに大きくなる。"
        "すると更新のたびに行き過ぎて重みがどんどん大きくなり、たいていは損失が NaN（数値として表せない値）になって"
        "学習が壊れる。更新幅を小さくしたり正規化を入れたりすると、勾配が適切な範囲に収まる。"
    ),
    "exploding-gradients.summary.non_finite": (
        "エポック {epoch} 以降、記録したすべての層（{layers} 個）で勾配ノルムが NaN/Inf になった。"
        "数値があふれる前の有限な勾配は一度も測れなかった。"
    ),
    "exploding-gradients.summary.growth": (
        "最大の勾配ノルムが、最初の値 {initial} の {growth} 倍まで増えた"
        "（エポック {epoch}、しきい値 {threshold_growth} 倍）。"
        "入力側と出力側の勾配ノルムの比は {ratio}（しきい値 {threshold_ratio}）。"
    ),
    "exploding-gradients.summary.growth_then_non_finite": (
        "最大の勾配ノルムが、最初の値 {initial} の {growth} 倍まで増えた"
        "（エポック {epoch}、しきい値 {threshold_growth} 倍）。"
        "入力側と出力側の勾配ノルムの比は {ratio}（しきい値 {threshold_ratio}）。"
        "エポック {non_finite_epoch} で勾配が NaN/Inf になった。"
    ),
    "exploding-gradients.fix.lr": "学習率を下げて、1 回の更新幅を小さくする。",
    "exploding-gradients.fix.batch_norm": "各層の入力のスケールを一定に保つ。",
    "exploding-gradients.fix.init": "層のユニット数に合わせて大きさを調整した初期値から始める。",
    "exploding-gradients.fix.normalize": "入力の値を小さな範囲にそろえる（入力の正規化）。",
}
