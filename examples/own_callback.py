"""The one-line callback: kerasdiag inside your own script, no `kerasdiag run` needed.

    python examples/own_callback.py --logdir runs
    kerasdiag diagnose runs/       # the same findings again, any time; tensorboard --logdir runs

A digits MLP (scikit-learn's 8x8 digits, offline) trained with plain `model.fit`; the only
kerasdiag line is the callback.
"""

import argparse

import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import kerasdiag.keras as kd

parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", help="unused: digits ship with scikit-learn")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--logdir", default="runs")
parser.add_argument("--lang", default="en", choices=["en", "ja"])
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

keras.utils.set_random_seed(args.seed)
digits = load_digits()
x = digits.data.astype("float32") / 16
x_train, x_val, y_train, y_val = train_test_split(x, digits.target, test_size=0.2, random_state=0)

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(
    x_train,
    y_train,
    epochs=args.epochs,
    batch_size=32,
    verbose=0,
    validation_data=(x_val, y_val),
    callbacks=[kd.Diagnose(logdir=args.logdir, lang=args.lang)],  # the one added line
)
