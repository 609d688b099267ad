"""Many runs of one architecture as one compiled JAX program: `jax.vmap` over members inside `lax.scan`.

Each member has its own stacked parameters, optimizer state (the learning rate is an optimizer
variable, so it differs per member for free), batch-norm and dropout-seed state, data (the seed
picks the validation split), shuffle order, and L1/L2 strengths (traced arrays: the penalties are
computed here, not by the Keras regularizers). One call trains a chunk of epochs for every
member and returns, per member and epoch, what `ProbeCallback` and `RunLogger` record: the
batch losses, the per-step gradient norms, the validation metrics and the probes on the probe
batch (gradient, weight and update norms, dead/saturated units, threshold margins), plus the
kernels for the weight histograms. The lowest-validation-loss weights are kept inside the program.
Only `training/vector/` imports this (it imports jax and keras lazily). The probe batch and margins are
`rundir.schema`'s, as `ProbeCallback`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.rundir.schema import NEAR_MARGIN, PROBE_BATCH, SATURATING, SATURATION_MARGIN


@dataclass
class Layout:
    """Where things sit in the template model's variable lists (identical for every member)."""

    kernels: list[int]  # trainable index of each probed kernel
    penalised: list[int]  # trainable index of each kernel with an L1/L2 penalty
    watched: list[str]  # activation of each watched (relu/sigmoid/tanh hidden) probed layer
    trainable_perm: list[int]  # the forward model's trainable variables, as template indices
    non_trainable_perm: list[int]


def layout(template: Any, forward: Any, watched: list[str], penalised_layers: set[str]) -> Layout:
    from kerasdiag.training.models import probed_layers

    trainable = {id(v): i for i, v in enumerate(template.trainable_variables)}
    non_trainable = {id(v): i for i, v in enumerate(template.non_trainable_variables)}
    layers = probed_layers(template)
    return Layout(
        kernels=[trainable[id(layer.kernel)] for layer in layers],
        penalised=[trainable[id(layer.kernel)] for layer in layers if layer.name in penalised_layers],
        watched=watched,
        trainable_perm=[trainable[id(v)] for v in forward.trainable_variables],
        non_trainable_perm=[non_trainable[id(v)] for v in forward.non_trainable_variables],
    )


def chunk_program(template: Any, forward: Any, where: Layout, n: int, batch_size: int) -> Any:
    """The jitted `chunk(carry, hp, data_index, orders, x, y, val_x, val_y, val_mask)`.

    `carry`, `hp` (`(l1, l2)`), `data_index` and `orders` (`(members, epochs, n)`) have a leading member axis;
    the data arrays have a leading axis over distinct data sets (`data_index` picks one per member).
    """
    import jax

    epoch = _epoch_fn(template, forward, where, n, batch_size)

    def member(carry: Any, hp: Any, d: Any, orders: Any, x: Any, y: Any, vx: Any, vy: Any, vm: Any) -> Any:
        data = (x[d], y[d], vx[d], vy[d], vm[d])
        return jax.lax.scan(lambda c, order: epoch(c, hp, data, order), carry, orders)

    return jax.jit(jax.vmap(member, in_axes=(0, 0, 0, 0, None, None, None, None, None)))


def _penalty(trainable: list[Any], where: Layout, hp: Any) -> Any:
    import jax.numpy as jnp

    l1, l2 = hp
    total = jnp.float32(0.0)
    for i in where.penalised:
        total = total + l1 * jnp.sum(jnp.abs(trainable[i])) + l2 * jnp.sum(jnp.square(trainable[i]))
    return total


def _forward(template: Any, trainable: Any, non_trainable: Any, x: Any, y: Any, training: bool) -> Any:
    import jax.numpy as jnp
    import keras

    probs, non_trainable = template.stateless_call(trainable, non_trainable, x, training=training)
    per_sample = keras.losses.sparse_categorical_crossentropy(y, probs)
    return per_sample, jnp.argmax(probs, axis=-1) == y, non_trainable


def _epoch_fn(template: Any, forward: Any, where: Layout, n: int, batch_size: int) -> Any:
    import jax
    import jax.numpy as jnp

    full, rest = divmod(n, batch_size)

    def loss_fn(trainable: Any, non_trainable: Any, x: Any, y: Any, hp: Any) -> Any:
        per_sample, hits, non_trainable = _forward(template, trainable, non_trainable, x, y, training=True)
        return jnp.mean(per_sample) + _penalty(trainable, where, hp), (non_trainable, jnp.sum(hits))

    def step(state: Any, x: Any, y: Any, hp: Any) -> Any:
        trainable, non_trainable, optimizer_vars = state
        grad_fn = jax.value_and_grad(loss_fn, has_aux=True)
        (loss, (non_trainable, hits)), grads = grad_fn(trainable, non_trainable, x, y, hp)
        trainable, optimizer_vars = template.optimizer.stateless_apply(optimizer_vars, grads, trainable)
        norms = jnp.stack([jnp.linalg.norm(grads[i]) for i in where.kernels])
        return (trainable, non_trainable, optimizer_vars), (loss, hits, norms)

    def epoch(carry: Any, hp: Any, data: Any, order: Any) -> Any:
        state, best = carry
        x, y, vx, vy, vm = data
        start = [state[0][i] for i in where.kernels]
        batches = order[: full * batch_size].reshape(full, batch_size)
        state, (losses, hits, norms) = jax.lax.scan(lambda s, idx: step(s, x[idx], y[idx], hp), state, batches)
        if rest:
            tail = order[full * batch_size :]
            state, (loss, hit, norm) = step(state, x[tail], y[tail], hp)
            losses, hits = jnp.append(losses, loss), jnp.append(hits, hit)
            norms = jnp.concatenate([norms, norm[None]])
        val_loss, val_acc = _evaluate(template, state, vx, vy, vm, where, hp)
        probes = _probe(template, forward, where, state, start, x[:PROBE_BATCH], y[:PROBE_BATCH], hp)
        improved = jnp.isfinite(val_loss) & (val_loss < best[0])
        best = jax.tree_util.tree_map(
            lambda new, old: jnp.where(improved, new, old), (val_loss, state[0], state[1]), best
        )
        return (state, best), (losses, hits, norms, val_loss, val_acc, probes)

    return epoch


