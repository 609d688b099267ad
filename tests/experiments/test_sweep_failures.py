"""A sweep goes on past a setting that raises (recorded `failed` in sweep.json), `--resume` starts a sweep under a
new name, and the sweep ends with the board command for its own runs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.errors import DataError
from kerasdiag.training.flags import datasets
from kerasdiag.training.session import RunSession

pytestmark = pytest.mark.training
IRIS = ["--dataset", "iris", "--units", "8", "--epochs", "2"]


def invoke(*args: object):
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(main, ["sweep", *map(str, args)])


def test_a_setting_that_raises_is_recorded_failed_and_the_sweep_goes_on(tmp_path, monkeypatch):
    real_save, real_load = RunSession.save_predictions, datasets.load

    def save(self, *args, **kwargs):  # after its run directory exists
        if self.run.path.name == "layers=2-seed=0":
            raise ValueError("layers=2 broke")
        return real_save(self, *args, **kwargs)

    def load(config):  # before any run directory exists
        if config.seed == 1:
            raise DataError("a readable data set", "seed 1 data (damaged)")
        return real_load(config)

    monkeypatch.setattr(RunSession, "save_predictions", save)
    monkeypatch.setattr(datasets, "load", load)
    args = ["--layers", "1,2,3", "--repeats", "2", *IRIS, "--logdir", tmp_path, "--name", "s"]
    result = invoke(*args)
    out = result.output
    assert result.exit_code == 1, out
    assert "Traceback" not in out and "unexpected" not in out, out
    state = json.loads((tmp_path / "s" / "sweep.json").read_text())
    runs = {(r["setting"], r["seed"]): r for r in state["runs"]}
    assert len(runs) == 6  # every setting ran: none stopped the sweep
    assert runs[("layers=1", 0)]["status"] == runs[("layers=3", 0)]["status"] == "completed"
    broke = runs[("layers=2", 0)]
    assert broke["status"] == "failed" and "ValueError: layers=2 broke" in broke["error"]
    assert broke["path"] == "layers=2-seed=0" and (tmp_path / "s" / broke["path"] / "diagnosis.json").is_file()
    for layers in (1, 2, 3):
        early = runs[(f"layers={layers}", 1)]
        assert early["status"] == "failed" and early["path"] == "" and "seed 1 data (damaged)" in early["error"]
    assert "failed: layers=2-seed=0: " in out and "ValueError: layers=2 broke" in out
    assert "4 run(s) failed" in out and "--resume" in out
    assert f"kerasdiag board {tmp_path / 's'}" in out
    assert "layers=1" in out and "layers=3" in out  # the table of what finished

    monkeypatch.undo()
    again = invoke(*args, "--resume", "--format", "json")
    assert again.exit_code == 0, again.output
    payload = json.loads(again.output)
    assert payload["failed"] == [] and [s["runs"] for s in payload["settings"]] == [2, 2, 2]
    assert payload["board"] == f"kerasdiag board {tmp_path / 's'}"


def test_resume_on_a_new_name_starts_the_sweep(tmp_path):
    args = ["--layers", "1,2", *IRIS, "--logdir", tmp_path, "--name", "tiny", "--resume"]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "No sweep named tiny yet: starting it." in first.output
    state = json.loads((tmp_path / "tiny" / "sweep.json").read_text())
    assert [r["status"] for r in state["runs"]] == ["completed", "completed"]
    second = invoke(*args)  # the same command line again: everything already done
    assert second.exit_code == 0, second.output
    assert "No sweep named" not in second.output and "already done" in second.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"]
