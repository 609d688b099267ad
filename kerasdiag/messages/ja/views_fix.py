"""fix の表示: ベースライン（元の設定）と比べた修正の表、図、適用できない修正、表の注。"""

MESSAGES = {
    "view.fix.title": "{run} の修正: ベースライン（元の設定）との差（それぞれ {seeds} シード）",
    "view.fix.fix": "修正（問題）",
    "view.fix.runs": "実行数",
    "view.fix.change": "Δ {metric}\n[{level} 信頼区間]",
    "view.fix.runs_failed": "{runs}（うち発散 {failed}）",
    "view.fix.epochs_to_best": "最良のエポック\n（val_loss）/エポック数",
    "view.fix.tied_cell": "[シードが同じ値: ばらつき不明]",
    "view.fix.still_fires": "問題が残った数\n（ベースライン）",
    "view.fix.baseline_means": "ベースライン（平均）",
    "view.fix.label": "{flags}（{rules}）",
    "view.fix.baseline": "ベースライン",
    "view.fix.plot.seeds": "{metric}（点: 各シード、赤い×: 発散したシードを最も悪い値として表示、縦線: 平均）",
    "view.fix.plot.change": "ベースラインとの差 Δ {metric}、{level} 信頼区間（t 分布）（{better}）",
    "view.fix.plot.right_better": "右ほど良い",
    "view.fix.plot.left_better": "左ほど良い",
    "view.fix.plot.title": "kerasdiag fix {run}: 設定ごとに {seeds} シード",
    "view.fix.not_applied": "適用できない修正",
    "view.fix.not_applied.flags": "{flags}（{rules}）: {reason}",
    "view.fix.not_applied.no_flags": "{rules}: {reason}",
    "view.fix.other_validation": (
        "* {flags}: 検証に使うサンプルが変わる修正です。そのため検証データの指標は、ベースラインとは別のサンプルで"
        "測っています（問題が消えたかどうかは「問題が残った数」の列で分かります）。"
    ),
}
