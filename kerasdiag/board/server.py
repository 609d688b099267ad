"""Serve a log directory with TensorBoard on 127.0.0.1, in a child process that stops cleanly.

The child runs this module (`python -m kerasdiag.board.server ...`), which registers tensorboard's
TF-free marker (see `notf`) and hands its arguments to TensorBoard: it starts in about two
seconds instead of the ten that importing TensorFlow takes, and shows the same scalars, histograms
and text (kerasdiag writes its logs without TensorFlow too).
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from kerasdiag.errors import BoardError
from kerasdiag.messages import say
from kerasdiag.messages.said import Said

DEFAULT_PORT = 6006
HOST = "127.0.0.1"
READY_ROUTE = "/data/plugins_listing"
PARENT_ENV = "KERASDIAG_BOARD_PARENT"  # the pid of `kerasdiag board`, which its TensorBoard child outlives not


def url(port: int, host: str = HOST) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port_free(host: str, port: int) -> None:
    """BoardError when another program already listens on `host:port` (TensorBoard would fail or be hidden).

    The port is bound as TensorBoard's server binds it, with SO_REUSEADDR: a port whose old connections still
    sit in TIME_WAIT (a board stopped a minute ago) is free, one that a program listens on is not.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                received = say("board.port_in_use", port=port)
            else:
                received = say("board.port_other", port=port, why=(exc.strerror or str(exc)).lower())
            raise BoardError(say("board.free_port", host=host), received, port=port) from None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Board:
    """One TensorBoard child process over `logdir`.

    Args:
        logdir: The folder of runs to show.
        port: The port to listen on. Defaults to `6006`.

    Example:

    ```python
    with Board("runs", port=free_port()) as board:
        board.wait_until_ready(timeout=60)
        print(board.url)
    ```
    """

    def __init__(self, logdir: str | Path, port: int = DEFAULT_PORT, host: str = HOST):
        self.logdir = Path(logdir)
        self.port = port
        self.host = host
        self.url = url(port, host)
        self.process: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> Board:
        if not self.logdir.is_dir():
            expected, received = say("board.logdir"), say("board.not_a_directory", logdir=self.logdir)
            raise BoardError(expected, received, port=self.port)
        check_port_free(self.host, self.port)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        command = [sys.executable, "-m", "kerasdiag.board.server", "--logdir", str(self.logdir)]
        command += ["--host", self.host]
        command += ["--port", str(self.port), "--load_fast", "false", "--reload_interval", "5"]
        env = {**os.environ, PARENT_ENV: str(os.getpid())}
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=env)
        return self

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        """Poll TensorBoard's HTTP API until it answers; BoardError if it exits or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise BoardError(say("board.start", port=self.port), f"{self.output()}", port=self.port)
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(self.url.rstrip("/") + READY_ROUTE, timeout=2) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.2)
        self.stop()
        expected = say("board.answer", url=self.url, timeout=f"{timeout:.0f}")
        raise BoardError(expected, say("board.no_answer"), port=self.port)

    def output(self) -> str:
        """The last lines TensorBoard printed (for error messages)."""
        if self._log is None:
            return ""
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", errors="replace").strip().splitlines()
        return " | ".join(lines[-3:]) or Said("board.no_output")

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the child (SIGTERM), then kill it if it has not exited within `timeout` seconds."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Board:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _die_with_parent() -> None:
    """Linux: the kernel sends this process SIGTERM when its parent (`kerasdiag board`) dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        parent = os.environ.get(PARENT_ENV)
        if parent and os.getppid() != int(parent):  # the parent died before the line above ran
            os.kill(os.getpid(), signal.SIGTERM)


def _run_tensorboard(argv: list[str]) -> None:
    from kerasdiag.board.notf import tensorboard_without_tensorflow

    _die_with_parent()
    tensorboard_without_tensorflow()
    from tensorboard.main import run_main

    sys.argv = ["tensorboard", *argv]
    run_main()


if __name__ == "__main__":
    _run_tensorboard(sys.argv[1:])
