"""勾配消失と勾配爆発: タイトル、解説、根拠の要約、試すこと、評価できなかった理由。"""

MESSAGES = {
    "gradients.skip.one_layer": (
        "勾配ノルムの記録がある層が 1 つだけ（{layer}）なので、入力側と出力側を比べられません"
    ),
    "gradients.skip.few_epochs": (
        "勾配ノルムの記録があるエポックが {count} 個しかありません。傾向を判断するには 2 エポック以上必要です"
    ),
    "vanishing-gradients.title": "入力側の層が、ほとんど学習していません",
    "vanishing-gradients.explanation": (
        "誤差逆伝播では、勾配が出力側から入力側へ 1 層戻るたびに、その層の重み（と活性化関数の傾き）が"
        "掛け合わされます。この係数が 1 より小さいと、勾配は層を戻るごとに小さくなっていきます。"
        "すると入力に近い層にはほとんど信号が届かず、重みはランダムな初期値の近くに残ったままになります。"
        "そのため、層を深くすると学習が良くなるどころか、かえって悪くなります。"
    ),
    "vanishing-gradients.summary.probes": (
        "入力側の {first} の勾配ノルムは、出力側の {last} の {ratio} 倍しかありません（{span} エポック目の中央値）。"
        "しきい値は {threshold} で、この期間のエポックの {share} でしきい値を下回りました。"
    ),
    "vanishing-gradients.of_data_loss": (
        "{summary}ここで比べている勾配は、データに対する損失だけ（データ損失）から計算したものです。"
        "L1/L2 ペナルティが重みを 0 に引き寄せる分の勾配は、データから学ぶ手がかりにならないので除いています。"
    ),
    "vanishing-gradients.summary.config": (
        "sigmoid/tanh の隠れ層が {depth} 個あり（しきい値 {threshold} 個）、損失は直近 {window} エポックで "
        "{change} しか変わっていません。sigmoid/tanh のように値を押しつぶす層を通るたびに勾配は小さくなるので、"
        "入力に近い層はほとんど学習していない可能性が高いです（層ごとの計測がないため、モデルの設定と学習曲線から推定）。"
    ),
    "vanishing-gradients.fix.relu": "ReLU は正の入力で傾きが 1 なので、勾配を押しつぶさずに入力側へ伝えます。",
    "vanishing-gradients.fix.init": (
        "層を通っても信号の大きさが変わらないように、重みの初期値の大きさを調整しましょう。"
    ),
    "vanishing-gradients.fix.batch_norm": "各層の入力を、平均 0・分散 1 の付近にそろえ直します。",
    "vanishing-gradients.fix.residual": "ショートカット接続（ResNet と同じ仕組み）で、勾配が層を飛び越えて伝わります。",
    "vanishing-gradients.fix.adam": "Adam は、重みごとに勾配の大きさに合わせて更新幅を調整します。",
    "vanishing-gradients.fix.fewer_layers": "層の数を減らしましょう。",
    "vanishing-gradients.skip.diverged": (
        "{diverged}。入力側の勾配がごく小さいのは、発散でユニットが飽和した結果にすぎません"
    ),
    "exploding-gradients.title": "勾配が桁違いに大きくなっています",
    "exploding-gradients.explanation": (
        "誤差逆伝播で掛け合わされる係数が 1 より大きいときや、学習率が大きすぎるときは、勾配が桁違いに大きくなります。"
        "すると更新のたびに行き過ぎて重みがどんどん大きくなり、たいていは損失が NaN（数値として表せない値）になって"
        "学習が壊れます。更新幅を小さくしたり正規化を入れたりすると、勾配が適切な範囲に収まります。"
    ),
    "exploding-gradients.summary.non_finite": (
        "{epoch} エポック目以降、計測したすべての層（{layers} 個）で勾配ノルムが NaN/Inf になりました。"
        "数値があふれる前の有限の勾配は、一度も測れていません。"
    ),
    "exploding-gradients.summary.growth": (
        "最大の勾配ノルムが、最初の値 {initial} の {growth} 倍まで増えました"
        "（{epoch} エポック目、しきい値 {threshold_growth} 倍）。"
        "入力側と出力側の勾配ノルムの比は {ratio} です（しきい値 {threshold_ratio}）。"
    ),
    "exploding-gradients.summary.growth_then_non_finite": (
        "最大の勾配ノルムが、最初の値 {initial} の {growth} 倍まで増えました"
        "（{epoch} エポック目、しきい値 {threshold_growth} 倍）。"
        "入力側と出力側の勾配ノルムの比は {ratio} です（しきい値 {threshold_ratio}）。"
        "{non_finite_epoch} エポック目には、勾配が NaN/Inf になりました。"
    ),
    "exploding-gradients.fix.lr": "学習率を下げて、1 回の更新幅を小さくしましょう。",
    "exploding-gradients.fix.batch_norm": "各層の入力のスケールを、一定に保ちます。",
    "exploding-gradients.fix.init": "層のユニット数に合わせて大きさを調整した初期値から始めましょう。",
    "exploding-gradients.fix.normalize": "入力の値を小さな範囲にそろえましょう（入力の正規化）。",
}
