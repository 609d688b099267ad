"""sweep と fix が受け付けないもの: スイープの値や、修正を試す実行に求める条件。"""

MESSAGES = {
    "sweep.error.one_value": "少なくとも 1 つの値",
    "sweep.error.range_syntax": "2..10 のような整数の範囲",
    "sweep.error.range_order": "終わりが始まりより小さくない範囲",
    "sweep.error.range_size": "値の数が {limit} 個以内の範囲",
    "sweep.error.sweep_size": "設定の数が {limit} 個以内のスイープ",
    "sweep.error.resume_same": "再開するスイープと同じ設定と --repeats（{path}: {settings} 設定 × {repeats} 回）",
    "sweep.error.resume_given": "{settings} 設定 × {repeats} 回",
    "sweep.error.readable": "{path} にある読み込める {file}",
    "fix.error.train_run": "kerasdiag train で作った実行（fix は run.json に記録された設定で学習し直します）",
    "fix.error.no_train_config": "{path}（{source} のログで、train の設定がありません）",
    "fix.error.only": "この実行で見つかった警告かエラーの問題（--only に指定できるもの: {present}）",
    "fix.error.only_none": "なし",
    "fix.error.script_missing": "run.json に記録された場所にある、この実行のスクリプト（fix はそれを再実行します）",
    "fix.error.not_found": "{path}（見つかりません）",
}
