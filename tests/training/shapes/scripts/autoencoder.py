"""An autoencoder: digits images (64 pixels in [0, 1], 17 distinct values) reconstructed with MSE."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
x = load_digits().data[:600] / 16.0

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(16, activation="relu", name="encoder"),
        keras.layers.Dense(64, activation="sigmoid", name="decoder"),
    ]
)
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, x, epochs=3, batch_size=32, validation_split=0.2, verbose=2)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
