"""損失の停滞と正解率の停滞: 動かなくなった学習曲線。"""

MESSAGES = {
    "loss-plateau.title": "損失がほとんど動いていません",
    "loss-plateau.explanation": (
        "損失が、学習済みのモデルなら到達する値からまだ遠いのに、ほとんど変化しなくなっています。"
        "たいていは学習率が小さすぎて先に進めないか、ネットワークが行き詰まっています。"
        "例えば、出力が常に 0 になって学習に参加しなくなったユニット（死んだユニット）や勾配消失、"
        "あるいは素の SGD では動かせないほど深く積み重ねた層が原因です。"
    ),
    "loss-plateau.summary": (
        "直近 {window} エポック（{first_epoch}〜{last_epoch} エポック目）で、損失は {change} しか変わっていません"
        "（{start} → {end}、しきい値 {threshold}）。しかも損失は、{reference} の {level} と、まだ高いままです。"
    ),
    "loss-plateau.first_epoch": ("チャンスレベルが分からないため代わりに基準にした、1 エポック目の損失 {value}"),
    "loss-plateau.fix.lr": "学習率を 10 倍にして、1 回の更新幅を大きくしましょう。",
    "loss-plateau.fix.adam": "Adam は、重みごとに更新幅を自動で調整します。",
    "loss-plateau.fix.relu": "非線形の活性化関数を入れましょう。",
    "loss-plateau.fix.init": "信号が層を通り抜けやすい重みの初期値を使いましょう。",
    "loss-plateau.skip.short": (
        "損失が NaN/Inf でないエポックが {needed} 個以上必要ですが、この実行には {count} 個しかありません"
    ),
    "accuracy-plateau.title": "損失は下がり続けているのに、正解率が横ばいです",
    "accuracy-plateau.explanation": (
        "損失と正解率は、別のものを測っています。損失は、各サンプルの正解クラスの予測確率が少しでも変われば"
        "それを捉えます。一方、正解率は、正解クラスの予測確率が最大になったかどうかしか数えません。"
        "誤分類されたサンプルの確率が大きく改善しても（損失は下がります）、判定しきい値を越えなければ正解率は"
        "変わらず、越えた瞬間に 1 サンプル分だけ跳ね上がります。小さなデータセットでは、このような階段状の平らな区間が"
        "現れるのは正常です。"
    ),
    # {step} と {near} は下の補足の文、または空文字列。
    "accuracy-plateau.summary": (
        "{metric} は {start_epoch}〜{end_epoch} エポック目の {length} エポックのあいだ {accuracy} のままでしたが、"
        "損失は {drop} 下がりました（{loss_start} → {loss_end}）。{step}{near}"
    ),
    "accuracy-plateau.settled": (
        "{summary}ただし、損失が下がったのはこの区間の前半だけで、"
        "{mid_epoch} エポック目以降の変化は {late} にとどまっています。"
        "この損失の低下は、予測が判定しきい値に少しずつ近づいたことによるものではありません。"
        "そのため、学習を長くしても正解率は動かないでしょう。"
    ),
    "accuracy-plateau.step": "1 サンプルの判定が変わるだけで、正解率は {step} 動きます。",
    "accuracy-plateau.none_wrong": (
        "毎エポック調べている訓練サンプル（訓練データの一部）には、誤分類されたものがありません。"
    ),
    "accuracy-plateau.near": (
        "毎エポック調べている訓練サンプル（訓練データの一部）では {wrong} 個が誤分類されていて、そのうち {near} 個は、"
        "正解クラスの確率と、最大の予測確率との差が {margin} 以内です。"
    ),
    "accuracy-plateau.fix.longer": "改善しつつある予測が判定しきい値を越えるまで、もっと長く学習しましょう。",
    "accuracy-plateau.skip.no_accuracy": "このログには、損失と対になる正解率の記録がありません",
}
