"""複数のルールに共通の理由と言い回し: データが足りずにルールを評価できなかったときの説明。"""

MESSAGES = {
    "skip.no_epochs": "この実行には最後まで終わったエポックが 1 つもない",
    "skip.no_metric": "このログには '{metric}' の記録がない",
    "skip.too_few_epochs": (
        "'{metric}' が NaN/Inf でないエポックが {needed} 以上必要だが、この実行には {count} エポックしかない"
    ),
    "skip.diverged": "損失が発散している（「発散」の項目を参照）",
    "skip.no_gradient_probes": "このログには層ごとの勾配ノルムの記録（プローブ）がない",
}
