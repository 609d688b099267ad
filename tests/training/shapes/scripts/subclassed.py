"""A subclassed `keras.Model` whose layers are created in `__init__` and wired in `call`."""

import keras
from sklearn.datasets import load_digits


class DigitClassifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(32, activation="relu")
        self.classify = keras.layers.Dense(10, activation="softmax")

    def call(self, inputs):
        return self.classify(self.hidden(inputs))


keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:500] / 16.0, digits.target[:500]
x_val, y_val = digits.data[500:700] / 16.0, digits.target[500:700]

model = DigitClassifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_data=(x_val, y_val), verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
