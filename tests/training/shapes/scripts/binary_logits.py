"""Binary classification from one logit: Dense(1) with no activation, BinaryCrossentropy(from_logits=True).

Digits 3 against 8, labels 0 (a three) and 1 (an eight).
"""

import keras
import numpy as np
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
keep = np.isin(digits.target, [3, 8])
x, y = digits.data[keep] / 16.0, (digits.target[keep] == 8).astype("float32")

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ]
)
model.compile(
    optimizer="adam",
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
