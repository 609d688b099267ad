"""死んだ ReLU と活性化の飽和: 見出し、解説、根拠の要約、試すこと、評価できなかった理由。"""

MESSAGES = {
    "dead-relu.title": "死んだ ReLU ユニット",
    "dead-relu.explanation": (
        "ReLU は入力が負なら 0 を出力し、そのときの傾き（勾配）も 0 になる。どのサンプルでも入力が負になった"
        "ユニットは、出力が常に 0 で勾配も流れないので、二度と学習しない。これを「死んだ」ユニットという。"
        "大きすぎる更新（高すぎる学習率）や不適切な初期値で多くのユニットが一度にこの状態になると、"
        "その層は死んだユニットの分だけ表現力を失う。"
    ),
    "dead-relu.summary.probes": (
        "{layer} のユニットの {share} が死んでいる（毎エポック出力を調べる訓練サンプルのすべてで出力が 0）。"
        "この割合はエポック {span} の中央値で、しきい値は {threshold}。"
        "この期間の {held} のエポックでしきい値以上だった"
        "{others}。"
    ),
    "dead-relu.summary.config": (
        "{cause}。損失の変化は直近 {window} エポックで {change} だった。ReLU ユニットが死んでいて、"
        "出力が入力によらなくなっている可能性が高い（層ごとの計測がないため、モデル設定と学習曲線から推定）。"
    ),
    "dead-relu.in_all": "（該当する層は全部で {count} 個）",
    "dead-relu.negative_bias": (
        "{count} 個の ReLU 層がバイアスを負の値で初期化している（最も低いのは {layer} の {bias}）"
    ),
    "dead-relu.negative_bias_pinned": (
        "{count} 個の ReLU 層がバイアスを負の値で初期化していて（最も低いのは {layer} の {bias}）、"
        "訓練データでの正解率がエポック {epoch} から {value} のまま動かない"
    ),
    "dead-relu.pinned": (
        "訓練データでの正解率がエポック {epoch} から {value} に張り付いていて、チャンスレベル（ランダム予測）とほぼ同じ"
    ),
    "dead-relu.fix.leaky_relu": "Leaky ReLU は 0 未満でも小さな傾きを持つので、死んだユニットも学習に戻れる。",
    "dead-relu.fix.lr": "更新幅が大きいと、ユニットが「入力が常に負」の領域に押し込まれて死んでしまう。",
    "dead-relu.fix.init": "He の初期化は ReLU 層に向いている。",
    "dead-relu.fix.batch_norm": "活性化関数に入る前の値を 0 の付近に保つ。",
    "dead-relu.skip.no_layer": "このモデルには ReLU 系の層がない",
    "dead-relu.skip.no_probes": "このログには層ごとの dead_fraction の記録（プローブ）がない",
    "dead-relu.skip.no_relu_in_config": (
        "層ごとの dead_fraction の記録（プローブ）がなく、モデル設定にも ReLU の隠れ層がない"
    ),
    "saturation.title": "sigmoid/tanh ユニットの飽和",
    "saturation.explanation": (
        "sigmoid と tanh は出力の上限・下限の近くで平らになり、そこでは傾きがほぼ 0 になる。"
        "上限か下限に張り付いた（飽和した）ユニットを通ると勾配はほとんど戻らず、その手前の層は学習しなくなる。"
        "入力や重みが大きいと、ユニットは飽和しやすい。"
    ),
    "saturation.summary.probes": (
        "{layer} のユニットの {share} が飽和している（出力が上限か下限から {margin} 以内）。"
        "この割合はエポック {span} の中央値で、しきい値は {threshold}。"
        "この期間の {held} のエポックでしきい値以上だった"
        "{others}。"
    ),
    "saturation.summary.config": (
        "{count} 個の {activation} 層が、カーネル（重み）の初期値を標準偏差の大きな分布から取っている"
        "（最大は {layer} の {stddev}、しきい値 {threshold}）。活性化関数に入る前の値が最初から傾きのある範囲を"
        "大きく外れるので、ユニットが飽和する（層ごとの計測がないため、モデル設定と学習曲線から推定）。"
    ),
    "saturation.in_all": "（該当する層は全部で {count} 個）",
    "saturation.fix.relu": "ReLU は正の入力では飽和しない。",
    "saturation.fix.normalize": "入力が大きいと、sigmoid/tanh の出力が上限・下限に押しやられる。",
    "saturation.fix.batch_norm": "活性化関数に入る前の値を、傾きが十分ある範囲に保つ。",
    "saturation.fix.init": "Glorot の初期化は sigmoid/tanh に向いている。",
    "saturation.skip.no_layer": "このモデルには sigmoid/tanh の層がない",
    "saturation.skip.no_probes": "このログには層ごとの saturated_fraction の記録（プローブ）がない",
}
