"""学習、スイープ、fix、board が、実行を欠けさせないため、頼まれたものだけを実行するために言うこと。

書き込めない理由（safety.runs.disk_full）は rundir.cannot_write の {why} に入るので「。」を付けない。
エラーの {expected} に入るもの（safety.runs.to_the_end、safety.train_size.at_most、
safety.fix.script_expected）は名詞句。
"""

MESSAGES = {
    "safety.runs.disk_full": "ディスクの空きがありません",
    "safety.runs.to_the_end": "最後まで終わる学習",
    "safety.runs.failed": "{error}（{path} は「失敗」として、診断とともに残してあります）",
    "safety.sweep.started": "{name} という名前のスイープはまだないので、新しく始めます。",
    "safety.sweep.run_failed": "  [severity.error]失敗[/]: {run}: {error}",
    "safety.sweep.failed": (
        "{count} 回の実行が失敗しました（理由はそれぞれ sweep.json にあります）。もう一度学習するには:\n  {hint}"
    ),
    "safety.sweep.board": "このスイープの実行を TensorBoard で見るには: {command}",
    "safety.train_size.at_most": "{dataset} のサンプル数 {samples} 以下の --train-size",
    "safety.fix.script_expected": (
        "run.json に書かれたスクリプトを fix に実行させる --script {command}（このプロセスで {runs} 回実行します）"
    ),
    "safety.fix.no_terminal": "--script の指定がなく、確かめる端末もありません",
    "safety.fix.will_run": (
        "この実行はスクリプトから作られました。fix はそのスクリプトを、このプロセスで次のように {runs} 回"
        "実行します:\n  {command}"
    ),
    "safety.fix.confirm": "実行しますか？",
    "safety.fix.declined": "何も実行しませんでした。",
}
