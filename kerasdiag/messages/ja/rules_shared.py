"""複数のルールに共通の理由と言い回し: データが足りずにルールを評価できなかったときの説明（です/ます、「。」なし）。"""

MESSAGES = {
    "skip.no_epochs": "この実行には、最後まで終わったエポックが 1 つもありません",
    "skip.no_metric": "このログには '{metric}' の記録がありません",
    "skip.too_few_epochs": (
        "'{metric}' が NaN/Inf でないエポックが {needed} 個以上必要ですが、この実行には {count} 個しかありません"
    ),
    "skip.diverged": "損失が発散しています（「発散」の項目を参照）",
    "skip.no_gradient_probes": "このログには、層ごとの勾配ノルムの記録がありません",
    "skip.probes_off": "kerasdiag はこのモデルを層ごとに計測できませんでした（{reason}）",
}
