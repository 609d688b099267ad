"""Fixes in the run's own language: a script's run gets each fix as Keras code at its line, a train run its flags."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kerasdiag.diagnosis.code_fixes import as_code, parse_flags
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Diagnosis, Finding, Fix, Severity
from kerasdiag.messages import render, say
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.reader import read_saved_findings
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import DataSummary, SplitSummary
from tests.helpers.english import english_left

LEARNER = """\
import keras
import numpy as np

x_train = np.load("x.npy")
y_train = np.load("y.npy")
model = keras.Sequential([
    keras.Input((4,)),
    keras.layers.Dense(16, activation="sigmoid"),
    keras.layers.Dense(16, activation="sigmoid"),
    keras.layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="sgd", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=20, validation_split=0.2)
"""
HIDDEN = "learner.py:8-9"
SHUFFLE = (
    "shuffle the arrays before fit (idx = np.random.permutation(len(x_train)); x_train, y_train = x_train[idx], "
    "y_train[idx]); fit(shuffle=True) does not change what validation_split takes"
)
# Each flag kind -> the fix as a learner's script reads it.
EXPECTED = {
    "--shuffle": f"learner.py:13: {SHUFFLE}",
    "--lr 0.001": "learner.py:12: compile(optimizer=keras.optimizers.SGD(learning_rate=0.001))",
    "--lr 0.001 --optimizer adam": "learner.py:12: compile(optimizer=keras.optimizers.Adam(learning_rate=0.001))",
    "--optimizer sgd --momentum 0.9": "learner.py:12: compile(optimizer=keras.optimizers.SGD(momentum=0.9))",
    "--epochs 34": "learner.py:13: fit(..., epochs=34)",
    "--batch-size 64": "learner.py:13: fit(..., batch_size=64)",
    "--epochs 40 --batch-size 64": "learner.py:13: fit(..., epochs=40, batch_size=64)",
    "--normalize": (  # no data summary: standardised, as features other than pixels need
        "learner.py:13: standardise each feature before fit with the training data's mean and standard deviation: "
        "mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 1e-7; x_train = (x_train - mean) / std (and the "
        "same mean and std for the validation and test inputs)"
    ),
    "--train-size 40": "learner.py:13: before fit, keep 40 training samples in all, the same number from each class",
    "--activation relu": f'{HIDDEN}: Dense(..., activation="relu") in the hidden layers',
    "--dropout 0.3": f"{HIDDEN}: add Dropout(0.3) after each hidden Dense",
    "--l2 0.0001": f"{HIDDEN}: Dense(..., kernel_regularizer=keras.regularizers.L2(0.0001)) in the hidden layers",
    "--l1 1e-05": f"{HIDDEN}: Dense(..., kernel_regularizer=keras.regularizers.L1(1e-05)) in the hidden layers",
    "--batch-norm": f"{HIDDEN}: add BatchNormalization() after each hidden Dense",
    "--init he_normal": 'learner.py:8-10: Dense(..., kernel_initializer="he_normal") in every layer',
    "--layers 1": f"{HIDDEN}: keep one hidden Dense layer and remove the others",
    "--layers 4": f"{HIDDEN}: add hidden Dense layers until there are 4",
    "--units 256": f"{HIDDEN}: Dense(256, ...) in the hidden layers",
    "--residual": (
        f"{HIDDEN}: add skip connections between hidden layers of the same width (functional API): "
        "h = keras.layers.Add()([h, Dense(units, ...)(h)])"
    ),
}
UNKNOWN = ["--dataset mnist", "--lr 0.01 --classes 3,8", "--no-shuffle", "--conv-filters 16,32", ""]


def findings_with(*flags: str) -> list[Finding]:
    why = say("validation-mismatch.fix.shuffle")
    fixes = tuple(Fix(f, why) for f in flags)
    title = say("validation-mismatch.title")
    return [Finding("validation-mismatch", Severity.ERROR, title, {}, title, title, fixes)]


def script_record(tmp_path: Path, text: str = LEARNER, **config: object) -> RunRecord:
    script = tmp_path / "learner.py"
    script.write_text(text, encoding="utf-8")
    base = {"script": "learner.py", "script_path": str(script), "optimizer": "sgd", "lr": 0.01}
    base |= {"fit_at": f"{script}:13", "compile_at": f"{script}:12"}
    return RunRecord(path=str(tmp_path / "run"), source="kerasdiag", config={**base, **config})


def shown(findings: list[Finding], lang: str = "en") -> list[str]:
    return [fix.shown(lang) for finding in findings for fix in finding.fixes]


@pytest.mark.parametrize("flags", list(EXPECTED), ids=lambda f: f.replace("--", "").replace(" ", "-"))
def test_each_flag_becomes_its_keras_change_at_the_line_it_changes(tmp_path, flags):
    (finding,) = as_code(findings_with(flags), script_record(tmp_path))
    (fix,) = finding.fixes
    assert fix.shown("en") == EXPECTED[flags]
    assert fix.flags == flags  # `kerasdiag fix` still retrains with the flags


def test_a_dropout_fix_sets_the_rate_of_the_dropout_layers_the_script_has(tmp_path):
    text = LEARNER.replace('    keras.layers.Dense(3, activation="softmax"),\n', "    keras.layers.Dropout(0.1),\n" * 2)
    (finding,) = as_code(findings_with("--dropout 0.3"), script_record(tmp_path, text))
    assert shown([finding]) == ["learner.py:10-11: set the rate: Dropout(0.3)"]


def test_a_flag_without_a_translation_keeps_the_flags_and_no_fix_is_dropped(tmp_path):
    (finding,) = as_code(findings_with(*UNKNOWN, "--epochs 5"), script_record(tmp_path))
    assert [fix.code is None for fix in finding.fixes] == [True] * len(UNKNOWN) + [False]
    assert shown([finding])[:-1] == UNKNOWN


def test_a_fix_changing_two_places_names_each_place(tmp_path):
    (finding,) = as_code(findings_with("--lr 0.001 --epochs 5"), script_record(tmp_path))
    assert finding.fixes[0].at is None
    assert shown([finding]) == [f"{EXPECTED['--lr 0.001']}; learner.py:13: fit(..., epochs=5)"]


def test_a_train_run_keeps_its_flags_untouched():
    findings = findings_with("--shuffle", "--lr 0.01")
    record = RunRecord(path="run", source="kerasdiag", config={"dataset": "iris", "epochs": 20, "lr": 0.1})
    assert as_code(findings, record) is findings
    assert shown(findings) == ["--shuffle", "--lr 0.01"]


def test_plain_logs_get_the_keras_change_without_a_place():
    """Logs another tool wrote: no flags to pass and no script to point into, so the change alone, as Keras code."""
    findings = as_code(findings_with("--epochs 6", "--l2 0.0001"), RunRecord(path="logs", source="csv-logger"))
    assert shown(findings) == [
        "fit(..., epochs=6)",
        "Dense(..., kernel_regularizer=keras.regularizers.L2(0.0001)) in the hidden layers",
    ]
    assert all(fix.at == "" and fix.flags.startswith("--") for f in findings for fix in f.fixes)


def test_without_fit_at_and_compile_at_the_calls_are_found_in_the_script(tmp_path):
    record = script_record(tmp_path, fit_at=None, compile_at=None)
    findings = as_code(findings_with("--epochs 34", "--lr 0.001"), record)
    assert shown(findings) == [EXPECTED["--epochs 34"], EXPECTED["--lr 0.001"]]
    del record.config["fit_at"], record.config["compile_at"]  # keys missing: the same
    assert shown(as_code(findings_with("--epochs 34"), record)) == [EXPECTED["--epochs 34"]]


def test_an_unreadable_script_names_the_calls_without_a_line(tmp_path):
    record = script_record(tmp_path, fit_at=None, compile_at=None)
    Path(record.config["script_path"]).unlink()
    record.model = ModelSummary([LayerInfo("c", "Conv2D", 8, "relu"), LayerInfo("out", "Dense", 3, "softmax")])
    findings = as_code(findings_with("--epochs 34", "--lr 0.001", "--activation relu", "--shuffle"), record)
    assert shown(findings) == [
        "learner.py: fit(..., epochs=34)",
        "learner.py: compile(optimizer=keras.optimizers.SGD(learning_rate=0.001))",
        'learner.py: Conv2D(..., activation="relu") in the hidden layers',
        "learner.py: " + SHUFFLE.replace("x_train", "x").replace("y_train", "y"),
    ]


@pytest.mark.parametrize(
    "place", ["/dev/null", "/no/such/dir", "{dir}", "{script}:not-a-line", 42, ["x"]], ids=lambda p: str(p)
)
def test_a_damaged_or_odd_place_in_run_json_still_gives_code(tmp_path, place):
    record = script_record(tmp_path, script_path=str(place).format(dir=tmp_path, script="learner.py"))
    record.config["fit_at"] = place if not isinstance(place, str) else place.format(dir=tmp_path, script="x.py")
    (finding,) = as_code(findings_with("--epochs 34"), record)
    assert finding.fixes[0].code is not None and "fit(..., epochs=34)" in finding.fixes[0].shown("en")


def test_a_fit_in_another_file_is_named_by_that_file(tmp_path):
    helper = tmp_path / "helpers.py"
    helper.write_text("def train(model, x, y):\n    model.fit(x, y, epochs=3)\n", encoding="utf-8")
    record = script_record(tmp_path, fit_at=f"{helper}:2", compile_at=None)
    (finding,) = as_code(findings_with("--epochs 34"), record)
    assert shown([finding]) == [f"{helper}:2: fit(..., epochs=34)"]


def test_an_unknown_optimizer_class_names_the_arguments_to_give_it(tmp_path):
    (finding,) = as_code(findings_with("--lr 0.001"), script_record(tmp_path, optimizer="myoptimizer"))
    assert shown([finding]) == ["learner.py:12: give the optimizer passed to compile learning_rate=0.001"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_japanese_has_no_english_prose_left_and_code_stays_code(tmp_path, lang):
    findings = as_code(findings_with(*EXPECTED), script_record(tmp_path))
    for fix in findings[0].fixes:
        line = render("code.with_why", lang, {"code": fix.shown(lang), "why": fix.why.get(lang)})
        if lang == "ja":
            assert english_left(line) == [], line
            assert fix.at is not None and fix.shown("ja").startswith(fix.at + ": ")
        assert "compile(" in line or "fit" in line or "Dense" in line or "Dropout" in line


def test_diagnose_run_gives_every_view_the_code_form(tmp_path):
    def rule(record, thresholds):
        return findings_with("--shuffle")

    diagnosis = diagnose_run(script_record(tmp_path), rules={"validation-mismatch": rule})
    assert diagnosis.findings[0].fixes[0].shown("en") == EXPECTED["--shuffle"]


def test_json_adds_code_and_place_for_a_script_run_only(tmp_path):
    coded = as_code(findings_with("--epochs 34"), script_record(tmp_path))
    plain = findings_with("--epochs 34")
    assert coded[0].to_dict()["fixes"] == [
        {
            "flags": "--epochs 34",
            "why": plain[0].fixes[0].why.get("en"),
            "code": "fit(..., epochs=34)",
            "at": "learner.py:13",
        }
    ]
    assert list(plain[0].to_dict()["fixes"][0]) == ["flags", "why"]  # a train run's JSON as before
    first = Diagnosis("run", coded).to_dict("ja")["first_fix"]
    assert first["rule"] == "validation-mismatch" and first["code"] == "fit(..., epochs=34) にします"
    assert list(Diagnosis("run", plain).to_dict()["first_fix"]) == ["rule", "flags", "why"]


@pytest.mark.parametrize("coded", [True, False], ids=["with-code", "old-file"])
def test_diagnosis_json_with_or_without_the_code_keys_reads_back(tmp_path, coded):
    findings = findings_with("--epochs 34")
    findings = as_code(findings, script_record(tmp_path)) if coded else findings
    (tmp_path / "diagnosis.json").write_text(json.dumps(Diagnosis("run", findings).to_dict()), encoding="utf-8")
    problems: list[str] = []
    assert read_saved_findings(tmp_path, problems) == [("validation-mismatch", "error")] and problems == []


def test_parse_flags_takes_only_flags_it_translates():
    assert parse_flags("--lr 0.001 --optimizer adam") == {"--lr": "0.001", "--optimizer": "adam"}
    assert parse_flags("--shuffle --epochs 3") == {"--shuffle": "", "--epochs": "3"}
    for flags in ("--lr", "--lr fast", "--epochs 2.5", "--activation 'relu'", "lr 0.1", "--dropout -1", ""):
        assert parse_flags(flags) is None, flags


def test_a_script_with_a_cnn_branch_names_only_the_layer_kinds_the_run_has(tmp_path):
    """A learner's script that builds a CNN or an MLP by a flag: an MLP run's fix names its Dense lines only."""
    text = LEARNER.replace(
        "model = keras.Sequential([",
        "if False:\n    model = keras.Sequential([keras.layers.Conv2D(8, 3)])\nmodel = keras.Sequential([",
    )
    record = script_record(tmp_path, text, fit_at=f"{tmp_path / 'learner.py'}:15")
    dense = [LayerInfo(name=f"dense_{i}", kind="Dense", units=u) for i, u in enumerate((16, 16, 3))]
    record.model = ModelSummary(layers=dense, total_params=0)
    (finding,) = as_code(findings_with("--activation relu"), record)
    assert shown([finding]) == ['learner.py:10-11: Dense(..., activation="relu") in the hidden layers']


def test_pixels_are_divided_by_255_and_other_features_standardised(tmp_path):
    """What the data summary measured picks the change: raw pixels 0..255, or wine's features (proline up to 1680)."""

    def normalize_fix(low: float, high: float) -> str:
        record = dataclasses.replace(
            script_record(tmp_path), data=DataSummary("script", 3, SplitSummary(10, {}), input_min=low, input_max=high)
        )
        (finding,) = as_code(findings_with("--normalize"), record)
        return finding.fixes[0].shown("en")

    assert (
        normalize_fix(0.0, 255.0)
        == "learner.py:13: scale the inputs before fit: x_train = x_train / 255.0 (pixels 0..255)"
    )
    assert "standardise each feature" in normalize_fix(0.13, 1680.0)


PENALISED = LEARNER.replace('activation="sigmoid")', 'activation="sigmoid", kernel_regularizer=l2(0.5))').replace(
    'activation="softmax")', 'activation="softmax", kernel_regularizer=l2(0.5))'
)


def test_a_penalty_the_script_gives_is_changed_in_every_layer_that_has_one_output_included(tmp_path):
    """helper 41: L2(0.5) on all three layers; lowering it in the hidden ones only left the run unable to fit."""
    (finding,) = as_code(findings_with("--l2 0.05"), script_record(tmp_path, PENALISED))
    shown = finding.fixes[0].shown("en")
    assert (
        shown
        == "learner.py:8-10: Dense(..., kernel_regularizer=keras.regularizers.L2(0.05)) in every layer that has one"
    )
    (unpenalised,) = as_code(findings_with("--l2 0.05"), script_record(tmp_path))
    assert unpenalised.fixes[0].shown("en").startswith(f"{HIDDEN}: ")  # adding one: the hidden layers
