"""JAX's persistent compilation cache, so that a run whose program was compiled before skips XLA.

Compiling the chunked program of a small MLP takes about 1.2 s of CPU (more on a loaded machine),
most of a short run's time beyond imports. Learners rerun the same command with another seed, learning
rate or L1/L2 (numbers the program takes as inputs, so the program is the same): with the cache on,
those runs load the compiled program from disk instead. The key is JAX's own (the program's HLO, the
compile options, JAX/XLA versions and the device), so a changed model or data shape compiles anew.

`KERASDIAG_XLA_CACHE` picks the folder (default `$XDG_CACHE_HOME/kerasdiag/xla`, else
`~/.cache/kerasdiag/xla`); `KERASDIAG_XLA_CACHE=0` turns the cache off. Only programs that took at least
MIN_COMPILE_SECONDS to compile are stored, and the folder is not bounded: JAX's size bound
(`jax_compilation_cache_max_size`) needs the `filelock` package, warns on every read without it, and with
it fails to write ("Error writing persistent compilation cache entry") where the folder holds entries
written without the bound. Delete the folder to reclaim the space.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "KERASDIAG_XLA_CACHE"
OFF = ("0", "off", "false", "no", "")
MIN_COMPILE_SECONDS = 0.3  # programs that compile faster than this are not worth a file


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
    return folder
