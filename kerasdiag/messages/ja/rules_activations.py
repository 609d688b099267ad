"""死んだ ReLU と活性化の飽和: タイトル、解説、根拠の要約、試すこと、評価できなかった理由。"""

MESSAGES = {
    "dead-relu.title": "出力が常に 0 になり、学習しなくなったユニットがあります",
    "dead-relu.explanation": (
        "ReLU は入力が負のとき 0 を出力し、そのときの傾き（勾配）も 0 になります。どのサンプルに対しても入力が負に"
        "なったユニットは、出力が常に 0 で勾配も流れないため、二度と学習しません。これを「死んだ」ユニットと呼びます。"
        "更新が大きすぎる（学習率が高すぎる）場合や初期値が不適切な場合には、多くのユニットが一度にこの状態になる"
        "ことがあり、その層は死んだユニットの分だけ表現力を失います。"
    ),
    "dead-relu.summary.probes": (
        "{layer} のユニットの {share} が死んでいます（毎エポック調べている訓練サンプルのどれに対しても出力が 0）。"
        "この割合は {span} エポック目の中央値で、しきい値は {threshold} です。"
        "この期間のエポックの {held} でしきい値以上でした"
        "{others}。"
    ),
    "dead-relu.summary.config": (
        "{cause}。損失の変化は、直近 {window} エポックで {change} でした。ReLU ユニットが死んでいて、"
        "出力が入力によらなくなっている可能性が高いです（層ごとの計測がないため、モデルの設定と学習曲線から推定）。"
    ),
    "dead-relu.in_all": "（該当する層は全部で {count} 個）",
    "dead-relu.negative_bias": (
        "{count} 個の ReLU 層が、バイアスを負の値で初期化しています（最も低いのは {layer} の {bias}）"
    ),
    "dead-relu.negative_bias_pinned": (
        "{count} 個の ReLU 層が、バイアスを負の値で初期化していて（最も低いのは {layer} の {bias}）、"
        "訓練正解率が {epoch} エポック目から {value} のまま動きません"
    ),
    "dead-relu.pinned": (
        "訓練正解率が {epoch} エポック目から {value} に張り付いていて、チャンスレベル（ランダム予測）とほぼ同じです"
    ),
    "dead-relu.fix.leaky_relu": "Leaky ReLU は入力が負でも小さな傾きを持つので、死んだユニットも学習に戻れます。",
    "dead-relu.fix.lr": "更新幅が大きいと、ユニットが「入力が常に負」の領域に押し込まれて死んでしまいます。",
    "dead-relu.fix.init": "He の初期化は ReLU 層に向いています。",
    "dead-relu.fix.batch_norm": "活性化関数に入る前の値を、0 の付近に保ちます。",
    "dead-relu.skip.no_layer": "このモデルには ReLU 系の層がありません",
    "dead-relu.skip.standalone": (
        "このモデルの ReLU は独立した層（{layers}）にしかなく、層ごとの計測で死んだユニットを測れるのは、relu を"
        "活性化関数に持つ Dense 層や Conv 層だけです"
    ),
    "dead-relu.skip.no_probes": "このログには、層ごとの dead_fraction の記録がありません",
    "dead-relu.skip.no_relu_in_config": (
        "層ごとの dead_fraction の記録がなく、モデルの設定にも、ユニットが死ぬおそれのある隠れ層（relu、relu6 を"
        "使った層）がありません。これらは負の入力に対して出力も勾配も 0 になりますが、leaky_relu、elu、selu、gelu "
        "は負の入力でも勾配が残るため、ユニットは死にません"
    ),
    "saturation.title": "sigmoid/tanh のユニットが、出力の上限・下限に張り付いています",
    "saturation.explanation": (
        "sigmoid と tanh は、出力の上限・下限の近くで曲線が平らになり、傾きがほぼ 0 になります。上限か下限に"
        "張り付いた（飽和した）ユニットを通ると勾配はほとんど戻らないため、その手前の層は学習しなくなります。"
        "入力や重みが大きいと、ユニットは飽和しやすくなります。"
    ),
    "saturation.summary.probes": (
        "{layer} のユニットの {share} が飽和しています（出力が上限か下限から {margin} 以内）。"
        "この割合は {span} エポック目の中央値で、しきい値は {threshold} です。"
        "この期間のエポックの {held} でしきい値以上でした"
        "{others}。"
    ),
    "saturation.summary.config": (
        "{count} 個の {activation} 層が、カーネル（重み）の初期値を標準偏差の大きな分布から取っています"
        "（最大は {layer} の {stddev}、しきい値 {threshold}）。活性化関数に入る前の値が最初から、傾きが十分ある範囲を"
        "大きく外れているため、ユニットが飽和します（層ごとの計測がないため、モデルの設定と学習曲線から推定）。"
    ),
    "saturation.in_all": "（該当する層は全部で {count} 個）",
    "saturation.fix.relu": "ReLU は、正の入力では飽和しません。",
    "saturation.fix.normalize": "入力が大きいと、sigmoid/tanh の出力が上限・下限に押しやられます。",
    "saturation.fix.batch_norm": "活性化関数に入る前の値を、傾きが十分ある範囲に保ちます。",
    "saturation.fix.init": "Glorot の初期化は sigmoid/tanh に向いています。",
    "saturation.skip.no_layer": "このモデルには sigmoid/tanh の層がありません",
    "saturation.skip.standalone": (
        "このモデルの sigmoid/tanh は独立した層（{layers}）にしかなく、層ごとの計測で飽和を測れるのは、sigmoid か "
        "tanh を活性化関数に持つ Dense 層や Conv 層だけです"
    ),
    "saturation.skip.no_probes": "このログには、層ごとの saturated_fraction の記録がありません",
}
