"""Probe pass for the JAX backend: gradient and activations in one `jax.jit` over `stateless_call`.

The probe batch is small (at most 512 samples) and runs once per epoch, so on CPU the
program is compiled with the fast XLA options small runs use (`FAST_COMPILE`) and as one
LLVM module: for the bench MLP it compiles in 0.04 s of CPU instead of 0.25 s, and runs
in about 4 ms either way; a later model of the same architecture in the same process reuses the
executable. When `forward` holds exactly `model`'s variables (a Sequential or functional
model), one forward pass gives both the loss and the activations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.training.backends.probe_result import ProbeResult, as_list, shares_variables
from kerasdiag.training.models import kernel_of
from kerasdiag.training.vector.program import FAST_COMPILE

# Splitting a program this small into parallel LLVM modules costs more than it saves (0.041 s against 0.057 s).
PROBE_COMPILE = {**FAST_COMPILE, "xla_cpu_parallel_codegen_split_count": 1}
MAX_EXECUTABLES = 16
PREDICT_ROWS = 2048  # held-out rows per compiled prediction call
_EXECUTABLES: dict[str, Any] = {}  # sha256 of a lowered probe program's text: its executable


def make_probe(model: Any, forward: Any, layers: list[Any], loss: Any) -> Any:
    import jax

    options = probe_compile_options(model)
    one_pass = shares_variables(model, forward)
    penalised = bool(model.losses)
    step = (
        _one_pass(forward, layers, loss, penalised)
        if one_pass
        else _two_passes(model, forward, layers, loss, penalised)
    )
    models = (forward,) if one_pass else (model, forward)
    compiled: dict[tuple, Any] = {}

    def probe(x: np.ndarray, y: np.ndarray) -> ProbeResult:
        variables = [
            ([v.value for v in m.trainable_variables], [v.value for v in m.non_trainable_variables]) for m in models
        ]
        key = (x.shape, x.dtype.str, y.shape, y.dtype.str)
        if key not in compiled:
            compiled[key] = _compile(jax.jit(step).lower(variables, x, y), options)
        data_loss, penalty, norms, data_norms, outputs = jax.device_get(compiled[key](variables, x, y))
        shown = [float(n) for n in data_norms] if penalised else None
        return ProbeResult(float(data_loss), float(penalty), [float(n) for n in norms], list(outputs), shown)

    return probe


def make_predict(model: Any, rows: int = PREDICT_ROWS) -> Any:
    """`x -> model(x)` as numpy, compiled once per architecture and input shape (the last chunk is padded).

    Eager calls compile each operation separately on a process's first fit (about 0.25 s for the bench MLP's
    held-out rows, against 0.05 s for the one program); later fits of the same architecture reuse the
    executable, as the probe does.
    """
    import jax

    options = probe_compile_options(model)

    def forward(trainable: list[Any], non_trainable: list[Any], x: Any) -> Any:
        return model.stateless_call(trainable, non_trainable, x, training=False)[0]

    def predict(x: np.ndarray) -> np.ndarray:
        variables = ([v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables])
        size = min(rows, len(x))
        parts = []
        for start in range(0, len(x), size):
            chunk = x[start : start + size]
            padded = np.concatenate([chunk, np.zeros((size - len(chunk), *x.shape[1:]), x.dtype)])
            executable = _compile(jax.jit(forward).lower(*variables, padded), options)
            parts.append(np.asarray(executable(*variables, padded))[: len(chunk)])
        return np.concatenate(parts)

    return predict


def _one_pass(forward: Any, layers: list[Any], loss: Any, penalised: bool) -> Any:
    """The step when `forward` computes `model` too: the loss from its last output."""
    import jax

    index = _kernel_index(forward, layers)

    def step(variables: list[tuple[list[Any], list[Any]]], x: Any, y: Any) -> Any:
        ((trainable, non_trainable),) = variables

        def parts(weights: list[Any]) -> Any:
            raw, _, losses = forward.stateless_call(weights, non_trainable, x, training=False, return_losses=True)
            outputs = as_list(raw)
            return (loss(y, outputs[-1]), _penalty(losses)), outputs

        (data_loss, penalty), pullback, outputs = jax.vjp(parts, trainable, has_aux=True)
        return (data_loss, penalty, *gradient_norms(pullback, (data_loss, penalty), index, penalised), outputs)

    return step


def _two_passes(model: Any, forward: Any, layers: list[Any], loss: Any, penalised: bool) -> Any:
    """The step for any other model: the gradient through `model`, the activations through `forward`."""
    import jax

    index = _kernel_index(model, layers)

    def step(variables: list[tuple[list[Any], list[Any]]], x: Any, y: Any) -> Any:
        (trainable, non_trainable), (forward_trainable, forward_non_trainable) = variables

        def parts(weights: list[Any]) -> Any:
            predicted, _, losses = model.stateless_call(weights, non_trainable, x, training=False, return_losses=True)
            return loss(y, as_list(predicted)[0]), _penalty(losses)

        (data_loss, penalty), pullback = jax.vjp(parts, trainable)
        outputs, _ = forward.stateless_call(forward_trainable, forward_non_trainable, x, training=False)
        return (data_loss, penalty, *gradient_norms(pullback, (data_loss, penalty), index, penalised), as_list(outputs))

    return step


def gradient_norms(pullback: Any, parts: tuple[Any, Any], index: list[int], penalised: bool) -> tuple[Any, Any]:
    """Per probed kernel, the norm of the gradient of data loss + penalty, and of the data loss alone (one pullback
    where the model has no weight penalty: the two are the same). Each cotangent has its part's own dtype (a
    mixed-precision model's penalty may be bfloat16 beside a float32 loss)."""
    import jax.numpy as jnp

    (data_one, penalty_one), (data_zero, penalty_zero) = (
        [jnp.ones_like(p) for p in parts],
        [jnp.zeros_like(p) for p in parts],
    )
    if not penalised:
        (grads,) = pullback((data_one, penalty_one))
        total = jnp.stack([jnp.linalg.norm(grads[i]) for i in index])
        return total, total
    (data_grads,) = pullback((data_one, penalty_zero))
    (pulls,) = pullback((data_zero, penalty_one))
    total = jnp.stack([jnp.linalg.norm(data_grads[i] + pulls[i]) for i in index])
    return total, jnp.stack([jnp.linalg.norm(data_grads[i]) for i in index])


