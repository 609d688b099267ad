"""`kerasdiag fix`: fix flags applied to a config, the plan, the interval maths, and one real tiny run."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.cli.fix_cmd import apply_fix_flags
from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.errors import ConfigError, RunDirError
from kerasdiag.experiments.fix.run import FixOptions, base_config, plan_fixes, slug
from kerasdiag.measures.intervals import mean_difference
from kerasdiag.training.flags import run as training
from tests.helpers.figures import assert_png
from tests.helpers.rule_factory import make_record

T = Text("t", "t")


def finding(rule: str, *flags: str, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(rule, severity, T, {}, T, T, tuple(Fix(f, T) for f in flags))


# -- fix flags applied to a config (train's own parser) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "flags", "expected"),
    [
        pytest.param({"activation": "linear", "layers": 5}, "--activation relu", {"activation": "relu", "layers": 5}),
        pytest.param({"activation": "relu"}, "--no-activation", {"activation": "linear"}),
        pytest.param({"optimizer": "sgd", "units": [64]}, "--lr 0.001 --optimizer adam", {"lr": 0.001, "units": [64]}),
        pytest.param({"shuffle": False, "seed": 7}, "--shuffle", {"shuffle": True, "seed": 7}),
        pytest.param({"normalize": False}, "--normalize", {"normalize": True}),
        pytest.param({"epochs": 200, "dropout": 0.2}, "--epochs 34", {"epochs": 34, "dropout": 0.2}),
        pytest.param({"units": [128]}, "--units 256,128 --layers 2", {"units": [256, 128], "layers": 2}),
    ],
    ids=["relu-on-linear", "no-activation", "adam-keeps-units", "shuffle", "normalize", "epochs", "units-list"],
)
def test_fix_flags_change_only_what_they_name(base, flags, expected):
    config = RunConfig(**base)
    changed = apply_fix_flags(config, flags)
    for key, value in expected.items():
        assert getattr(changed, key) == value
    untouched = {k for k in RunConfig.__dataclass_fields__ if k not in expected and k not in flags}
    assert all(getattr(changed, k) == getattr(config, k) for k in untouched - {"optimizer"})


@pytest.mark.parametrize(
    "flags",
    ["rebalance the data", "--no-such-flag 3", "--dropout 1.5", "--weight-decay 1e-4 --optimizer adam", ""],
    ids=["prose", "unknown-flag", "out-of-range", "refused-combination", "empty"],
)
def test_fix_flags_that_cannot_apply_raise_config_error(flags):
    with pytest.raises(ConfigError):
        apply_fix_flags(RunConfig(), flags)


def test_slug_is_a_folder_name():
    assert slug("--lr 0.001 --optimizer adam") == "lr-0.001-optimizer-adam"
    assert slug("--batch-norm") == "batch-norm"


# -- the plan: which fixes, deduplicated, and why some cannot be applied ------------------------------------------


def record(**config):
    return make_record([1.0, 0.9, 0.8], config={"epochs": 100, "activation": "linear", "layers": 5, **config})


def test_plan_takes_each_warning_finding_first_fix_and_says_why_others_cannot_apply():
    findings = [
        finding("linear-collapse", "--activation relu", "--layers 1"),
        finding("vanishing-gradients", "--activation relu"),  # same first fix: one candidate, two rules
        finding("class-imbalance"),  # no flags
        finding("saturation", "--init glorot_uniform"),  # the run already has it
        finding("overfitting", "--epochs 34"),
        finding("accuracy-plateau", "--epochs 400", severity=Severity.INFO),  # info: not a target
    ]
    plan = plan_fixes(pytest_path(), record(), findings, apply_fix_flags, FixOptions(seeds=3, epochs=10))
    by_flags = {c.flags: c for c in plan.candidates}
    assert list(by_flags) == ["--activation relu", "", "--init glorot_uniform", "--epochs 34"]
    assert by_flags["--activation relu"].rules == ("linear-collapse", "vanishing-gradients")
    assert by_flags["--activation relu"].config.epochs == 10  # the --epochs override
    assert by_flags["--epochs 34"].config.epochs == 3  # a fix's own epochs scaled alike: 34 * 10/100
    assert by_flags[""].config is None and "data" in by_flags[""].reason
    assert (
        by_flags["--init glorot_uniform"].config is None
        and "changes nothing" in by_flags["--init glorot_uniform"].reason
    )
    assert plan.seeds == [0, 1, 2] and plan.base.epochs == 10


def test_plan_only_one_rule_and_an_absent_rule():
    findings = [finding("linear-collapse", "--activation relu"), finding("overfitting", "--dropout 0.3")]
    plan = plan_fixes(pytest_path(), record(), findings, apply_fix_flags, FixOptions(only="overfitting"))
    assert [c.rules for c in plan.candidates] == [("overfitting",)]
    with pytest.raises(ConfigError, match="linear-collapse, overfitting"):
        plan_fixes(pytest_path(), record(), findings, apply_fix_flags, FixOptions(only="dead-relu"))


def test_a_run_without_a_train_config_is_refused():
    plain = make_record([1.0, 0.9], source="keras-logs", config=None)
    with pytest.raises(RunDirError, match="kerasdiag train run"):
        base_config(plain)
    assert base_config(record(seed=4)).seed == 4


def test_fix_on_plain_keras_logs_exits_1_with_one_line(run_dir):
    path = run_dir("script-run")  # run.json with a config that is not a train RunConfig
    result = CliRunner().invoke(main, ["fix", str(path)])
    assert result.exit_code == 1, result.output
    assert "kerasdiag train run" in result.output and len(result.output.strip().splitlines()) == 1


def pytest_path():
    return Path("runs/test")


# -- the interval of the difference of means (Welch), on literal numbers ------------------------------------------


def test_welch_interval_equal_sizes():
    d = mean_difference([0.91, 0.93, 0.92], [0.85, 0.86, 0.84])
    # se = sqrt(0.0001/3 * 2) = 0.0081650, df = 4, t(0.975, 4) = 2.776445
    assert d.diff == pytest.approx(0.07)
    assert d.df == pytest.approx(4.0)
    assert (d.low, d.high) == pytest.approx((0.07 - 0.022669, 0.07 + 0.022669), abs=1e-5)
    assert d.excludes_zero and (d.n_changed, d.n_base) == (3, 3)


def test_welch_interval_unequal_sizes_and_spreads():
    d = mean_difference([1.0, 2.0, 3.0, 4.0], [2.0, 4.0])
    # va = 1.6667/4, vb = 2/2; se = 1.190238; df = 1.41667^2 / (0.41667^2/3 + 1^2/1) = 1.897
    assert d.diff == pytest.approx(-0.5)
    assert d.df == pytest.approx(1.8972, abs=1e-3)
    assert not d.excludes_zero and d.low < -5 and d.high > 4


def test_interval_edge_cases():
    one = mean_difference([0.9], [0.8, 0.7])
    assert one.diff == pytest.approx(0.15) and math.isnan(one.low) and one.n_changed == 1
    flat = mean_difference([0.5, 0.5], [0.4, 0.4])  # tied seeds: a spread of 0 from 2 seeds is no certainty
    assert flat.tied and math.isnan(flat.low) and not flat.excludes_zero and flat.diff == pytest.approx(0.1)
    nan = mean_difference([math.nan, 0.9, 0.8], [0.8, 0.7])
    assert nan.n_changed == 2 and nan.diff == pytest.approx(0.1)
    assert math.isnan(mean_difference([], [0.1]).diff)


# -- one real tiny run ---------------------------------------------------------------------------------------------

IRIS = ["--dataset", "iris", "--layers", "1", "--units", "8", "--optimizer", "adam", "--batch-size", "16"]
REPO = Path(__file__).resolve().parents[2]


def kerasdiag(*args: str) -> subprocess.CompletedProcess:
    """The CLI in a subprocess: this test process runs TensorFlow, the fix runs on JAX (vectorised)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("KERAS_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "kerasdiag", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.training
@pytest.mark.jax
@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed")
def test_fix_unshuffled_iris_end_to_end(tmp_path):
    kerasdiag(
        "train",
        *IRIS,
        "--no-shuffle",
        "--epochs",
        "3",
        "--backend",
        "jax",
        "-q",
        "--logdir",
        str(tmp_path),
        "--name",
        "iris",
    )
    run = tmp_path / "iris"
    done = kerasdiag(
        "fix", str(run), "--seeds", "2", "--epochs", "4", "--only", "validation-mismatch", "--format", "json"
    )
    payload = json.loads(done.stdout)
    (fix,) = payload["fixes"]
    assert fix["flags"] == "--shuffle" and fix["applied"] and fix["other_validation_set"]
    assert [r["status"] for r in fix["runs"]] == ["completed"] * 2
    assert fix["finding_still_fires"] == {"seeds": 0, "of": 2, "baseline_seeds": 2, "baseline_of": 2}
    assert fix["change"]["val_accuracy"]["n_changed"] == 2 and fix["change"]["val_accuracy"]["n_base"] == 2
    assert payload["winner"]["flags"] == "--shuffle" and payload["seeds"] == [0, 1] and payload["epochs"] == 4
    for folder in ("baseline", "shuffle"):
        for seed in (0, 1):
            meta = json.loads((run / "fixes" / folder / f"seed-{seed}" / "run.json").read_text())
            assert meta["status"] == "completed" and meta["config"]["seed"] == seed
            assert meta["config"]["shuffle"] is (folder == "shuffle") and meta["config"]["epochs"] == 4
            assert "vectorised: 2 runs" in meta["fit"]["reason"]
    assert json.loads((run / "fixes" / "fix.json").read_text())["winner"] == payload["winner"]
    assert_png(run / "fixes" / "fix-val_accuracy.png")


@pytest.mark.training
def test_fix_interrupted_keeps_finished_members(tmp_path, monkeypatch):
    trained = CliRunner().invoke(
        main, ["train", *IRIS, "--no-shuffle", "--epochs", "3", "-q", "--logdir", str(tmp_path), "--name", "iris"]
    )
    assert trained.exit_code == 0, trained.output
    real_train, calls = training.train_run, []

    def ctrl_c_on_second_run(config, **kwargs):
        calls.append(config.name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_train(config, **kwargs)

    monkeypatch.setattr(training, "train_run", ctrl_c_on_second_run)
    result = CliRunner().invoke(main, ["fix", str(tmp_path / "iris"), "--seeds", "2", "--epochs", "2"])
    assert result.exit_code == 130, result.output
    assert "Interrupted" in result.output and "baseline/seed-0: completed" in result.output
    payload = json.loads((tmp_path / "iris" / "fixes" / "fix.json").read_text())
    assert payload["interrupted"] is True and [r["seed"] for r in payload["baseline"]["runs"]] == [0]
