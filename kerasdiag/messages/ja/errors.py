"""1 行のエラー:「X が必要です。実際: Y」と、config.py・limits.py のフラグの確認。

X（expected）は名詞句、Y（received）は値か名詞句にする。
"""

MESSAGES = {
    "error.expected_received": "{expected}が必要です。実際: {received}",
    # The same after a phrase that ends in a Latin letter, digit or symbol ("--lr"): Japanese keeps a space there.
    "error.expected_received.latin_end": "{expected} が必要です。実際: {received}",
    "config.one_of": "{choices} のどれかの {flag}",
    "config.at_least": "{low} 以上の {flag}",
    "config.in_range": "{low} 以上 {high} 以下の {flag}",
    "config.dropout": "0 以上 1 未満の --dropout",
    "config.validation_split": "0 より大きく 1 より小さい --validation-split",
    "config.name": "{rule}の --name",
    "config.finite": "有限の数の {flag}",
    "config.positive": "0 より大きい {flag}",
    "config.units": "正の数 1 つ、または層ごとに 1 つずつ（{layers} 個）の --units",
    "config.classes_distinct": "重複のない --classes",
    "config.classes_two": "2 つ以上の --classes",
    "config.residual": "--residual を使うときは 2 以上の --layers",
    "config.cnn_images": "--model cnn で使う画像のデータセット（mnist、digits）",
    "config.weight_decay": "--weight-decay（勾配から切り離した重み減衰）と一緒に使う --optimizer sgd か adamw",
    "config.flags": "RunConfig にあるフラグ",
    "limits.run_name_rule": "1〜{max} 文字のフォルダ名 1 つ（'/'、'\\'、'..'、制御文字は使えません）",
    "limits.name.empty": "name={name}（空）",
    "limits.name.too_long": "name={name}（{length} 文字）",
    "limits.name.path": "name={name}（フォルダ名 1 つではなくパス）",
    "limits.name.dots": "name={name}（'..' があると --logdir の外に出てしまう）",
    "limits.name.control": "name={name}（制御文字を含む）",
    "limits.at_most": "{limit} 以下の {flag}（上限 {name}）",
    "limits.each_at_most": "どれも {limit} 以下の {flag}（上限 {name}）",
    "limits.kernel_size": "{side} 以下の --kernel-size（{dataset} の画像の一辺）",
    "limits.params": "パラメータ数が {limit} 以下のモデル（上限 MAX_PARAMS）",
    "limits.params.received": "--layers {layers} --units {units} で約 {count}",
    "limits.activations": "1 バッチあたり {limit} GiB 以下の活性化の値（上限 MAX_ACTIVATION_BYTES）",
    "limits.activations.received": "--batch-size {batch_size} で約 {size} GiB",
}
