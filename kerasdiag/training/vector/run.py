"""train_group(): several runs of one architecture trained together, each writing its own run directory.

Members may differ in seed (so in initial weights, validation split, shuffle order and dropout
masks), learning rate, L1 and L2; everything else (architecture, optimizer kind, momentum, weight
decay, dropout rate, batch size, epochs) must agree: `group_key` says which configs can share a
program. The compiled program (`vector/chunk.py`) trains a chunk of epochs for every member at
once; while the next chunk computes, each member's epochs of the last one go through its own
`RunLogger` (history.jsonl, TensorBoard, the in-memory RunRecord), exactly as a sequential run
writes them. Stacking and slicing the members' state happen on the host (NumPy), so nothing but
the program itself is compiled for a new group size. Each member then
saves its predictions and is diagnosed like `train()` does. `VectorFallback` (raised before any
run directory exists) says why a group cannot be vectorised; the caller then trains sequentially.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.engine import static_checks
from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.messages import in_language, text
from kerasdiag.messages.said import Said
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.writer import now
from kerasdiag.training.flags import datasets
from kerasdiag.training.session import RunSession, TrainResult, held_out, named, run_stem, training_failure
from kerasdiag.training.signals import interrupt_on_termination, interrupts_deferred
from kerasdiag.training.vector.program import Plan, chunk_epochs, compile_group, fit_meta

__all__ = ["VectorFallback", "chunk_epochs", "group_key", "train_group"]

# Fields that may differ between members of one compiled program; all others must agree.
MEMBER_FIELDS = ("seed", "lr", "l1", "l2", "name", "logdir")


class VectorFallback(Exception):
    """Why a group of runs cannot train as one program (one phrase, `str(exc)` in English); nothing was written."""

    def get(self, lang: str) -> str:
        """The reason in `lang`."""
        return in_language(self.args[0], lang) if self.args else ""


def group_key(config: RunConfig) -> str:
    """Configs with the same key can train together (the L1/L2 switch matters: it adds regularizers)."""
    fixed = {k: v for k, v in config.to_dict().items() if k not in MEMBER_FIELDS}
    return json.dumps(fixed, sort_keys=True)


@dataclass
class _Member:
    config: RunConfig
    splits: datasets.Splits
    model: Any
    session: Any = None
    order: Any = None
    active: bool = True


def train_group(
    configs: list[RunConfig],
    splits: list[datasets.Splits],
    *,
    progress_console: Any = None,
    on_static: Callable[[Diagnosis], None] | None = None,
    lang: str = "en",
) -> list[TrainResult]:
    """Train `configs` (one `group_key`, JAX backend) as one compiled program; one TrainResult each.

    A single config trains the same way (one member): `train()` sends JAX runs here.

    Args:
        configs: The members' flags.
        splits: Each member's data (members may share one `Splits`).
        progress_console: A Rich console for an epoch bar (drawn for a one-member group), or `None`.
        on_static: Called with each member's static-check diagnosis before the first epoch.
        lang: Language of the epoch bar's title. Defaults to `"en"`.

    Returns:
        One TrainResult per member; a member that failed once its run directory existed (the program raised, or
        its own predictions or files could not be written) has status `failed` and `failure` says why.

    Raises:
        VectorFallback: Before writing anything, when the group cannot share one program.
        KerasdiagError: When a member's run directory cannot be made (those already made are marked failed).
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
    try:
        members = [_Member(c, s, _build(c, s)) for c, s in zip(configs, splits)]
    except Exception as exc:  # sequential training builds it again and records the failure in its run directory
        raise VectorFallback(Said("training.vector.build", kind=type(exc).__name__)) from exc
    reason = _model_refusal(members)
    if reason:
        raise VectorFallback(reason)
    started = time.perf_counter()
    plan = Plan(members[0])
    opened: list[_Member] = []
    try:
        for member in members:
            _open(member, keras, len(members), plan)
            opened.append(member)
            member.session.lang = lang
            if on_static is not None:
                on_static(named(static_checks(member.session.record), member.session.run))
        with interrupt_on_termination():
            final, best = _train(members, plan, progress_console if len(members) == 1 else None, lang)
    except KeyboardInterrupt:  # the models keep the state of the last chunk whose epochs were all logged
        if len(opened) < len(members):
            _abandon(opened)
            raise
        final, best = plan.reached if plan.reached is not None else (None, None)
        for member in members:
            member.session.status = RunStatus.INTERRUPTED
            member.session.run.write_meta(status=RunStatus.INTERRUPTED, ended=now())
    except Exception as exc:  # every member that has a run directory is marked failed and diagnosed
        share = (time.perf_counter() - started) / len(members)
        results = [_failed(m, exc, share) for m in opened]
        if len(opened) < len(members):  # a member's folder could not be made: the error is the group's
            raise training_failure(exc, opened[-1].session.run.path if opened else Path(configs[0].logdir)) from exc
        return results
    share = (time.perf_counter() - started) / len(members)
    final, best = _host(final), _host(best)
    return [_finish(m, i, final, best, share) for i, m in enumerate(members)]


def _abandon(opened: list[_Member]) -> None:
    """Ctrl-C before every member had its folder: those that had one are kept, marked interrupted."""
    for member in opened:
        with contextlib.suppress(Exception):
            member.session.interrupt()
            member.session.finish()
        member.session.close()


