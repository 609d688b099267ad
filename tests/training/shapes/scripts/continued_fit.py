"""Two `fit` calls on one model: the second continues with `initial_epoch`."""

import keras
import numpy as np
from sklearn.datasets import load_iris

keras.utils.set_random_seed(0)
iris = load_iris()
order = np.random.default_rng(0).permutation(len(iris.target))
x = ((iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0))[order]
y = iris.target[order]

model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
first = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.2, verbose=2)
second = model.fit(x, y, epochs=4, initial_epoch=2, batch_size=16, validation_split=0.2, verbose=2)

for label, history in (("first", first), ("second", second)):
    last = {name: values[-1] for name, values in history.history.items()}
    fields = " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items()))
    print(f"RESULT fit={label} epochs={len(history.history['loss'])} {fields}")
