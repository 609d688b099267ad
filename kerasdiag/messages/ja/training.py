"""訓練: データの確認、バックエンド、fit の経路、学習者のスクリプト（kd.Diagnose、kerasdiag run、fix）。"""

MESSAGES = {
    "training.progress": "エポック",
    "training.keras_fit": "[dim]model.fit で学習します: {reason}[/dim]",
    "training.no_predictions": "中断のあと、予測を保存できませんでした（{kind}）",
    "training.fast.required": "--fit-mode fast の高速な経路で扱えるモデルとデータ",
    "training.fast.fit_mode_keras": "--fit-mode keras が指定されています",
    "training.fast.backend": "高速な経路には --backend jax か tensorflow が必要です（現在のバックエンド: {backend}）",
    "training.fast.layers": "高速な経路では扱えない層があります: {layers}",
    "training.fast.loss": "高速な経路では扱えない損失 {loss} です（扱えるのは {expected}）",
    "training.fast.cnn_on_cpu": (
        "CPU 上の CNN です。CPU では、コンパイルしたループより model.fit のほうが畳み込みを速く計算できます"
    ),
    "training.fast.short_tensorflow": (
        "TensorFlow での短い学習です（{steps} ステップ < {minimum}）。コンパイルしても元が取れません"
    ),
    "training.fast.memory": "データ（{needed} MiB）が、デバイスのメモリ {limit} MiB を超えています",
    "training.vector.backend": (
        "複数の実行をまとめて学習するには --backend jax が必要です（現在のバックエンド: {backend}）"
    ),
    "training.vector.build": "モデルを組み立てられませんでした（{kind}）",
    "training.vector.differ": "実行どうしの違いが、シード、--lr、--l1、--l2 だけではありません",
    "training.vector.data_shapes": "実行どうしで、データの形が違います",
    "training.vector.memory": "{runs} 個の実行のデータ（{needed} MiB）が、デバイスのメモリの割り当てを超えています",
    "training.vector.model_shapes": "実行どうしで、モデルの形が違います",
    "data.split": "訓練データと検証データの両方にサンプルが残る検証の割合",
    "data.split.received": "{samples} 個のサンプルに validation_split={split}",
    "data.classes": "ラベル {labels} の中にある --classes",
    "data.mnist.hint": (
        "mnist.npz か IDX の .gz ファイルを置いたフォルダを --data-dir DIR で渡すか（{env} でも可）、"
        "一度インターネットにつないで Keras に mnist.npz を ~/.keras/datasets/ へ保存させてください"
    ),
    "data.mnist.cache": "Keras のキャッシュか --data-dir にある MNIST",
    "data.mnist.offline": "どちらにもありません（{env} が設定されています）。{hint}",
    "data.mnist.download": "MNIST のダウンロード",
    "data.mnist.failed": "{error}。{hint}",
    "data.dir": "フォルダか mnist.npz ファイルを指す --data-dir",
    "data.dir.not_folder": "{path}（フォルダでも .npz ファイルでもありません）",
    "data.not_found": "{path}（見つかりません）",
    "data.dir.files": "--data-dir の中の {names}",
    "data.dir.none": "{path}（どれもありません）",
    "data.npz": "Keras の形式の mnist.npz（x_train、y_train、x_test、y_test）",
    "data.idx.gzip": "gzip で圧縮した IDX ファイル",
    "data.idx.magic": "符号なしバイトの IDX ファイル（マジックナンバー 0x0000 08 ..）",
    "data.idx.header": "{ndim} 次元の IDX ヘッダー",
    "data.idx.truncated": "{path}（{size} バイトで途切れています）",
    "data.idx.size": "形 {dims} のデータ {size} バイト",
    "data.idx.size_received": "{path} には {size} バイト",
    "data.images.numbers": "数値の {name}（画像）",
    "data.images.dtype": "{path}: {name} の dtype が {dtype}",
    "data.images.shape": "形が (n, {side}, {side}) か (n, {flat}) の {name}",
    "data.shape": "{path}: {name} の形が {shape}",
    "data.images.finite": "{name} の有限の画素値",
    "data.images.not_finite": "{path}: NaN か無限大の値が {count} 個",
    "data.labels.shape": "形が ({samples},) の {name}（画像 1 枚に整数のラベル 1 つ）",
    "data.labels.received": "{path}: {name} の形が {shape}、dtype が {dtype}",
    "data.labels.values": "0〜{last} の整数の {name}",
    "data.labels.bad": "{path}: 正しくないラベルが {count} 個（最初はインデックス {index} の {first}）",
    "backend.one_per_process": "1 つのプロセスに 1 つのバックエンド（Keras はすでに {current} で動いています）",
    "backend.package": "--backend {name} のための {name} パッケージ",
    "backend.not_installed": "インストールされていません（pip install 'kerasdiag[{name}]'）",
    "fit_data.no_arrays": (
        "コールバックに配列が渡されませんでした"
        "（Diagnose(x=x, y=y) を渡すか、kd.fit か kerasdiag run を使ってください）"
    ),
    "fit_data.not_classes": (
        "この実行のタスクは「{task}」で、目標値（y）がクラスのラベルではありません。"
        "そのため、クラスごとのサンプル数と、評価用に取り分けたデータでの予測は記録しません"
    ),
    "fit_data.not_arrays": "fit に渡されたデータが {kind} で、kerasdiag が読める配列ではありません",
    "fit_data.no_labels": "形 {shape} の y には、{inputs} 個の入力に対応するクラスのラベルがありません",
    "change.compiled": "オプティマイザを変えるためのコンパイル済みのモデル（fit の前に model.compile）",
    "change.no_optimizer": "オプティマイザがありません",
    "change.optimizer_key": "{flag} に使う {key} を持つオプティマイザ",
    "change.rebuildable": (
        "Sequential か Functional のモデル（--dropout、--l1、--l2、--activation のために構成から組み立て直します）"
    ),
    "change.subclassed": "{kind} {name}（構成に層が並んでいない、サブクラスで書いたモデル）",
    "change.dropout": "--dropout のためのモデル内の Dropout 層（スクリプトに追加してください）",
    "change.none": "ありません",
    "change.hidden": "{flag} のための重みを持つ隠れ層（Dense、Conv）",
    "change.output_only": "出力層しかありません",
    "change.shuffle": "--shuffle のための配列の x と y（validation_split の前に並べ替えます）",
    "rerun.fit_calls": "スクリプトの fit 呼び出しは {fits} 回で、{wanted} 回目の fit がありませんでした",
    "rerun.raised": "スクリプトで {kind} が起きました: {error}",
    "rerun.change_failed": "この変更は、このモデルには適用できません: {error}",
    "keras.before": "[bold]kerasdiag: 訓練の前に[/bold]（モデルとデータだけから分かること）:",
    "keras.internal_error": (
        "kerasdiag: fit の途中で {part} の処理が失敗したため（{error}）、この処理をオフにしました。"
        "学習は kerasdiag を使わない場合と同じように続きます。"
        "トレースバックを見るには、環境変数 KERASDIAG_DEBUG=1 を設定するか、kerasdiag --debug を付けて実行しましょう。"
    ),
    "keras.live": "kerasdiag: {epoch} エポック目: {severity} {rule}: {title}",
    "keras.no_data": (
        "  [muted]kerasdiag はデータを読み込めませんでした: {problem}。"
        "クラスごとのサンプル数、層ごとの計測、予測には、NumPy 配列のデータが必要です。fit(x, y, ...) のように"
        "配列を fit に渡すか、データセットを使う場合は、その中身の配列を kd.Diagnose(x=x, y=y) としてコールバックに"
        "渡してください。[/muted]"
    ),
    "keras.run_directory": "  実行ディレクトリ: [path]{path}[/path]   (tensorboard --logdir {logdir})",
    # Why a learner's model gets no per-layer probes (run.json's probes_off; shown where a probe rule is skipped)
    "probes_off.compute_loss": (
        "{model} が compute_loss をオーバーライドしているため、この実行と同じ損失を kerasdiag 側で計算できません"
    ),
    "probes_off.subclassed": (
        "{model} はサブクラスで書いたモデルなので、計測に必要な model.inputs と model.outputs がありません"
    ),
    "probes_off.io": (
        "このモデルは入力が {inputs} 個、出力が {outputs} 個ですが、層ごとの計測は入力と出力が 1 つずつの"
        "モデルにしか対応していません"
    ),
    "probes_off.losses": (
        "compile で損失を {kind} で {count} 個指定しているため、計測に使う損失を 1 つに決められません"
    ),
    "probes_off.no_loss": "compile で損失を指定していないため、計測に使える損失がありません",
    "probes_off.loss_fails": "計測用のバッチで損失 {loss} を計算するとエラーになります: {error}",
    "probes_off.loss_values": "計測用のバッチで損失 {loss} を計算すると、値が 1 つではなく {count} 個返ってきます",
}
