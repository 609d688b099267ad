"""Scenario 3: regularisation with L1, L2 and dropout (lecture exercise, MNIST MLP).

The course's MLP with an L1 weight penalty and dropout, Adam. Run it unchanged under kerasdiag,
then try other strengths:

    kerasdiag run examples/mnist_regularization.py --data-dir ../shared/data/mnist-10k --dropout 0.3 --l1 1e-5

Same model as `kerasdiag train --dropout 0.3 --l1 1e-5 --optimizer adam --data-dir ../shared/data/mnist-10k`.
"""

import argparse

import keras
import numpy as np


def load_mnist(data_dir):
    if data_dir:
        with np.load(f"{data_dir}/mnist.npz") as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    return keras.datasets.mnist.load_data()


parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", help="folder holding mnist.npz")
parser.add_argument("--dropout", type=float, default=0.3)
parser.add_argument("--l1", type=float, default=1e-5)
parser.add_argument("--l2", type=float, default=0.0)
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
for _ in range(2):
    penalty = keras.regularizers.L1L2(l1=args.l1, l2=args.l2)
    model.add(keras.layers.Dense(128, activation="relu", kernel_regularizer=penalty))
    model.add(keras.layers.Dropout(args.dropout))
model.add(keras.layers.Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])

model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, verbose=0, validation_split=0.2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"dropout={args.dropout} l1={args.l1} l2={args.l2} test accuracy {accuracy:.4f}")
