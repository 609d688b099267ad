"""A subclassed model with constructor arguments and no `get_config` (so Keras cannot rebuild it).

The arguments include NumPy arrays (the feature statistics), which Keras cannot serialise on its own:
`model.get_config()` raises NotImplementedError, as for many learners' models.
"""

import keras
import numpy as np
from sklearn.datasets import load_iris


class IrisNet(keras.Model):
    def __init__(self, feature_mean, feature_std, hidden_units, num_classes, dropout_rate):
        super().__init__()
        self.feature_mean = feature_mean
        self.feature_std = feature_std
        self.hidden = keras.layers.Dense(hidden_units, activation="relu")
        self.dropout = keras.layers.Dropout(dropout_rate)
        self.classify = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        scaled = (inputs - self.feature_mean) / self.feature_std
        return self.classify(self.dropout(self.hidden(scaled), training=training))


keras.utils.set_random_seed(0)
iris = load_iris()
order = np.random.default_rng(0).permutation(len(iris.target))
x, y = iris.data[order].astype("float32"), iris.target[order]

model = IrisNet(x.mean(axis=0), x.std(axis=0), hidden_units=16, num_classes=3, dropout_rate=0.1)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.2, verbose=2)

try:
    model.get_config()
    config = "available"
except NotImplementedError:
    config = "NotImplementedError"
last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
print(f"RESULT get_config={config}")
