"""実行が不完全: 途中で止まった、ログが欠けている・壊れている・読み込めない。"""

MESSAGES = {
    "run-incomplete.title": "診断に使える記録がそろっていません",
    "run-incomplete.explanation": (
        "診断できるのは、記録されたエポックだけです。途中で止まった実行やファイルが欠けている実行では、その先で起きた"
        "はずのことが見えないため、傾向についての判定は不確かになります。"
    ),
    "run-incomplete.summary": "{reasons}。",
    "run-incomplete.reason_separator": "。",
    "run-incomplete.status.failed": "学習がエラーで失敗しました",
    "run-incomplete.status.interrupted": "学習が途中で中断されました",
    "run-incomplete.status.running": (
        "状態がまだ「実行中」のままです。学習が続いているか、プロセスが強制終了された可能性があります"
    ),
    "run-incomplete.status.diverged": "損失が発散したため、学習が止まりました（「発散」の項目を参照）",
    "run-incomplete.with_error": "{meaning}: {error}",
    "run-incomplete.damaged": "壊れているか不完全なファイルがあります: {files}",
    "run-incomplete.no_epochs": "最後まで終わったエポックが 1 つもありません",
    "run-incomplete.fewer_epochs": "予定の {planned} エポックのうち、{done} エポックしか実行されていません",
    "run-incomplete.several_runs.file": (
        "この CSV ログには {count} 回分の実行が入っています（CSVLogger(append=True) で実行のたびに追記されたため）。"
        "学習曲線は最新の実行のもので、それより前の実行は別に表示しています"
    ),
    "run-incomplete.several_runs": (
        "このログフォルダには {count} 回分の実行が入っています"
        "（スクリプトを再実行して、同じフォルダに書き込んだため）。"
        "学習曲線は、TensorBoard の表示と同じく最新の実行のものです"
    ),
    "run-incomplete.fix.rerun": "学習を最後までやり直しましょう。",
    "run-incomplete.fix.failed": "上に示したエラーを解決してから、もう一度学習を実行しましょう。",
    "run-incomplete.unreadable": "実行を読み込めません: {error}。",
    "run-incomplete.fix.rerun_unreadable": "学習をやり直しましょう。",
}
