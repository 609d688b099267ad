"""`kerasdiag fix` on a script's run: each flag on a real compiled model, the plan, a re-run, end to end."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kerasdiag.cli.fix_cmd import fix_flag_values
from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.errors import ConfigError, RunDirError
from kerasdiag.experiments.fix.run import FixOptions
from kerasdiag.experiments.fix.script import is_script_run, plan_script_fixes
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.record import RunRecord
from kerasdiag.training.script.change import changed_fit_arguments, changed_model, copy_weights

T = Text("t", "t")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_keras_names():
    """Layer names restart at `dense` afterwards: other test files name layers by Keras's global counter."""
    yield
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()


def finding(rule: str, *flags: str) -> Finding:
    return Finding(rule, Severity.WARNING, T, {}, T, T, tuple(Fix(f, T) for f in flags))


# -- each flag on a real tiny compiled model ---------------------------------------------------------------------


def tiny(dropout: bool = True):
    import keras

    keras.utils.set_random_seed(0)
    layers = [keras.Input((4,)), keras.layers.Dense(8, activation="relu")]
    layers += [keras.layers.Dropout(0.1)] if dropout else []
    layers += [keras.layers.Dense(3, activation="softmax")]
    model = keras.Sequential(layers, name="tiny")
    model.compile(optimizer=keras.optimizers.Adam(0.0005), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def kernel_layers(model):
    return [layer for layer in model.layers if hasattr(layer, "kernel")]


def test_lr_is_set_on_the_compiled_optimizer_in_place():
    model = tiny()
    assert changed_model(model, fix_flag_values("--lr 0.01")) is model
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    assert type(model.optimizer).__name__ == "Adam"


def test_optimizer_recompiles_with_the_same_loss_metrics_and_learning_rate():
    model = tiny()
    changed = changed_model(model, fix_flag_values("--optimizer sgd --momentum 0.9"))
    assert type(changed.optimizer).__name__ == "SGD" and changed.optimizer.momentum == pytest.approx(0.9)
    assert float(changed.optimizer.learning_rate) == pytest.approx(0.0005)
    assert changed.get_compile_config()["loss"] == "categorical_crossentropy"
    assert changed.get_compile_config()["metrics"] == ["accuracy"]


def test_momentum_on_an_optimizer_without_it_is_refused():
    with pytest.raises(ConfigError, match="momentum"):
        changed_model(tiny(), {"momentum": 0.9})


def test_dropout_l2_activation_rebuild_the_model_from_its_edited_config():
    model = tiny()
    changed = changed_model(model, fix_flag_values("--dropout 0.5 --l2 0.001 --activation tanh"))
    assert changed is not model and type(changed).__name__ == "Sequential"
    assert [layer.rate for layer in changed.layers if hasattr(layer, "rate")] == [0.5]
    hidden, output = kernel_layers(changed)
    assert hidden.activation.__name__ == "tanh" and output.activation.__name__ == "softmax"
    assert hidden.kernel_regularizer.l2 == pytest.approx(0.001) and output.kernel_regularizer is None
    assert type(changed.optimizer).__name__ == "Adam" and float(changed.optimizer.learning_rate) == pytest.approx(5e-4)
    x, y = np.ones((6, 4), "float32"), np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]]
    logs = changed.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"} and len(changed.losses) == 1  # the L2 penalty is in the loss
    assert copy_weights(changed, model)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), changed.get_weights()))


def test_no_activation_makes_hidden_layers_linear():
    changed = changed_model(tiny(), fix_flag_values("--no-activation"))
    assert [layer.activation.__name__ for layer in kernel_layers(changed)] == ["linear", "softmax"]


def test_dropout_without_a_dropout_layer_is_refused():
    with pytest.raises(ConfigError, match="Dropout layer"):
        changed_model(tiny(dropout=False), {"dropout": 0.5})


def test_a_subclassed_model_cannot_be_rebuilt():
    import keras

    class Mine(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(3)

        def call(self, x):
            return self.dense(x)

    model = Mine()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ConfigError, match="subclassed"):
        changed_model(model, {"activation": "relu"})


def test_fit_arguments_epochs_batch_size_and_shuffle_keep_rows_paired():
    x = np.arange(30, dtype="float32").reshape(30, 1)
    y = np.repeat([0, 1, 2], 10)  # class-ordered: validation_split would take only class 2
    out = changed_fit_arguments(
        {"x": x, "y": y, "epochs": 3}, fix_flag_values("--shuffle --epochs 7 --batch-size 4"), 1
    )
    assert out["epochs"] == 7 and out["batch_size"] == 4
    assert np.array_equal(out["y"], y[out["x"][:, 0].astype(int)])  # x and y permuted alike
    assert len(set(out["y"][-6:])) > 1  # the last rows now hold more than one class
    assert changed_fit_arguments({"x": x, "y": y}, {"shuffle": True}, 1)["x"].tolist() == out["x"].tolist()


