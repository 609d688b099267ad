"""Scenario 4: "Why is my accuracy curve flat while the loss keeps falling?" (Iris).

The learner's script, in Keras 3: Iris in file order (sorted by class, like the
UCI CSV), one hidden layer of 8 ReLU units, Adam at 0.0005, batch 5, 200 epochs,
validation_split=0.2. Run it unchanged under kerasdiag:

    kerasdiag run examples/iris_flat_accuracy.py

Same model as `kerasdiag train --dataset iris --layers 1 --units 8 --optimizer adam --lr 0.0005
--epochs 200 --batch-size 5 --validation-split 0.2 --no-shuffle`.
"""

import argparse

import keras
from sklearn.datasets import load_iris

parser = argparse.ArgumentParser()
parser.add_argument("--data-dir", help="unused: Iris ships with scikit-learn")
parser.add_argument("--epochs", type=int, default=200)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

keras.utils.set_random_seed(args.seed)
iris = load_iris()  # 150 rows ordered by class, as in the UCI CSV
x = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)  # standardise each feature
y = keras.utils.to_categorical(iris.target, 3)

model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(0.0005), metrics=["accuracy"])
history = model.fit(x, y, batch_size=5, epochs=args.epochs, verbose=0, validation_split=0.2)
print(f"final accuracy {history.history['accuracy'][-1]:.3f}, val_accuracy {history.history['val_accuracy'][-1]:.3f}")
