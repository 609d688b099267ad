"""`kerasdiag board`: a port with only TIME_WAIT connections is free; SIGTERM (or SIGKILL) stops TensorBoard too."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kerasdiag.board.server import HOST, READY_ROUTE, check_port_free, free_port
from kerasdiag.errors import BoardError

REPO = Path(__file__).resolve().parents[2]


def test_a_port_whose_connections_sit_in_time_wait_is_free():
    port = free_port()
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, port))
        listener.listen()
        client = socket.create_connection((HOST, port))
        served, _ = listener.accept()
        served.close()  # the server closes first: its end of the connection waits in TIME_WAIT
        time.sleep(0.1)
        client.close()
    time.sleep(0.1)
    states = Path("/proc/net/tcp").read_text() if Path("/proc/net/tcp").exists() else ""
    if states and f":{port:04X} " not in states:
        pytest.skip("no TIME_WAIT entry to test against")
    check_port_free(HOST, port)  # raises without SO_REUSEADDR: EADDRINUSE


def test_a_port_a_program_listens_on_is_taken():
    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(BoardError, match=str(port)):
            check_port_free(HOST, port)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def gone(pid: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":  # exited, waiting for its (new) parent to reap it
            return True
        time.sleep(0.2)
    return False


def start_board(tmp_path: Path) -> tuple[subprocess.Popen, int, int]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "kerasdiag", "board", str(tmp_path), "--port", str(port)]
    board = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert board.poll() is None, board.stdout.read() if board.stdout else ""
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{READY_ROUTE}", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    else:
        board.kill()
        pytest.fail("TensorBoard did not answer within 90 s")
    (child,) = children(board.pid)
    return board, child, port


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the TensorBoard child")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_stopping_board_stops_its_tensorboard_child(tmp_path, sig):
    board, child, port = start_board(tmp_path)
    try:
        board.send_signal(sig)
        board.communicate(timeout=30)
        assert gone(child), f"TensorBoard (pid {child}) still serves port {port} after {sig.name} to board"
        if sig == signal.SIGTERM:
            assert board.returncode == 0
    finally:
        for pid in (board.pid, child):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
