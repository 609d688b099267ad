"""A learner's own Layer with its own kernel and a tanh inside `call`; no `activation=` argument anywhere."""

import keras
from keras import ops
from sklearn.datasets import load_digits


class TanhDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return ops.tanh(ops.matmul(inputs, self.kernel) + self.bias)


keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:600] / 16.0, digits.target[:600]

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        TanhDense(32),
        TanhDense(32),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
