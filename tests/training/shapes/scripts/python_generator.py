"""Training from a plain Python generator that loops forever, with `steps_per_epoch`."""

import keras
import numpy as np
from sklearn.datasets import load_digits


def batches(x, y, batch_size, seed):
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(x))
        for start in range(0, len(x) - batch_size + 1, batch_size):
            rows = order[start : start + batch_size]
            yield x[rows], y[rows]


keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data / 16.0, digits.target
x_val, y_val = x[480:600], y[480:600]

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(
    batches(x[:480], y[:480], batch_size=32, seed=0),
    steps_per_epoch=15,
    epochs=3,
    validation_data=(x_val, y_val),
    verbose=2,
)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
