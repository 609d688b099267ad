"""コマンドライン自身が出す行: 見出し、要約、進み具合、最後の案内、エラー（kerasdiag/cli）。"""

MESSAGES = {
    "cli.interrupted": "中断しました。",
    "cli.unexpected": (
        "予期しないエラー {kind} が起きました: {error}（--debug を付けて実行すると、トレースバックが表示されます）"
    ),
    "cli.run_directory": "  実行ディレクトリ: [path]{path}[/path]",
    "cli.tensorboard": "  TensorBoard で見るには:   tensorboard --logdir {logdir}",
    "cli.wrote": "書き出しました: [path]{path}[/path]",
    "cli.plot": "{metric} のグラフ: [path]{path}[/path]",
    "cli.status_in": "{status}（{seconds} 秒）",
    "run.status.running": "実行中",
    "run.status.completed": "完了",
    "run.status.interrupted": "中断",
    "run.status.diverged": "発散",
    "run.status.failed": "失敗",
    "train.before": "[bold]訓練の前に[/bold]（モデルとデータだけから分かること）:",
    "train.summary": "[bold]{name}[/bold]: {status}、{epochs} エポック、{seconds} 秒",
    "train.final": (
        "  最後の val_accuracy は [metric]{val_acc}[/metric]、val_loss は {val_loss} です。"
        "val_loss が最も小さかったのは {best_epoch} エポック目の {best_loss} です"
        "（そのときの val_accuracy は {best_acc}）。"
    ),
    "train.gradients": "  層ごとの勾配ノルム（{epoch} エポック目）: {cells}（最初の層 / 最後の層 = {ratio}）",
    "run.runs": "kerasdiag: {count} 個の実行を記録しました: {paths}",
    "report.page": "レポート: [path]{path}[/path]",
    "compare.too_few": "比べるには 2 つ以上の実行が必要です。指定された数: {count}",
    "sweep.header": "スイープ [path]{path}[/path]: {settings} 通りの設定 × {repeats} シード = {total} 回の実行",
    "sweep.already_done": "実行済み",
    "sweep.setting_error": "{error}（設定 {setting}）",
    "sweep.too_many": "実行が {limit} 回以下のスイープ（上限 MAX_SWEEP_RUNS）",
    "sweep.too_many.received": "{settings} 通りの設定 × --repeats {repeats}",
    "sweep.figure_title": "スイープ {name}: {argv}",
    "sweep.table_title": "スイープ {name}: シードを変えた繰り返しの平均 ± 標準偏差",
    "sweep.interrupted": (
        "[severity.warning]中断[/]: {finished} 回の実行が終わっています。続きから再開するには:\n  {hint}"
    ),
    "fix.flags_such_as": "--lr 0.001 のような train のフラグ",
    "fix.flags": "train のフラグ",
    "fix.note": "[dim]注: {note}[/dim]",
    "fix.header": (
        "修正の検証 [path]{run}[/path]: 修正 {fixes} 個 + ベースライン（元の設定）、それぞれ {seeds} シード = "
        "{total} 回の実行、{epochs} エポック、バックエンド {backend}{how}"
    ),
    "fix.header.script": "、スクリプト {script} の {fit} 回目の fit、1 回ずつ実行",
    "fix.interrupted": "[severity.warning]中断[/]: {total} 回のうち {done} 回の実行が終わったか、止まりました。",
    "fix.not_applied": "適用できない修正 {flags}（{rules}）: {reason}",
    "fix.nothing.none_applicable": "学習し直すものはありません。自動で適用できる修正がないためです。",
    "fix.nothing.no_finding": "学習し直すものはありません。この実行には警告やエラーの問題が見つかっていません。",
}
