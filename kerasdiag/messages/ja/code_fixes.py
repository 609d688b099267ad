"""自分のスクリプトの実行に対する、Keras のコードとしての修正（`diagnosis.code_fixes`）と、fix が示す差分。

コードの形は「<ファイル>:<行>: 」の後に続く 1 行なので、です/ます 体で書き「。」を付けない（文体の決まり 3）。
コードはコードのまま書く（fit(..., epochs=34)）。
"""

MESSAGES = {
    "code.at": "{at}: {code}",
    "code.with_why": "{code}。{why}",
    "code.compile": "compile(optimizer={optimizer}) にします",
    "code.optimizer_args": "compile に渡すオプティマイザに {arguments} を指定します",
    "code.fit": "fit(..., {arguments}) にします",
    "code.shuffle": (
        "fit の前に配列をシャッフルします（{code}）。fit(shuffle=True) にしても、validation_split が検証データに"
        "回す行は変わりません"
    ),
    "code.normalize": (
        "fit の前に、訓練データの平均と標準偏差を使って、特徴量ごとに標準化します: "
        "mean, std = {x}.mean(axis=0), {x}.std(axis=0) + 1e-7; {x} = ({x} - mean) / std"
        "（検証データとテストデータの入力にも、同じ mean と std を使います）"
    ),
    "code.normalize.pixels": "fit の前に入力をスケールします: {x} = {x} / 255.0（画素値が 0〜255 の場合）",
    "code.train_size": "fit の前に、訓練サンプルを各クラスから同じ数ずつ、合わせて {size} 個だけ残します",
    "code.activation": '隠れ層を {layer}(..., activation="{activation}") にします',
    "code.dropout.set": "Dropout({rate}) にして、ドロップアウト率を変えます",
    "code.dropout.add": "隠れ層の各 {layer} の後に Dropout({rate}) を入れます",
    "code.regularizer": "隠れ層を {layer}(..., kernel_regularizer={regularizer}) にします",
    "code.regularizer.existing": (
        "kernel_regularizer を指定しているすべての層を {layer}(..., kernel_regularizer={regularizer}) にします"
    ),
    "code.batch_norm": "隠れ層の各 {layer} の後に BatchNormalization() を入れます",
    "code.init": 'すべての層を {layer}(..., kernel_initializer="{init}") にします',
    "code.units": "隠れ層を {layer}({units}, ...) にします",
    "code.layers.one": "隠れ層の {layer} を 1 つだけ残し、ほかは削除します",
    "code.layers.fewer": "隠れ層の {layer} を {count} 個だけ残し、ほかは削除します",
    "code.layers.more": "隠れ層の {layer} を、{count} 個になるまで追加します",
    "code.residual": (
        "Functional API で、同じ幅の隠れ層の間にスキップ接続を入れます: "
        "h = keras.layers.Add()([h, {layer}(units, ...)(h)])"
    ),
    # 自分のスクリプトの実行に対する kerasdiag fix: 最も効いた修正を、スクリプトとの差分で示す
    "code.diff.heading": "最も効いた修正 {flags} を、{script} との差分で示します（ファイル自体は変更しません）:",
    "code.diff.no_line": "{script} には{what}を書き換える行がありません。自分で書き加えましょう: {code}",
    "code.diff.unreadable": "{script} を読み込めないため、差分は示せません。自分で書き換えましょう: {code}",
    "code.diff.what.optimizer": "オプティマイザ",
    "code.diff.what.epochs": "エポック数",
    "code.diff.what.batch_size": "バッチサイズ",
    "code.diff.what.shuffle": "シャッフル",
    "code.diff.what.dropout": "ドロップアウト率",
    "code.diff.what.activation": "隠れ層の活性化関数",
    "code.diff.what.regularizer": "カーネル（重み）の正則化",
}
