"""Scenario 2: "Why is my softmax output distribution different when I train on less data?" (2-class CNN).

The learner's script, in Keras 3: a small CNN tells MNIST 3 from 8 (softmax over
two classes), trained on a small set; afterwards it looks at P(class 1) on the
test images of each class. Run it unchanged under kerasdiag:

    kerasdiag run examples/mnist_two_class_cnn.py --data-dir ../shared/data/mnist-10k --train-size 2000

Same model as `kerasdiag train --model cnn --classes 3,8 --train-size 2000 --data-dir ../shared/data/mnist-10k`.
"""

import argparse

import keras
import numpy as np


def load_mnist(data_dir):
    if data_dir:
        with np.load(f"{data_dir}/mnist.npz") as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    return keras.datasets.mnist.load_data()


def two_classes(x, y, first=3, second=8):
    keep = (y == first) | (y == second)
    return x[keep].reshape(-1, 28, 28, 1).astype("float32") / 255, (y[keep] == second).astype("int64")


parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", help="folder holding mnist.npz")
parser.add_argument("--train-size", type=int, default=2000)
parser.add_argument("--epochs", type=int, default=20)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

keras.utils.set_random_seed(args.seed)
(x_train, y_train), (x_test, y_test) = load_mnist(args.data_dir)
x_train, y_train = two_classes(x_train, y_train)
x_test, y_test = two_classes(x_test, y_test)
x_train, y_train = x_train[: args.train_size], y_train[: args.train_size]

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
model.fit(
    x_train,
    keras.utils.to_categorical(y_train, 2),
    batch_size=128,
    epochs=args.epochs,
    verbose=0,
    validation_split=0.2,
)

p1 = model.predict(x_test, verbose=0)[:, 1]  # the learner's histogram of P1, per true class
for label, name in ((0, "3"), (1, "8")):
    counts, _ = np.histogram(p1[y_test == label], bins=5, range=(0, 1))
    print(f"P1 on test images of {name}: histogram {counts.tolist()}")
