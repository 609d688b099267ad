"""The run directory's writer on a full disk and under races: every file whole or not at all, one folder per run."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kerasdiag.errors import RunDirError
from kerasdiag.rundir import writer as writer_module
from kerasdiag.rundir.writer import RESERVE, RunWriter, make_unique_dir

REPO = Path(__file__).resolve().parents[2]


def full_disk(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


class FullAfter:
    """A file object's `write` that writes `room` bytes, then fails as a full disk does."""

    def __init__(self, stream, room: int):
        self.stream, self.room = stream, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.stream.write(data[: self.room])
            self.stream.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.stream.write(data)

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()


@pytest.fixture
def run(tmp_path) -> RunWriter:
    writer = RunWriter.create(tmp_path, "run")
    writer.write_meta(status="running", config={"epochs": 3})
    return writer


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("room", [0, 10, 100])
def test_run_json_on_a_full_disk_keeps_the_old_file_and_no_tmp(run, monkeypatch, room):
    real_open = open

    def cramped_open(path, mode="r", *args, **kwargs):
        stream = real_open(path, mode, *args, **kwargs)
        return FullAfter(stream, room) if str(path).endswith(".tmp") else stream

    monkeypatch.setattr("builtins.open", cramped_open)
    with pytest.raises(RunDirError, match="cannot write .*run.json: no space left on the device"):
        run.write_meta(status="failed", error="x" * 500)
    monkeypatch.undo()
    assert json.loads((run.path / "run.json").read_text())["status"] == "running"
    assert leftovers(run.path) == []


def test_diagnosis_json_is_written_atomically(run, monkeypatch):
    run.write_diagnosis({"findings": ["first"]})
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(
        writer_module.os, "replace", lambda a, b: (replaced.append((Path(a).name, Path(b).name)), real_replace(a, b))
    )
    run.write_diagnosis({"findings": ["second"]})
    assert replaced == [("diagnosis.json.tmp", "diagnosis.json")]
    monkeypatch.setattr(writer_module.os, "replace", full_disk)
    with pytest.raises(RunDirError, match="no space left"):
        run.write_diagnosis({"findings": ["third"]})
    assert json.loads((run.path / "diagnosis.json").read_text()) == {"findings": ["second"]}
    assert leftovers(run.path) == []


def test_predictions_on_a_full_disk_leave_no_tmp(run, monkeypatch):
    monkeypatch.setattr(writer_module.np, "savez_compressed", full_disk)
    with pytest.raises(RunDirError, match="predictions.npz: no space left"):
        run.write_predictions(val_y=np.zeros(3))
    assert leftovers(run.path) == [] and not (run.path / "predictions.npz").exists()


def test_a_failed_append_is_cut_back_to_the_last_whole_line(run, monkeypatch):
    run.append_epochs([{"epoch": 1, "loss": 1.0}])
    real_open = open

    def cramped_open(path, mode="r", *args, **kwargs):
        stream = real_open(path, mode, *args, **kwargs)
        return FullAfter(stream, 7) if str(path).endswith("history.jsonl") else stream

    monkeypatch.setattr("builtins.open", cramped_open)
    with pytest.raises(RunDirError, match="history.jsonl: no space left"):
        run.append_epochs([{"epoch": 2, "loss": 0.5}, {"epoch": 3, "loss": 0.25}])
    monkeypatch.undo()
    assert (run.path / "history.jsonl").read_text() == '{"epoch": 1, "loss": 1.0}\n'


def test_the_reserve_holds_real_blocks_and_is_given_back(run):
    run.reserve(64 * 1024)
    reserve = run.path / RESERVE
    assert reserve.stat().st_size == 64 * 1024 and reserve.stat().st_blocks * 512 >= 64 * 1024  # not sparse
    run.release_reserve()
    run.release_reserve()  # idempotent
    assert not reserve.exists()


def test_two_runs_with_the_same_name_in_one_process_get_two_folders(tmp_path):
    paths = [RunWriter.create(tmp_path, "same").path for _ in range(3)]
    assert [p.name for p in paths] == ["same", "same-2", "same-3"]


RACE = """
import sys
from pathlib import Path
from kerasdiag.rundir.writer import make_unique_dir
root = Path(sys.argv[1])
sys.stdin.readline()  # start together
print("\\n".join(make_unique_dir(root, "same").name for _ in range(40)))
"""


def test_two_processes_asking_for_the_same_name_at_once_never_share_a_folder(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-c", RACE, str(tmp_path)]
    procs = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env) for _ in "ab"]
    outputs = [p.communicate("go\n", timeout=60)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    names = outputs[0] + outputs[1]
    assert len(names) == 80 and len(set(names)) == 80
    assert {p.name for p in tmp_path.iterdir()} == set(names)
    assert make_unique_dir(tmp_path, "same").name == "same-81"
