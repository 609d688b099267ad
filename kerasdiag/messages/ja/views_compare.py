"""compare の表示: 表のタイトル、指標の名前、共通する問題、各実行の判定しきい値の提案。"""

MESSAGES = {
    "view.compare.flags": "違いのあるフラグ",
    "view.compare.same_flags": "どの実行もフラグは同じです（シードと名前は、違っていても比べていません）。",
    "view.compare.metrics": "指標",
    "view.compare.findings": "実行によって違う問題",
    "view.compare.shared": "すべての実行に共通する問題: {findings}",
    "view.compare.none": "なし",
    "view.compare.threshold": (
        "判定しきい値の提案は P(クラス 1) >= {value} です。これは、{criterion}。"
        "このときの検証データでのバランス正解率は {val_balanced} です。"
        "{split}では正解率 {accuracy}、バランス正解率 {balanced} になります"
        "（しきい値 0.5 では正解率 {at_half}）。"
    ),
    "view.metric.epochs": "エポック数",
    "view.metric.final": "{name}（最終エポック）",
    "view.metric.best": "{name}（最良）",
    "view.metric.best_epoch": "最良のエポック（val_loss が最小）",
    "view.metric.gap": "正解率の差（訓練 − 検証）",
    "view.metric.ece": "ECE: 確信度と正解率のずれ（評価用に取り分けたデータ）",
}
