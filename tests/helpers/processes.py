"""Child processes that a test stops with Ctrl-C (SIGINT)."""

from __future__ import annotations

import signal


def heed_ctrl_c() -> None:
    """`preexec_fn` for a child a test interrupts: a shell that started the tests in the background (`nohup`, some
    CI runners) leaves SIGINT ignored, and a child inherits that, so Python would never raise KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
