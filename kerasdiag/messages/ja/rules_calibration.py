"""自信過剰な予測（キャリブレーションの悪さ）: 評価用データでの予測確率が、正解率に見合わないほど極端。"""

MESSAGES = {
    "overconfidence.title": "予測確率が、実際に当たる割合に比べて極端すぎます",
    "overconfidence.explanation": (
        "予測確率が、モデルの実際の正解率から見て極端すぎます。「99%」と予測しているのに、実際に当たる割合はずっと低い"
        "状態です。過学習したモデルは出力を 0 と 1 に押しやるので、P(クラス) のヒストグラムが両端に集まります。"
        "正解率は予測確率が最大のクラスが正しいかどうかしか見ないため、この問題に気づけません。一方、損失や"
        "キャリブレーション（予測確率が実際に当たる割合と合っているか）には表れます。ECE は、確信度（最大の予測確率）"
        "と正解率のずれの平均で、キャリブレーションの悪さを表す値です。このような確率をもとに判定しきい値を"
        "決めてはいけません。"
    ),
    "overconfidence.summary": (
        "評価用に取り分けたデータ {samples} サンプルで、確信度（最大の予測確率）の平均は {confidence} なのに、"
        "正解率は {accuracy} です（差 {gap}、しきい値 {threshold_gap}）。ECE（確信度と正解率のずれの平均）は "
        "{ece} です（しきい値 {threshold_ece}）。予測の {extreme_share} は最大の予測確率が {extreme} を超え、"
        "{extreme_true_share} は正解クラスの確率が {extreme} を超えるか {extreme_low} を下回っています{best}。"
    ),
    "overconfidence.few_samples": (
        "{summary}ただし、予測は {samples} 個しかありません（{needed} 個未満）。これだけ少ないと、正解率そのものが"
        "偶然で大きくぶれます。そのため、確信度と正解率の差が、正解率の標準誤差（偶然によるぶれの大きさの目安）の "
        "{z} 倍を超えたときだけ問題としています。上に示した差のしきい値が、この値です。"
    ),
    "overconfidence.best_epoch": "。最良のエポック（{epoch} エポック目）では、ECE は {ece} でした",
    "overconfidence.fix.best_epoch": "確信度が実力を上回ってしまう前の、最良のエポックで止めましょう。",
    "overconfidence.fix.dropout": "訓練データを丸暗記しないように、正則化しましょう。",
    "overconfidence.fix.l2": "確率を極端にする大きな重みに、ペナルティを課しましょう。",
    "overconfidence.skip.no_predictions": "このログには、評価用に取り分けたデータでの予測がありません",
    "overconfidence.skip.shape": "予測の形 {shape} が、ラベルの数 {labels} と合いません",
    "overconfidence.skip.not_finite": (
        "評価用に取り分けたデータでの予測確率が NaN/Inf になっています（モデルが発散しています）"
    ),
    "overconfidence.skip.unseen_classes": (
        "評価用に取り分けたデータのうち {unseen} 個は、訓練データに一度も出てこないクラスのサンプルです。"
        "どんなモデルでも当てようがないので、キャリブレーションの判断には使えません。残りの {count} 個だけでは"
        "少なすぎて判断できません（必要なのは {needed} 個）"
    ),
    "overconfidence.skip.few_samples": (
        "評価用に取り分けたデータでの予測が {count} 個しかありません（必要なのは {needed} 個）"
    ),
    "overconfidence.skip.diverged": (
        "{diverged}。発散したモデルの確率からは、キャリブレーションについて何も分かりません"
    ),
}
