"""Choosing the Keras backend before Keras is imported, and naming the device it runs on."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator

from kerasdiag.errors import ConfigError
from kerasdiag.messages import say

BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def select_backend(name: str) -> None:
    """Set KERAS_BACKEND to `name`; refuse when Keras already runs another backend or `name` is missing."""
    if "keras" in sys.modules:
        current = sys.modules["keras"].backend.backend()
        if current != name:
            raise ConfigError(say("backend.one_per_process", current=current), f"backend={name}")
        return
    if importlib.util.find_spec(BACKEND_MODULES[name]) is None:
        raise ConfigError(say("backend.package", name=name), say("backend.not_installed", name=name))
    os.environ["KERAS_BACKEND"] = name
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def device_name() -> str:
    """The device Keras trains on, e.g. `gpu:NVIDIA H100` or `cpu`."""
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        device = jax.devices()[0]
        return f"{device.platform}:{getattr(device, 'device_kind', '')}".rstrip(":")
    if backend == "torch":
        import torch

        return f"gpu:{torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else "cpu"
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return f"gpu:{gpus[0].name}" if gpus else "cpu"


def keep_tensorflow_unloaded() -> None:
    """On JAX or torch, tell Keras TensorFlow is absent, so `model.get_config()` does not import it (~5 s).

    Keras's serialisation asks `tensorflow.available` (which imports TensorFlow when installed) only to
    recognise TensorFlow objects, which a model on another backend cannot hold.
    """
    import keras

    if keras.backend.backend() == "tensorflow" or "tensorflow" in sys.modules:
        return
    from keras.src.utils import module_utils

    module_utils.tensorflow._available = False


@contextlib.contextmanager
def tensorflow_unloaded_within() -> Iterator[None]:
    """`keep_tensorflow_unloaded` for the block only: a learner's script may still import TensorFlow later.

    `kd.Diagnose` on JAX or torch serialises the model (run.json, TensorBoard's model config); without this
    the first `fit` of a script would import TensorFlow (2-5 s) for nothing.
    """
    from keras.src.utils import module_utils

    saved = module_utils.tensorflow._available
    keep_tensorflow_unloaded()
    try:
        yield
    finally:
        if "tensorflow" not in sys.modules:  # imported meanwhile (the script's own callback): leave Keras's answer
            module_utils.tensorflow._available = saved
