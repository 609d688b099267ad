"""Scenario 1: "Why does accuracy drop when I add layers?" (Dense layers without activation, MNIST).

The learner's script, in Keras 3: a stack of Dense(128) layers with NO activation
function, softmax output, SGD with its default learning rate, batch 128,
validation_split=0.2. Run it unchanged under kerasdiag:

    kerasdiag run examples/mnist_depth_linear.py --data-dir ../shared/data/mnist-10k --layers 5

Same model as `kerasdiag train --layers 5 --no-activation --data-dir ../shared/data/mnist-10k`.
"""

import argparse

import keras
import numpy as np


def load_mnist(data_dir):
    """MNIST from DATA_DIR/mnist.npz (offline), else Keras's download."""
    if data_dir:
        with np.load(f"{data_dir}/mnist.npz") as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    return keras.datasets.mnist.load_data()


parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", help="folder holding mnist.npz")
parser.add_argument("--layers", type=int, default=5)
parser.add_argument("--epochs", type=int, default=20)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

keras.utils.set_random_seed(args.seed)
(x_train, y_train), (x_test, y_test) = load_mnist(args.data_dir)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential([keras.Input(shape=(784,))])
for _ in range(args.layers):
    model.add(keras.layers.Dense(128))  # no activation: the question's setup
model.add(keras.layers.Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])

model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, verbose=0, validation_split=0.2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"layers={args.layers} test accuracy {accuracy:.4f}")
