"""The command line: help, one-line errors with the right exit codes, fast paths that never import Keras."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(main.commands)


def run_cli(*args: str):
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "120", "NO_COLOR": "1"})
    return result


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"kerasdiag {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--layers", "-1"], "Expected an integer in [0, 256]. Received: '-1'"),
        (["--dropout", "1.0"], "Expected a finite number in [0, 1). Received: '1.0'"),
        (["--dataset", "cifar"], "'cifar' is not one of 'mnist', 'iris', 'digits'"),
        (["--validation-split", "1.5"], "Expected a finite number in (0, 1). Received: '1.5'"),
        (["--classes", "3,3"], "Expected distinct --classes. Received: classes=[3, 3]"),
        (["--units", "256,128", "--layers", "3"], "Received: units=256,128"),
        (["--units", "abc"], "Expected comma-separated integers. Received: 'abc'"),
        (["--data-dir", "/nonexistent/mnist"], "'/nonexistent/mnist' does not exist"),
    ],
    ids=["negative-layers", "dropout-1", "unknown-dataset", "split-1.5", "classes-3-3", "units-length",
         "units-text", "missing-data-dir"],
)  # fmt: skip
def test_bad_train_flags_exit_2_with_one_line(args, expected):
    result = run_cli("train", *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_runtime_data_error_exits_1_with_one_line(tmp_path):
    result = run_cli("train", "--dataset", "digits", "--classes", "3,11", "--logdir", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.output.strip().startswith("Error: Expected --classes among the labels")
    assert len(result.output.strip().splitlines()) == 1


def test_mnist_offline_error_names_both_ways_out(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    result = run_cli("train", "--logdir", str(tmp_path / "runs"))
    assert result.exit_code == 1
    assert "--data-dir" in result.output and "~/.keras/datasets" in result.output


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=300)


def test_help_imports_neither_tensorflow_nor_keras():
    code = (
        "import sys\nfrom kerasdiag.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "for name in ('train', 'diagnose'):\n"
        "    try:\n        main([name, '--help'])\n    except SystemExit:\n        pass\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'heavy import'\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr


@pytest.mark.training
def test_train_then_diagnose_from_the_command_line(tmp_path):
    logdir = tmp_path / "runs"
    result = run_cli(
        "train", "--dataset", "iris", "--layers", "1", "--units", "8", "--optimizer", "adam", "--lr", "0.0005",
        "--epochs", "4", "--batch-size", "5", "--no-shuffle", "--logdir", str(logdir), "--name", "iris", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "validation-mismatch" in result.output  # caught before training and after it
    assert "tensorboard --logdir" in result.output
    code = (
        "import sys, json\nfrom kerasdiag.cli import main\n"
        f"try:\n    main(['diagnose', {str(logdir / 'iris')!r}, '--format', 'json'])\n"
        "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'heavy import'\n"
    )
    diagnosed = _python(code)
    assert diagnosed.returncode == 0, diagnosed.stderr
    payload = json.loads(diagnosed.stdout)
    assert "validation-mismatch" in {f["rule"] for f in payload["findings"]}
    failing = run_cli("diagnose", str(logdir / "iris"), "--fail-on", "error")
    assert failing.exit_code == 3, failing.output
    japanese = run_cli("diagnose", str(logdir / "iris"), "--lang", "ja", "--format", "markdown")
    assert japanese.exit_code == 0 and "検証" in japanese.output


@pytest.mark.training
@pytest.mark.parametrize(
    "backend", [pytest.param("jax", marks=pytest.mark.jax), pytest.param("torch", marks=pytest.mark.torch)]
)
def test_other_backends_train_and_probe(tmp_path, mnist_dir, backend):
    if backend == "jax":
        pytest.importorskip("jax")  # installed by `make install`, so CI always runs this one
    elif importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed (pip install torch==2.13.0 for the CPU build)")
    args = [
        "train", "--backend", backend, "--data-dir", str(mnist_dir), "--train-size", "600", "--layers", "2",
        "--epochs", "2", "--logdir", str(tmp_path), "--name", backend, "--quiet",
    ]  # fmt: skip
    code = f"from kerasdiag.cli import main\nmain({args!r})"
    result = _python(code, KERAS_BACKEND=backend)
    assert result.returncode == 0, result.stdout + result.stderr
    meta = json.loads((tmp_path / backend / "run.json").read_text())
    assert meta["versions"]["backend"] == backend and meta["status"] == "completed"
    rows = [json.loads(line) for line in (tmp_path / backend / "history.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and rows[-1]["probes"]["dense_1"]["grad_norm"] > 0


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "kerasdiag", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "kerasdiag" in result.stdout


def test_debug_shows_the_traceback_instead_of_one_line(tmp_path):
    args = ["--debug", "train", "--dataset", "digits", "--classes", "3,11", "--logdir", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "DataError"  # re-raised, so Python prints the traceback
    plain = run_cli("train", "--dataset", "digits", "--classes", "3,11", "--logdir", str(tmp_path))
    assert plain.exception is None or isinstance(plain.exception, SystemExit)
