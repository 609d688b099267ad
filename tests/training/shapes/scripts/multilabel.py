"""Multi-label classification: four independent sigmoid outputs, several 1s per row (NumPy data)."""

import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(500, 12)).astype("float32")
y = (x @ rng.normal(size=(12, 4)) > 0).astype("float32")  # each label is 1 in about half the rows

model = keras.Sequential(
    [
        keras.Input(shape=(12,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(4, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
print(f"RESULT labels_per_row={y.sum(axis=1).mean():.4f}")
