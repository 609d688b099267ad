"""One `fit` per process, as a learner's script runs: the bench MLP, 5 epochs, plain or with `kd.Diagnose`.

    for i in 1 2 3; do for m in plain diag; do KERAS_BACKEND=jax python bench/one_fit.py $m; done; done

Each process prints the wall and CPU seconds of its `fit` call and of the whole process. Alternate the two
modes and compare medians: the difference is what the callback costs a one-fit script (its one-time
compiles included), which the in-process pairs of `cases_keras.py` leave out after their warm-up fit.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist-10k" / "mnist.npz"


def main(mode: str, data: Path = DATA) -> None:
    started = time.perf_counter()
    import keras

    with np.load(data) as arrays:
        x = arrays["x_train"].reshape(-1, 784).astype("float32") / 255.0
        y = arrays["y_train"].astype("int64")
    x, y = np.tile(x, (8, 1))[:62000], np.tile(y, 8)[:62000]  # 60,000 training rows, 2,000 validation rows
    keras.utils.set_random_seed(0)
    layers = [keras.layers.Dense(128, activation="relu"), keras.layers.Dense(128, activation="relu")]
    model = keras.Sequential([keras.Input((784,)), *layers, keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = []
    if mode == "diag":
        import kerasdiag.keras as kd

        callbacks = [kd.Diagnose(logdir=tempfile.mkdtemp(), verbose=0)]
    cpu, wall = time.process_time(), time.perf_counter()
    fit_args = {"epochs": 5, "batch_size": 128, "verbose": 0, "callbacks": callbacks}
    model.fit(x[:60000], y[:60000], validation_data=(x[60000:], y[60000:]), **fit_args)
    fit_wall, fit_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{mode} fit_wall={fit_wall:.2f} fit_cpu={fit_cpu:.2f} total_wall={time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else DATA)
