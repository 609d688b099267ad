"""データのルール: 検証データのクラス構成の違い、正規化されていない入力、クラスの偏り。"""

MESSAGES = {
    # validation-mismatch
    "validation-mismatch.title": "検証データのクラス構成が訓練データと違う",
    "validation-mismatch.explanation": (
        "Keras の validation_split は、配列をシャッフルせずに「最後の」部分を検証データにする。ファイルがクラス順に"
        "並んでいると、検証データには最後のほうのクラスしか入らず、その中には訓練で一度も見ないクラスが含まれることも"
        "ある。そうなると検証損失や検証正解率は、その課題でのモデルの実力とは別のものを測ってしまう。分割の前に"
        "データをシャッフルしておくこと。"
    ),
    "validation-mismatch.summary.counts": (
        "クラスごとのサンプル数が違う: 訓練 {train}、検証 {validation}（分布の距離 {distance}、しきい値 {threshold}）"
        "{unseen}{single}。"
    ),
    "validation-mismatch.unseen": "。検証データには、訓練で一度も見ていないクラス {classes} が入っている",
    "validation-mismatch.single": (
        "。検証データにはクラス {label} しかないので、その正解率からは他のクラスの性能は分からない"
    ),
    "validation-mismatch.summary.curves": (
        "訓練正解率は {train_end} に達するのに、検証正解率は最後の時点で {val_end} しかなく、チャンスレベル"
        "（ランダム予測）の正解率 {chance} の {share} 倍にも届かない。検証データには訓練で見ていないクラスが"
        "入っている可能性が高い（曲線からの判断。このログにはクラスごとのサンプル数の記録がない）。"
    ),
    "validation-mismatch.fix.shuffle": (
        "分割の前にシャッフルして、訓練データにも検証データにもすべてのクラスが入るようにする。"
    ),
    "validation-mismatch.skip.no_validation_counts": "検証データのクラスごとのサンプル数が記録されていない",
    # unnormalized-input
    "unnormalized-input.title": "入力が正規化されていない",
    "unnormalized-input.explanation": (
        "1 よりずっと大きな入力（0〜255 の生の画素値など）をそのまま入れると、最初の層の出力と勾配が巨大になる。"
        "すると正規化されたデータに合う学習率では更新が行き過ぎ、ユニットが飽和したり死んだり（出力が常に 0 に"
        "なったり）して、損失が発散することもある。入力を [0, 1] の範囲や平均 0・標準偏差 1 にそろえる（正規化する）"
        "と、どの層の値も扱いやすい範囲に収まる。"
    ),
    "unnormalized-input.summary.range": (
        "入力の値は {low} から {high} まで（標準偏差 {std}）。しきい値は |x| <= {abs_max}、標準偏差 <= {std_max}。"
    ),
    "unnormalized-input.summary.first_loss": (
        "エポック 1 の損失{less_penalty}は {first} で、チャンスレベル（ランダム予測）の損失 ln(k) = {chance_loss} の "
        "{ratio} 倍（しきい値 {threshold} 倍）。原因は{causes}だと考えられる{init}。"
    ),
    "unnormalized-input.less_penalty": "（重み減衰のペナルティ分を除く）",
    "unnormalized-input.cause.init": "不適切な重みの初期値",
    "unnormalized-input.cause.inputs_or_init": "スケールされていない入力か、不適切な重みの初期値",
    "unnormalized-input.wide_init": "。カーネル（重み）は標準偏差 {stddev} の乱数で初期化されている",
    "unnormalized-input.fix.normalize": "入力を [0, 1] の範囲にスケールする（--no-normalize を外す）。",
    "unnormalized-input.fix.scale": "入力を [0, 1] の範囲にスケールする。",
    "unnormalized-input.fix.init": "層の大きさに合わせてスケールした初期値から始める。",
    "unnormalized-input.skip.no_first_loss": (
        "データの要約（入力の範囲）がなく、エポック 1 の損失かクラス数も分からないので、損失からも判断できない"
    ),
    # class-imbalance
    "class-imbalance.title": "訓練データのクラスが偏っている",
    "class-imbalance.explanation": (
        "あるクラスのサンプルだけがずっと多いと、モデルはほとんどそのクラスを予測するだけで高い正解率に達し、"
        "少ないクラスはほとんど当てられないままになることがある。クラスごとの結果を確かめ、クラスごとのサンプル数を"
        "そろえること（各クラスを同じ数にするか、クラスごとの重みを使う）。"
    ),
    "class-imbalance.summary.counts": (
        "訓練データで最も多いクラスは {largest} 件、最も少ないクラスは {smallest} 件（{ratio} 倍。しきい値は参考が "
        "{threshold_info} 倍、警告が {threshold_warning} 倍）。"
    ),
    "class-imbalance.summary.pinned": (
        "訓練正解率は {epoch} エポック目から最後まで {value} のまま（変動幅 {spread}）で、チャンスレベル"
        "（ランダム予測）の {chance} よりずっと高い。モデルは 1 つのクラスだけを予測していて、そのクラスがデータの"
        "約 {value} を占める（曲線からの判断。このログにはクラスごとのサンプル数の記録がない）。"
    ),
    "class-imbalance.fix.same_count": "どのクラスからも同じ数のサンプルを取る。",
    "class-imbalance.fix.balance": "クラスごとのサンプル数をそろえる（各クラスを同じ数にする）。",
    "class-imbalance.skip.no_train_counts": "訓練データのクラスごとのサンプル数が記録されていない",
    "class-imbalance.skip.no_accuracy": "このログにはデータの要約も正解率の曲線もない",
}
