"""損失の停滞と正解率の停滞: 動かなくなった曲線。"""

MESSAGES = {
    "loss-plateau.title": "損失の停滞: 損失がほとんど動かない",
    "loss-plateau.explanation": (
        "損失が、学習済みのモデルが到達する値からまだ遠いのに、ほとんど変化しなくなっている。"
        "たいていは学習率が小さすぎて先に進めないか、ネットワークが行き詰まっている。"
        "例えば、出力が常に 0 になって学習に参加しなくなったユニット（死んだユニット）、勾配消失、"
        "あるいは素の SGD では動かせないほど深く積み重ねた層だ。"
    ),
    "loss-plateau.summary": (
        "直近 {window} エポック（{first_epoch}〜{last_epoch} エポック目）で、損失は {change} しか変わっていない"
        "（{start} → {end}、しきい値 {threshold}）。それなのに損失はまだ、チャンスレベル（ランダム予測）の損失 "
        "{chance_loss} の {level} の高さにある。"
    ),
    "loss-plateau.fix.lr": "学習率を 10 倍にして、1 回の更新幅を大きくする。",
    "loss-plateau.fix.adam": "Adam は重みごとに更新幅を自動で調整する。",
    "loss-plateau.fix.relu": "非線形の活性化関数を入れる。",
    "loss-plateau.fix.init": "信号が層を通り抜けやすい重みの初期値から始める。",
    "loss-plateau.skip.short": (
        "損失が NaN/Inf でないエポックが {needed} 以上必要だが、この実行には {count} エポックしかない"
    ),
    "accuracy-plateau.title": "損失は下がり続けているのに正解率が横ばい",
    "accuracy-plateau.explanation": (
        "損失と正解率は別のものを測っている。損失は、各サンプルの正解クラスの予測確率が少しでも変われば"
        "それを捉える。一方、正解率は、正解クラスが予測確率が最大のクラスになったかどうかしか数えない。"
        "誤分類されたサンプルの確率が大きく改善しても（損失は下がる）、判定しきい値を越えなければ正解率は変わらず、"
        "越えた瞬間に 1 サンプル分だけ跳ね上がる。小さなデータセットでは、このような階段状の平らな区間が"
        "現れるのは正常だ。"
    ),
    # {step} と {near} は下の補足の文、または空文字列。
    "accuracy-plateau.summary": (
        "{metric} は {start_epoch}〜{end_epoch} エポック目の {length} エポックのあいだ {accuracy} のままだったが、"
        "損失は {drop} 下がった（{loss_start} → {loss_end}）。{step}{near}"
    ),
    "accuracy-plateau.step": "1 サンプルの判定が変わるだけで、正解率は {step} 動く。",
    "accuracy-plateau.none_wrong": (
        "毎エポック調べている訓練データの一部（プローブ・サンプル）には、誤分類されたものがない。"
    ),
    "accuracy-plateau.near": (
        "毎エポック調べている訓練データの一部（プローブ・サンプル）で誤分類された {wrong} 個のうち {near} 個は、"
        "正解クラスの確率と、予測確率が最大のクラスの確率との差が {margin} 以内。"
    ),
    "accuracy-plateau.fix.longer": "改善しつつある予測が判定しきい値を越えるまで、もっと長く学習する。",
    "accuracy-plateau.skip.no_accuracy": "このログには、損失と対になる正解率の記録がない",
}
