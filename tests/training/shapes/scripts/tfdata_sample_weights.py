"""A `tf.data.Dataset` of (x, y, sample_weight) triples, shuffled with a seed and batched.

tf.data feeds every Keras backend, so this script runs on JAX too.
"""

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_breast_cancer

keras.utils.set_random_seed(0)
data = load_breast_cancer()
order = np.random.default_rng(0).permutation(len(data.target))
x = ((data.data - data.data.mean(axis=0)) / data.data.std(axis=0))[order].astype("float32")
y = data.target[order].astype("float32")
weights = np.where(y == 0, 357 / 212, 1.0).astype("float32")  # weigh the smaller class up

train = tf.data.Dataset.from_tensor_slices((x[:450], y[:450], weights[:450])).shuffle(450, seed=0).batch(32)
validation = tf.data.Dataset.from_tensor_slices((x[450:], y[450:])).batch(64)

model = keras.Sequential(
    [
        keras.Input(shape=(30,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(train, validation_data=validation, epochs=3, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
