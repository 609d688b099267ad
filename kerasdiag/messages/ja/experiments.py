"""実験（sweep、fix、compare）の言葉: 指標の名前、結論、修正を適用できない理由、途中のお知らせ。"""

MESSAGES = {
    "exp.metric.val_accuracy": "val_acc（最終）",
    "exp.metric.best_val_accuracy": "val_acc（最良）",
    "exp.metric.val_loss": "val_loss（最終）",
    "exp.metric.best_val_loss": "val_loss（最良）",
    "exp.metric.gap": "正解率の差（訓練 − 検証）",
    "exp.metric.epochs_to_best": "最良までのエポック数",
    "exp.axis.val_accuracy": "検証正解率（最終エポック）",
    "exp.axis.best_val_accuracy": "検証正解率（最高値）",
    "exp.axis.val_loss": "検証損失（最終エポック）",
    "exp.axis.best_val_loss": "検証損失（最小値）",
    "exp.axis.gap": "正解率の差: 訓練 − 検証（最終エポック）",
    "exp.axis.epochs_to_best": "検証損失が最小になるまでのエポック数",
    "exp.healthy": "問題なし",
    "exp.sweep.no_metric": "この指標を記録して終わった実行はまだありません。",
    "exp.sweep.best": "{metric}が最も良い設定は {setting} です（{value}）。",
    "exp.sweep.runner_up": (
        "2 番目の {setting} との差は、シードを変えた繰り返しのばらつきの範囲に収まっています。"
        "この 2 つにははっきりした差があるとは言えません。"
    ),
    "exp.sweep.range": "設定による違いは {worst}（{worst_setting}）から {best} までです。",
    "exp.sweep.peak": "{metric}は {key}={value} までは良くなり、それより先では悪くなります。",
    "exp.sweep.largest": (
        "{metric}は、試した中で最も大きい {key} のときに最も良くなりました。もっと大きい値も試してみましょう。"
    ),
    "exp.sweep.smallest": (
        "{metric}は、試した中で最も小さい {key} のときに最も良くなりました。もっと小さい値も試してみましょう。"
    ),
    "exp.sweep.sharpest": "最も大きく変わるのは {key}={before} から {key}={after} の間です: {low} → {high}。",
    "exp.fix.nothing": "ベースラインと修正の両方で終わった実行がないため、比べられません（{metric}）。",
    "exp.fix.no_interval": "（信頼区間なし: シードが 2 つ未満）",
    "exp.fix.seeds": "n={changed}+{base} シード",
    "exp.fix.no_gain": (
        "{metric}を良くした修正はありません。いちばん良かった {flags} でも変化は {diff} {interval}（{seeds}）でした。"
    ),
    "exp.fix.no_gain_noise": (
        "{metric}を良くした修正はありません。いちばん良かった {flags} でも変化は {diff} {interval}（{seeds}）で、"
        "シードが違うだけでも起こりうる範囲です。"
    ),
    "exp.fix.winner": (
        "{metric}で最も効いた修正は {flags} です（{diff}、95% 信頼区間 {interval}、{seeds}）。"
        "シードの違いだけでは説明できない改善です。"
    ),
    "exp.fix.winner_noise": (
        "{metric}で最も効いた修正は {flags} です（{diff}、95% 信頼区間 {interval}、{seeds}）。"
        "ただし、シードが違うだけでも起こりうる範囲の差です。"
    ),
    "exp.fix.reason.no_flag": "train のフラグでは直せません（データか実験の組み立てを変える必要があります）",
    "exp.fix.reason.refused": "train がこの変更を受け付けません: {error}",
    "exp.fix.reason.already": "何も変わりません: この実行はすでにその設定です",
    "exp.fix.reason.does_not_parse": "train のフラグとして読み取れません: {error}",
    "exp.fix.reason.script_already": "何も変わりません: スクリプトの実行はすでにその設定です",
    "exp.fix.reason.not_in_script": "スクリプトには自動で適用できません: {flags}: {why}",
    "exp.fix.reason.script_data": (
        "データの読み込みと分割はスクリプトの中で行っています（スクリプトを書き換えてください）"
    ),
    "exp.fix.reason.script_model": "この部分はスクリプトの中で組み立てています（スクリプトを書き換えてください）",
    "exp.fix.reason.no_dropout_layer": "モデルに Dropout 層がありません（追加してください）",
    "exp.fix.reason.split_never_shuffles": "何も変わりません: Keras の validation_split は分ける前にシャッフルしません",
    "exp.fix.reason.no_split_to_shuffle": (
        "何も変わりません: スクリプトの fit は validation_split を使っていないので、分ける前にシャッフルするものが"
        "ありません（fit はエポックごとにシャッフルしています）"
    ),
    "exp.fix.note.no_argv": (
        "run.json に argv の記録がありません（古い kerasdiag で記録した実行です）。スクリプトは引数なしで実行します"
    ),
    "exp.fix.note.no_fit_index": "run.json に何回目の fit かの記録がありません。スクリプトの最初の fit を変更します",
    "exp.fix.note.no_run": "{where} {name}: 実行ディレクトリができませんでした（{problem}。出力は {log}）",
    "exp.batched.not_vectorised": "まとめて（ベクトル化して）学習できないため、1 つずつ学習します: {reason}",
    "exp.split.val": "検証データ",
    "exp.split.validation": "検証データ",
    "exp.split.test": "テストデータ",
    "exp.threshold.criterion": (
        "検証データの予測でバランス正解率（クラスごとの正解率の平均）が最も高くなるしきい値です"
        "（差が 1 サンプル分以内の候補からは、0.5 に最も近いものを選択）"
    ),
}
