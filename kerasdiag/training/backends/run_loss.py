"""The run's own loss, as the probe pass applies it: the model's compiled loss on its one output.

`fit` computes `compile(loss=...)` on the batch's targets as the script gave them (integer labels,
one-hot rows, a binary column, numbers) plus the weight penalties (`model.losses`). The probe pass
does the same on its batch: `run_loss(model)` is that loss as a `(y_true, y_pred) -> scalar`
function, resolved as Keras resolves it (a name, a function or a `Loss` object; `"crossentropy"`
by the targets' shape; a single `loss_weights` number). `probe_refusal` says why a run's loss
cannot be applied (several outputs, a dict of losses, a custom `compute_loss`, a loss that fails
on the probe batch), so that such a run is not probed rather than probed with another loss.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasdiag.messages.said import Said

# What `kerasdiag train` compiles, and what a model probed without `compile` (a test's bare model) is probed with.
DEFAULT_LOSS = "sparse_categorical_crossentropy"


class RunLoss:
    """`(y_true, y_pred) -> scalar`: the loss a compiled model's `fit` applies to one output, mean over the batch.

    Args:
        identifier: The loss as `compile` got it: a name, a function or a `keras.losses.Loss`.
        weight: The `loss_weights` number `compile` got, where it got one. Defaults to `None`.
    """

    def __init__(self, identifier: Any, weight: float | None = None):
        self.identifier, self.weight = identifier, weight
        self.resolved: Any = None

    @property
    def name(self) -> str:
        if isinstance(self.identifier, str):
            return self.identifier
        return str(getattr(self.identifier, "name", None) or getattr(self.identifier, "__name__", "loss"))

    @property
    def builtin(self) -> bool:
        """A Keras loss (by name, function or class): `fit` already applied it to these targets."""
        module = getattr(self.identifier, "__module__", None) or ""  # a class instance: its class's module
        return isinstance(self.identifier, str) or module.startswith("keras.")

    def __call__(self, y_true: Any, y_pred: Any) -> Any:
        import keras
        from keras.src.trainers.compile_utils import get_loss

        if self.resolved is None:  # as `CompileLoss` resolves it: "crossentropy" by the shapes
            self.resolved = get_loss(self.identifier, y_true, y_pred)
        value = keras.ops.cast(self.resolved(y_true, y_pred), keras.backend.floatx())
        return value * self.weight if self.weight is not None else value


def run_loss(model: Any) -> RunLoss:
    """The loss `model.fit` trains with (see the module docstring); sparse categorical cross-entropy unless compiled.

    Call `probe_refusal` first: a loss it refuses is returned here as given, not applied.
    """
    if not getattr(model, "compiled", False):
        return RunLoss(DEFAULT_LOSS)
    return RunLoss(_single(model.loss), _weight(getattr(model, "_compile_loss", None)))


def probe_refusal(model: Any, y: np.ndarray | None = None) -> Said | None:
    """Why the probe cannot take gradients of `model`'s own loss, or `None` when it can.

    Args:
        model: The compiled model.
        y: The probe batch's targets as `fit` takes them: a learner's own loss is tried on them. Defaults to
            `None` (the model alone is judged).
    """
    if type(model).compute_loss is not _base_compute_loss():
        return Said("probes_off.compute_loss", model=type(model).__name__)
    inputs, outputs = _symbolic(model, "inputs"), _symbolic(model, "outputs")
    if inputs is None or outputs is None:
        return Said("probes_off.subclassed", model=type(model).__name__)
    if len(inputs) != 1 or len(outputs) != 1:
        return Said("probes_off.io", inputs=len(inputs), outputs=len(outputs))
    loss = getattr(model, "loss", None)
    if getattr(model, "compiled", False) and _single(loss) is None:
        if isinstance(loss, (dict, list, tuple)):
            return Said("probes_off.losses", kind=type(loss).__name__, count=len(loss))
        return Said("probes_off.no_loss")
    return _fails_on(run_loss(model), y, outputs[0]) if y is not None else None


def _fails_on(loss: RunLoss, y: np.ndarray, output: Any) -> Said | None:
    """Why the learner's own loss fails on the probe batch's targets (against a constant prediction), if it does."""
    shape = tuple(output.shape[1:])
    if loss.builtin or any(side is None for side in shape):
        return None  # Keras's own loss on the targets `fit` takes: it ran in `fit` already
    import keras

    try:
        value = loss(y, np.full((len(y), *shape), 0.5, keras.backend.floatx()))
        size = int(np.size(keras.ops.convert_to_numpy(value)))
    except Exception as exc:  # noqa: BLE001 - the learner's loss may raise anything on arrays it did not expect
        message = " ".join(str(exc).split())[:200]
        return Said("probes_off.loss_fails", loss=loss.name, error=f"{type(exc).__name__}: {message}")
    return None if size == 1 else Said("probes_off.loss_values", loss=loss.name, count=size)


def _single(loss: Any) -> Any:
    """The one loss of `compile(loss=...)` (a one-entry list or dict unwrapped), `None` for several or none."""
    if isinstance(loss, dict):
        loss = list(loss.values())
    if isinstance(loss, (list, tuple)):
        return loss[0] if len(loss) == 1 else None
    return loss


def _weight(compile_loss: Any) -> float | None:
    """The one `loss_weights` number `compile` got (a bare number, or a one-entry list or dict), else `None`."""
    weights = getattr(compile_loss, "_user_loss_weights", None)
    if isinstance(weights, dict):
        weights = list(weights.values())
    if isinstance(weights, (list, tuple)):
        weights = weights[0] if len(weights) == 1 else None
    return float(weights) if isinstance(weights, (int, float)) and not isinstance(weights, bool) else None


def _symbolic(model: Any, name: str) -> list[Any] | None:
    try:
        found = getattr(model, name)
    except (AttributeError, ValueError):
        return None
    return list(found) if found else None


def _base_compute_loss() -> Any:
    import keras

    return keras.Model.compute_loss
