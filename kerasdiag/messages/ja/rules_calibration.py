"""キャリブレーションのルール: 過信（評価用データでの予測確率が正解率に見合わないほど極端）。"""

MESSAGES = {
    "overconfidence.title": "自信過剰な予測（キャリブレーションが悪い）",
    "overconfidence.explanation": (
        "予測確率が、モデルの正解率から見て極端すぎる。「99%」と言っているのに、実際に当たる頻度はずっと低い。"
        "過学習したモデルは出力を 0 と 1 に押しやるので、P(クラス) のヒストグラムが両端に集まる。正解率は予測確率が"
        "最大のクラスが正しいかどうかしか見ないのでこれに気づかないが、損失やキャリブレーション（予測確率が実際に"
        "当たる頻度と合っているか。ECE は確信度、つまり最大の予測確率と正解率の差の平均）には表れる。このような確率"
        "から判定しきい値を決めてはいけない。"
    ),
    "overconfidence.summary": (
        "評価用に取り分けたデータ {samples} サンプルで、平均の確信度は {confidence} なのに正解率は {accuracy}"
        "（差 {gap}、しきい値 {threshold_gap}）。ECE は {ece}（しきい値 {threshold_ece}）。予測の {extreme_share} は"
        "最大の予測確率が {extreme} を超え、{extreme_true_share} は正解クラスの確率が {extreme} を超えるか "
        "{extreme_low} を下回っている{best}。"
    ),
    "overconfidence.best_epoch": "。最良のエポック（{epoch} エポック目）では ECE は {ece} だった",
    "overconfidence.fix.best_epoch": "確信度が実力を上回ってしまう前の、最良のエポックで止める。",
    "overconfidence.fix.dropout": "訓練データを丸暗記しないように正則化する。",
    "overconfidence.fix.l2": "確率を極端にする大きな重みにペナルティを課す。",
    "overconfidence.skip.no_predictions": "このログには評価用に取り分けたデータでの予測がない",
    "overconfidence.skip.shape": "予測の形 {shape} がラベルの数 {labels} と合わない",
    "overconfidence.skip.not_finite": "評価用データでの予測確率が NaN/Inf になっている（モデルが発散した）",
    "overconfidence.skip.few_samples": "評価用データでの予測が {count} 個しかない（{needed} 個必要）",
    "overconfidence.skip.diverged": "{diverged}。発散したモデルの確率からはキャリブレーションについて何も分からない",
}
