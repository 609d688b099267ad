"""Train a tiny Keras model with `keras.callbacks.TensorBoard`, as anyone's script would.

Run in a subprocess by the tests, so the TensorFlow backend is chosen before Keras is
imported and TensorFlow never enters the pytest process:

    KERAS_BACKEND=tensorflow python tests/helpers/keras_logs_fixture.py LOG_DIR HISTORY_JSON [EPOCHS]

Writes the TensorBoard logs to LOG_DIR and `History.history` as JSON to HISTORY_JSON.
"""

import json
import sys


def main(log_dir: str, history_path: str, epochs: int = 3) -> None:
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0.5).astype("int32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=16,
        validation_split=0.2,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(log_dir=log_dir)],
    )
    with open(history_path, "w") as file:
        json.dump(history.history, file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(arg) for arg in sys.argv[3:]))
