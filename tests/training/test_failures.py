"""A run that fails once its directory exists is marked failed with the reason and diagnosed, never left "running".

A full disk during training (a write raising OSError 28, and, where this process may mount one, a real 1 MiB
tmpfs), a refused `--fit-mode fast`, an error while saving predictions or finishing, the k-th member of a
vectorised group: each leaves run.json `failed` with its `error`, a diagnosis.json naming it, no `*.tmp` file,
every finished epoch, and one clean line (exit 1, or 2 for a flag), never a traceback or the catch-all.
"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.rundir.writer import RunWriter
from kerasdiag.training.session import RunSession

pytestmark = pytest.mark.training
REPO = Path(__file__).resolve().parents[2]
IRIS = ["--dataset", "iris", "--layers", "1", "--units", "8", "--epochs", "3", "-q"]


def invoke(*args: object):
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(main, [str(a) for a in args])


def assert_one_clean_line(result, code: int, *parts: str) -> str:
    out = result.output
    assert result.exit_code == code, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out and "unexpected" not in out, out
    (line,) = [line for line in out.splitlines() if "Expected" in line and "Received" in line]
    for part in parts:
        assert part in line, line
    return line


def assert_failed_and_diagnosed(run: Path, *error_parts: str, epochs: int | None = None) -> dict:
    meta = json.loads((run / "run.json").read_text())
    assert meta["status"] == "failed", meta
    for part in error_parts:
        assert part in meta["error"], meta["error"]
    diagnosis = json.loads((run / "diagnosis.json").read_text())
    incomplete = [f for f in diagnosis["findings"] if f["rule"] == "run-incomplete"]
    assert incomplete and incomplete[0]["evidence"]["status"] == "failed", diagnosis
    assert incomplete[0]["evidence"]["error"] == meta["error"]
    assert sorted(p.name for p in run.rglob("*") if p.name.endswith(".tmp") or p.name == ".reserve") == []
    if epochs is not None:
        history = run / "history.jsonl"
        lines = history.read_text().splitlines() if history.exists() else []
        assert [json.loads(line)["epoch"] for line in lines] == list(range(1, epochs + 1))
    return meta


def test_a_full_disk_while_training_marks_the_run_failed(tmp_path, monkeypatch):
    real_append = RunWriter.append_epochs

    def disk_full_at_epoch_3(self, rows):
        if rows and rows[0]["epoch"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_append(self, rows)

    monkeypatch.setattr(RunWriter, "append_epochs", disk_full_at_epoch_3)
    result = invoke("train", *IRIS, "--logdir", tmp_path, "--name", "full")
    assert_one_clean_line(result, 1, "no space left on the device")
    meta = assert_failed_and_diagnosed(tmp_path / "full", "no space left on the device", epochs=2)
    assert meta["epochs_completed"] == 2 and meta["ended"]


def test_a_refused_fit_mode_fast_marks_the_run_failed(tmp_path, monkeypatch):
    from kerasdiag.messages.said import Said
    from kerasdiag.training.fastfit import loop

    monkeypatch.setattr(loop, "fast_fit_supported", lambda *a: (False, Said("training.fast.layers", layers="x")))
    result = invoke("train", *IRIS, "--fit-mode", "fast", "--logdir", tmp_path, "--name", "fast")
    assert_one_clean_line(result, 2, "--fit-mode fast", "unsupported layers: x")
    assert_failed_and_diagnosed(tmp_path / "fast", "--fit-mode fast", epochs=0)


def test_an_error_while_saving_predictions_marks_the_run_failed(tmp_path, monkeypatch):
    def broken(self, *args, **kwargs):
        raise ValueError("probabilities of the wrong shape")

    monkeypatch.setattr(RunSession, "save_predictions", broken)
    result = invoke("train", *IRIS, "--logdir", tmp_path, "--name", "preds")
    line = assert_one_clean_line(result, 1, "ValueError: probabilities of the wrong shape", "marked failed")
    assert str(tmp_path / "preds") in line
    assert_failed_and_diagnosed(tmp_path / "preds", "ValueError: probabilities of the wrong shape", epochs=3)


def test_an_error_while_finishing_marks_the_run_failed(tmp_path, monkeypatch):
    real_write = RunWriter.write_diagnosis
    calls = []

    def first_write_fails(self, payload):
        calls.append(payload)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, payload)

    monkeypatch.setattr(RunWriter, "write_diagnosis", first_write_fails)
    result = invoke("train", *IRIS, "--logdir", tmp_path, "--name", "end")
    assert_one_clean_line(result, 1, "no space left on the device")
    assert_failed_and_diagnosed(tmp_path / "end", "no space left on the device", epochs=3)


def test_two_trains_with_the_same_name_in_the_same_second_get_two_folders(tmp_path):
    from kerasdiag.config import RunConfig
    from kerasdiag.training.flags.run import train

    config = RunConfig(dataset="iris", layers=1, units=[4], epochs=1, logdir=str(tmp_path), name="twin")
    paths = [train(config).path for _ in range(2)]
    assert [p.name for p in paths] == ["twin", "twin-2"]
    assert all(json.loads((p / "run.json").read_text())["status"] == "completed" for p in paths)


MEMBER_FAILS = """
import json, sys
from pathlib import Path
from kerasdiag.config import RunConfig
from kerasdiag.experiments.batched import train_many
from kerasdiag.training.session import RunSession

