"""A silent fit (`verbose=0`): the script prints nothing but its own results."""

import keras
import numpy as np
from sklearn.datasets import load_iris

keras.utils.set_random_seed(0)
iris = load_iris()
order = np.random.default_rng(0).permutation(len(iris.target))
x = ((iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0))[order]
y = keras.utils.to_categorical(iris.target[order], 3)

model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.2, verbose=0)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
