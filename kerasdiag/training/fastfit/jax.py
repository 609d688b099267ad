"""fast_fit on JAX: one `jax.jit`-ted `lax.scan` per epoch over `stateless_call` and `stateless_apply`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from kerasdiag.training.fastfit.base import EpochTrainer, StepStats

if TYPE_CHECKING:
    import keras

    from kerasdiag.training.flags.datasets import Splits


class JaxEpochTrainer(EpochTrainer):
    """JAX: the compiled epoch and evaluation, state passed in and out and assigned back each epoch."""

    def __init__(self, model: keras.Model, splits: Splits, batch_size: int, seed: int):
        import jax.numpy as jnp

        super().__init__(model, splits, batch_size, seed)
        self.x, self.y = jnp.asarray(splits.x_train, jnp.float32), jnp.asarray(splits.y_train, jnp.int32)
        self.val = tuple(jnp.asarray(a) for a in self.val)
        self.epoch_fn, self.eval_fn = self._compile()

    def _compile(self) -> tuple[Any, Any]:
        """Trace both programs here, then let XLA compile them side by side (compiling releases the GIL)."""
        import jax.numpy as jnp

        state = self.state()
        epoch = _epoch_program(self.model, self.n, self.batch_size, self.kernel_index)
        lowered = [
            epoch.lower(state, self.x, self.y, jnp.arange(self.n, dtype=jnp.int32)),  # shapes only
            _eval_program(self.model).lower(state[0], state[1], *self.val),
        ]
        with ThreadPoolExecutor(len(lowered)) as pool:
            epoch_fn, eval_fn = pool.map(lambda program: program.compile(), lowered)
        return epoch_fn, eval_fn

    def state(self) -> tuple[list[Any], list[Any], list[Any]]:
        model = self.model
        return (
            [v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables],
            [v.value for v in model.optimizer.variables],
        )

    def run_epoch(self) -> tuple[dict[str, float], StepStats]:
        state, losses, hits, norms = self.epoch_fn(self.state(), self.x, self.y, self.next_order())
        val_loss, val_accuracy = self.eval_fn(state[0], state[1], *self.val)
        self._assign(state)
        return self.summarise(losses, hits, norms, val_loss, val_accuracy)

    def _assign(self, state: tuple[list[Any], list[Any], list[Any]]) -> None:
        model = self.model
        variables = (model.trainable_variables, model.non_trainable_variables, model.optimizer.variables)
        for refs, values in zip(variables, state):
            for ref, value in zip(refs, values):
                ref.assign(value)


def _forward(model: Any, trainable: Any, non_trainable: Any, x: Any, y: Any, training: bool) -> Any:
    """Per-sample losses, the summed penalties, per-sample hits and the new non-trainable state."""
    import jax.numpy as jnp
    import keras

    probs, non_trainable, penalties = model.stateless_call(
        trainable, non_trainable, x, training=training, return_losses=True
    )
    per_sample = keras.losses.sparse_categorical_crossentropy(y, probs)
    penalty = sum(jnp.sum(p) for p in penalties) if penalties else jnp.float32(0.0)
    hits = jnp.argmax(probs, axis=-1) == y
    return per_sample, penalty, hits, non_trainable


def _epoch_program(model: Any, n: int, batch_size: int, kernel_index: list[int]) -> Any:
    import jax
    import jax.numpy as jnp

    full, rest = divmod(n, batch_size)

    def loss_fn(trainable: Any, non_trainable: Any, x: Any, y: Any) -> Any:
        per_sample, penalty, hits, non_trainable = _forward(model, trainable, non_trainable, x, y, training=True)
        return jnp.mean(per_sample) + penalty, (non_trainable, jnp.sum(hits))

    def step(state: Any, x: Any, y: Any) -> Any:
        trainable, non_trainable, optimizer_vars = state
        (loss, (non_trainable, hits)), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable, non_trainable, x, y)
        trainable, optimizer_vars = model.optimizer.stateless_apply(optimizer_vars, grads, trainable)
        norms = jnp.stack([jnp.linalg.norm(grads[i]) for i in kernel_index])
        return (trainable, non_trainable, optimizer_vars), (loss, hits, norms)

    @jax.jit
    def epoch(state: Any, x: Any, y: Any, order: Any) -> Any:
        batches = order[: full * batch_size].reshape(full, batch_size)
        state, (losses, hits, norms) = jax.lax.scan(lambda s, idx: step(s, x[idx], y[idx]), state, batches)
        if rest:
            tail = order[full * batch_size :]
            state, (loss, hit, norm) = step(state, x[tail], y[tail])
            losses, hits = jnp.append(losses, loss), jnp.append(hits, hit)
            norms = jnp.concatenate([norms, norm[None]])
        return state, losses, hits, norms

    return epoch


def _eval_program(model: Any) -> Any:
    import jax
    import jax.numpy as jnp

    @jax.jit
    def evaluate(trainable: Any, non_trainable: Any, xs: Any, ys: Any, masks: Any) -> Any:
        def batch(carry: Any, data: Any) -> Any:
            x, y, mask = data
            per_sample, penalty, hits, _ = _forward(model, trainable, non_trainable, x, y, training=False)
            return carry, (jnp.sum(per_sample * mask), jnp.sum(hits * mask), penalty)

        _, (loss_sums, hit_sums, penalties) = jax.lax.scan(batch, 0, (xs, ys, masks))
        count = jnp.sum(masks)
        return jnp.sum(loss_sums) / count + penalties[0], jnp.sum(hit_sums) / count

    return evaluate
