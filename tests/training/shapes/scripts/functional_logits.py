"""A functional model whose last Dense has no activation: logits, with from_logits=True."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:600] / 16.0, digits.target[:600]

inputs = keras.Input(shape=(64,))
hidden = keras.layers.Dense(32, activation="relu")(inputs)
logits = keras.layers.Dense(10)(hidden)
model = keras.Model(inputs, logits)
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.25, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
