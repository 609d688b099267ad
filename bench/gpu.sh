#!/usr/bin/env bash
# The GPU table of bench/RESULTS.md, on a machine with an NVIDIA GPU, JAX with CUDA and no TensorFlow.
#
# Keras and kerasdiag's other pure-Python dependencies travel as wheels (the GPU machine cannot reach
# a package index). Make them here, on a machine online, for the GPU machine's Python version:
#   python -m pip download --dest bench/wheels --only-binary=:all: --python-version 3.11 \
#       keras==3.15.1 tensorboard google-crc32c click rich namex optree ml-dtypes h5py absl-py protobuf
# then, on the GPU machine, from the repository root:
#   bash bench/gpu.sh [DATA_DIR]
# It installs into a virtual environment that sees the machine's JAX, runs the JAX cases (fit against
# kerasdiag's compiled path, CLI latencies, sweep overhead) and replaces the `gpu` table in bench/RESULTS.md.
set -euo pipefail
DATA="${1:-../shared/data/mnist-10k}"
[ -d "$DATA" ] || DATA=shared/data/mnist-10k
VENV="${VENV:-.venv-gpu}"
python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/pip" install --quiet --no-index --find-links bench/wheels --no-deps bench/wheels/*.whl
"$VENV/bin/pip" install --quiet --no-index --no-deps --no-build-isolation -e .
"$VENV/bin/python" -c "import jax; print('devices:', jax.devices())"
EXTRA=()
"$VENV/bin/python" -c "import sklearn" 2>/dev/null || EXTRA+=(--skip-cli)  # the Iris demo needs scikit-learn
KERAS_BACKEND=jax KERASDIAG_OFFLINE=1 KERAS_HOME="$(mktemp -d)" \
    "$VENV/bin/python" bench/run.py --data-dir "$DATA" --backends jax --samples 60000 --epochs 10 \
    --update-results gpu "${EXTRA[@]}"
