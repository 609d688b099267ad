"""Test environment: offline, Keras home in a temporary folder, MNIST from ../shared/data/mnist-10k."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MNIST_DIR = ROOT.parent / "shared" / "data" / "mnist-10k"

# Before anything imports keras: never write ~/.keras, never download, quiet TensorFlow.
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="kerasdiag-keras-home-")
os.environ["KERASDIAG_OFFLINE"] = "1"
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.pop("KERASDIAG_DATA_DIR", None)


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    if not (MNIST_DIR / "mnist.npz").is_file():
        pytest.fail(f"MNIST test data expected at {MNIST_DIR} (../shared/data/mnist-10k beside the repo)")
    return MNIST_DIR
