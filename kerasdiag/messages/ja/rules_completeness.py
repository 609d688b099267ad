"""完全性のルール: 実行が不完全（途中で止まった、ログが欠けている・壊れている・読み込めない）。"""

MESSAGES = {
    "run-incomplete.title": "実行が不完全",
    "run-incomplete.explanation": (
        "診断できるのは記録されたエポックだけだ。途中で止まった実行やファイルが欠けている実行では、その先で起きた"
        "はずのことが見えないので、傾向についての判定は不確かになる。"
    ),
    "run-incomplete.summary": "実行が不完全: {reasons}。",
    "run-incomplete.reason_separator": "。",
    "run-incomplete.status.failed": "学習がエラーで失敗した",
    "run-incomplete.status.interrupted": "学習が途中で中断された",
    "run-incomplete.status.running": "状態がまだ「実行中」のまま: 学習が続いているか、プロセスが強制終了された",
    "run-incomplete.status.diverged": "損失が発散したため学習が止まった（「発散」の項目を参照）",
    "run-incomplete.with_error": "{meaning}: {error}",
    "run-incomplete.damaged": "壊れているか不完全なファイルがある: {files}",
    "run-incomplete.no_epochs": "最後まで終わったエポックが 1 つもない",
    "run-incomplete.fewer_epochs": "予定の {planned} エポックのうち {done} エポックしか実行されていない",
    "run-incomplete.one_epoch": "エポックが 1 つだけ: 曲線を見るルールには複数のエポックが必要",
    "run-incomplete.several_runs": (
        "このログフォルダには {count} 回分の実行が入っている（スクリプトを再実行して同じフォルダに書き込んだ）。曲線は "
        "TensorBoard の表示と同じく最新の実行のもの"
    ),
    "run-incomplete.fix.rerun": "学習を最後までやり直す。",
    "run-incomplete.unreadable": "実行を読み込めない: {error}。",
    "run-incomplete.fix.rerun_unreadable": "学習をやり直す。",
}