def test_shuffle_needs_arrays():
    with pytest.raises(ConfigError, match="arrays"):
        changed_fit_arguments({"x": iter(()), "y": None}, {"shuffle": True}, 0)


# -- the plan: what maps, what does not, one reason each ----------------------------------------------------------


def script_record(tmp_path: Path, dropout: bool = False, **config) -> RunRecord:
    script = tmp_path / "learner.py"
    script.write_text("print('hi')\n", encoding="utf-8")
    layers = [LayerInfo("dense", "Dense", 8, "relu"), LayerInfo("out", "Dense", 3, "softmax")]
    layers[1:1] = [LayerInfo("dropout", "Dropout", rate=0.1)] if dropout else []
    base = {"script": "learner.py", "script_path": str(script), "argv": ["--epochs", "20"], "fit_index": 1}
    base |= {"optimizer": "adam", "lr": 0.0005, "epochs": 20, "batch_size": 5, "validation_split": 0.2}
    base |= {"shuffle": False, "activation": "relu", "backend": "tensorflow"}
    return RunRecord(path=str(tmp_path / "run"), source="kerasdiag", config=base | config, model=ModelSummary(layers))


NOT_MAPPED = ["--layers 3", "--init he_normal", "--batch-norm", "--residual", "--normalize", "--train-size 500"]
NOT_MAPPED += ["--classes 0,1", "--units 64"]


def test_plan_maps_model_and_fit_flags_and_names_each_flag_it_cannot_apply(tmp_path):
    mapped = ["--shuffle", "--lr 0.01", "--optimizer sgd", "--epochs 40", "--batch-size 32", "--l2 0.001"]
    findings = [finding(f"rule-{i}", flags) for i, flags in enumerate(mapped + NOT_MAPPED)]
    findings += [finding("data-rule"), finding("same", "--activation relu"), finding("drop", "--dropout 0.3")]
    plan = plan_script_fixes(
        tmp_path / "run", script_record(tmp_path), findings, fix_flag_values, FixOptions(seeds=2, epochs=10)
    )
    assert [c.flags for c in plan.applicable] == mapped
    assert plan.changes["shuffle"] == {"shuffle": True, "epochs": 10}
    assert plan.changes["epochs-40"] == {"epochs": 20}  # 40 of the run's 20 epochs, scaled to --epochs 10
    assert plan.changes["optimizer-sgd"] == {"optimizer": "sgd", "epochs": 10}
    assert plan.baseline_change == {"epochs": 10} and plan.seeds == [0, 1]
    assert plan.argv == ["--epochs", "20"] and plan.fit_index == 1 and plan.notes == []
    refused = {c.flags or c.rules[0]: c.reason for c in plan.candidates if c.config is None}
    for flags in NOT_MAPPED:
        assert refused[flags].startswith("cannot be applied to a script automatically: " + flags.split()[0])
    assert "loads and splits its data" in refused["--train-size 500"] and "builds it" in refused["--layers 3"]
    assert refused["data-rule"].startswith("no train flag")
    assert refused["--activation relu"].startswith("changes nothing")
    assert "no Dropout layer" in refused["--dropout 0.3"]
    assert next(c for c in plan.applicable if c.flags == "--shuffle").other_validation(plan.base)


def test_plan_applies_dropout_where_the_layer_exists_and_notes_missing_argv(tmp_path):
    record = script_record(tmp_path, dropout=True, argv=None, fit_index=None, validation_split=0.0, shuffle=None)
    findings = [finding("overfitting", "--dropout 0.3"), finding("validation-mismatch", "--shuffle")]
    plan = plan_script_fixes(tmp_path / "run", record, findings, fix_flag_values)
    assert [c.flags for c in plan.applicable] == ["--dropout 0.3"] and plan.changes["dropout-0.3"] == {"dropout": 0.3}
    assert "no validation_split" in plan.candidates[1].reason
    assert plan.argv == [] and plan.fit_index == 0 and len(plan.notes) == 2


def test_a_script_run_whose_script_is_gone_says_where_it_looked(tmp_path):
    record = script_record(tmp_path)
    Path(record.config["script_path"]).unlink()
    assert is_script_run(record)
    with pytest.raises(RunDirError, match="learner.py"):
        plan_script_fixes(tmp_path / "run", record, [], fix_flag_values)


# -- a real re-run: the chosen fit changed, the others not, the seed replaces the script's own ----------------------

