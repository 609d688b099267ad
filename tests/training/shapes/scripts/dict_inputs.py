"""Two named inputs, fed as a dict keyed by the Input names (Iris: sepal and petal measurements)."""

import keras
import numpy as np
from sklearn.datasets import load_iris

keras.utils.set_random_seed(0)
iris = load_iris()
order = np.random.default_rng(0).permutation(len(iris.target))
x = ((iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0))[order]
features = {"sepal": x[:, :2], "petal": x[:, 2:]}
y = iris.target[order]

sepal = keras.Input(shape=(2,), name="sepal")
petal = keras.Input(shape=(2,), name="petal")
merged = keras.layers.Concatenate()([sepal, petal])
hidden = keras.layers.Dense(16, activation="relu")(merged)
outputs = keras.layers.Dense(3, activation="softmax")(hidden)
model = keras.Model(inputs={"sepal": sepal, "petal": petal}, outputs=outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(features, y, epochs=3, batch_size=16, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
