"""The compiled program of a vectorised group: its plan (batches, chunks), starting state, data and options.

`vector.run.train_group` builds the members' models; this stacks their state and data, picks the chunk
size and the XLA options, and compiles `vector/chunk.chunk_program` once for the whole group.
"""

from __future__ import annotations

from typing import Any

import numpy as np

CHUNK_STEPS = 2000  # about this many optimizer steps per compiled call, then the host logs the chunk
# Small runs compile fast and run slower: on CPU, without LLVM's optimisations and XLA:CPU's fusion emitters, the
# Iris MLP's program compiles in 0.30 s of CPU instead of 1.9 s, and its 4,800 steps run as fast; MNIST's
# 784-128-128-10 compiles 1.3-1.7 s faster and then runs about 2x slower per step (2 cores). Measured totals with
# fast compiling against the default: one run of 8,000 samples x 6 epochs 1.4 against 2.3 s (work 6e9); 9 runs
# of 3 layers on 1,000 samples x 20 epochs in one program 4.0 against 4.7 s (work 2.4e10). So runs whose work
# (parameters x samples x epochs x runs) stays below SMALL_WORK compile fast. Convolutional models never do: with
# these options scenario 2's 2-class CNN (1,272 samples) took 187 s an epoch instead of 23 s (`--fit-mode fast`;
# in auto mode CNNs on the CPU train with `fit`, see `fastfit/loop.CNN_ON_CPU`).
SMALL_WORK = 4e10
FAST_COMPILE = {"xla_backend_optimization_level": 0, "xla_cpu_use_fusion_emitters": False}
TINY_PARAMS = 20_000  # other devices: below this many parameters, without LLVM's optimisations


def chunk_epochs(epochs: int, steps: int) -> int:
    """The largest divisor of `epochs` with at most CHUNK_STEPS steps (one program shape for every chunk)."""
    fits = [d for d in range(1, epochs + 1) if epochs % d == 0 and d * steps <= CHUNK_STEPS]
    return max(fits, default=1)


def fit_meta(size: int, chunk: int) -> dict[str, Any]:
    """run.json's `fit`: the compiled path, as chunks of epochs, and how many runs shared the program."""
    together = f", vectorised: {size} runs in one program" if size > 1 else ""
    reason = f"compiled chunks of {chunk} epochs, probes inside the program{together}"
    return {"path": "fast", "program": "chunks", "chunk_epochs": chunk, "members": size, "reason": reason}


def compile_group(members: list[Any], log: Any, plan: Plan) -> tuple[Any, Any, Any]:
    """The compiled chunk program, the stacked starting state and the fixed inputs (L1/L2, data index, data)."""
    import jax
    import jax.numpy as jnp

    from kerasdiag.training.fastfit.xla_cache import enable_xla_cache
    from kerasdiag.training.vector import chunk

    enable_xla_cache()
    template = members[0].model
    forward, watched = log.forward_model(template)
    penalised = {layer.name for m in members for layer in m.model.layers if getattr(layer, "kernel_regularizer", 0)}
    where = chunk.layout(template, forward, watched, penalised)
    program = chunk.chunk_program(template, forward, where, plan.n, plan.batch_size)
    data, index = _stacked_data(members)
    # jax.device_put, not jnp.asarray: the latter compiles a small copy program for every new shape
    hp = tuple(jax.device_put(np.array([getattr(m.config, k) for m in members], np.float32)) for k in ("l1", "l2"))
    states = [_state(m.model) for m in members]
    carry = chunk.stack([(s, (np.float32(np.inf), s[0], s[1])) for s in states])  # on the host: nothing compiles
    shape = jax.ShapeDtypeStruct((len(members), plan.chunk, plan.n), jnp.int32)
    from kerasdiag.training.models import has_convolutions

    options = compile_options(
        jax.devices()[0].platform, template.count_params(), plan, len(members), has_convolutions(template)
    )
    return program.lower(carry, hp, index, shape, *data).compile(options), carry, (hp, index, data)


def compile_options(
    platform: str, params: int, plan: Plan, members: int, convolutional: bool = False
) -> dict[str, Any]:
    """XLA options for the group's program: fast compiling for small runs without convolutions (see SMALL_WORK)."""
    if platform != "cpu":
        return {"xla_backend_optimization_level": 0} if params < TINY_PARAMS else {}
    small = params * plan.n * plan.epochs * members < SMALL_WORK
    return dict(FAST_COMPILE) if small and not convolutional else {}


class Plan:
    """Batches per epoch, as `EpochTrainer` plans them (honours KERAS_MAX_STEPS_PER_EPOCH / MAX_EPOCHS)."""

    def __init__(self, member: Any):
        import keras

        config = member.config
        self.total = len(member.splits.y_train)
        self.batch_size = min(config.batch_size, self.total)
        cap = keras.config.max_steps_per_epoch()
        self.n = min(self.total, cap * self.batch_size) if cap else self.total
        full, rest = divmod(self.n, self.batch_size)
        self.batch_sizes = np.array([self.batch_size] * full + ([rest] if rest else []), dtype=np.float64)
        self.steps = len(self.batch_sizes)
        self.epochs = min(config.epochs, keras.config.max_epochs() or config.epochs)
        self.chunk = chunk_epochs(self.epochs, self.steps)
        self.reached: tuple[Any, Any] | None = None  # (final, best) state after the last fully logged chunk


def _state(model: Any) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in model.optimizer.variables],
    )


def _stacked_data(members: list[Any]) -> tuple[tuple[Any, ...], Any]:
    """The distinct data sets stacked (x, y, val x, val y, val mask) and each member's index into them."""
    import jax

    from kerasdiag.training.fastfit.base import eval_batches

    distinct: dict[int, int] = {}
    for member in members:
        distinct.setdefault(id(member.splits), len(distinct))
    sets = list({id(m.splits): m.splits for m in members}.values())
    arrays = [(s.x_train.astype(np.float32), s.y_train.astype(np.int32), *eval_batches(s.x_val, s.y_val)) for s in sets]
    data = tuple(jax.device_put(np.stack(column)) for column in zip(*arrays))
    return data, jax.device_put(np.array([distinct[id(m.splits)] for m in members], np.int32))
