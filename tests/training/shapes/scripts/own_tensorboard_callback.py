"""The script passes its own `keras.callbacks.TensorBoard` writing to logs/fit in the working folder."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:600] / 16.0, digits.target[:600]

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
tensorboard = keras.callbacks.TensorBoard(log_dir="logs/fit", histogram_freq=1)
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, callbacks=[tensorboard], verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
