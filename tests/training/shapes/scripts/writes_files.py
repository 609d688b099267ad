"""A script that writes files of its own in the working folder: a CSVLogger log, a saved model, a CSV."""

import os

import keras
import numpy as np
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
log = keras.callbacks.CSVLogger("training_log.csv")
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, callbacks=[log], verbose=2)

os.makedirs("outputs", exist_ok=True)
model.save("outputs/digits.keras")
probabilities = model.predict(x[:20], verbose=0)
np.savetxt("outputs/predictions.csv", probabilities, fmt="%.4f", delimiter=",")

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
print(f"RESULT files={','.join(sorted(os.listdir('outputs')))}")
