"""Whatever kerasdiag does inside a learner's fit, the fit goes on as without it (issue 18: do no harm)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _data(rows: int = 120) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 6)).astype(np.float32)
    return x, (x[:, 0] + x[:, 1] > 0).astype(np.int64) + (x[:, 2] > 1).astype(np.int64)


def _model(unbuilt: bool = False):
    import keras

    keras.utils.set_random_seed(0)
    head = [keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)]
    model = keras.Sequential(head if unbuilt else [keras.Input((6,)), *head])
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


def _fit(model, callbacks=()):
    x, y = _data()
    return model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=list(callbacks))


def _only_run(logdir: Path) -> dict:
    (run,) = logdir.iterdir()
    return json.loads((run / "run.json").read_text()) | {"path": run}


@pytest.mark.training
def test_a_failing_part_is_switched_off_the_fit_and_its_history_unchanged(tmp_path, monkeypatch, capsys):
    import kerasdiag.keras as kd
    from kerasdiag.training.callbacks.probe import ProbeCallback

    plain = _fit(_model()).history

    def broken(self):
        raise RuntimeError("probe exploded")

    monkeypatch.setattr(ProbeCallback, "measure", broken)
    diagnosed = _fit(_model(), [kd.Diagnose(tmp_path / "runs", verbose=0)]).history
    for key in plain:
        np.testing.assert_allclose(diagnosed[key], plain[key], rtol=1e-6, err_msg=key)
    meta = _only_run(tmp_path / "runs")
    assert meta["status"] == "completed" and meta["epochs_completed"] == 3
    assert meta["kerasdiag_errors"] == [{"part": "probe", "error": "RuntimeError: probe exploded"}]
    rules = [finding["rule"] for finding in json.loads((meta["path"] / "diagnosis.json").read_text())["findings"]]
    assert "run-incomplete" not in rules  # kerasdiag's own failure is no damage of the learner's run
    assert "probe exploded" in capsys.readouterr().err


@pytest.mark.training
def test_a_run_folder_that_cannot_be_made_leaves_the_fit_alone(tmp_path, capsys):
    import kerasdiag.keras as kd

    blocker = tmp_path / "runs"
    blocker.write_text("a file where the runs folder would go")
    history = _fit(_model(), [kd.Diagnose(blocker, verbose=1)]).history
    assert len(history["loss"]) == 3 and blocker.read_text().startswith("a file")
    err = capsys.readouterr().err
    assert "kerasdiag: its start step failed inside fit" in err and "training goes on" in err


@pytest.mark.training
def test_an_unbuilt_model_is_described_and_probed_once_built(tmp_path):
    import kerasdiag.keras as kd

    model = _model(unbuilt=True)  # no Input: TensorFlow builds it at the first step, after on_train_begin
    assert not model.built
    _fit(model, [kd.Diagnose(tmp_path / "runs", verbose=0)])
    meta = _only_run(tmp_path / "runs")
    assert "kerasdiag_errors" not in meta
    assert [layer["kind"] for layer in meta["model"]["layers"]][-2:] == ["Dense", "Dense"]
    anatomy = meta["anatomy"]
    assert anatomy["task"] == "multiclass-logits" and anatomy["from_logits"] is True and anatomy["num_classes"] == 3
    assert [node["nonlinearity"] for node in anatomy["layers"]] == ["relu", "linear"]


@pytest.mark.training
def test_a_model_whose_get_config_raises_is_described_from_its_layers(tmp_path):
    import keras

    import kerasdiag.keras as kd

    class Net(keras.Model):
        def __init__(self, hidden):  # constructor arguments and no get_config: get_config raises
            super().__init__()
            self.hidden, self.out = keras.layers.Dense(hidden, activation="tanh"), keras.layers.Dense(3)

        def call(self, x):
            return self.out(self.hidden(x))

    model = Net(5)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    _fit(model, [kd.Diagnose(tmp_path / "runs", verbose=0)])
    meta = _only_run(tmp_path / "runs")
    assert "kerasdiag_errors" not in meta and meta["status"] == "completed"
    assert [node["nonlinearity"] for node in meta["anatomy"]["layers"]] == ["tanh", "linear"]


SEES_KERAS = """
import sys
print("keras imported before the script:", "keras" in sys.modules)
"""


def test_kerasdiag_run_imports_no_keras_before_the_script(tmp_path):
    """So that a script choosing its backend (`os.environ["KERAS_BACKEND"] = "jax"`, then `import keras`) gets it."""
    script = tmp_path / "first_line.py"
    script.write_text(SEES_KERAS)
    kerasdiag = Path(sys.executable).parent / "kerasdiag"
    command = [str(kerasdiag), "run", "--logdir", str(tmp_path / "runs"), str(script)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "keras imported before the script: False" in done.stdout


@pytest.mark.training
def test_a_failing_side_part_stops_alone_and_is_noted_once(tmp_path, monkeypatch):
    import kerasdiag.keras as kd
    from kerasdiag.training.callbacks.diagnose import DiagnoseCallback

    def broken(self, epoch):
        raise ValueError("live rules broke")

    monkeypatch.setattr(DiagnoseCallback, "_live_findings", broken)
    _fit(_model(), [kd.Diagnose(tmp_path / "runs", verbose=0)])
    meta = _only_run(tmp_path / "runs")
    assert meta["kerasdiag_errors"] == [{"part": "live", "error": "ValueError: live rules broke"}]
    rows = (meta["path"] / "history.jsonl").read_text().splitlines()
    assert len(rows) == 3 and meta["status"] == "completed"  # the epochs are still logged, the run still finished


@pytest.mark.training
def test_a_quiet_fit_leaves_a_stderr_that_is_no_terminal_empty(tmp_path, capsys):
    """verbose=0 under `kerasdiag run` (progress=True): kerasdiag's bar stands in for Keras's only on a terminal;
    elsewhere not even an empty line."""
    import kerasdiag.keras as kd

    _fit(_model(), [kd.Diagnose(tmp_path / "runs", verbose=1, progress=True)])
    assert capsys.readouterr().err == ""


@pytest.mark.training
def test_a_loss_that_turns_nan_does_not_stop_the_learners_fit(tmp_path):
    """Without kerasdiag a fit whose loss turns NaN trains every epoch it asked for; with it, too (a script that
    counts its epochs or its optimizer steps must read the same numbers)."""
    import keras

    import kerasdiag.keras as kd

    def fit(callbacks):
        model = _model()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e6), loss=model.loss)
        x, y = _data()
        history = model.fit(x * 1e3, y, epochs=5, batch_size=16, verbose=0, callbacks=callbacks)
        return len(history.history["loss"]), int(model.optimizer.iterations.numpy())

    assert fit([kd.Diagnose(tmp_path, verbose=0)]) == fit([]) == (5, 40)
    meta = _only_run(tmp_path)
    assert meta["status"] == "diverged" and meta["epochs_completed"] == 5
