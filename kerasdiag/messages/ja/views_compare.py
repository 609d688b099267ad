"""compare の表示: 表のタイトル、指標の名前、共通する問題、各実行の判定しきい値の提案。"""

MESSAGES = {
    "view.compare.flags": "違いのあるフラグ",
    "view.compare.same_flags": "どの実行もフラグは同じです（シードと名前は、違っていても比べていません）。",
    "view.compare.metrics": "指標",
    "view.compare.findings": "実行によって違う問題",
    "view.compare.shared": "すべての実行に共通する問題: {findings}",
    "view.compare.none": "なし",
    "view.compare.threshold": (
        "判定しきい値の提案: P({label}) >= {value} なら {label}、そうでなければ {other} と判定します。"
        "これは、{criterion}。検証データの {chosen} サンプルで選び、そこでのバランス正解率は {val_balanced} です。"
        "{scored}では、正解率 {accuracy}、バランス正解率 {balanced} になります（しきい値 0.5 では正解率 {at_half}）。"
    ),
    "view.compare.scored.held_out": "しきい値を選ぶのに使っていない{split} {count} サンプル",
    "view.compare.scored.half": (
        "しきい値を選ぶのに使っていない検証データの残り半分（{count} サンプル。この実行にはテストデータがありません）"
    ),
    "view.compare.bins": "確信度の区間ごとのサンプル数、正解率、確信度の平均（評価用に取り分けたデータ）",
    "view.compare.bin": "確信度",
    "view.compare.bin_cell": "n={count}: 正解率 {accuracy}（確信度 {confidence}）",
    "view.compare.bin_empty": "n=0",
    "view.metric.epochs": "エポック数",
    "view.metric.final": "{name}（最終エポック）",
    "view.metric.best": "{name}（最良）",
    "view.metric.best_epoch": "最良のエポック（val_loss が最小）",
    "view.metric.gap": "正解率の差（訓練 − 検証）",
    "view.metric.ece": "ECE: 確信度と正解率のずれ（評価用に取り分けたデータ）",
}
