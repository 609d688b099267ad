"""train_group(): several runs of one architecture trained together, each writing its own run directory.

Members may differ in seed (so in initial weights, validation split, shuffle order and dropout
masks), learning rate, L1 and L2; everything else (architecture, optimizer kind, momentum, weight
decay, dropout rate, batch size, epochs) must agree: `group_key` says which configs can share a
program. The compiled program (`fastfit/vector.py`) trains a chunk of epochs for every member at
once; between chunks each member's epochs go through its own `RunLogger` (history.jsonl,
TensorBoard, the in-memory RunRecord), exactly as a sequential run writes them. Each member then
saves its predictions and is diagnosed like `train()` does. `VectorFallback` (raised before any
run directory exists) says why a group cannot be vectorised; the caller then trains sequentially.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.writer import now
from kerasdiag.training import datasets
from kerasdiag.training.run import TrainResult, held_out, run_stem
from kerasdiag.training.session import RunSession
from kerasdiag.training.signals import interrupt_on_termination

# Fields that may differ between members of one compiled program; all others must agree.
MEMBER_FIELDS = ("seed", "lr", "l1", "l2", "name", "logdir")
CHUNK_STEPS = 2000  # about this many optimizer steps per compiled call, then the host logs the chunk
# Below this many parameters XLA's LLVM optimisations cost more (about 2 s of a 4.5 s compile on 2 CPU cores,
# Iris MLP) than they save over a whole run.
TINY_PARAMS = 20_000


class VectorFallback(Exception):
    """Why a group of runs cannot train as one program (one phrase); nothing was written."""


def group_key(config: RunConfig) -> str:
    """Configs with the same key can train together (the L1/L2 switch matters: it adds regularizers)."""
    fixed = {k: v for k, v in config.to_dict().items() if k not in MEMBER_FIELDS}
    return json.dumps(fixed, sort_keys=True)


def chunk_epochs(epochs: int, steps: int) -> int:
    """The largest divisor of `epochs` with at most CHUNK_STEPS steps (one program shape for every chunk)."""
    fits = [d for d in range(1, epochs + 1) if epochs % d == 0 and d * steps <= CHUNK_STEPS]
    return max(fits, default=1)


@dataclass
class _Member:
    config: RunConfig
    splits: datasets.Splits
    model: Any
    session: Any = None
    order: Any = None
    active: bool = True


def train_group(configs: list[RunConfig], splits: list[datasets.Splits]) -> list[TrainResult]:
    """Train `configs` (one `group_key`, JAX backend) as one compiled program; one TrainResult each.

    Raises:
        VectorFallback: Before writing anything, when the group cannot share one program.
    """
    from kerasdiag.training.backends.select import keep_tensorflow_unloaded, select_backend

    for config in configs:
        config.validate()
    select_backend(configs[0].backend)
    import keras

    keep_tensorflow_unloaded()
    reason = _refusal(configs, splits)
    if reason:
        raise VectorFallback(reason)
    members = [_Member(c, s, _build(c, s)) for c, s in zip(configs, splits)]
    reason = _model_refusal(members)
    if reason:
        raise VectorFallback(reason)
    started = time.perf_counter()
    for member in members:
        _open(member, keras, len(members))
    try:
        with interrupt_on_termination():
            final, best = _train(members)
    except KeyboardInterrupt:
        final, best = None, None
        for member in members:
            member.session.status = RunStatus.INTERRUPTED
            member.session.run.write_meta(status=RunStatus.INTERRUPTED, ended=now())
    except Exception as exc:
        for member in members:
            member.session.fail(exc)
            member.session.close()
        raise
    share = (time.perf_counter() - started) / len(members)
    return [_finish(m, i, final, best, share) for i, m in enumerate(members)]


def _refusal(configs: list[RunConfig], splits: list[datasets.Splits]) -> str:
    import keras

    if keras.backend.backend() != "jax":
        return f"vectorised runs need --backend jax (received: {keras.backend.backend()})"
    if any(c.fit_mode == "keras" for c in configs):
        return "--fit-mode keras"
    if len({group_key(c) for c in configs}) > 1:
        return "the runs differ in more than seed, --lr, --l1 and --l2"
    shapes = {(s.x_train.shape, s.x_val.shape, s.num_classes) for s in splits}
    if len(shapes) > 1:
        return "the runs' data differ in shape"
    from kerasdiag.training.fastfit.loop import DEVICE_FRACTION, _data_bytes, _device_bytes

    needed = sum(_data_bytes(s) for s in {id(s): s for s in splits}.values()) + 4 * len(configs) * 2**20
    if needed > _device_bytes() * DEVICE_FRACTION:
        return f"{len(configs)} runs' data ({needed / 2**20:.0f} MiB) exceed the device memory share"
    return ""


def _build(config: RunConfig, splits: datasets.Splits) -> Any:
    from kerasdiag.training.models import build_model

    model = build_model(config, splits.x_train.shape[1:], splits.num_classes)
    model.optimizer.build(model.trainable_variables)
    return model


def _model_refusal(members: list[_Member]) -> str:
    from kerasdiag.training.fastfit.loop import fast_fit_supported

    ok, reason = fast_fit_supported(members[0].model, members[0].config, members[0].splits)
    if not ok:
        return reason
    shapes = {tuple(tuple(v.shape) for v in m.model.variables + m.model.optimizer.variables) for m in members}
    return "" if len(shapes) == 1 else "the runs' models differ in shape"


def _open(member: _Member, keras: Any, size: int) -> None:
    """The member's run directory and session, as `train()` opens them."""
    config = member.config
    record = RunRecord(path="", source="kerasdiag", config=config.to_dict(), data=member.splits.summary())
    member.session = RunSession.start(config.logdir, run_stem(config), record)
    member.session.describe_model(member.model)
    reason = f"compiled whole epochs, vectorised: {size} runs in one program"
    member.session.run.write_meta(fit={"path": "fast", "reason": reason})
    member.session.status = RunStatus.COMPLETED
    member.order = np.random.default_rng(config.seed)


