"""JAX-backend cases (run in their own process): `fit` against kerasdiag's compiled fast path."""

from __future__ import annotations

from typing import Any

from common import EpochClock, bench_config, build, fast_case, fit, kerasdiag_callbacks


def run_jax_cases(splits: Any, epochs: int) -> list[dict[str, Any]]:
    config = bench_config(epochs)
    steps = -(-len(splits.y_train) // config.batch_size)
    return [
        _fit_case("jax/fit", splits, config, probes=False),
        _fit_case("jax/fit spe=32", splits, config, probes=False, spe=32),
        _fit_case("jax/fit spe=epoch", splits, config, probes=False, spe=steps),
        _fit_case("jax/fit+probes (kerasdiag keras mode)", splits, config, probes=True),
        fast_case("jax/fast_fit, no callbacks", splits, config, probes=False),
        fast_case("jax/fast_fit+probes (kerasdiag)", splits, config, probes=True),
    ]


def _fit_case(name: str, splits: Any, config: Any, *, probes: bool, spe: int = 1) -> dict[str, Any]:
    model = build(config, steps_per_execution=spe)
    inner, logger = kerasdiag_callbacks(config, splits) if probes else ([], None)
    clock = EpochClock()
    fit(model, splits, config, clock.callbacks(inner))
    if logger is not None:
        logger.close()
    return clock.result(name)
