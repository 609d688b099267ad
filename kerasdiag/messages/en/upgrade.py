"""`kerasdiag upgrade` and the Keras 2 -> Keras 3 code-mod (training/script/upgrade/): one line per idiom."""

MESSAGES = {
    "upgrade.in_memory": (
        "kerasdiag: {script} uses Keras 2 code; it runs translated in memory, line by line below (the file is "
        "unchanged: kerasdiag upgrade --write {script} changes it)"
    ),
    # Translated: "line 5: keras.layers.core -> keras.layers"
    "upgrade.module": "line {line}: {old} -> {new}",
    "upgrade.renamed": "line {line}: {old} -> {new}",
    "upgrade.history_key": "line {line}: {old} -> {new} (compiled with metrics=['accuracy'], Keras 3 logs {new})",
    "upgrade.by_name": "line {line}: {value} -> {keyword}={value} (Keras 3 expects another argument there)",
    "upgrade.removed": "line {line}: {old} removed ({why})",
    "upgrade.why.decay_zero": "Keras 3 has no decay, and 0 changed nothing",
    "upgrade.why.workers": "Keras 3's {method} takes no {keyword}; a keras.utils.PyDataset does",
    # Not translated: what Keras 3 has instead
    "upgrade.gone": "line {line}: Keras 3 has no {old}; use {new}",
    "upgrade.gone.backend": (
        "line {line}: Keras 3's keras.backend has no {old}; keras.ops holds the tensor functions (keras.ops.sum, "
        "keras.ops.mean...)"
    ),
    "upgrade.gone.scikit_learn": (
        "line {line}: Keras 3 has no {old}; use scikeras.wrappers.KerasClassifier or KerasRegressor "
        "(pip install scikeras), or keras.wrappers.SKLearnClassifier or SKLearnRegressor"
    ),
    "upgrade.gone.text": "line {line}: Keras 3 has no {old}; use keras.layers.TextVectorization",
    "upgrade.gone.engine": "line {line}: Keras 3 has no {old}; use keras.layers.Layer, keras.Model and keras.Input",
    "upgrade.gone.image_generator": (
        "line {line}: Keras 3 has no {old}; load images with keras.utils.image_dataset_from_directory and augment "
        "them with layers such as keras.layers.RandomFlip and keras.layers.RandomRotation"
    ),
    "upgrade.gone.image_dim_ordering": (
        "line {line}: Keras 3 has no {old}; use keras.backend.image_data_format(), which returns 'channels_first' "
        "or 'channels_last' (not 'th' or 'tf')"
    ),
    "upgrade.gone.set_image_dim_ordering": (
        "line {line}: Keras 3 has no {old}; use keras.backend.set_image_data_format('channels_first') where it "
        "was 'th', ('channels_last') where it was 'tf'"
    ),
    "upgrade.decay": (
        "line {line}: Keras 3 ignores decay={decay}; for the same decay of the learning rate, pass "
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay({lr}, decay_steps=1, decay_rate={decay})"
    ),
    "upgrade.predict_classes": (
        "line {line}: Keras 3 has no predict_classes; use np.argmax(model.predict(x), axis=-1) for a softmax "
        "output, or (model.predict(x) > 0.5).astype('int32') for one sigmoid output"
    ),
    "upgrade.remove_by_hand": "line {line}: Keras 3 rejects {old}; delete it",
    "upgrade.positional_by_hand": (
        "line {line}: pass this argument of {method} by name: Keras 3's {new} expects another one there"
    ),
    # kerasdiag upgrade
    "upgrade.nothing": "Nothing to upgrade in {script}: no Keras 2 idiom found.",
    "upgrade.by_hand_only": "Nothing kerasdiag can translate in {script}; change the lines above by hand.",
    "upgrade.wrote": "Upgraded {script}; the original is kept as {orig}.",
    "upgrade.error.script": "a Python script in UTF-8",
    "upgrade.error.not_utf8": "{path} (not UTF-8 text)",
    "upgrade.error.syntax": "{path} (line {line} is not valid Python)",
    "upgrade.error.unreadable": "{path} ({why})",
    "upgrade.error.no_orig": "no file at {orig} (--write keeps the original there)",
    "upgrade.error.orig_exists": "{orig} exists; move it away first, or run without --write",
}
