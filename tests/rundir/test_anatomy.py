"""The run's anatomy from a Keras model config, from run.json (round trip, schema 1, damage), and chance levels."""

from __future__ import annotations

import json
import math

import pytest

from kerasdiag.rundir.anatomy import Anatomy, Node, Task, anatomy_from_config, inferred_anatomy, task_of
from kerasdiag.rundir.reader import read_run
from kerasdiag.rundir.summaries import DataSummary


def _layer(kind: str, name: str, module: str = "keras.layers", **config: object) -> dict:
    return {"module": module, "class_name": kind, "config": {"name": name, **config}}


def _sequential(*layers: dict) -> dict:
    return {"class_name": "Sequential", "config": {"name": "s", "layers": list(layers)}}


@pytest.mark.parametrize(
    ("loss", "from_logits", "activation", "width", "task"),
    [
        ("sparse_categorical_crossentropy", None, "softmax", 10, Task.SOFTMAX),
        ("sparse_categorical_crossentropy", True, "linear", 10, Task.LOGITS),
        ("categorical_crossentropy", None, "linear", 3, Task.LOGITS),  # a linear head cannot give probabilities
        ("binary_crossentropy", None, "sigmoid", 1, Task.SIGMOID),
        ("binary_crossentropy", True, "linear", 1, Task.BINARY_LOGITS),
        ("binary_crossentropy", None, "sigmoid", 5, Task.MULTILABEL),
        ("mean_squared_error", None, "linear", 1, Task.REGRESSION),
        ("mean_absolute_error", None, "relu", 1, Task.REGRESSION),
        ("mean_squared_error", None, "softmax", 10, Task.SOFTMAX),  # outputs that sum to 1: class probabilities
        ("mse", None, "sigmoid", 1, Task.SIGMOID),  # XOR as older tutorials train it
        ("mse", None, "sigmoid", 784, Task.REGRESSION),  # an autoencoder's pixels
        (None, None, "softmax", 4, Task.SOFTMAX),
        (None, None, "linear", 4, Task.UNKNOWN),  # logits or regression: the output alone cannot tell
        ("my_own_loss", None, "softmax", 4, Task.UNKNOWN),
    ],
)
def test_the_task_comes_from_the_loss_first_then_the_output(loss, from_logits, activation, width, task):
    assert task_of(loss, from_logits, activation, width) == task


def test_activation_layers_count_and_custom_layers_are_unknown_never_linear():
    config = _sequential(
        _layer("Flatten", "flatten"),
        _layer("Dense", "d1", units=64, activation="linear"),
        _layer("ReLU", "relu"),
        _layer("Dense", "d2", units=32, activation=None),
        _layer("Activation", "act", activation="tanh"),
        _layer("MyBlock", "mine", module="my_script"),
        _layer("Dropout", "drop", rate=0.2),
        _layer("Dense", "out", units=10, activation="linear"),
        _layer("Activation", "softmax", activation="softmax"),
    )
    anatomy = anatomy_from_config(config, loss="categorical_crossentropy")
    kinds = {node.name: (node.nonlinearity, node.nonlinear) for node in anatomy.layers}
    assert kinds["relu"] == ("relu", True) and kinds["act"] == ("tanh", True)
    assert kinds["d1"] == ("linear", False) and kinds["d2"] == ("linear", False)
    assert kinds["mine"] == ("unknown", None)  # a learner's own layer: kerasdiag cannot see inside its call
    assert kinds["flatten"] == (None, False) and kinds["drop"] == (None, False)
    assert anatomy.task == Task.SOFTMAX and anatomy.output_activation == "softmax" and anatomy.num_classes == 10
    assert [node.inputs for node in anatomy.layers[:2]] == [[], ["flatten"]]


def test_a_nested_model_keeps_its_own_graph_and_a_functional_graph_its_branches():
    inner = _sequential(_layer("Dense", "inner_dense", units=8, activation="relu"))
    inner["config"]["name"] = "base"
    tensor = {"class_name": "__keras_tensor__", "config": {"keras_history": ["input", 0, 0]}}
    functional = {
        "class_name": "Functional",
        "config": {
            "layers": [
                {**_layer("InputLayer", "input"), "inbound_nodes": []},
                {**inner, "inbound_nodes": [{"args": [tensor]}]},
                {**_layer("Dense", "side", units=8, activation=None), "inbound_nodes": [{"args": [tensor]}]},
                {**_layer("Dense", "out", units=3, activation="softmax"), "inbound_nodes": [{"args": [tensor]}]},
            ]
        },
    }
    anatomy = anatomy_from_config(functional)
    base = anatomy.layers[0]
    assert base.name == "base" and [node.name for node in base.layers] == ["inner_dense"] and base.nonlinear
    assert anatomy.layers[1].inputs == ["input"]
    assert [node.name for node in anatomy.all_layers()] == ["inner_dense", "side", "out"]


