"""linear-collapse reads the anatomy's layer graph; dead-relu and saturation see standalone activation layers."""

from __future__ import annotations

from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Finding
from kerasdiag.diagnosis.rules.layer_graph import linear_chains_of, wired
from kerasdiag.rundir.anatomy import Anatomy, Task
from tests.diagnosis.rules.case_anatomy import anatomy, custom, dense, layer, nested, with_anatomy
from tests.diagnosis.rules.cases import CASES
from tests.helpers.rule_factory import healthy_curves, make_record

CASE = {c.id: c for c in CASES}


def _collapse(case_id: str) -> Finding | None:
    found = [f for f in diagnose_run(CASE[case_id].build()).findings if f.rule == "linear-collapse"]
    return found[0] if found else None


def _chains(*layers) -> list[list[str]]:
    return [[link.name for link in chain] for chain in linear_chains_of(Anatomy(layers=list(layers)))]


def test_a_custom_layer_is_never_assumed_linear() -> None:
    f = _collapse("custom-layer-between-linear-dense")
    assert f is not None and f.evidence["layers"] == ["dense_1", "output"]  # not dense -> gated -> dense_1
    assert f.evidence["linear_hidden_layers"] == 1


def test_a_custom_weighted_layer_breaks_a_chain_too() -> None:
    assert _chains(dense("a", 8), custom("mine", weighted=True), dense("b", 8, "relu")) == []


def test_standalone_activation_and_max_pooling_layers_count() -> None:
    assert _collapse("standalone-relu-layers-between-dense") is None
    assert _chains(dense("a", 8), layer("act", "Activation", "linear"), dense("b", 8, "relu")) == [["a", "b"]]
    assert _chains(dense("a", 8), layer("pool", "MaxPooling2D"), dense("b", 8, "relu")) == []
    assert _chains(dense("a", 8), layer("bn", "BatchNormalization"), dense("b", 8, "relu")) == [["a", "b"]]


def test_branches_are_followed_through_their_inputs() -> None:
    f = _collapse("linear-branches-added-then-dense")
    assert f is not None and f.evidence["layers"] == ["left", "right", "mix", "output"]
    assert f.evidence["linear_hidden_layers"] == 3
    relu_branch = _chains(
        dense("left", 8, inputs=["in"]),
        dense("right", 8, "relu", inputs=["in"]),
        layer("add", "Add", inputs=["left", "right"]),
        dense("out", 4, "softmax", inputs=["add"]),
    )
    assert relu_branch == [["left", "out"]]  # the ReLU branch is non-linear; the linear one still collapses


def test_nested_models_are_opened() -> None:
    f = _collapse("nested-linear-encoder")
    assert f is not None and f.evidence["layers"] == ["enc_1", "enc_2", "output"]
    graph = [nested("encoder", [dense("enc_1", 8)], inputs=["in"]), dense("out", 4, inputs=["encoder"])]
    assert [(node.name, sources) for node, sources in wired(graph)] == [("enc_1", []), ("out", ["enc_1"])]


def test_a_graph_without_inputs_is_a_sequence() -> None:
    leaves = wired([dense("a", 8), layer("drop", "Dropout"), dense("b", 8)])
    assert [sources for _, sources in leaves] == [[], ["a"], ["drop"]]


def test_a_linear_output_after_a_linear_layer_is_one_hidden_layer() -> None:
    chains = linear_chains_of(Anatomy(layers=[dense("a", 8), dense("logits", 4)]))
    assert [(link.name, link.output) for link in chains[0]] == [("a", False), ("logits", True)]


def _relu_graph_run(*layers):
    record = make_record(**healthy_curves("mnist-mlp-adam", 20, 311), config=None, source="keras-logs", status=None)
    return with_anatomy(record, anatomy(Task.SOFTMAX, classes=10, layers=layers, penalty=None))


def test_dead_relu_and_saturation_say_their_units_are_standalone_layers() -> None:
    record = _relu_graph_run(
        dense("dense", 64), layer("re_lu", "ReLU"), layer("tanh", "Activation", "tanh"), dense("out", 10, "softmax")
    )
    skips = {s.rule: s.reason for s in diagnose_run(record).skipped}
    assert skips["dead-relu"].startswith("the model applies ReLU in separate layers only (re_lu)")
    assert skips["saturation"].startswith("the model applies sigmoid/tanh in separate layers only (tanh)")
    plain = _relu_graph_run(dense("dense", 64, "elu"), dense("out", 10, "softmax"))
    skips = {s.rule: s.reason for s in diagnose_run(plain).skipped}
    assert skips["saturation"] == "no sigmoid/tanh layer in this model"
