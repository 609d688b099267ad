"""Scenario 4 as learners write it, in Keras 2: Iris in file order, `Dense(8, input_dim=4)`, `Activation`
layers, `optimizers.Adam(lr=0.0005, decay=0.0)`, and `history.history['acc']`.

Plain `python` with Keras 3 stops at `keras.layers.core`; `keras3_ports/keras2_scenario4.py` is the same
script in Keras 3.
"""

import keras
from keras import optimizers
from keras.layers.core import Activation, Dense
from keras.models import Sequential
from keras.utils import np_utils
from sklearn.datasets import load_iris

keras.utils.set_random_seed(0)
iris = load_iris()  # the 150 rows of the UCI CSV, in file order (sorted by class)
X = iris.data
Y = np_utils.to_categorical(iris.target, 3)

model = Sequential()
model.add(Dense(8, input_dim=4))
model.add(Activation("relu"))
model.add(Dense(3))
model.add(Activation("softmax"))
adam = optimizers.Adam(lr=0.0005, decay=0.0)
model.compile(loss="categorical_crossentropy", optimizer=adam, metrics=["accuracy"])
history = model.fit(X, Y, epochs=3, batch_size=5, validation_split=0.2)

acc, val_acc = history.history["acc"], history.history["val_acc"]
loss, val_loss = history.history["loss"], history.history["val_loss"]
print(f"RESULT acc={acc[-1]:.4f} val_acc={val_acc[-1]:.4f} loss={loss[-1]:.4f} val_loss={val_loss[-1]:.4f}")
