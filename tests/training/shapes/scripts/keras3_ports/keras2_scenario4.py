"""`../keras2_scenario4.py` written for Keras 3: what that script computes once its Keras 2 names are mapped."""

import keras
from sklearn.datasets import load_iris

keras.utils.set_random_seed(0)
iris = load_iris()
X = iris.data
Y = keras.utils.to_categorical(iris.target, 3)

model = keras.Sequential()
model.add(keras.Input(shape=(4,)))
model.add(keras.layers.Dense(8))
model.add(keras.layers.Activation("relu"))
model.add(keras.layers.Dense(3))
model.add(keras.layers.Activation("softmax"))
adam = keras.optimizers.Adam(learning_rate=0.0005)
model.compile(loss="categorical_crossentropy", optimizer=adam, metrics=["accuracy"])
history = model.fit(X, Y, epochs=3, batch_size=5, validation_split=0.2)

acc, val_acc = history.history["accuracy"], history.history["val_accuracy"]
loss, val_loss = history.history["loss"], history.history["val_loss"]
print(f"RESULT acc={acc[-1]:.4f} val_acc={val_acc[-1]:.4f} loss={loss[-1]:.4f} val_loss={val_loss[-1]:.4f}")
