"""Training from a `keras.utils.PyDataset` subclass that serves batches by index."""

import math

import keras
from sklearn.datasets import load_digits


class DigitBatches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data / 16.0, digits.target
train = DigitBatches(x[:480], y[:480], batch_size=32)
validation = DigitBatches(x[480:600], y[480:600], batch_size=32)

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(train, validation_data=validation, epochs=3, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