real = RunSession.save_predictions
def second_member_fails(self, *args, **kwargs):
    if self.run.path.name == "seed-1":
        raise RuntimeError("member 1 broke")
    return real(self, *args, **kwargs)
RunSession.save_predictions = second_member_fails
root = Path(sys.argv[1])
configs = [RunConfig(dataset="iris", layers=1, units=[4], epochs=3, seed=s, backend="jax", logdir=str(root),
                     name=f"seed-{s}") for s in range(3)]
results = {}
notes = []
train_many(configs, on_result=lambda i, r: results.update({i: [r.status.value, str(r.failure or "")]}),
           on_note=notes.append)
print(json.dumps({"results": results, "notes": notes}))
"""


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed")
def test_the_kth_member_of_a_vectorised_group_failing_is_marked_failed_alone(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), KERAS_BACKEND="jax", KERASDIAG_OFFLINE="1")
    done = subprocess.run(
        [sys.executable, "-c", MEMBER_FAILS, str(tmp_path)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    payload = json.loads(done.stdout.splitlines()[-1])
    assert payload["notes"] == []  # one vectorised program
    results = payload["results"]
    assert results["0"][0] == results["2"][0] == "completed"
    assert results["1"][0] == "failed" and "RuntimeError: member 1 broke" in results["1"][1]
    assert_failed_and_diagnosed(tmp_path / "seed-1", "RuntimeError: member 1 broke", epochs=3)
    for ok in ("seed-0", "seed-2"):
        assert json.loads((tmp_path / ok / "run.json").read_text())["status"] == "completed"
        assert (tmp_path / ok / "predictions.npz").is_file()


@pytest.fixture
def tiny_disk():
    """A real 600 KiB tmpfs (root only, where mounting is allowed); skipped elsewhere."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    where = Path(tempfile.mkdtemp(prefix="kerasdiag-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)
        where.rmdir()


def test_a_really_full_disk_marks_the_run_failed_with_its_diagnosis(tiny_disk):
    """digits' probes and weight histograms fill 600 KiB (less the 256 KiB reserve) long before 200 epochs: the
    run still ends failed, with its reason and diagnosis."""
    env = dict(os.environ, PYTHONPATH=str(REPO), KERASDIAG_OFFLINE="1")
    command = [sys.executable, "-m", "kerasdiag", "train", "--dataset", "digits", "--layers", "3", "--units", "64"]
    command += ["--epochs", "200", "-q", "--logdir", str(tiny_disk), "--name", "full"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=REPO)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out and "unexpected" not in out, out
    (line,) = [line for line in out.splitlines() if "Expected" in line and "Received" in line]
    assert "no space left on the device" in line, line
    meta = assert_failed_and_diagnosed(tiny_disk / "full", "no space left on the device")
    lines = (tiny_disk / "full" / "history.jsonl").read_text().splitlines()
    assert 0 < len(lines) < 200 and meta["epochs_completed"] == len(lines)
    assert [json.loads(line)["epoch"] for line in lines] == list(range(1, len(lines) + 1))
