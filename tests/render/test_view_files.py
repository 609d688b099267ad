"""`report` and `compare` write only kerasdiag's own files, never through a link, always whole (issue 20).

A user's own `loss.png` and `report.html` (a CSVLogger folder) are kept byte for byte and the new files go
beside them; kerasdiag's own files, listed with their hashes in `.kerasdiag-files`, are replaced; a link in
the way is refused in one line and the file it points to is untouched; a failed write leaves the old file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from kerasdiag.cli import main
from kerasdiag.errors import RunDirError
from kerasdiag.render import files
from kerasdiag.render.files import MANIFEST, OwnedFiles, write_atomic
from kerasdiag.rundir.summaries import Predictions
from kerasdiag.rundir.writer import RunWriter
from tests.helpers.run_dirs import make_run_dir

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
THEIRS = b"the user's own file"


def invoke(*args: object) -> Result:
    return CliRunner(env=ENV).invoke(main, [str(a) for a in args])


def assert_refused(result: Result, *parts: str) -> str:
    """Exit 1, nothing unexpected, one "Expected ... Received: ..." line holding `parts`."""
    out = result.output
    assert result.exit_code == 1, out
    assert "Traceback" not in out and "unexpected" not in out, out
    lines = [line for line in out.splitlines() if "Expected" in line and "Received" in line]
    assert len(lines) == 1, out
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def csv_logger_folder(root: Path) -> Path:
    """A user's own log folder: a CSVLogger file, and their own loss.png and report.html."""
    folder = root / "my_logs"
    folder.mkdir()
    rows = "".join(f"{e},{1 / (e + 1)},{1.1 / (e + 1)}\n" for e in range(6))
    (folder / "training.csv").write_text("epoch,loss,val_loss\n" + rows, encoding="utf-8")
    (folder / "loss.png").write_bytes(THEIRS)
    (folder / "report.html").write_bytes(THEIRS)
    return folder


def with_predictions(run: Path) -> Path:
    p1 = np.linspace(0.05, 0.95, 20)
    predictions = Predictions(val_y=np.array([0, 1] * 10), val_probs=np.stack([1 - p1, p1], axis=1))
    RunWriter(run).write_predictions(**predictions.to_arrays())
    return run


# -- never overwrite a file kerasdiag did not write ----------------------------------------------------------------


def test_report_keeps_the_users_own_files_and_writes_beside_them(tmp_path):
    folder = csv_logger_folder(tmp_path)
    result = invoke("report", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "loss.png").read_bytes() == THEIRS and (folder / "report.html").read_bytes() == THEIRS
    assert (folder / "loss-2.png").read_bytes().startswith(b"\x89PNG")
    assert "kerasdiag report" in (folder / "report-2.html").read_text(encoding="utf-8")
    assert "report.html in" in result.output and "wrote report-2.html beside it" in result.output
    assert "Report: " in result.output and "report-2.html" in result.output

    again = invoke("report", folder)  # kerasdiag's own files are replaced, not multiplied
    assert again.exit_code == 0, again.output
    assert not (folder / "loss-3.png").exists() and not (folder / "report-3.html").exists()
    listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert {"loss-2.png", "report-2.html", "gradients.png"} <= set(listed) and "loss.png" not in listed


def test_a_file_kerasdiag_wrote_and_the_user_changed_is_theirs(tmp_path):
    run = make_run_dir(tmp_path, "run", epochs=4)
    assert invoke("report", run).exit_code == 0
    (run / "report.html").write_text("my notes on this run", encoding="utf-8")
    result = invoke("report", run)
    assert result.exit_code == 0, result.output
    assert (run / "report.html").read_text(encoding="utf-8") == "my notes on this run"
    assert (run / "report-2.html").is_file() and not (run / "loss-2.png").exists()  # the figures were kerasdiag's


def test_report_in_japanese_says_where_it_wrote_instead(tmp_path):
    folder = csv_logger_folder(tmp_path)
    result = invoke("report", folder, "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "kerasdiag が書いたファイルではないので" in result.output and "report-2.html" in result.output


def test_compare_keeps_the_users_files_in_out(tmp_path):
    first, second = make_run_dir(tmp_path, "a", epochs=4), make_run_dir(tmp_path, "b", epochs=3)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "loss.png").write_bytes(THEIRS)
    result = invoke("compare", first, second, "--out", out, "--format", "json")
    assert result.exit_code == 0, result.output
    assert (out / "loss.png").read_bytes() == THEIRS
    assert json.loads(result.stdout)["figures"] == [str(out / "loss-2.png")]


