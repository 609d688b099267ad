"""fast_fit on TensorFlow: one XLA-compiled `tf.while_loop` per epoch, updating the Keras variables in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kerasdiag.training.fastfit.base import EpochTrainer, StepStats

if TYPE_CHECKING:
    import keras

    from kerasdiag.training.flags.datasets import Splits


class TfEpochTrainer(EpochTrainer):
    """TensorFlow: one XLA-compiled `tf.while_loop` per epoch that updates the Keras variables in place."""

    def __init__(self, model: keras.Model, splits: Splits, batch_size: int, seed: int):
        import tensorflow as tf

        super().__init__(model, splits, batch_size, seed)
        self.x, self.y = tf.constant(splits.x_train, tf.float32), tf.constant(splits.y_train, tf.int32)
        self.val = tuple(tf.constant(a) for a in self.val)
        self.epoch_fn = tf.function(self._epoch, jit_compile=True)
        self.eval_fn = tf.function(self._evaluate, jit_compile=True)

    def run_epoch(self) -> tuple[dict[str, float], StepStats]:
        losses, hits, norms = self.epoch_fn(self.next_order())
        return self.summarise(losses, hits, norms, *self.eval_fn(*self.val))

    def _step(self, x: Any, y: Any) -> Any:
        import tensorflow as tf

        model = self.model
        with tf.GradientTape() as tape:
            per_sample, penalty, hits = _tf_forward(model, x, y, training=True)
            loss = tf.reduce_mean(per_sample) + penalty
        grads = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply(grads, model.trainable_variables)
        norms = tf.stack([tf.norm(grads[i]) for i in self.kernel_index])
        return loss, tf.reduce_sum(tf.cast(hits, tf.int32)), norms

    def _epoch(self, order: Any) -> Any:
        import tensorflow as tf

        full = self.n // self.batch_size
        batches = tf.reshape(order[: full * self.batch_size], (full, self.batch_size))
        arrays = [tf.TensorArray(dtype, size=full) for dtype in (tf.float32, tf.int32, tf.float32)]

        def body(i: Any, *arrays: Any) -> Any:
            outputs = self._step(tf.gather(self.x, batches[i]), tf.gather(self.y, batches[i]))
            return (i + 1, *(a.write(i, o) for a, o in zip(arrays, outputs)))

        _, *arrays = tf.while_loop(lambda i, *_: i < full, body, (tf.constant(0), *arrays))
        stacked = [a.stack() for a in arrays]
        if self.n % self.batch_size:
            tail = order[full * self.batch_size :]
            outputs = self._step(tf.gather(self.x, tail), tf.gather(self.y, tail))
            stacked = [tf.concat([s, o[None]], 0) for s, o in zip(stacked, outputs)]
        return tuple(stacked)

    def _evaluate(self, xs: Any, ys: Any, masks: Any) -> Any:
        import tensorflow as tf

        def body(i: Any, loss_sum: Any, hit_sum: Any, penalty: Any) -> Any:
            per_sample, penalty, hits = _tf_forward(self.model, xs[i], ys[i], training=False)
            mask = masks[i]
            hits = tf.reduce_sum(tf.cast(hits, tf.float32) * mask)
            return i + 1, loss_sum + tf.reduce_sum(per_sample * mask), hit_sum + hits, penalty

        start = (tf.constant(0), tf.constant(0.0), tf.constant(0.0), tf.constant(0.0))
        _, loss_sum, hit_sum, penalty = tf.while_loop(lambda i, *_: i < tf.shape(xs)[0], body, start)
        count = tf.reduce_sum(masks)
        return loss_sum / count + penalty, hit_sum / count


def _tf_forward(model: Any, x: Any, y: Any, training: bool) -> Any:
    import keras
    import tensorflow as tf

    probs = model(x, training=training)
    per_sample = keras.losses.sparse_categorical_crossentropy(y, probs)
    penalty = tf.add_n([tf.reduce_sum(p) for p in model.losses]) if model.losses else tf.constant(0.0)
    hits = tf.equal(tf.argmax(probs, axis=-1, output_type=tf.int32), y)
    return per_sample, penalty, hits