def _train(members: list[_Member]) -> tuple[Any, Any]:
    """Every chunk of epochs in one call, then each member's epochs through its logger."""
    import jax
    import jax.numpy as jnp

    from kerasdiag.training.fastfit.vector import member_slice
    from kerasdiag.training.vector_log import MemberLog

    plan = _Plan(members[0])
    logs = [MemberLog(m.model, m.session, plan, m.config.probe_every) for m in members]
    program, carry, inputs = _compile(members, logs[0], plan)
    for start in range(0, plan.epochs, plan.chunk):
        orders = np.stack([[m.order.permutation(plan.total)[: plan.n] for _ in range(plan.chunk)] for m in members])
        began = time.perf_counter()
        carry, out = program(carry, inputs[0], inputs[1], jnp.asarray(orders, jnp.int32), *inputs[2])
        out = jax.device_get(out)
        seconds = (time.perf_counter() - began) / plan.chunk / len(members)
        for k, (member, log) in enumerate(zip(members, logs)):
            member.active = member.active and log.write_chunk(start, member_slice(out, k), seconds)
        if not any(m.active for m in members):
            break
    return carry[0], carry[1]


def _compile(members: list[_Member], log: Any, plan: _Plan) -> tuple[Any, Any, Any]:
    """The compiled chunk program, the stacked starting state and the fixed inputs (L1/L2, data index, data)."""
    import jax
    import jax.numpy as jnp

    from kerasdiag.training.fastfit import vector

    template = members[0].model
    forward, watched = log.forward_model(template)
    penalised = {layer.name for m in members for layer in m.model.layers if getattr(layer, "kernel_regularizer", 0)}
    where = vector.layout(template, forward, watched, penalised)
    program = vector.chunk_program(template, forward, where, plan.n, plan.batch_size)
    data, index = _stacked_data(members)
    hp = (jnp.asarray([m.config.l1 for m in members], jnp.float32), jnp.asarray([m.config.l2 for m in members]))
    states = [_state(m.model) for m in members]
    carry = vector.stack([(s, (jnp.float32(jnp.inf), s[0], s[1])) for s in states])
    shape = jax.ShapeDtypeStruct((len(members), plan.chunk, plan.n), jnp.int32)
    options = {"xla_backend_optimization_level": 0} if template.count_params() < TINY_PARAMS else {}
    return program.lower(carry, hp, index, shape, *data).compile(options), carry, (hp, index, data)


class _Plan:
    """Batches per epoch, as `EpochTrainer` plans them (honours KERAS_MAX_STEPS_PER_EPOCH / MAX_EPOCHS)."""

    def __init__(self, member: _Member):
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


def _state(model: Any) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in model.optimizer.variables],
    )


def _stacked_data(members: list[_Member]) -> tuple[tuple[Any, ...], Any]:
    """The distinct data sets stacked (x, y, val x, val y, val mask) and each member's index into them."""
    import jax.numpy as jnp

    from kerasdiag.training.fastfit.base import eval_batches

    distinct: dict[int, int] = {}
    for member in members:
        distinct.setdefault(id(member.splits), len(distinct))
    sets = list({id(m.splits): m.splits for m in members}.values())
    arrays = [(s.x_train.astype(np.float32), s.y_train.astype(np.int32), *eval_batches(s.x_val, s.y_val)) for s in sets]
    data = tuple(jnp.asarray(np.stack(column)) for column in zip(*arrays))
    return data, jnp.asarray([distinct[id(m.splits)] for m in members], jnp.int32)


def _assign(model: Any, trainable: list[Any], non_trainable: list[Any]) -> None:
    for refs, values in ((model.trainable_variables, trainable), (model.non_trainable_variables, non_trainable)):
        for ref, value in zip(refs, values):
            ref.assign(value)


def _finish(member: _Member, k: int, final: Any, best: Any, share: float) -> TrainResult:
    """Final and best weights into the member's model; predictions, status and diagnosis as `train()` writes."""
    from kerasdiag.training.callbacks.best_weights import BestWeights
    from kerasdiag.training.fastfit.vector import member_slice

    session, model = member.session, member.model
    session.best = BestWeights()
    try:
        if final is not None:
            trainable, non_trainable, optimizer_vars = member_slice(final, k)
            best_value, best_trainable, best_non_trainable = member_slice(best, k)
            if math.isfinite(float(best_value)):
                _assign(model, best_trainable, best_non_trainable)
                session.best.weights = model.get_weights()
                session.best.value = float(best_value)
                session.best.epoch = _best_epoch(session.record)
            _assign(model, trainable, non_trainable)
            for ref, value in zip(model.optimizer.variables, optimizer_vars):
                ref.assign(value)
        if session.logger is not None and session.logger.diverged:
            session.status = RunStatus.DIVERGED
        session.save_predictions(model, held_out(member.splits))
        diagnosis = session.finish()
    finally:
        session.close()
    return TrainResult(session.run.path, session.status, session.record, diagnosis, share, session.best_epoch)


def _best_epoch(record: RunRecord) -> int | None:
    values = [
        (e.metrics["val_loss"], e.epoch) for e in record.epochs if math.isfinite(e.metrics.get("val_loss", math.nan))
    ]
    return min(values)[1] if values else None