def test_chance_loss_per_task():
    assert Anatomy(task=Task.SOFTMAX, num_classes=10).chance_loss == pytest.approx(math.log(10))
    assert Anatomy(task=Task.BINARY_LOGITS, num_classes=2).chance_loss == pytest.approx(math.log(2))
    regression = Anatomy(task=Task.REGRESSION, loss="mean_squared_error", target_variance=12.5)
    assert regression.chance_loss == 12.5
    assert Anatomy(task=Task.REGRESSION, loss="mean_absolute_error", target_variance=12.5).chance_loss is None
    assert Anatomy(task=Task.UNKNOWN).chance_loss is None
    assert Anatomy(task=Task.SOFTMAX, num_classes=10, loss="mse").chance_loss == pytest.approx(0.09)
    assert Anatomy(task=Task.SIGMOID, loss="mean_squared_error").chance_loss == pytest.approx(0.25)


def test_a_softmax_stored_as_a_regression_by_an_older_kerasdiag_is_read_as_the_classifier_it_is():
    stored = {"task": "regression", "loss": "mean_squared_error", "output_activation": "softmax", "output_width": 10}
    anatomy = Anatomy.from_dict(stored)
    assert (anatomy.task, anatomy.num_classes) == (Task.SOFTMAX, 10)
    linear = Anatomy.from_dict({**stored, "output_activation": "linear", "output_width": 1})
    assert linear.task == Task.REGRESSION


def test_round_trip_and_damage_refused_whole():
    anatomy = Anatomy(task=Task.LOGITS, source="model", loss="sparse_categorical_crossentropy", from_logits=True)
    anatomy.layers = [Node("d", "Dense", "relu", True, 8, [], [Node("x", "Dense", "linear", True, 2)])]
    assert Anatomy.from_dict(json.loads(json.dumps(anatomy.to_dict()))) == anatomy
    for damaged in ({"task": "telepathy"}, {"num_classes": -3}, {"layers": [{"kind": "Dense"}]}, [1, 2]):
        with pytest.raises((KeyError, TypeError, ValueError)):
            Anatomy.from_dict(damaged)  # type: ignore[arg-type]


def test_run_json_of_schema_1_gets_an_inferred_anatomy(run_dir):
    path = run_dir("old", epochs=3)
    meta = json.loads((path / "run.json").read_text())
    meta.pop("anatomy", None)
    meta["schema"] = 1
    meta["config"].update(model="mlp", l2=1e-4)  # a `kerasdiag train` run
    (path / "run.json").write_text(json.dumps(meta))
    record = read_run(path)
    assert record.anatomy is not None and record.anatomy.task == Task.SOFTMAX and record.anatomy.source == "flags"
    assert record.anatomy.penalty is True and not record.problems


def test_a_damaged_anatomy_is_a_problem_named_not_a_crash(run_dir):
    path = run_dir("damaged", epochs=3)
    meta = json.loads((path / "run.json").read_text())
    meta["anatomy"] = {"task": "telepathy", "layers": "many"}
    (path / "run.json").write_text(json.dumps(meta))
    record = read_run(path)
    assert any("anatomy" in str(problem) for problem in record.problems)


def test_inferred_anatomy_of_a_script_run_reads_its_output_layer_and_loss():
    from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary

    model = ModelSummary([LayerInfo("h", "Dense", 16, "relu", l2=1e-4), LayerInfo("o", "Dense", 1, "linear")])
    anatomy = inferred_anatomy({"script": "fit.py", "loss": "mse"}, None, model)
    assert anatomy is not None and anatomy.task == Task.REGRESSION and anatomy.penalty is True
    split = {"samples": 1, "class_counts": {"0": 1}}
    data = DataSummary.from_dict({"dataset": "iris", "num_classes": 3, "train": split})
    assert inferred_anatomy({"script": "fit.py"}, data, None) is None


def test_a_nested_models_layers_are_described_in_its_place():
    """A frozen base (`Sequential([base, Dense(10)])`): its ReLU layer is a hidden layer of the whole model."""
    from kerasdiag.rundir.model_summary import model_summary_from_keras_config

    base = {"class_name": "Sequential", "config": {"name": "base", "layers": [_layer("Dense", "base_dense", units=32,
            activation="relu")]}}  # fmt: skip
    config = _sequential(base, _layer("Dense", "out", units=10, activation="softmax"))
    summary = model_summary_from_keras_config(config, {"base": 2080, "base_dense": 2080, "out": 330})
    assert [(layer.name, layer.activation) for layer in summary.hidden_layers] == [("base_dense", "relu")]
    assert summary.output_layer is not None and summary.output_layer.name == "out"
