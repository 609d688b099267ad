"""`kerasdiag upgrade` と、Keras 2 から Keras 3 への書き換え（training/script/upgrade/）: 書き方 1 つにつき 1 行。"""

MESSAGES = {
    "upgrade.in_memory": (
        "kerasdiag: {script} には Keras 2 の書き方があるため、メモリ上で書き換えてから実行します。"
        "書き換えた箇所は下のとおりです"
        "（ファイルは変更しません。変更するには kerasdiag upgrade --write {script} を実行しましょう）"
    ),
    "upgrade.module": "{line} 行目: {old} -> {new}",
    "upgrade.renamed": "{line} 行目: {old} -> {new}",
    "upgrade.history_key": (
        "{line} 行目: {old} -> {new}（metrics=['accuracy'] で compile すると、Keras 3 は {new} というキーで記録します）"
    ),
    "upgrade.by_name": "{line} 行目: {value} -> {keyword}={value}（Keras 3 ではこの位置に来る引数が違います）",
    "upgrade.removed": "{line} 行目: {old} を削除しました（{why}）",
    "upgrade.why.decay_zero": "Keras 3 には decay がなく、0 なら何も変わらないため",
    "upgrade.why.workers": "Keras 3 の {method} は {keyword} を受け取らず、受け取るのは keras.utils.PyDataset のため",
    "upgrade.gone": "{line} 行目: Keras 3 には {old} がありません。代わりに {new} を使いましょう。",
    "upgrade.gone.backend": (
        "{line} 行目: Keras 3 の keras.backend には {old} がありません。テンソルの関数は keras.ops にあります"
        "（keras.ops.sum、keras.ops.mean など）。"
    ),
    "upgrade.gone.scikit_learn": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに scikeras.wrappers.KerasClassifier か "
        "KerasRegressor（pip で scikeras をインストール）、"
        "または keras.wrappers.SKLearnClassifier か SKLearnRegressor を使いましょう。"
    ),
    "upgrade.gone.text": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに keras.layers.TextVectorization を使いましょう。"
    ),
    "upgrade.gone.engine": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに keras.layers.Layer、keras.Model、keras.Input を"
        "使いましょう。"
    ),
    "upgrade.gone.image_generator": (
        "{line} 行目: Keras 3 には {old} がありません。画像は keras.utils.image_dataset_from_directory で読み込み、"
        "keras.layers.RandomFlip や keras.layers.RandomRotation などの層でデータ拡張（水増し）をしましょう。"
    ),
    "upgrade.gone.image_dim_ordering": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに keras.backend.image_data_format() を使いましょう。"
        "戻り値は 'th' か 'tf' ではなく、'channels_first' か 'channels_last' です。"
    ),
    "upgrade.gone.set_image_dim_ordering": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに keras.backend.set_image_data_format を使い、"
        "'th' なら 'channels_first'、'tf' なら 'channels_last' を渡しましょう。"
    ),
    "upgrade.decay": (
        "{line} 行目: Keras 3 は decay={decay} を無視します。これまでと同じように学習率を減衰させるには、"
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay({lr}, decay_steps=1, decay_rate={decay}) を"
        "渡しましょう。"
    ),
    "upgrade.predict_classes": (
        "{line} 行目: Keras 3 には predict_classes がありません。出力層が softmax なら "
        "np.argmax(model.predict(x), axis=-1)、出力が sigmoid 1 つなら (model.predict(x) > 0.5).astype('int32') を"
        "使いましょう。"
    ),
    "upgrade.remove_by_hand": "{line} 行目: Keras 3 は {old} を受け付けません。この引数を削除しましょう。",
    "upgrade.positional_by_hand": (
        "{line} 行目: {method} のこの引数はキーワード引数（名前=値）で渡しましょう。Keras 3 の {new} では、"
        "この位置に来る引数が違います。"
    ),
    "upgrade.nothing": "{script} には Keras 2 の書き方が見つからず、書き換える箇所はありません。",
    "upgrade.by_hand_only": (
        "{script} には kerasdiag が自動で書き換えられる箇所はありません。上の行を手で直しましょう。"
    ),
    "upgrade.wrote": "{script} を書き換えました。元のファイルは {orig} に残してあります。",
    "upgrade.error.script": "UTF-8 で書かれた Python スクリプト",
    "upgrade.error.not_utf8": "{path}（UTF-8 のテキストではありません）",
    "upgrade.error.syntax": "{path}（{line} 行目が Python の文法に合っていません）",
    "upgrade.error.unreadable": "{path}（{why}）",
    "upgrade.error.no_orig": "{orig} という名前のファイルがないこと（--write は元のファイルをこの名前で残します）",
    "upgrade.error.orig_exists": "既存のファイル {orig}（先に別の場所へ移すか、--write を付けずに実行しましょう）",
}
