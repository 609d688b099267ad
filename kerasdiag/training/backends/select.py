"""Choosing the Keras backend before Keras is imported, and naming the device it runs on."""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

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
    quiet_tensorflow_start()


# TensorFlow's start-up lines on a machine without CUDA (or without a GPU), printed by its C++ code before any
# Python logging exists: absl's notice that logging is not set up yet, info lines (`I0000 ...`), the CPU
# instruction note, and the CUDA probes' complaints (`E0000 ... failed call to cuInit`, the "Unable to register"
# factories of a CUDA build). None says anything a learner can act on. Every other line (a real error, a
# Python warning) is passed on as it was written.
TENSORFLOW_NOISE = re.compile(
    rb"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    rb"|I\d{4} [\d:. ]+\d+ [\w./-]+:\d+\] .*"
    rb"|[EW]\d{4} [\d:. ]+\d+ (cuda_platform|cuda_dnn|cuda_fft|cuda_blas|cudart_stub|cuda_executor|cuda_diagnostics"
    rb"|computation_placer|cpu_feature_guard|gpu_device|port)\.cc:\d+\] .*"
    rb"|To enable the following instructions: .*(rebuild TensorFlow with the appropriate compiler flags\.)?"
    rb"|rebuild TensorFlow with the appropriate compiler flags\.)\r?$"
)


def quiet_tensorflow_start() -> None:
    """Silence TensorFlow's start-up noise for this process, whoever imports it (kerasdiag, Keras, a script).

    Sets `TF_CPP_MIN_LOG_LEVEL=2` (TensorFlow's C++ warnings and info, unless the user set it) and installs a
    one-time import hook: while `tensorflow` is imported, file descriptor 2 goes to a temporary file, and what
    was written there comes back to stderr without `TENSORFLOW_NOISE`. On the TensorFlow backend its devices
    are initialised in the same quiet block (the `cuInit` complaint comes then, not at the first operation).
    On JAX and torch nothing imports TensorFlow for kerasdiag (`keep_tensorflow_unloaded`).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" in sys.modules or any(isinstance(f, _QuietTensorFlow) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _QuietTensorFlow())


class _QuietTensorFlow(importlib.abc.MetaPathFinder):
    """Finds `tensorflow` as Python would, and runs its import with the noise filtered (see above)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "tensorflow":
            return None
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)  # once: the next search (just below) and later imports are Python's own
        spec = importlib.util.find_spec(fullname)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module

        def exec_module(module: Any) -> None:
            with stderr_without(TENSORFLOW_NOISE):
                original(module)
                if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
                    with contextlib.suppress(Exception):
                        module.config.list_physical_devices()  # the CUDA probe, now, while filtered

        loader.exec_module = exec_module  # this loader instance loads `tensorflow/__init__.py` only
        return spec


@contextlib.contextmanager
def stderr_without(noise: re.Pattern[bytes]) -> Iterator[None]:
    """Within the block, what C code or Python writes to file descriptor 2 is held back; at its end every line
    that does not match `noise` is written to stderr, in order (also when the block raises)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no stderr to redirect: nothing to filter
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            kept = [line for line in held.read().splitlines(keepends=True) if not noise.match(line.rstrip(b"\n"))]
            if kept:
                with contextlib.suppress(OSError):
                    os.write(2, b"".join(kept))


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
