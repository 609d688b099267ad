"""Activations as their own layers: `Dense(64)`, `ReLU()`, `Dense(32)`, `Activation("relu")`, softmax last."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:600] / 16.0, keras.utils.to_categorical(digits.target[:600], 10)

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64),
        keras.layers.ReLU(),
        keras.layers.Dense(32),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
