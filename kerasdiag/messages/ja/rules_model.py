"""活性化関数なし（何層重ねても 1 つの線形変換と同じ）: タイトル、解説、根拠の要約、試すこと、評価できなかった理由。"""

MESSAGES = {
    "linear-collapse.title": "何層重ねても 1 つの線形変換と同じです",
    "linear-collapse.explanation": (
        "活性化関数のない Dense 層や Conv2D 層は、W x + b を計算するだけです。"
        "こうした層を重ねると行列どうしが掛け合わされ、W3 (W2 (W1 x)) = (W3 W2 W1) x "
        "のように 1 つの行列にまとまってしまいます。つまり何層重ねても、1 層で表せないものは表せません。しかも表せる"
        "変換のランク（行列の階数）は、いちばん狭い層のユニット数で頭打ちになります。深くしても増えるのはパラメータの数"
        "と最適化の難しさだけです。勾配が多くの行列の積を通って戻るため SGD では学習が進みにくく、層を増やすと正解率が"
        "かえって下がることもあります。層の間に ReLU などの非線形な活性化関数を入れて、はじめて深さが役に立ちます。"
    ),
    "linear-collapse.summary": (
        "活性化関数のない隠れ層 {hidden} 個を含む {count} 個の層（{layers}）は、{activation} の手前までまとめて"
        " 1 つの線形変換と同じ計算しかしていません{rank}。{gradients}"
    ),
    "linear-collapse.rank": (
        "。表せる変換のランク（行列の階数）は、いちばん狭い隠れ層のユニット数 {bottleneck} 以下です"
    ),
    "linear-collapse.gradients": (
        "{first} の勾配ノルムは {last} の {ratio} 倍で（{span} エポック目の中央値）、{verdict}。"
    ),
    "linear-collapse.verdict.vanishing": "入力側に向かうほど勾配が小さくなっています（勾配消失）",
    "linear-collapse.verdict.exploding": "入力側に向かうほど勾配が大きくなっています（勾配爆発）",
    "linear-collapse.verdict.neither": (
        "この実行では、勾配消失（比が {vanishing} 未満）も勾配爆発（比が {exploding} 超）も起きていません"
    ),
    "linear-collapse.fix.relu": "層の間に非線形な活性化関数を入れると、層を深くした分だけ表現力が増えます。",
    "linear-collapse.fix.one_layer": (
        "活性化関数がなければ、1 層でも積み重ね全体と同じことができ、パラメータが少なく学習もしやすくなります。"
    ),
    "linear-collapse.skip.no_model": (
        "このログには、モデルの層構成の記録も kerasdiag のフラグ（--layers など）もありません"
    ),
    "linear-collapse.skip.cnn_without_summary": "この CNN の実行には、モデルの層構成の記録がありません",
}
