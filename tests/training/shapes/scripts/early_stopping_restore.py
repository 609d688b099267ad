"""EarlyStopping with restore_best_weights=True and a small patience: fit stops before its epochs."""

import keras
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)
digits = load_digits()
x, y = digits.data[:300] / 16.0, digits.target[:300]

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0.05, patience=1, restore_best_weights=True)
history = model.fit(x, y, epochs=40, batch_size=32, validation_split=0.2, callbacks=[stop], verbose=2)
restored_val_loss, _ = model.evaluate(x[240:], y[240:], verbose=0)

last = {name: values[-1] for name, values in history.history.items()}
print("RESULT " + " ".join(f"{name}={value:.4f}" for name, value in sorted(last.items())))
print(f"RESULT epochs={len(history.history['loss'])} stopped_epoch={stop.stopped_epoch}")
print(f"RESULT best_val_loss={min(history.history['val_loss']):.4f} restored_val_loss={restored_val_loss:.4f}")
