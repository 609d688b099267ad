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
    "exp.sweep.noise.seeds": (
        "シードによるばらつき: 設定ごとに {seeds} シードで学習したところ、{metric}のばらつき（設定ごとの"
        "標準偏差をまとめた値）は {spread} でした。設定どうしの差が {threshold} より小さければ、ばらつきの範囲内です。"
    ),
    "exp.sweep.noise.tied": (
        "どの設定でも、{seeds} シードの {metric}はほとんど同じでした（ばらつき {spread}。ただし {seeds} シード"
        "だけでは、ばらつきが小さいとは言い切れません）。そこで各実行のエポックごとの揺れから見積もると、"
        "{threshold} より小さい差は偶然の範囲です。"
    ),
    "exp.sweep.noise.tied_unknown": (
        "どの設定でも、{seeds} シードの {metric}がまったく同じ値になりました。ばらつきが 0 なのではなく、"
        "{seeds} シードではばらつきが分からないということです。学習曲線も短すぎてエポックごとの揺れを"
        "見積もれないため、ここに出ている差はどれも偶然かもしれません。"
    ),
    "exp.sweep.noise.one_seed": (
        "シードは 1 つだけです。{threshold} より小さい差は偶然の範囲と考えてください（各実行の {curve} が"
        "最後の {window} エポックでどれだけ揺れたかから見積もった値です。シードを変えたときのばらつきは、"
        "ふつうこれより大きくなります。--repeats 3 を付けると測れます）。"
    ),
    "exp.sweep.noise.unknown": (
        "シードは 1 つだけで、曲線も短すぎるか平らすぎるため、ばらつきを見積もれません。ここに出ている差はどれも"
        "偶然かもしれません（--repeats 3 を付けると測れます）。"
    ),
    "exp.sweep.noise.no_curve": (
        "シードは 1 つだけなので、{metric}のばらつきは見積もれません。ここに出ている差はどれも偶然かもしれません"
        "（--repeats 3 を付けると測れます）。"
    ),
    "exp.sweep.runner_up": (
        "2 番目に良い {setting} との差は {diff} で、ばらつきの範囲に収まっています。この 2 つにははっきりした差が"
        "あるとは言えません。"
    ),
    "exp.sweep.range": "設定ごとの値は {worst}（{worst_setting}）から {best} までの範囲にあります。",
    "exp.sweep.flat": (
        "{metric}は、{key} を変えてもばらつき（{threshold}）の範囲でしか変わりません。"
        "試した {key} の中に、はっきり良い値はありません。"
    ),
    "exp.sweep.near_best": (
        "{metric}は {key}={value} のときに最も良くなりましたが、{key}={others} との差はばらつき（{threshold}）の"
        "範囲内です。"
    ),
    "exp.sweep.peak": "{metric}は {key}={value} までは良くなり、それより先では悪くなります。",
    "exp.sweep.largest": (
        "{metric}は、試した中で最も大きい {key} のときに最も良くなり、その差はばらつきを超えています。"
        "もっと大きい値も試してみましょう。"
    ),
    "exp.sweep.smallest": (
        "{metric}は、試した中で最も小さい {key} のときに最も良くなり、その差はばらつきを超えています。"
        "もっと小さい値も試してみましょう。"
    ),
    "exp.sweep.sharpest": "最も大きく変わるのは {key}={before} から {key}={after} の間です: {low} → {high}。",
    "exp.sweep.ends_disagree": (
        "{other}で選ぶと、最も良い設定は {setting} ではなく {other_setting} になります。"
        "どちらが良いかは、学習をどこで止めるかで変わります。"
    ),
    "exp.sweep.still_improving": (
        "{total} 設定のうち {count} 設定は、学習の終わりでもまだ良くなり続けています（{settings}。括弧内は"
        "最良のエポック/エポック数）。もっと長く学習すると、順位が入れ替わるかもしれません。"
    ),
    "exp.sweep.and_more": "、ほか {count} 設定",
    "exp.fix.nothing": "ベースラインと修正の両方で終わった実行がないため、比べられません（{metric}）。",
    "exp.fix.sentence_gap": "",
    "exp.fix.interval": "{level} 信頼区間 [{low}, {high}]",
    "exp.fix.no_interval": "信頼区間なし: シードが 2 つ未満",
    "exp.fix.tied": (
        "信頼区間なし: 修正とベースラインのそれぞれでシードが同じ値になり、n={seeds} シードではばらつきは 0 ではなく"
        "不明"
    ),
    "exp.fix.seeds": "n={changed}+{base} シード",
    "exp.fix.head.winner.one": "{metric}で最も効いた修正",
    "exp.fix.head.winner.best_of": "試した {k} 個の修正のうち、{metric}で最も効いたもの",
    "exp.fix.head.no_gain.one": "試した 1 つの修正",
    "exp.fix.head.no_gain.best_of": "試した {k} 個の修正のうち、いちばん良かった",
    "exp.fix.winner": (
        "{head}は {flags} です（{diff}、{interval}、{seeds}）。シードの違いだけでは説明できない改善です。"
    ),
    "exp.fix.winner_noise": (
        "{head}は {flags} です（{diff}、{interval}、{seeds}）。ただし、シードが違うだけでも起こりうる範囲の差です。"
    ),
    "exp.fix.winner_unknown": (
        "{head}は {flags} です（{diff}、{interval}、{seeds}）。ただし、この差がばらつきを超えるかどうかは、"
        "このシードからは分かりません。"
    ),
    "exp.fix.no_gain": (
        "{metric}を良くした修正はありません。{head} {flags} でも変化は {diff}（{interval}、{seeds}）でした。"
    ),
    "exp.fix.no_gain_noise": (
        "{metric}を良くした修正はありません。{head} {flags} でも変化は {diff}（{interval}、{seeds}）で、"
        "シードが違うだけでも起こりうる範囲です。"
    ),
    "exp.fix.no_gain_unknown": (
        "{metric}を良くした修正はありません。{head} {flags} でも変化は {diff}（{interval}、{seeds}）で、"
        "ばらつきを超える差かどうかはこのシードからは分かりません。"
    ),
    "exp.fix.bonferroni": (
        "{k} 個の中からいちばん良いものを選ぶと、たまたま運の良かったものを選びやすくなります。そのため、"
        "信頼区間はどれも {level} に広げています"
        "（ボンフェローニ補正: {k} 個の区間すべてが同時に成り立つ確率を 95% 以上にします）。"
    ),
    "exp.fix.failed": (
        "{flags} は {runs} シード中 {failed} シードで発散しました。発散したシードは除かずに失敗として数え、"
        "全シードの中で最も悪かった {metric}の値（{worst}）として比べています。"
    ),
    "exp.fix.baseline_failed": (
        "ベースラインは {runs} シード中 {failed} シードで発散しました。発散したシードは、全シードの中で最も悪かった "
        "{metric}の値（{worst}）として数えています。"
    ),
    "exp.fix.noise.seeds": (
        "シードによるばらつき: ベースラインの {metric}は {seeds} シードで標準偏差 {spread} でした。"
    ),
    "exp.fix.noise.one": (
        "シードによるばらつき: ベースラインのシードが {seeds} つだけなので、ばらつきは分かりません"
        "（--seeds 3 を付けると測れます）。"
    ),
    "exp.fix.noise.tied": (
        "シードによるばらつき: ベースラインの {seeds} シードは、{metric}がまったく同じ値でした。{seeds} シードで"
        "ばらつきが 0 に見えても、本当にばらつきがないとは言えず、大きさが分からないだけです。"
    ),
    "exp.fix.ends_disagree": (
        "{other}で選ぶと、最も良い修正は {flags} ではなく {other_flags} になります。"
        "どちらが良いかは、学習をどこで止めるかで変わります。"
    ),
    "exp.fix.still_improving": (
        "{configs} は、学習の終わりでもまだ良くなり続けています（括弧内は最良のエポック/エポック数）。"
        "もっと長く学習すると、順位が入れ替わるかもしれません。"
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
