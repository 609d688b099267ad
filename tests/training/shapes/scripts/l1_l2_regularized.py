"""An MNIST MLP with L1 and L2 weight penalties on its Dense layers (scenario 3's exercise, tiny)."""

import argparse

import keras
import numpy as np
from keras import regularizers

parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", required=True, help="folder holding mnist.npz")
args = parser.parse_args()

keras.utils.set_random_seed(0)
with np.load(f"{args.data_dir}/mnist.npz") as mnist:
    x = mnist["x_train"][:600].reshape(-1, 784).astype("float32") / 255
    y = keras.utils.to_categorical(mnist["y_train"][:600], 10)

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1(1e-4)),
        keras.layers.Dense(32, activation="relu", kernel_regularizer=regularizers.l2(1e-3)),
        keras.layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l1_l2(l1=1e-5, l2=1e-4)),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
