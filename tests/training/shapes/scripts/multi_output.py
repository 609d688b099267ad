"""Two output heads, a digit class and a regression (the share of inked pixels), with a dict of losses."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
x = digits.data[:600] / 16.0
targets = {"digit": digits.target[:600], "ink": x.mean(axis=1)}

inputs = keras.Input(shape=(64,), name="pixels")
hidden = keras.layers.Dense(32, activation="relu")(inputs)
digit = keras.layers.Dense(10, activation="softmax", name="digit")(hidden)
ink = keras.layers.Dense(1, name="ink")(hidden)
model = keras.Model(inputs, {"digit": digit, "ink": ink})
model.compile(
    optimizer="adam",
    loss={"digit": "sparse_categorical_crossentropy", "ink": "mse"},
    loss_weights={"digit": 1.0, "ink": 0.5},
    metrics={"digit": ["accuracy"], "ink": ["mae"]},
)
history = model.fit(x, targets, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
