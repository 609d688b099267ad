"""Binary classification with one sigmoid unit and binary_crossentropy (breast cancer, 0/1 labels)."""

import keras
import numpy as np
from sklearn.datasets import load_breast_cancer

keras.utils.set_random_seed(0)
data = load_breast_cancer()
order = np.random.default_rng(0).permutation(len(data.target))
x = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
x, y = x[order], data.target[order]

model = keras.Sequential(
    [
        keras.Input(shape=(30,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
