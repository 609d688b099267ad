"""What a backend's probe pass returns, and the two helpers every backend's pass shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np


class ProbeResult(NamedTuple):
    """What one probe pass measures on the probe batch, as host values."""

    data_loss: float
    penalty: float
    grad_norms: list[float]  # of data loss + penalty: what the optimizer applies
    outputs: list[np.ndarray]
    data_grad_norms: list[float] | None = None  # of the data loss alone, where the model has an L1/L2 penalty


CompiledProbe = Callable[[np.ndarray, np.ndarray], ProbeResult]


def as_list(outputs: Any) -> list[Any]:
    """A model's outputs as a list (a one-output model may return a bare tensor)."""
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def shares_variables(model: Any, forward: Any) -> bool:
    """Whether `forward` computes `model` exactly: a Sequential or functional model, the same variables in order."""
    import keras
    from keras.src.models.functional import Functional

    if type(model) not in (keras.Sequential, Functional) or len(model.losses) != len(forward.losses):
        return False
    same = [id(v) for v in model.trainable_variables] == [id(v) for v in forward.trainable_variables]
    return same and [id(v) for v in model.non_trainable_variables] == [id(v) for v in forward.non_trainable_variables]
