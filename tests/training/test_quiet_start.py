"""TensorFlow's start-up noise (absl's "before InitializeLog" notice, info lines, the cuInit complaint) is not shown;
every other line written to stderr meanwhile still is."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerasdiag.training.backends.select import TENSORFLOW_NOISE, stderr_without

REPO = Path(__file__).resolve().parents[2]
NOISE_MARKS = ("I0000", "E0000", "W0000", "absl::InitializeLog", "cuInit", "cudart_stub", "rebuild TensorFlow")

NOISE = [
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    b"I0000 00:00:1796597100.107092    9414 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU"
    b" will not be used.",
    b"I0000 00:00:1796597234.806648   10764 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use"
    b" available CPU instructions in performance-critical operations.",
    b"To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate"
    b" compiler flags.",
    b"E0000 00:00:1796597106.721183    9414 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: Failed"
    b" call to cuInit: UNKNOWN ERROR (303)",
]
KEPT = [
    b"E0000 00:00:1796597106.721183    9414 some_kernel.cc:52] OOM when allocating tensor",
    b"Traceback (most recent call last):",
    b"UserWarning: something the user should read",
]


def test_the_filter_drops_the_noise_and_keeps_every_other_line(capfd):
    with stderr_without(TENSORFLOW_NOISE):
        for line in [NOISE[0], KEPT[0], *NOISE[1:], *KEPT[1:]]:
            os.write(2, line + b"\n")
    err = capfd.readouterr().err
    assert err.splitlines() == [line.decode() for line in KEPT]


def test_the_filter_gives_back_what_was_written_when_the_block_raises(capfd):
    with pytest.raises(ImportError), stderr_without(TENSORFLOW_NOISE):
        os.write(2, NOISE[0] + b"\nreal error\n")
        raise ImportError("no module")
    assert capfd.readouterr().err == "real error\n"


@pytest.mark.training
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_a_tiny_train_prints_no_start_up_noise(tmp_path, backend):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed")
    env = dict(os.environ, PYTHONPATH=str(REPO), KERASDIAG_OFFLINE="1")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the test environment sets it; a user's shell does not
    env.pop("KERAS_BACKEND", None)
    command = [sys.executable, "-m", "kerasdiag", "train", "--dataset", "iris", "--epochs", "1", "-q"]
    command += ["--backend", backend, "--logdir", str(tmp_path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    noise = [line for line in (done.stdout + done.stderr).splitlines() if any(m in line for m in NOISE_MARKS)]
    assert noise == [], done.stderr
    assert "completed, 1 epochs" in done.stdout


SCRIPT = """
import keras
import numpy as np

keras.utils.set_random_seed(0)  # Keras seeds TensorFlow too, importing it, on every backend
x = np.random.default_rng(0).normal(size=(40, 4)).astype("float32")
y = np.repeat([0, 1], 20)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
"""


@pytest.mark.training
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_kerasdiag_run_of_a_script_prints_no_start_up_noise(tmp_path, backend):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed")
    script = tmp_path / "tiny.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), KERASDIAG_OFFLINE="1")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    env.pop("KERAS_BACKEND", None)
    command = [sys.executable, "-m", "kerasdiag", "run", "-q", "--backend", backend, "--logdir", str(tmp_path)]
    done = subprocess.run([*command, str(script)], env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    noise = [line for line in (done.stdout + done.stderr).splitlines() if any(m in line for m in NOISE_MARKS)]
    assert noise == [], done.stderr
    assert "run directory" in done.stdout
