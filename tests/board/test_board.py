"""`kerasdiag board`: TensorBoard over a fresh run shows kerasdiag's probe scalars and diagnosis text."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kerasdiag.board.server import free_port
from kerasdiag.config import RunConfig
from tests.helpers.processes import heed_ctrl_c

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 90


def get_json(port: int, route: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{route}", timeout=5) as answer:
        return json.loads(answer.read())


def wait_for(port: int, route: str, ready, process) -> object:
    """Poll `route` until `ready(payload)` holds; fail if the server exits or TIMEOUT passes."""
    deadline = time.monotonic() + TIMEOUT
    payload = None
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            payload = get_json(port, route)
            if ready(payload):
                return payload
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"TensorBoard did not serve {route} within {TIMEOUT} s; last answer: {payload}")


@pytest.mark.training
def test_board_shows_probes_and_diagnosis(tmp_path):
    from kerasdiag.training.flags.run import train

    train(RunConfig(dataset="iris", layers=2, units=[8], epochs=3, logdir=str(tmp_path), name="fresh"))
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "kerasdiag", "board", str(tmp_path), "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, preexec_fn=heed_ctrl_c
    )
    try:
        scalars = wait_for(port, "/data/plugin/scalars/tags", lambda p: "fresh/train" in p, process)
        train_tags = set(scalars["fresh/train"])
        assert {"epoch_loss", "epoch_accuracy", "grad_norm/dense_1", "grad_norm/dense_2", "grad_norm/output"} <= (
            train_tags
        )
        assert {"epoch_loss", "epoch_accuracy"} <= set(scalars["fresh/validation"])
        text = wait_for(port, "/data/plugin/text/tags", lambda p: "fresh/train" in p, process)
        assert "diagnosis" in text["fresh/train"]
        entries = get_json(port, "/data/plugin/text/text?run=fresh/train&tag=diagnosis")
        assert "kerasdiag" in entries[-1]["text"]
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            pytest.fail(f"board did not stop on Ctrl-C: {output}")
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output and "Stopping TensorBoard" in output
