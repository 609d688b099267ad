"""JAX's persistent compilation cache, so that a run whose program was compiled before skips XLA.

Compiling the chunked program of a small MLP takes about 1.2 s of CPU (more on a loaded machine),
most of a short run's time beyond imports. Learners rerun the same command with another seed, learning
rate or L1/L2 (numbers the program takes as inputs, so the program is the same): with the cache on,
those runs load the compiled program from disk instead. The key is JAX's own (the program's HLO, the
compile options, JAX/XLA versions and the device), so a changed model or data shape compiles anew.

`KERASDIAG_XLA_CACHE` picks the folder (default `$XDG_CACHE_HOME/kerasdiag/xla`, else
`~/.cache/kerasdiag/xla`, at most 512 MiB where the `filelock` package is installed, which JAX needs to
bound it: without it JAX warns on every cache read, so the cache is then left unbounded);
`KERASDIAG_XLA_CACHE=0` turns the cache off.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

CACHE_ENV = "KERASDIAG_XLA_CACHE"
OFF = ("0", "off", "false", "no", "")
MIN_COMPILE_SECONDS = 0.3  # programs that compile faster than this are not worth a file
MAX_BYTES = 512 * 2**20  # JAX evicts the least recently used programs beyond this


def cache_dir() -> Path | None:
    """The cache folder the environment asks for, or `None` when the cache is off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in OFF else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kerasdiag" / "xla"


def enable_xla_cache() -> Path | None:
    """Point JAX's persistent compilation cache at `cache_dir()` (idempotent); the folder, or `None` if off."""
    import jax

    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: compile every time, as without the cache
        return None
    if getattr(jax.config, "jax_compilation_cache_dir", None) != str(folder):
        jax.config.update("jax_compilation_cache_dir", str(folder))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", MIN_COMPILE_SECONDS)
        if importlib.util.find_spec("filelock") is not None:
            jax.config.update("jax_compilation_cache_max_size", MAX_BYTES)
    return folder
