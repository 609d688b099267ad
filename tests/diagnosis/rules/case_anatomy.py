"""Anatomies for rule cases: what a run is (task, loss, penalty, layer graph), built by hand like the curves.

`with_anatomy(record, anatomy)` attaches one to a RunRecord from `make_record`; the layer helpers build graphs whose
nodes say what each layer applies, as `rundir.anatomy` reads them from a model (`dense("d", 64)` has no activation).
"""

from __future__ import annotations

from collections.abc import Sequence

from kerasdiag.rundir.anatomy import Anatomy, Node, Task, nonlinearity_of
from kerasdiag.rundir.record import RunRecord


def anatomy(
    task: Task,
    *,
    classes: int | None = None,
    loss: str | None = None,
    penalty: bool | None = False,
    variance: float | None = None,
    layers: Sequence[Node] = (),
    outputs: int = 1,
    source: str = "model",
) -> Anatomy:
    """An anatomy of `task`; the loss defaults to the usual one of the task (`mse` for a regression)."""
    default_loss = {
        Task.SOFTMAX: "sparse_categorical_crossentropy",
        Task.LOGITS: "sparse_categorical_crossentropy",
        Task.SIGMOID: "binary_crossentropy",
        Task.BINARY_LOGITS: "binary_crossentropy",
        Task.MULTILABEL: "binary_crossentropy",
        Task.REGRESSION: "mean_squared_error",
    }
    if classes is None and task.binary:
        classes = 2
    return Anatomy(
        task=task,
        source=source,
        loss=loss or default_loss.get(task),
        from_logits=task.logits if task != Task.REGRESSION else None,
        num_classes=classes,
        penalty=penalty,
        target_variance=variance,
        layers=list(layers),
        outputs=outputs,
    )


def with_anatomy(record: RunRecord, described: Anatomy | None) -> RunRecord:
    record.anatomy = described
    return record


def flags_anatomy(classes: int = 10, penalty: bool = False) -> Anatomy:
    """What `rundir.anatomy.inferred_anatomy` gives a `kerasdiag train` run: a softmax classifier, no graph."""
    return anatomy(Task.SOFTMAX, classes=classes, penalty=penalty, source="flags")


# --- layer graphs -------------------------------------------------------------------------------


def dense(name: str, units: int, activation: str = "linear", inputs: Sequence[str] = ()) -> Node:
    return Node(name, "Dense", activation, True, units, list(inputs))


def layer(name: str, kind: str, activation: str | None = None, inputs: Sequence[str] = ()) -> Node:
    """A Keras layer of class `kind` (`ReLU`, `Dropout`, `Activation`, `MaxPooling2D`, `Add` ...)."""
    nonlinearity, weighted = nonlinearity_of(kind, activation, builtin=True)
    return Node(name, kind, nonlinearity, weighted, None, list(inputs))


def custom(name: str, inputs: Sequence[str] = (), weighted: bool = False) -> Node:
    """A learner's own layer class: kerasdiag cannot tell what its `call` does."""
    nonlinearity, _ = nonlinearity_of("GatedBlock", None, builtin=False)
    return Node(name, "GatedBlock", nonlinearity, weighted, None, list(inputs))


def nested(name: str, layers: Sequence[Node], inputs: Sequence[str] = ()) -> Node:
    return Node(name, "Sequential", layers=list(layers), inputs=list(inputs))
