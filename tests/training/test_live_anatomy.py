"""The anatomy of a live model (`training.anatomy.anatomy_of`): a learner's own layers are read from the objects."""

from __future__ import annotations

import keras
import pytest

from kerasdiag.training.anatomy import anatomy_of


class Linear(keras.layers.Layer):
    """A learner's own weighted layer, as the Keras guide writes one: its matrix is `w`, not `kernel`."""

    def __init__(self, units: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape: tuple[int, ...]) -> None:
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs: object) -> object:
        return keras.ops.matmul(inputs, self.w) + self.b


class Scale(keras.layers.Layer):
    """A learner's own layer with one weight per feature (no matrix): not a weighted layer."""

    def build(self, input_shape: tuple[int, ...]) -> None:
        self.s = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, inputs: object) -> object:
        return inputs * self.s


def test_a_custom_layer_with_a_weight_matrix_is_weighted_and_its_call_stays_unknown():
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            Linear(16, name="linear"),
            Scale(name="scale"),
            keras.layers.Activation("relu", name="relu"),
            keras.layers.Dense(3, activation="softmax", name="out"),
        ]
    )
    model.compile(loss="sparse_categorical_crossentropy")
    layers = {node.name: node for node in anatomy_of(model).layers}
    assert layers["linear"].weighted and layers["linear"].nonlinearity == "unknown"
    assert not layers["scale"].weighted and not layers["relu"].weighted
    assert layers["out"].weighted and layers["out"].nonlinearity == "softmax"


@pytest.mark.training
def test_a_custom_layer_with_a_weight_matrix_is_probed_like_a_dense_layer(tmp_path):
    """Its gradient norm and update ratio are measured from its own matrix `w` (vanishing-gradients can see it)."""
    import numpy as np

    import kerasdiag.keras as kd
    from kerasdiag.rundir.reader import read_run

    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input(shape=(4,)), Linear(8, name="linear"), keras.layers.Dense(2, activation="softmax", name="out")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callback = kd.Diagnose(tmp_path / "runs", verbose=0, x=x, y=y)
    model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25, verbose=0, callbacks=[callback])
    record = read_run(callback.path)
    assert record.probe_layers() == ["linear", "out"]
    assert np.isfinite(record.probe_series("linear", "grad_norm")).all()
