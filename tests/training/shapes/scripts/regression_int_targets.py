"""Regression with MSE whose targets are whole numbers (diabetes progression, 214 distinct values 25..346)."""

import keras
from sklearn.datasets import load_diabetes

keras.utils.set_random_seed(0)
data = load_diabetes()
x = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
y = data.target.astype("int64")

model = keras.Sequential(
    [
        keras.Input(shape=(10,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
