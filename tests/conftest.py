"""Test environment: offline, Keras home in a temporary folder, MNIST from ../shared/data/mnist-10k."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.helpers.run_dirs import RunDirFactory, make_run_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist-10k"
# ../shared beside the clone where it exists (CI), else the copy shipped in tests/data (a fresh clone alone).
MNIST_DIR = SHARED_MNIST if (SHARED_MNIST / "mnist.npz").is_file() else ROOT / "tests" / "data" / "mnist-10k"

# Before anything imports keras: never write ~/.keras, never download, quiet TensorFlow.
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="kerasdiag-keras-home-")
os.environ["KERASDIAG_OFFLINE"] = "1"
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.pop("KERASDIAG_DATA_DIR", None)


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    if not (MNIST_DIR / "mnist.npz").is_file():
        pytest.fail(f"MNIST test data expected at {MNIST_DIR} (shipped in tests/data/mnist-10k)")
    return MNIST_DIR


@pytest.fixture
def run_dir(tmp_path: Path) -> RunDirFactory:
    """A factory of run directories under tmp_path: `run_dir("name", epochs=3, status="interrupted", rows=[...])`."""

    def make(name: str = "run", **kwargs: object) -> Path:
        return make_run_dir(tmp_path, name, **kwargs)  # type: ignore[arg-type]

    return make
