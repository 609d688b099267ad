"""データのルール: クラス構成の不一致（訓練データと検証データ）、正規化されていない入力、クラスの偏り。"""

MESSAGES = {
    # validation-mismatch
    "validation-mismatch.title": "検証データと訓練データで、含まれるクラスの割合が大きく違います",
    "validation-mismatch.explanation": (
        "Keras の validation_split は、配列をシャッフルせずに「最後の」部分を検証データにします。ファイルがクラス順に"
        "並んでいると、検証データには最後のほうのクラスしか入らず、その中には訓練で一度も見ないクラスが含まれることも"
        "あります。そうなると検証損失や検証正解率は、その課題でのモデルの実力とは別のものを測ってしまいます。"
        "分割の前に、データをシャッフルしておきましょう。"
    ),
    "validation-mismatch.summary.counts": (
        "クラスごとのサンプル数が違います: 訓練データ {train}、検証データ {validation}（分布の違いの大きさ "
        "{distance}、0 = 同じ・1 = 重なりなし、しきい値 {threshold}）{unseen}{single}。"
    ),
    "validation-mismatch.unseen": "。検証データには、訓練で一度も見ていないクラス {classes} が入っています",
    "validation-mismatch.single": (
        "。検証データにはクラス {label} しかないため、その正解率からは他のクラスの性能が分かりません"
    ),
    "validation-mismatch.summary.curves": (
        "訓練正解率は {train_end} に達しているのに、検証正解率は最後の時点で {val_end} しかなく、チャンスレベル"
        "（ランダム予測）の正解率 {chance} の {share} 倍にも届きません。検証データには、訓練で見ていないクラスが"
        "入っている可能性が高いです（このログにはクラスごとのサンプル数の記録がないため、学習曲線から判断）。"
    ),
    "validation-mismatch.fix.shuffle": (
        "分割の前にシャッフルして、訓練データにも検証データにもすべてのクラスが入るようにしましょう。"
    ),
    "validation-mismatch.skip.no_validation_counts": "検証データのクラスごとのサンプル数が記録されていません",
    "validation-mismatch.skip.no_validation": (
        "検証データがありません（fit に validation_split も validation_data も指定されていません）"
    ),
    # unnormalized-input
    "unnormalized-input.title": "入力の値の範囲が大きすぎます",
    "unnormalized-input.init.title": (
        "重みの初期値が不適切で、1 エポック目の損失がチャンスレベルをはるかに上回っています"
    ),
    "unnormalized-input.init.explanation": (
        "モデルの設定によると、重みの初期値のばらつきが大きすぎます。これでは各層の出力が層を重ねるたびに"
        "大きくなり、最初の予測は極端な値になって、高い確信度で外れます。そのため 1 エポック目の"
        "損失は、チャンスレベル（ランダム予測）の損失をはるかに上回ります。学習が進めば回復することもありますが、"
        "時間がかかりますし、その途中でユニットが飽和したり死んだり（出力が常に 0 になったり）することもあります。"
        "層の大きさに合わせてスケールする初期化（Keras の既定である Glorot や、He など）を使えば、出力は扱いやすい"
        "範囲に収まります。なお、このログには入力の値の範囲が記録されていないため、入力は原因に含めていません。"
    ),
    "unnormalized-input.explanation": (
        "1 よりずっと大きな入力（0〜255 の生の画素値など）をそのまま入れると、最初の層の出力と勾配が巨大になります。"
        "すると、正規化されたデータに合う学習率では更新が行き過ぎ、ユニットが飽和したり死んだり（出力が常に 0 に"
        "なったり）して、損失が発散することもあります。入力を [0, 1] の範囲や、平均 0・標準偏差 1 にそろえる"
        "（正規化する）と、どの層の値も扱いやすい範囲に収まります。"
    ),
    "unnormalized-input.summary.range": (
        "入力の値は {low} から {high} までです（標準偏差 {std}）。しきい値は |x| <= {abs_max}、"
        "標準偏差 <= {std_max} です。"
    ),
    "unnormalized-input.summary.first_loss": (
        "1 エポック目の損失{less_penalty}は {first} で、{chance} の {ratio} 倍です（しきい値 {threshold} 倍）。"
        "原因は、{causes}だと考えられます{init}。"
    ),
    "unnormalized-input.less_penalty": "（L1/L2 ペナルティを除いたデータ損失）",
    "unnormalized-input.cause.init": "不適切な重みの初期値",
    "unnormalized-input.cause.inputs_or_init": "スケールをそろえていない入力か、不適切な重みの初期値",
    "unnormalized-input.cause.any": (
        "スケールをそろえていない入力、最初の数ステップには大きすぎる学習率、損失に含まれる L1/L2 ペナルティ、"
        "不適切な重みの初期値のいずれか"
    ),
    "unnormalized-input.curves_only": (
        "{summary}ただ、このログには入力の範囲も学習率もペナルティも記録されていないため、どれが原因かまでは"
        "絞り込めません。そのため、警告ではなく参考情報にしています。"
    ),
    "unnormalized-input.wide_init": "。カーネル（重み）は、標準偏差 {stddev} の乱数で初期化されています",
    "unnormalized-input.fix.normalize": "入力を [0, 1] の範囲にスケールしましょう（--no-normalize を外します）。",
    "unnormalized-input.fix.scale": (
        "入力の値を小さな範囲に収めましょう（[0, 1] の範囲にするか、平均 0・標準偏差 1 にそろえます）。"
    ),
    "unnormalized-input.fix.init": "層の大きさに合わせてスケールした重みの初期値（Glorot など）を使いましょう。",
    "unnormalized-input.skip.no_first_loss": (
        "データの要約（入力の範囲）がなく、1 エポック目の損失を、クラス数から決まるチャンスレベルの損失と比べることも"
        "できません"
    ),
    "unnormalized-input.skip.not_classifier": (
        "データの要約がありません。1 エポック目の損失はチャンスレベルの損失と比べて判断するため、分類器にしか"
        "使えません（タスク: {task}）"
    ),
    # class-imbalance
    "class-imbalance.title": "訓練データのクラスごとのサンプル数に、大きな差があります",
    "class-imbalance.explanation": (
        "あるクラスのサンプルだけがずっと多いと、モデルはほとんどそのクラスを予測するだけで高い正解率に達し、"
        "少ないクラスはほとんど当てられないままになることがあります。クラスごとの結果を確かめ、クラスごとの"
        "サンプル数をそろえましょう（各クラスを同じ数にするか、クラスごとの重みを使います）。"
    ),
    "class-imbalance.summary.counts": (
        "訓練データで最も多いクラスは {largest} サンプル、最も少ないクラスは {smallest} サンプルです（{ratio} 倍。"
        "しきい値は、参考が {threshold_info} 倍、警告が {threshold_warning} 倍）。"
    ),
    "class-imbalance.weighted": (
        "{summary}ただし、fit でクラスに重みを付けている（class_weight か sample_weight）ので、損失はすでに"
        "クラスをより均等に扱っています。そのため、警告ではなく参考情報にしています。サンプル数の少ないクラスの"
        "予測が悪いままでなければ、何も変える必要はありません。"
    ),
    "class-imbalance.summary.pinned": (
        "訓練正解率は {epoch} エポック目から最後まで {value} のままで（変動幅 {spread}）、チャンスレベル"
        "（ランダム予測）の {chance} よりずっと高い値です。モデルは 1 つのクラスだけを予測していて、そのクラスが"
        "データの約 {value} を占めていると考えられます（このログにはクラスごとのサンプル数の記録がないため、"
        "学習曲線から判断）。"
    ),
    "class-imbalance.fix.same_count": "どのクラスからも同じ数のサンプルを取りましょう。",
    "class-imbalance.fix.balance": "クラスごとのサンプル数をそろえましょう（各クラスを同じ数にします）。",
    "class-imbalance.skip.no_train_counts": "訓練データのクラスごとのサンプル数が記録されていません",
    "class-imbalance.skip.no_accuracy": "このログには、データの要約も正解率の曲線もありません",
}
