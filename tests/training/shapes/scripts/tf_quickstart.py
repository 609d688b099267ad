"""The TensorFlow beginner quickstart shape: no Input, Flatten first, logits and from_logits=True."""

import argparse

import keras
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", required=True, help="folder holding mnist.npz")
args = parser.parse_args()

keras.utils.set_random_seed(0)
with np.load(f"{args.data_dir}/mnist.npz") as mnist:
    x_train, y_train = mnist["x_train"][:600] / 255.0, mnist["y_train"][:600]
    x_test, y_test = mnist["x_test"][:200] / 255.0, mnist["y_test"][:200]

model = keras.models.Sequential(
    [
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10),
    ]
)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
history = model.fit(x_train, y_train, epochs=3, validation_split=0.2)
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
print(f"RESULT test_loss={test_loss:.4f} test_accuracy={test_accuracy:.4f}")
