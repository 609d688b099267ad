"""`../keras2_scenario1.py` written for Keras 3: what that script computes once its Keras 2 names are mapped."""

import sys

import keras
import numpy as np

data_dir = sys.argv[sys.argv.index("--data-dir") + 1]
keras.utils.set_random_seed(0)
with np.load(data_dir + "/mnist.npz") as f:
    X_train, y_train = f["x_train"][:1000], f["y_train"][:1000]
    X_test, y_test = f["x_test"][:200], f["y_test"][:200]

X_train = X_train.reshape(1000, 784).astype("float32") / 255
X_test = X_test.reshape(200, 784).astype("float32") / 255
Y_train = keras.utils.to_categorical(y_train, 10)
Y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential()
model.add(keras.Input(shape=(784,)))
model.add(keras.layers.Dense(128))
model.add(keras.layers.Dense(128))
model.add(keras.layers.Dense(128))
model.add(keras.layers.Dense(10))
model.add(keras.layers.Activation("softmax"))
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(), metrics=["accuracy"])
history = model.fit(X_train, Y_train, batch_size=128, epochs=2, verbose=1, validation_split=0.2)
score = model.evaluate(X_test, Y_test, verbose=0)

print(f"RESULT loss={history.history['loss'][-1]:.4f} val_loss={history.history['val_loss'][-1]:.4f}")
print(f"RESULT test_loss={score[0]:.4f} test_accuracy={score[1]:.4f}")