def test_a_damaged_manifest_makes_nothing_kerasdiags(tmp_path):
    run = make_run_dir(tmp_path, "run", epochs=4)
    (run / "loss.png").write_bytes(THEIRS)
    (run / MANIFEST).write_text('{"files": {"loss.png": {"bytes": 3, "sha256": "x"}}, "x": [' * 50, encoding="utf-8")
    assert OwnedFiles.read(run).place("loss.png") == run / "loss-2.png"
    (run / MANIFEST).write_text('{"files": {"loss.png": {"bytes": 19, "sha256": "00"}}}', encoding="utf-8")
    assert OwnedFiles.read(run).place("loss.png") == run / "loss-2.png"  # listed, but not the bytes written


def test_all_names_taken_is_one_line(tmp_path, monkeypatch):
    run = make_run_dir(tmp_path, "run", epochs=4)
    monkeypatch.setattr(files, "MAX_NAMES", 3)
    for name in ("report.html", "report-2.html", "report-3.html"):
        (run / name).write_bytes(THEIRS)
    assert_refused(invoke("report", run), "cannot write", "report.html", "report-3.html", "did not write")


# -- never through a link --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gradients.png", "report.html", MANIFEST, "loss-2.png"])
def test_report_refuses_a_link_in_the_run_folder(tmp_path, name):
    folder = csv_logger_folder(tmp_path)  # loss.png is theirs, so loss-2.png is where kerasdiag would write
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to(outside)
    assert_refused(invoke("report", folder), "cannot write", name, "symbolic link")
    assert outside.read_bytes() == b"precious"
    assert not (folder / "report-2.html").exists()  # refused before anything was written


def test_a_dangling_link_creates_nothing_outside(tmp_path):
    run = make_run_dir(tmp_path, "run", epochs=4)
    (run / "loss.png").symlink_to(tmp_path / "created-outside.png")
    assert_refused(invoke("report", run), "cannot write", "loss.png", "symbolic link")
    assert not (tmp_path / "created-outside.png").exists()


def test_compare_refuses_a_link_in_out(tmp_path):
    first, second = with_predictions(make_run_dir(tmp_path, "a", epochs=4)), make_run_dir(tmp_path, "b", epochs=3)
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"precious")
    (out / "reliability.png").symlink_to(outside)
    assert_refused(invoke("compare", first, second, "--out", out), "cannot write", "reliability.png", "symbolic link")
    assert outside.read_bytes() == b"precious" and not (out / "loss.png").exists()


def test_compare_refuses_a_planted_link_as_its_default_folder(tmp_path):
    first, second = make_run_dir(tmp_path, "a", epochs=4), make_run_dir(tmp_path, "b", epochs=3)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "compare-a-vs-b").symlink_to(elsewhere)
    assert_refused(invoke("compare", first, second), "cannot write", "compare-a-vs-b", "symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_a_fifo_where_a_figure_goes_is_refused_without_blocking(tmp_path):
    run = make_run_dir(tmp_path, "run", epochs=4)
    os.mkfifo(run / "loss.png")
    assert_refused(invoke("report", run), "cannot write", "loss.png", "pipe")


# -- always whole ----------------------------------------------------------------------------------------------------


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    write_atomic(target, b"old page")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    with pytest.raises(RunDirError, match="no space left"):
        write_atomic(target, b"new page")
    assert target.read_bytes() == b"old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_figures_are_written_whole_through_a_temporary_file(tmp_path, monkeypatch):
    replaced: list[tuple[str, str]] = []
    real = os.replace

    def recording(src, dst):
        replaced.append((Path(src).name, Path(dst).name))
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", recording)
    run = make_run_dir(tmp_path, "run", epochs=4)
    assert invoke("report", run).exit_code == 0
    mine = {"loss.png", "accuracy.png", "gradients.png", "report.html", MANIFEST}
    views = [(src, dst) for src, dst in replaced if dst in mine]
    assert {dst for _, dst in views} == mine
    assert all(src.startswith(".") and src.endswith(".tmp") for src, _ in views)
    assert not [p for p in run.iterdir() if p.name.endswith(".tmp")]
