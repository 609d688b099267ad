"""A small functional model used as one layer inside another (a feature extractor under a new head)."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:600] / 16.0, digits.target[:600]

base_inputs = keras.Input(shape=(64,))
features = keras.layers.Dense(32, activation="relu")(base_inputs)
features = keras.layers.Dense(16, activation="relu")(features)
base = keras.Model(base_inputs, features, name="feature_extractor")

inputs = keras.Input(shape=(64,))
outputs = keras.layers.Dense(10, activation="softmax")(base(inputs))
model = keras.Model(inputs, outputs, name="classifier")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
