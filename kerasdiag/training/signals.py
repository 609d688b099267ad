"""SIGTERM and SIGHUP stop training the way Ctrl-C does: the run is kept and marked interrupted.

Job schedulers, `timeout` and closed terminals send these; without a handler
Python dies at once and the run would stay "running" with no diagnosis.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_ALL_STOPS = (signal.SIGINT, *STOP_SIGNALS)
_DEFERRING: list[bool] = []  # non-empty while a block of `interrupts_deferred` runs


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def _heeded(signals: tuple[int, ...]) -> tuple[int, ...]:
    """The signals the process does not ignore: under `nohup` (SIGHUP ignored) a closed terminal must not stop it."""
    return tuple(sig for sig in signals if signal.getsignal(sig) is not signal.SIG_IGN)


@contextlib.contextmanager
def interrupt_on_termination() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in _heeded(STOP_SIGNALS)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Within the block, Ctrl-C, SIGTERM and SIGHUP wait for it to end, then raise KeyboardInterrupt.

    For host work that must not stop halfway: an epoch (or a chunk of epochs) written to history.jsonl,
    TensorBoard and the in-memory record, whose columns must stay the same length. Main thread only;
    elsewhere a no-op.
    """
    if threading.current_thread() is not threading.main_thread() or _DEFERRING:
        yield  # an outer block already defers (and raises when it ends)
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: received.append(signum)) for sig in _heeded(_ALL_STOPS)}
    _DEFERRING.append(True)
    try:
        yield
    finally:
        _DEFERRING.pop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise KeyboardInterrupt(f"signal {signal.Signals(received[0]).name} (after the epochs being logged)")
