"""`kerasdiag upgrade` と、Keras 2 から Keras 3 への書き換え（training/script/upgrade/）: 書き方 1 つにつき 1 行。"""

MESSAGES = {
    "upgrade.module": "{line} 行目: {old} -> {new}",
    "upgrade.renamed": "{line} 行目: {old} -> {new}",
    "upgrade.history_key": (
        "{line} 行目: {old} -> {new}（metrics=['accuracy'] で compile すると、Keras 3 は {new} として記録します）"
    ),
    "upgrade.by_name": "{line} 行目: {value} -> {keyword}={value}（Keras 3 ではこの位置に別の引数が来ます）",
    "upgrade.removed": "{line} 行目: {old} を削除しました（{why}）",
    "upgrade.why.decay_zero": "Keras 3 には decay がなく、0 なら何も変わらないため",
    "upgrade.why.workers": "Keras 3 では {keyword} を {method} ではなく keras.utils.PyDataset に渡すため",
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
        "keras.layers.RandomFlip や keras.layers.RandomRotation などの層でデータ拡張（水増し）しましょう。"
    ),
    "upgrade.gone.image_dim_ordering": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに keras.backend.image_data_format() を使いましょう。"
        "返す値は 'th'・'tf' ではなく 'channels_first'・'channels_last' です。"
    ),
    "upgrade.gone.set_image_dim_ordering": (
        "{line} 行目: Keras 3 には {old} がありません。代わりに keras.backend.set_image_data_format を使い、"
        "'th' なら 'channels_first'、'tf' なら 'channels_last' を渡しましょう。"
    ),
    "upgrade.decay": (
        "{line} 行目: Keras 3 は decay={decay} を無視します。同じように学習率を下げていくには、"
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay({lr}, decay_steps=1, decay_rate={decay}) を"
        "渡しましょう。"
    ),
    "upgrade.predict_classes": (
        "{line} 行目: Keras 3 には predict_classes がありません。出力が softmax なら "
        "np.argmax(model.predict(x), axis=-1)、sigmoid の出力 1 つなら (model.predict(x) > 0.5).astype('int32') を"
        "使いましょう。"
    ),
    "upgrade.remove_by_hand": "{line} 行目: Keras 3 は {old} を受け付けません。この引数を削除しましょう。",
    "upgrade.positional_by_hand": (
        "{line} 行目: {method} のこの引数は名前を付けて渡しましょう。Keras 3 の {new} ではこの位置に別の引数が来ます。"
    ),
    "upgrade.nothing": "{script} に書き換える箇所はありません。Keras 2 の書き方は見つかりませんでした。",
    "upgrade.by_hand_only": (
        "{script} には kerasdiag が自動で書き換えられる箇所はありません。上の行を手で直しましょう。"
    ),
    "upgrade.wrote": "{script} を書き換えました。元のファイルは {orig} に残してあります。",
    "upgrade.error.script": "UTF-8 で書かれた Python スクリプト",
    "upgrade.error.not_utf8": "{path}（UTF-8 のテキストではありません）",
    "upgrade.error.syntax": "{path}（{line} 行目が Python として正しくありません）",
    "upgrade.error.unreadable": "{path}（{why}）",
    "upgrade.error.no_orig": "{orig} という名前が空いていること（--write は元のファイルをその名前で残します）",
    "upgrade.error.orig_exists": "すでにある {orig}（先に別の場所へ移すか、--write を付けずに実行しましょう）",
}