def _evaluate(template: Any, state: Any, xs: Any, ys: Any, masks: Any, where: Layout, hp: Any) -> Any:
    import jax
    import jax.numpy as jnp

    def batch(carry: Any, data: Any) -> Any:
        x, y, mask = data
        per_sample, hits, _ = _forward(template, state[0], state[1], x, y, training=False)
        return carry, (jnp.sum(per_sample * mask), jnp.sum(hits * mask))

    _, (loss_sums, hit_sums) = jax.lax.scan(batch, 0, (xs, ys, masks))
    count = jnp.sum(masks)
    return jnp.sum(loss_sums) / count + _penalty(state[0], where, hp), jnp.sum(hit_sums) / count


def _probe(template: Any, forward: Any, where: Layout, state: Any, start: Any, x: Any, y: Any, hp: Any) -> Any:
    """What `ProbeCallback.measure` records, on the probe batch, in inference mode."""
    import jax
    import jax.numpy as jnp
    import keras

    from kerasdiag.training.backends.jax import gradient_norms

    trainable, non_trainable, _ = state

    def parts(weights: Any) -> Any:
        probs, _ = template.stateless_call(weights, non_trainable, x, training=False)
        data_loss = jnp.mean(keras.losses.sparse_categorical_crossentropy(y, probs))
        return data_loss, _penalty(weights, where, hp)

    (data_loss, penalty), pullback = jax.vjp(parts, trainable)
    grad_norms, data_grad_norms = gradient_norms(pullback, (data_loss, penalty), list(where.kernels), penalised=True)
    kernels = [trainable[i] for i in where.kernels]
    outputs, _ = forward.stateless_call(
        [trainable[i] for i in where.trainable_perm], [non_trainable[i] for i in where.non_trainable_perm], x
    )
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return {
        "grad_norm": grad_norms,
        "data_grad_norm": data_grad_norms,
        "weight_norm": jnp.stack([jnp.linalg.norm(k) for k in kernels]),
        "update_ratio": jnp.stack(
            [jnp.linalg.norm(k - s) / jnp.maximum(jnp.linalg.norm(s), 1e-12) for k, s in zip(kernels, start)]
        ),
        "activation": jnp.stack([_activation_stat(a, o) for a, o in zip(where.watched, outputs[:-1])] or [0.0]),
        "extra": jnp.stack([data_loss, penalty, *_margins(outputs[-1], y)]),
        "kernels": kernels,
    }


def _activation_stat(activation: str, values: Any) -> Any:
    """As `probe.activation_stats`: the saturated share (sigmoid/tanh) or the dead-unit share (relu)."""
    import jax.numpy as jnp

    flat = values.reshape(values.shape[0], -1)
    if activation in SATURATING:
        low, high = SATURATING[activation]
        return jnp.mean((flat <= low + SATURATION_MARGIN) | (flat >= high - SATURATION_MARGIN))
    return jnp.mean(jnp.all(flat <= 0.0, axis=0))


def _margins(probs: Any, y: Any) -> list[Any]:
    """As `probe.threshold_margins`: wrong, near-miss and mean p(true) on the probe samples."""
    import jax.numpy as jnp

    p_true = jnp.take_along_axis(probs, y[:, None], axis=1)[:, 0]
    wrong = jnp.argmax(probs, axis=1) != y
    near = wrong & (jnp.max(probs, axis=1) - p_true <= NEAR_MARGIN)
    return [jnp.sum(wrong).astype(jnp.float32), jnp.sum(near).astype(jnp.float32), jnp.mean(p_true)]


def stack(trees: list[Any]) -> Any:
    """Stack a list of identical pytrees of arrays along a new leading (member) axis, as NumPy arrays.

    On the host: `jnp.stack` would compile a small XLA program for every new shape and member count.
    """
    import jax

    return jax.tree_util.tree_map(lambda *leaves: np.stack([np.asarray(leaf) for leaf in leaves]), *trees)


def to_host(tree: Any) -> Any:
    """A pytree of device arrays as NumPy arrays, in one transfer."""
    import jax

    return jax.tree_util.tree_map(np.asarray, jax.device_get(tree))


def member_slice(tree: Any, index: int) -> Any:
    """One member's part of a stacked pytree, as NumPy arrays (index host arrays: see `to_host`).

    Indexing a device array compiles a gather for every new shape; a host array is sliced for free.
    """
    import jax

    return jax.tree_util.tree_map(lambda leaf: np.asarray(leaf)[index], tree)