def _penalty(losses: list[Any]) -> Any:
    import jax.numpy as jnp

    return sum(losses) if losses else jnp.float32(0.0)


def _kernel_index(model: Any, layers: list[Any]) -> list[int]:
    kernel_ids = {id(kernel_of(layer)) for layer in layers}
    return [i for i, v in enumerate(model.trainable_variables) if id(v) in kernel_ids]


def _compile(lowered: Any, options: dict[str, Any]) -> Any:
    """The executable of `lowered`, compiled once per process for each distinct program.

    The weights are arguments, so a new model of the same architecture (a script that fits
    several models, a learner's loop over learning rates) lowers to the same program text
    and reuses its executable; only the first `fit` of each architecture compiles.
    """
    import hashlib

    key = hashlib.sha256(f"{sorted(options.items())}\n{lowered.as_text()}".encode()).hexdigest()
    if key not in _EXECUTABLES:
        if len(_EXECUTABLES) >= MAX_EXECUTABLES:
            _EXECUTABLES.pop(next(iter(_EXECUTABLES)))  # the oldest
        _EXECUTABLES[key] = lowered.compile(options)
    return _EXECUTABLES[key]


def probe_compile_options(model: Any) -> dict[str, Any]:
    """Fast compiling on CPU (the probe batch is small); XLA's defaults elsewhere and for convolutions.

    Without LLVM's optimisations convolutions run many times slower on CPU (a small CNN's epoch took
    187 s instead of 23 s in `vector/program.py`'s measurements), which a probe every epoch would pay.
    """
    import jax

    from kerasdiag.training.models import has_convolutions

    return dict(PROBE_COMPILE) if jax.devices()[0].platform == "cpu" and not has_convolutions(model) else {}
