"""Bad input never escapes, never crashes: a corpus of bad flags, damaged files and unwritable places.

Every case runs a real command through `kerasdiag.cli.main` and checks its exit code (2 bad flags,
1 a runtime problem, 0 a partial diagnosis), that no traceback and no "unexpected" error escaped,
and that one line says what was expected and what was received (or, for a damaged run, that a
`run-incomplete` finding names the damaged file while every other rule still ran). No case trains.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from kerasdiag.cli import main
from tests.conftest import MNIST_DIR
from tests.helpers.run_dirs import RunDirFactory

ENV = {"COLUMNS": "120", "NO_COLOR": "1"}
MNIST = MNIST_DIR / "mnist.npz"
LONG = "x" * 300


def invoke(*args: str) -> Result:
    return CliRunner(env=ENV).invoke(main, [str(a) for a in args])


def assert_refused(result: Result, code: int, *parts: str) -> str:
    """Exit `code`, nothing unexpected, and exactly one "Expected ... Received: ..." line holding `parts`."""
    out = result.output
    assert result.exit_code == code, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out and "unexpected" not in out, out
    lines = [line for line in out.splitlines() if "Expected" in line and "Received" in line]
    assert len(lines) == 1, out
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


# --- train: flags refused by their types or by the size caps (exit 2) -----------------------------------------

TRAIN_USAGE = {
    "name-parent": (["--name", "../../x"], "a path"),
    "name-absolute": (["--name", "/tmp/abs"], "a path"),
    "name-nested": (["--name", "a/b"], "a path"),
    "name-300-chars": (["--name", LONG], "300 characters"),
    "name-dotdot": (["--name", ".."], "'..'"),
    "name-backslash": (["--name", "a\\b"], "a path"),
    "name-empty": (["--name", ""], "empty"),
    "name-blank": (["--name", "   "], "empty"),
    "name-newline": (["--name", "a\nb"], "control character"),
    "name-tab": (["--name", "a\tb"], "control character"),
    "lr-nan": (["--lr", "nan"], "'nan'"),
    "lr-inf": (["--lr", "inf"], "'inf'"),
    "lr-minus-inf": (["--lr", "-inf"], "'-inf'"),
    "lr-overflow": (["--lr", "1e999"], "'1e999'"),
    "lr-zero": (["--lr", "0"], "> 0"),
    "lr-text": (["--lr", "fast"], "'fast'"),
    "momentum-nan": (["--momentum", "nan"], "'nan'"),
    "momentum-2": (["--momentum", "2"], "[0, 1]"),
    "weight-decay-nan": (["--weight-decay", "nan"], "'nan'"),
    "weight-decay-inf": (["--weight-decay", "inf"], "'inf'"),
    "l1-nan": (["--l1", "nan"], "'nan'"),
    "l1-inf": (["--l1", "inf"], "'inf'"),
    "l2-nan": (["--l2", "nan"], "'nan'"),
    "l2-inf": (["--l2", "inf"], "'inf'"),
    "l2-negative": (["--l2", "-0.1"], ">= 0"),
    "dropout-nan": (["--dropout", "nan"], "'nan'"),
    "validation-split-nan": (["--validation-split", "nan"], "'nan'"),
    "batch-size-beyond-int64": (["--batch-size", str(2**70)], str(2**70)),
    "batch-size-zero": (["--batch-size", "0"], "'0'"),
    "batch-size-float": (["--batch-size", "1.5"], "'1.5'"),
    "seed-negative": (["--seed", "-1"], "'-1'"),
    "seed-2-pow-40": (["--seed", str(2**40)], str(2**40)),
    "seed-expression": (["--seed", "2**40"], "'2**40'"),
    "epochs-zero": (["--epochs", "0"], "'0'"),
    "epochs-10-pow-12": (["--epochs", str(10**12)], str(10**12)),
    "probe-every-zero": (["--probe-every", "0"], "'0'"),
    "train-size-1": (["--train-size", "1"], "'1'"),
    "units-10-pow-9": (["--units", str(10**9)], "MAX_UNITS"),
    "units-zero": (["--units", "0"], "'0'"),
    "units-too-many-params": (["--units", "20000", "--layers", "3"], "MAX_PARAMS"),
    "layers-10-pow-6": (["--layers", str(10**6)], "[0, 256]"),
    "layers-negative": (["--layers", "-1"], "'-1'"),
    "kernel-size-100": (["--model", "cnn", "--kernel-size", "100"], "[1, 28]"),
    "kernel-size-beyond-digits": (["--model", "cnn", "--dataset", "digits", "--kernel-size", "9"], "image side"),
    "conv-filters-huge": (["--model", "cnn", "--dataset", "mnist", "--conv-filters", "100000"], "MAX_UNITS"),
    "activations-beyond-memory": (
        ["--model", "cnn", "--dataset", "mnist", "--conv-filters", "512,512", "--batch-size", "60000"],
        "MAX_ACTIVATION_BYTES",
    ),
}


@pytest.mark.parametrize(("args", "part"), TRAIN_USAGE.values(), ids=TRAIN_USAGE.keys())
def test_train_refuses_bad_flags(args, part, tmp_path):
    result = invoke("train", "--dataset", "iris", "--logdir", tmp_path / "runs", *args)
    assert_refused(result, 2, part)
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_train_refuses_a_logdir_that_is_a_file(tmp_path):
    file = tmp_path / "file"
    file.write_text("x")
    assert_refused(invoke("train", "--dataset", "iris", "--logdir", file), 2, "(a file)")


def test_train_refuses_a_logdir_under_a_file(tmp_path):
    file = tmp_path / "file"
    file.write_text("x")
    assert_refused(invoke("train", "--dataset", "iris", "--logdir", file / "runs"), 1, "cannot write", "a file is")


# --- train: damaged MNIST files (exit 1, DataError naming the file) ----------------------------------------------


def _mnist_arrays() -> dict[str, np.ndarray]:
    with np.load(MNIST) as data:
        return {name: data[name] for name in data.files}


def _npz(**changes: object) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        arrays = {**_mnist_arrays(), **changes}
        np.savez(folder / "mnist.npz", **{k: v for k, v in arrays.items() if v is not None})  # type: ignore[arg-type]

    return write


def _with_labels(change: Callable[[np.ndarray], np.ndarray]) -> Callable[[Path], None]:
    return lambda folder: _npz(y_train=change(_mnist_arrays()["y_train"]))(folder)


def _bytes(content: bytes, name: str = "mnist.npz") -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def _nan_label(y: np.ndarray) -> np.ndarray:
    y = y.astype(float)
    y[3] = np.nan
    return y


def _set_label(value: int) -> Callable[[np.ndarray], np.ndarray]:
    def change(y: np.ndarray) -> np.ndarray:
        y = y.astype(np.int64)
        y[5] = value
        return y

    return change


def _truncated(folder: Path) -> None:
    raw = MNIST.read_bytes()
    (folder / "mnist.npz").write_bytes(raw[: len(raw) // 2])


def _idx(header: bytes, body: bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        with gzip.open(folder / "t10k-images-idx3-ubyte.gz", "wb") as stream:
            stream.write(header + body)
        with gzip.open(folder / "t10k-labels-idx1-ubyte.gz", "wb") as stream:
            stream.write(b"\x00\x00\x08\x01" + (2).to_bytes(4, "big") + b"\x01\x02")

    return write


DAMAGED_DATA = {
    "npz-truncated": (_truncated, "not a zip"),
    "npz-not-a-zip": (_bytes(b"hello, this is not a zip"), "not a zip archive"),
    "npz-empty": (_bytes(b""), "not a zip archive"),
    "npz-missing-array": (_npz(x_test=None), "x_test"),
    "npz-object-array": (_npz(y_test=np.array([{"a": 1}, None], dtype=object)), "mnist.npz"),
    "labels-nan": (_with_labels(_nan_label), "the first nan"),
    "labels-negative": (_with_labels(_set_label(-1)), "the first -1"),
    "labels-beyond-9": (_with_labels(_set_label(10)), "the first 10"),
    "labels-2d": (_with_labels(lambda y: y.reshape(-1, 2)), "y_train of shape"),
    "labels-too-few": (_with_labels(lambda y: y[:-1]), "y_train of shape"),
    "images-wrong-shape": (_npz(x_train=_mnist_arrays()["x_train"].reshape(-1, 14, 56)), "(8000, 14, 56)"),
    "images-1d": (_npz(x_train=np.zeros(8000)), "x_train of shape (8000,)"),
    "images-nan": (_npz(x_train=np.full((8000, 28, 28), np.nan)), "NaN or infinite"),
    "images-text": (_npz(x_train=np.array(["a"] * 8000)), "dtype <U1"),
    "idx-bad-magic": (_idx(b"\x01\x02\x03\x04", b""), "IDX file of unsigned bytes"),
    "idx-truncated-header": (_idx(b"\x00\x00\x08\x03", b"\x00\x00"), "truncated"),
    "idx-short-body": (
        _idx(b"\x00\x00\x08\x03" + b"".join(n.to_bytes(4, "big") for n in (2, 28, 28)), b"\x00"),
        "bytes",
    ),
}


@pytest.mark.parametrize(("damage", "part"), DAMAGED_DATA.values(), ids=DAMAGED_DATA.keys())
def test_train_names_the_damaged_data_file(damage, part, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    damage(data)
    result = invoke("train", "--model", "cnn", "--data-dir", data, "--logdir", tmp_path / "runs", "--epochs", "1")
    line = assert_refused(result, 1, part)
    assert str(data) in line


def test_train_refuses_a_data_dir_that_is_another_file(tmp_path):
    file = tmp_path / "mnist.txt"
    file.write_text("x")
    assert_refused(invoke("train", "--data-dir", file, "--logdir", tmp_path / "runs"), 1, "not a folder or an .npz")


# --- sweep -------------------------------------------------------------------------------------------------------

SWEEP_USAGE = {
    "name-parent": (["--layers", "1,2", "--name", "../../x"], "a path"),
    "name-absolute": (["--layers", "1,2", "--name", "/tmp/abs"], "a path"),
    "name-nested": (["--layers", "1,2", "--name", "a/b"], "a path"),
    "name-300-chars": (["--layers", "1,2", "--name", LONG], "300 characters"),
    "range-1-to-1000000": (["--layers", "1..1000000"], "MAX_SWEEP_RUNS"),
    "product-too-large": (["--layers", "1..100", "--units", "/".join(map(str, range(1, 101)))], "10,000"),
    "repeats-too-many-runs": (["--layers", "1,2", "--repeats", "600"], "--repeats 600"),
    "repeats-zero": (["--layers", "1,2", "--repeats", "0"], "'0'"),
    "range-backwards": (["--layers", "5..2"], "'5..2'"),
    "range-not-numbers": (["--layers", "a..b"], "'a..b'"),
    "lr-nan-in-list": (["--lr", "0.1,nan"], "'nan'"),
    "l2-inf-in-list": (["--l2", "0,inf"], "'inf'"),
    "seed-negative": (["--seed", "-1"], "'-1'"),
    "units-huge-in-list": (["--units", f"64/{10**9}"], "MAX_UNITS"),
}


@pytest.mark.parametrize(("args", "part"), SWEEP_USAGE.values(), ids=SWEEP_USAGE.keys())
def test_sweep_refuses_bad_flags(args, part, tmp_path):
    result = invoke("sweep", "--dataset", "iris", "--epochs", "1", "--logdir", tmp_path / "sweeps", *args)
    assert_refused(result, 2, part)
    assert not (tmp_path / "sweeps").exists() or not any((tmp_path / "sweeps").iterdir())


def test_sweep_refuses_a_logdir_under_a_file(tmp_path):
    file = tmp_path / "file"
    file.write_text("x")
    result = invoke("sweep", "--dataset", "iris", "--layers", "1,2", "--logdir", file / "sweeps")
    assert_refused(result, 1, "cannot write")


# --- diagnose: damaged run directories are diagnosed partially -------------------------------------------------


def _run_json(content: str) -> Callable[[Path], None]:
    return lambda run: (run / "run.json").write_text(content, encoding="utf-8")


def _meta(**fields: object) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
        meta.update(fields)
        (run / "run.json").write_text(json.dumps(meta), encoding="utf-8")

    return change


def _line(text: str) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        with open(run / "history.jsonl", "a", encoding="utf-8") as stream:
            stream.write(text + "\n")

    return change


def _raw_line(content: bytes) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        with open(run / "history.jsonl", "ab") as stream:
            stream.write(content + b"\n")

    return change


def _row(**fields: object) -> Callable[[Path], None]:
    row = {"epoch": 6, "loss": 0.1, "accuracy": 0.9, "val_loss": 0.2, "val_accuracy": 0.8, **fields}
    return _line(json.dumps({k: v for k, v in row.items() if v is not _DROP}))


_DROP = object()
VAL_Y = np.array([0, 1, 2, 1], dtype=np.int64)
VAL_PROBS = np.full((4, 3), 1 / 3, dtype=np.float32)


def _predictions(**arrays: object) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        merged = {"val_y": VAL_Y, "val_probs": VAL_PROBS, **arrays}
        np.savez(run / "predictions.npz", **{k: v for k, v in merged.items() if v is not None})  # type: ignore[arg-type]

    return change


def _predictions_bytes(cut: bool) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        _predictions()(run)
        raw = (run / "predictions.npz").read_bytes()
        (run / "predictions.npz").write_bytes(raw[: len(raw) // 2] if cut else b"not a zip at all")

    return change


DAMAGED_RUNS = {
    "schema-string": (_meta(schema="one"), "run.json"),
    "schema-null": (_meta(schema=None), "run.json"),
    "schema-newer": (_meta(schema=99), "run.json"),
    "run-json-deeply-nested": (_run_json("[" * 100_000 + "]" * 100_000), "run.json"),
    "run-json-not-json": (_run_json("{not json"), "run.json"),
    "run-json-a-list": (_run_json("[1, 2]"), "run.json"),
    "run-json-empty": (_run_json(""), "run.json"),
    "run-json-invalid-utf8": (lambda run: (run / "run.json").write_bytes(b"\xff\xfe{"), "run.json"),
    "status-number": (_meta(status=42), "run.json"),
    "status-list": (_meta(status=["completed"]), "run.json"),
    "config-a-string": (_meta(config="epochs=5"), "run.json"),
    "config-epochs-text": (_meta(config={"epochs": "many", "lr": "fast"}), "run.json"),
    "data-counts-a-list": (
        _meta(data={"dataset": "iris", "num_classes": 3, "train": {"samples": 1, "class_counts": [1]}}),
        "run.json",
    ),
    "data-classes-inf": (
        _meta(data={"dataset": "iris", "num_classes": float("inf"), "train": {"samples": 1, "class_counts": {}}}),
        "run.json",
    ),
    "model-layers-a-string": (_meta(model={"layers": "dense"}), "run.json"),
    "model-layer-without-kind": (_meta(model={"layers": [{"name": "d"}]}), "run.json"),
    "epoch-infinity": (_line('{"epoch": Infinity, "loss": 0.1}'), "history.jsonl"),
    "epoch-nan": (_line('{"epoch": NaN, "loss": 0.1}'), "history.jsonl"),
    "epoch-huge": (_row(epoch=1e300), "history.jsonl"),
    "epoch-negative": (_row(epoch=-3), "history.jsonl"),
    "epoch-zero": (_row(epoch=0), "history.jsonl"),
    "epoch-fraction": (_row(epoch=2.5), "history.jsonl"),
    "epoch-text": (_row(epoch="6"), "history.jsonl"),
    "epoch-true": (_row(epoch=True), "history.jsonl"),
    "epoch-missing": (_row(epoch=_DROP), "history.jsonl"),
    "loss-text": (_row(loss="low"), "history.jsonl"),
    "loss-object": (_row(loss={"v": 1}), "history.jsonl"),
    "probes-a-string": (_row(probes="dense_1"), "history.jsonl"),
    "probes-layer-a-list": (_row(probes={"dense_1": [1, 2]}), "history.jsonl"),
    "probe-value-text": (_row(probes={"dense_1": {"grad_norm": "big"}}), "history.jsonl"),
    "probe-value-list": (_row(probes={"dense_1": {"grad_norm": [1]}}), "history.jsonl"),
    "seconds-text": (_row(seconds="fast"), "history.jsonl"),
    "batch-loss-a-list": (_row(batch_loss=[1, 2]), "history.jsonl"),
    "extra-a-number": (_row(extra=3), "history.jsonl"),
    "line-a-list": (_line("[1, 2, 3]"), "history.jsonl"),
    "line-a-string": (_line('"epoch"'), "history.jsonl"),
    "line-truncated": (_line('{"epoch": 6, "loss": 0.'), "history.jsonl"),
    "line-deeply-nested": (_line('{"epoch": 6, "probes": ' + "[" * 100_000 + "]" * 100_000 + "}"), "history.jsonl"),
    "line-invalid-utf8": (_raw_line(b"\xff\xfe{"), "history.jsonl"),
    "predictions-truncated": (_predictions_bytes(cut=True), "predictions.npz"),
    "predictions-not-a-zip": (_predictions_bytes(cut=False), "predictions.npz"),
    "predictions-object-arrays": (_predictions(val_y=np.array([0, None, 2, 1], dtype=object)), "predictions.npz"),
    "predictions-1d-probs": (_predictions(val_probs=np.full(4, 0.5)), "predictions.npz"),
    "predictions-mismatched-lengths": (_predictions(val_y=np.array([0, 1], dtype=np.int64)), "predictions.npz"),
    "predictions-negative-labels": (_predictions(val_y=np.array([0, -1, 2, 1])), "predictions.npz"),
    "predictions-label-beyond-classes": (_predictions(val_y=np.array([0, 7, 2, 1])), "predictions.npz"),
    "predictions-float-labels": (_predictions(val_y=np.array([0.0, 0.5, 2.0, 1.0])), "predictions.npz"),
    "predictions-2d-labels": (_predictions(val_y=np.zeros((4, 1), dtype=np.int64)), "predictions.npz"),
    "predictions-missing-probs": (_predictions(val_probs=None), "predictions.npz"),
    "predictions-best-epoch-array": (_predictions(best_epoch=np.array([1, 2, 3])), "predictions.npz"),
    "predictions-text-probs": (_predictions(val_probs=np.array([["a"] * 3] * 4)), "predictions.npz"),
    "history-missing": (lambda run: (run / "history.jsonl").unlink(), "history.jsonl"),
}


def _diagnosis(result: Result) -> dict:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("damage", "file"), DAMAGED_RUNS.values(), ids=DAMAGED_RUNS.keys())
def test_diagnose_reports_the_damaged_file_and_runs_every_rule(damage, file, run_dir):
    run = run_dir("damaged", epochs=5)
    damage(run)
    payload = _diagnosis(invoke("diagnose", run, "--format", "json"))
    incomplete = [f for f in payload["findings"] if f["rule"] == "run-incomplete"]
    assert len(incomplete) == 1, payload
    assert any(file in problem for problem in incomplete[0]["evidence"]["problems"]), incomplete[0]["evidence"]
    crashed = [s for s in payload["skipped"] if s["reason"].startswith("could not evaluate")]
    assert crashed == [], crashed


def test_diagnose_folder_of_damaged_runs_prints_the_table(run_dir, tmp_path):
    for number, (damage, _) in enumerate(list(DAMAGED_RUNS.values())[::6]):
        damage(run_dir(f"run-{number}", epochs=5))
    result = invoke("diagnose", tmp_path, "--brief")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert all(f"run-{n}" in result.output for n in range(len(list(DAMAGED_RUNS)[::6]))), result.output


def test_diagnose_visits_a_symlink_loop_once(run_dir, tmp_path):
    run_dir("only", epochs=5)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    payload = _diagnosis(invoke("diagnose", tmp_path, "--format", "json"))
    assert isinstance(payload, dict) and payload["run"] == "only", payload


UNREADABLE = {
    "missing-path": (lambda root: root / "nowhere", "not found"),
    "a-file": (lambda root: _touch(root / "file"), "(a file)"),
    "empty-folder": (lambda root: _mkdir(root / "empty"), "none"),
    "run-json-and-history-unreadable": (lambda root: _unreadable_run(root / "broken"), "neither could be read"),
}


def _touch(path: Path) -> Path:
    path.write_text("x")
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _unreadable_run(path: Path) -> Path:
    path.mkdir()
    (path / "run.json").write_text("{", encoding="utf-8")
    (path / "history.jsonl").write_text("nonsense\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("make", "part"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_diagnose_of_nothing_readable_is_one_line(make, part, tmp_path):
    assert_refused(invoke("diagnose", make(tmp_path)), 1, part)


# --- compare and report ----------------------------------------------------------------------------------------


@pytest.fixture
def two_runs(run_dir: RunDirFactory) -> tuple[Path, Path]:
    first, second = run_dir("first", epochs=5), run_dir("second", epochs=4)
    _predictions()(first)
    _predictions(val_y=np.array([0, None], dtype=object))(second)  # damaged: compared all the same
    return first, second


def test_compare_refuses_an_out_under_a_file(two_runs, tmp_path):
    file = _touch(tmp_path / "file")
    assert_refused(invoke("compare", *two_runs, "--out", file / "out"), 1, "cannot write", str(file))


COMPARE_USAGE = {
    "out-is-a-file": (lambda root: ["--out", _touch(root / "file")], "(a file)"),
    "out-nul": (lambda root: ["--out", "a\x00b"], "NUL"),
    "out-part-300-chars": (lambda root: ["--out", root / ("y" * 300)], "300 characters"),
    "one-run": (lambda root: ["--only-one"], "two or more"),
    "run-missing": (lambda root: [root / "nowhere"], "not found"),
}


@pytest.mark.parametrize(("extra", "part"), COMPARE_USAGE.values(), ids=COMPARE_USAGE.keys())
def test_compare_refuses_bad_arguments(extra, part, two_runs, tmp_path):
    args = extra(tmp_path)
    runs = two_runs[:1] if args == ["--only-one"] else two_runs
    args = [] if args == ["--only-one"] else args
    assert_refused(invoke("compare", *runs, *args), 2, part)


def test_compare_of_a_damaged_run_still_compares(two_runs, tmp_path):
    result = invoke("compare", *two_runs, "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "run-incomplete" in json.loads(result.stdout)["findings"]["second"]


def test_compare_refuses_a_folder_without_a_run(two_runs, tmp_path):
    assert_refused(invoke("compare", two_runs[0], _mkdir(tmp_path / "empty")), 1, "empty")


def test_report_of_a_damaged_run_is_written(two_runs):
    result = invoke("report", two_runs[1])
    assert result.exit_code == 0, result.output
    assert (two_runs[1] / "report.html").is_file()


def test_report_refuses_a_folder_that_is_not_a_run(tmp_path):
    assert_refused(invoke("report", _mkdir(tmp_path / "empty")), 1, "empty")


def test_report_refuses_a_missing_run(tmp_path):
    assert_refused(invoke("report", tmp_path / "nowhere"), 2, "not found")


def test_report_says_when_a_figure_cannot_be_written(two_runs):
    (two_runs[0] / "report.html").mkdir()  # a folder where the page must go
    assert_refused(invoke("report", two_runs[0]), 1, "cannot write", "report.html")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_report_into_a_read_only_run_says_permission_denied(two_runs):
    two_runs[0].chmod(0o500)
    try:
        assert_refused(invoke("report", two_runs[0]), 1, "cannot write", "permission denied")
    finally:
        two_runs[0].chmod(0o700)


# --- board -----------------------------------------------------------------------------------------------------


def test_board_says_the_port_is_taken(run_dir, tmp_path):
    run_dir("run")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_refused(invoke("board", tmp_path, "--port", port), 1, f"port {port}", "in use")


BOARD_USAGE = {
    "host-all-interfaces": (["--host", "0.0.0.0"], "--expose"),
    "host-public-address": (["--host", "192.0.2.7"], "192.0.2.7"),
    "port-zero": (["--port", "0"], "'0'"),
    "port-beyond-65535": (["--port", "70000"], "'70000'"),
    "logdir-missing": (["nowhere"], "not found"),
}


@pytest.mark.parametrize(("args", "part"), BOARD_USAGE.values(), ids=BOARD_USAGE.keys())
def test_board_refuses_bad_arguments(args, part, run_dir, tmp_path, monkeypatch):
    run_dir("run")
    monkeypatch.chdir(tmp_path)
    logdir = [] if args == ["nowhere"] else [str(tmp_path)]
    assert_refused(invoke("board", *logdir, *args), 2, part)
