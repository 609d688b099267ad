"""SIGTERM (job schedulers, `timeout`) stops train and sweep like Ctrl-C: run kept, marked interrupted, exit 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def _start(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), KERAS_BACKEND="jax", NO_COLOR="1")
    command = [sys.executable, "-m", "kerasdiag", *args, "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def _wait_for_epochs(process: subprocess.Popen, history: Path, count: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        if history.is_file() and len(history.read_text(encoding="utf-8").splitlines()) >= count:
            return
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"no {count} epochs in {history} within {TIMEOUT} s")


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 130, output
    assert "Traceback" not in output, output
    return output


@pytest.mark.training
def test_sigterm_during_train_keeps_epochs_and_marks_the_run_interrupted(tmp_path):
    run = tmp_path / "sig"
    args = ["train", "--dataset", "iris", "--backend", "jax", "--epochs", "1000000", "--batch-size", "5"]
    process = _start([*args, "--logdir", str(tmp_path), "--name", "sig"])
    _wait_for_epochs(process, run / "history.jsonl", 2)
    _stop(process)
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert meta["status"] == "interrupted"
    lines = (run / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2
    assert [json.loads(line)["epoch"] for line in lines] == list(range(1, len(lines) + 1))


@pytest.mark.training
def test_sigterm_during_sweep_keeps_it_resumable(tmp_path):
    args = ["sweep", "--dataset", "iris", "--backend", "jax", "--layers", "1,2", "--epochs", "1000000"]
    process = _start([*args, "--logdir", str(tmp_path), "--name", "sw"])
    _wait_for_epochs(process, tmp_path / "sw" / "layers=1-seed=0" / "history.jsonl", 2)
    _stop(process)
    sweep = json.loads((tmp_path / "sw" / "sweep.json").read_text(encoding="utf-8"))
    assert sweep["interrupted"] is True
    meta = json.loads((tmp_path / "sw" / "layers=1-seed=0" / "run.json").read_text(encoding="utf-8"))
    assert meta["status"] == "interrupted"


def test_a_signal_while_epochs_are_logged_waits_for_the_block_to_end():
    from kerasdiag.training.signals import interrupt_on_termination, interrupts_deferred

    steps, before = [], signal.getsignal(signal.SIGINT)  # Python's default, or SIG_IGN under nohup and some CI
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"), interrupt_on_termination(), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGTERM)
        steps.append("after the signal")
        with interrupts_deferred():  # nested: only the outermost block raises, when it ends
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("inner block done")
        steps.append("outer block done")
    assert steps == ["after the signal", "inner block done", "outer block done"]
    assert signal.getsignal(signal.SIGINT) is before  # handlers restored


def test_a_block_without_a_signal_raises_nothing():
    from kerasdiag.training.signals import interrupts_deferred

    before = signal.getsignal(signal.SIGINT)
    with interrupts_deferred():
        pass
    assert signal.getsignal(signal.SIGINT) is before


def test_a_signal_the_process_ignores_stays_ignored():
    """Under `nohup` SIGHUP is ignored: closing the terminal must not stop a training."""
    from kerasdiag.training.signals import interrupt_on_termination, interrupts_deferred

    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no SIGHUP on this platform")
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with interrupt_on_termination(), interrupts_deferred():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGHUP)  # would raise KeyboardInterrupt if caught
    finally:
        signal.signal(signal.SIGHUP, before)