TWO_FITS = """
import sys
import keras
import numpy as np

keras.utils.set_random_seed(123)  # the script seeds itself; fix replaces the seed
x = np.random.default_rng(0).normal(size=(30, 4)).astype("float32")
y = keras.utils.to_categorical(np.repeat([0, 1, 2], 10), 3)
for i in range(2):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    print("init", i, float(model.get_weights()[0].sum()))
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, batch_size=10, verbose=0, validation_split=0.2)
    print("fit", i, len(history.history["loss"]), float(model.optimizer.learning_rate), sys.argv[1:])
"""


@pytest.mark.training
def test_rerun_changes_only_the_chosen_fit_and_seeds_the_script(tmp_path):
    from kerasdiag.training.script.rerun import rerun_script

    script = tmp_path / "two_fits.py"
    script.write_text(TWO_FITS, encoding="utf-8")
    logs = []
    for seed in (0, 1):
        change = {"epochs": 2, "lr": 0.01, "shuffle": True}
        done = rerun_script(script, ["--x"], fit_index=1, change=change, seed=seed, logdir=tmp_path, name=f"s{seed}")
        assert done.exit_code == 0 and done.path == tmp_path / f"s{seed}" and done.problem == ""
        logs.append((done.path / "script.log").read_text().splitlines())
    assert logs[0][1] == "fit 0 1 0.0010000000474974513 ['--x']"  # fit 0 unchanged
    assert logs[0][3] == "fit 1 2 0.009999999776482582 ['--x']"  # fit 1: 2 epochs, lr 0.01
    assert logs[0][0] != logs[1][0]  # seed 0 and seed 1 start from other weights despite set_random_seed(123)
    meta = json.loads((tmp_path / "s0" / "run.json").read_text())
    assert meta["status"] == "completed" and meta["config"]["fit_index"] == 1 and meta["config"]["epochs"] == 2
    assert meta["config"]["argv"] == ["--x"] and meta["data"]["validation"]["class_counts"]["0"] > 0
    assert sorted(p.name for p in tmp_path.iterdir() if (p / "run.json").exists()) == ["s0", "s1"]


def test_rerun_of_a_fit_index_the_script_never_reaches_says_so(tmp_path):
    from kerasdiag.training.script.rerun import rerun_script

    script = tmp_path / "no_fit.py"
    script.write_text("print('no fit here')\n", encoding="utf-8")
    done = rerun_script(script, [], fit_index=0, change={}, seed=0, logdir=tmp_path / "out", name="s0")
    assert done.path is None and done.problem == "the script made 0 fit call(s), not fit #1"
    assert (tmp_path / "out" / "s0.log").read_text() == "no fit here\n"


# -- end to end: kerasdiag run, then kerasdiag fix ------------------------------------------------------------------


def kerasdiag(*args: str, backend: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND=backend)
    done = subprocess.run(
        [sys.executable, "-m", "kerasdiag", *args], env=env, capture_output=True, text=True, timeout=400, cwd=REPO
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.training
def test_fix_on_the_iris_script_run_shows_shuffle_clears_validation_mismatch(tmp_path):
    backend = "jax" if importlib.util.find_spec("jax") else "tensorflow"
    script = "examples/iris_flat_accuracy.py"
    kerasdiag("run", "-q", "--logdir", str(tmp_path), "--backend", backend, script, "--epochs", "20", backend=backend)
    (run,) = [p for p in tmp_path.iterdir() if (p / "run.json").exists()]
    confirmed = ["--script", f"{script} --epochs 20"]  # what fix runs, named: a run folder alone never runs code
    done = kerasdiag("fix", str(run), "--seeds", "2", "--epochs", "20", "--format", "json", *confirmed, backend=backend)
    payload = json.loads(done.stdout)
    fixes = {f["flags"]: f for f in payload["fixes"]}
    shuffle = fixes["--shuffle"]
    assert shuffle["applied"] and shuffle["rules"] == ["validation-mismatch"] and shuffle["other_validation_set"]
    assert [r["status"] for r in shuffle["runs"]] == ["completed"] * 2
    assert shuffle["finding_still_fires"] == {"seeds": 0, "of": 2, "baseline_seeds": 2, "baseline_of": 2}
    assert all("validation-mismatch" in r["fired"] for r in payload["baseline"]["runs"])
    assert payload["seeds"] == [0, 1] and payload["epochs"] == 20 and payload["backend"] == backend
    meta = json.loads((run / "fixes" / "shuffle" / "seed-1" / "run.json").read_text())
    assert meta["config"]["argv"] == ["--epochs", "20"] and meta["config"]["epochs"] == 20
    assert set(meta["data"]["validation"]["class_counts"].values()) != {0, 30}
    assert (run / "fixes" / "fix.json").exists() and (run / "fixes" / "fix-val_accuracy.png").stat().st_size > 10_000