def _failed(member: _Member, exc: BaseException, share: float) -> TrainResult:
    """The member marked failed with `exc` and diagnosed, as a TrainResult carrying the one-line failure."""
    session = member.session
    diagnosis = session.abort(exc)
    failure = training_failure(exc, session.run.path)
    return TrainResult(session.run.path, session.status, session.record, diagnosis, share, session.best_epoch, failure)


def _refusal(configs: list[RunConfig], splits: list[datasets.Splits]) -> str:
    import keras

    if keras.backend.backend() != "jax":
        return Said("training.vector.backend", backend=keras.backend.backend())
    if any(c.fit_mode == "keras" for c in configs):
        return Said("training.fast.fit_mode_keras")
    if len({group_key(c) for c in configs}) > 1:
        return Said("training.vector.differ")
    shapes = {(s.x_train.shape, s.x_val.shape, s.num_classes) for s in splits}
    if len(shapes) > 1:
        return Said("training.vector.data_shapes")
    from kerasdiag.training.fastfit.loop import DEVICE_FRACTION, _data_bytes, _device_bytes

    needed = sum(_data_bytes(s) for s in {id(s): s for s in splits}.values()) + 4 * len(configs) * 2**20
    if needed > _device_bytes() * DEVICE_FRACTION:
        return Said("training.vector.memory", runs=len(configs), needed=f"{needed / 2**20:.0f}")
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
    return "" if len(shapes) == 1 else Said("training.vector.model_shapes")


def _open(member: _Member, keras: Any, size: int, plan: Plan) -> None:
    """The member's run directory and session, as `train()` opens them."""
    config = member.config
    record = RunRecord(path="", source="kerasdiag", config=config.to_dict(), data=member.splits.summary())
    member.session = RunSession.start(config.logdir, run_stem(config), record)
    member.session.describe_model(member.model)
    member.session.run.write_meta(fit=fit_meta(size, plan.chunk))
    member.session.status = RunStatus.COMPLETED
    member.order = np.random.default_rng(config.seed)


def _train(members: list[_Member], plan: Plan, console: Any, lang: str = "en") -> tuple[Any, Any]:
    """Every chunk of epochs in one call, then each member's epochs through its logger."""
    from kerasdiag.training.vector.log import MemberLog

    logs = [MemberLog(m.model, m.session, plan, m.config.probe_every) for m in members]
    if console is not None:
        logs[0].show_progress(console, text("training.progress", lang))
    try:
        return _chunks(members, logs, plan)
    finally:
        for log in logs:
            log.end()


def _chunks(members: list[_Member], logs: list[Any], plan: Plan) -> tuple[Any, Any]:
    """Each chunk is launched before the previous one is logged: the device computes while the host writes."""
    import jax

    from kerasdiag.training.vector.chunk import member_slice

    program, carry, inputs = compile_group(members, logs[0], plan)

    def launch(state: Any) -> Any:
        orders = [[m.order.permutation(plan.total)[: plan.n] for _ in range(plan.chunk)] for m in members]
        return program(state, inputs[0], inputs[1], jax.device_put(np.asarray(orders, np.int32)), *inputs[2])

    starts = range(0, plan.epochs, plan.chunk)
    pending, last = launch(carry), time.perf_counter()
    for i, start in enumerate(starts):
        reached, out = pending
        if i + 1 < len(starts):
            pending = launch(reached)  # asynchronous: runs while this chunk is logged
        out = jax.device_get(out)
        seconds, last = (time.perf_counter() - last) / plan.chunk / len(members), time.perf_counter()
        with interrupts_deferred():  # every member logs the chunk, and its weights are the ones kept, or none
            for k, (member, log) in enumerate(zip(members, logs)):
                member.active = member.active and log.write_chunk(start, member_slice(out, k), seconds)
            carry = plan.reached = (reached[0], reached[1])
        if not any(m.active for m in members):
            break
    return carry[0], carry[1]


def _host(tree: Any) -> Any:
    from kerasdiag.training.vector.chunk import to_host

    return None if tree is None else to_host(tree)


def _assign(model: Any, trainable: list[Any], non_trainable: list[Any]) -> None:
    for refs, values in ((model.trainable_variables, trainable), (model.non_trainable_variables, non_trainable)):
        for ref, value in zip(refs, values):
            ref.assign(value)


def _finish(member: _Member, k: int, final: Any, best: Any, share: float) -> TrainResult:
    """Final and best weights into the member's model; predictions, status and diagnosis as `train()` writes.

    A member that fails here (its predictions or its run directory cannot be written) is marked failed and
    diagnosed on its own; the other members finish as usual.
    """
    from kerasdiag.training.callbacks.best_weights import BestWeights
    from kerasdiag.training.vector.chunk import member_slice

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
    except Exception as exc:
        return _failed(member, exc, share)
    finally:
        session.close()
    return TrainResult(session.run.path, session.status, session.record, diagnosis, share, session.best_epoch)


def _best_epoch(record: RunRecord) -> int | None:
    """The epoch of the lowest finite val_loss (the first of equals), read from the record's columns."""
    values = record.series("val_loss")
    finite = np.flatnonzero(np.isfinite(values))
    return int(record.epochs.epoch_numbers()[finite[np.argmin(values[finite])]]) if finite.size else None
