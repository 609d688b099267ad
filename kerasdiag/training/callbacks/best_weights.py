"""BestWeights: remembers the weights of the epoch with the lowest validation loss."""

from __future__ import annotations

import math

import keras
import numpy as np


class BestWeights(keras.callbacks.Callback):
    """Keeps a copy of the weights at the epoch where `monitor` was lowest.

    Unlike `keras.callbacks.ModelCheckpoint` it keeps them in memory and never
    restores them: kerasdiag saves held-out predictions at the last AND the best
    epoch, so a learner sees how far the model moved after its best point.

    Args:
        monitor: The epoch log to minimise. Defaults to `"val_loss"`.

    Example:

    ```python
    best = BestWeights()
    model.fit(x, y, validation_split=0.2, epochs=20, callbacks=[best])
    best.epoch, best.value  # 1-based epoch of the lowest val_loss, and that value
    ```
    """

    def __init__(self, monitor: str = "val_loss"):
        super().__init__()
        self.monitor = monitor
        self.epoch: int | None = None
        self.value = math.inf
        self.weights: list[np.ndarray] | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch, self.value, self.weights = None, math.inf, None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        value = float((logs or {}).get(self.monitor, math.nan))
        if math.isfinite(value) and value < self.value:
            self.epoch, self.value = epoch + 1, value
            self.weights = self.model.get_weights()
