"""Tests of `kerasdiag compare` and `kerasdiag report`, and the held-out measurements behind them."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.findings import Diagnosis, Finding, Fix, Severity, Text
from kerasdiag.measures.calibration import reliability
from kerasdiag.measures.threshold import balanced_accuracy, suggest_threshold
from kerasdiag.render.html import render_html
from tests.helpers.figures import assert_png, count_axes


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two tiny two-class digits runs (all data vs 60 samples), trained once for this module."""
    from kerasdiag.training.flags.run import train

    logdir = tmp_path_factory.mktemp("runs")
    common = dict(dataset="digits", classes=[3, 8], epochs=3, optimizer="adam", logdir=str(logdir))
    full = train(RunConfig(name="full", **common)).path
    small = train(RunConfig(name="small", train_size=60, **common)).path
    return full, small


@pytest.fixture
def axes_seen(monkeypatch):
    return count_axes(monkeypatch)


def test_threshold_maximises_balanced_accuracy_on_validation():
    y = np.array([0] * 90 + [1] * 10)
    p1 = np.concatenate([np.linspace(0.0, 0.3, 90), np.linspace(0.25, 0.45, 10)])
    t = suggest_threshold(y, p1, y, p1, "val")
    assert 0.2 < t.value < 0.3 and t.accuracy_at_half == 0.9
    grid = np.linspace(0, 1, 1001)
    best = max(balanced_accuracy(y, (p1 >= g).astype(int)) for g in grid)
    assert best - 0.5 / 10 <= t.val_balanced_accuracy <= best  # within one sample of the 10 positives
    assert t.val_balanced_accuracy == balanced_accuracy(y, (p1 >= t.value).astype(int))
    assert t.val_balanced_accuracy > balanced_accuracy(y, (p1 >= 0.5).astype(int)) == 0.5
    assert "balanced accuracy" in t.criterion


def test_reliability_of_confident_and_correct_predictions_is_perfect():
    y = np.array([0, 1, 1, 0])
    assert reliability(y, np.eye(2)[y]).ece == 0.0
    overconfident = reliability(np.array([0, 1]), np.array([[0.99, 0.01], [0.99, 0.01]]))
    assert overconfident.ece == pytest.approx(0.49)


def test_threshold_comes_from_the_records_two_class_predictions():
    from kerasdiag.measures.threshold import threshold_for_run
    from kerasdiag.rundir.record import RunRecord
    from kerasdiag.rundir.summaries import Predictions

    y, p1 = np.array([0, 1] * 20), np.linspace(0.1, 0.9, 40)
    record = RunRecord(path="run", source="kerasdiag")
    assert threshold_for_run(record) is None  # no predictions (plain logs, or a damaged predictions.npz)
    record.predictions = Predictions(val_y=y, val_probs=np.stack([1 - p1, p1], axis=1))
    threshold = threshold_for_run(record)
    assert threshold is not None and threshold.split == "val"
    record.predictions = Predictions(val_y=y, val_probs=np.full((40, 3), 1 / 3))
    assert threshold_for_run(record) is None  # three classes
    record.predictions = Predictions(val_y=y[:0], val_probs=np.zeros((0, 2)))
    assert threshold_for_run(record) is None  # no validation samples


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{not json", "diagnosis.json is unreadable"), ('{"findings": [{"severity": "error"}]}', "malformed")],
    ids=["not-json", "finding-without-rule"],
)
def test_a_damaged_diagnosis_json_is_named_not_swallowed(run_dir, content, problem):
    from kerasdiag.experiments.compare import run_findings
    from kerasdiag.experiments.sweep.summary import run_metrics
    from kerasdiag.rundir.reader import read_run

    path = run_dir("damaged", epochs=3)
    (path / "diagnosis.json").write_text(content, encoding="utf-8")
    record = read_run(path)
    assert "run-incomplete" in run_findings(path, record)  # diagnosed again, the damage among its problems
    assert any(problem in p and "diagnosis.json" in p for p in record.problems), record.problems
    assert run_metrics(path)[1] not in ("?", "healthy")


def test_html_escapes_findings_and_embeds_images(tmp_path):
    png = tmp_path / "loss.png"
    png.write_bytes(b"\x89PNG fake")
    finding = Finding(
        rule="overfitting",
        severity=Severity.WARNING,
        title=Text("Overfitting <b>", "過学習"),
        evidence={"best_epoch": 4, "rise": 0.31},
        summary=Text("val_loss rose 31% after epoch 4 <script>", "…"),
        explanation=Text("Judge by validation loss.", "…"),
        fixes=(Fix("--dropout 0.3", Text("Regularise.", "…")),),
    )
    record = read_run_like(tmp_path)
    page = render_html(record, Diagnosis(run="x", findings=[finding]), [png], None)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "overfitting" in page and "--dropout 0.3" in page and "best_epoch" in page
    encoded = base64.b64encode(png.read_bytes()).decode()
    assert f"data:image/png;base64,{encoded}" in page


def read_run_like(tmp_path):
    from kerasdiag.rundir.epochs import EpochRecord
    from kerasdiag.rundir.record import RunRecord

    epochs = [EpochRecord(e, {"loss": 1 / e, "val_loss": 1 / e + 0.1}) for e in range(1, 4)]
    return RunRecord(path=str(tmp_path / "demo"), source="kerasdiag", epochs=epochs, status="completed", config={})


@pytest.mark.training
def test_compare_two_runs(two_runs, tmp_path, axes_seen):
    out = tmp_path / "cmp"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["compare", *map(str, two_runs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Flags that differ" in result.output and "train_size" in result.output
    assert "final val_loss" in result.output and "ECE" in result.output
    assert result.output.count("suggested threshold") == 2
    assert "balanced accuracy" in result.output
    for name, axes in {"loss.png": 1, "probabilities.png": 2, "reliability.png": 1}.items():
        assert_png(out / name)
        assert axes_seen[name] == axes, name


@pytest.mark.training
def test_compare_json(two_runs, tmp_path):
    result = CliRunner().invoke(main, ["compare", *map(str, two_runs), "--out", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["config_diff"] == {"train_size": [None, 60]}
    assert all(t["criterion"].startswith("maximises balanced accuracy") for t in payload["thresholds"])
    assert len(payload["metrics"]["final val_loss"]) == 2


@pytest.mark.training
def test_report_writes_figures_and_self_contained_html(two_runs, axes_seen):
    run = two_runs[1]
    result = CliRunner().invoke(main, ["report", str(run)])
    assert result.exit_code == 0, result.output
    expected = {"loss.png": 1, "accuracy.png": 1, "gradients.png": 1, "probabilities.png": 1, "reliability.png": 1}
    for name, axes in expected.items():
        assert_png(run / name)
        assert axes_seen[name] == axes, name
    page = (run / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == len(expected)
    assert not re.search(r'src="(?!data:)', page)  # nothing loaded from elsewhere
    for finding in read_run_findings(run):
        assert finding in page
    assert "suggested threshold" in page and "train_size" in page


def read_run_findings(run):
    return [f["rule"] for f in json.loads((run / "diagnosis.json").read_text())["findings"]]


def test_cli_import_does_not_load_matplotlib():
    code = "import sys, kerasdiag.cli; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_report_names_classes_by_label_and_scores_the_threshold_on_other_samples(tmp_path, monkeypatch):
    """As compare: `--classes 3,8` plots and thresholds P(3), the first output; bins carry their counts."""
    import matplotlib

    from kerasdiag.diagnosis.engine import diagnose_run
    from kerasdiag.render import figures as plots
    from kerasdiag.render.html import write_report
    from kerasdiag.rundir.reader import read_run
    from kerasdiag.rundir.summaries import Predictions
    from kerasdiag.rundir.writer import RunWriter
    from tests.helpers.run_dirs import make_run_dir

    texts: dict[str, list[str]] = {}
    save = plots._save

    def keeping(fig, path):
        texts[path.name] = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", keeping)
    run = make_run_dir(tmp_path, "digits38", epochs=3, config={"epochs": 3, "dataset": "digits", "classes": [3, 8]})
    y = np.array([0, 1] * 30)
    p3 = np.clip(np.linspace(0.95, 0.05, 60) + 0.3 * (0.5 - y), 0.01, 0.99)  # output 0 is class 3
    RunWriter(run).write_predictions(**Predictions(val_y=y, val_probs=np.stack([p3, 1 - p3], axis=1)).to_arrays())
    record = read_run(run)
    page = write_report(record, diagnose_run(record), run).read_text(encoding="utf-8")
    assert "<th>suggested threshold on P(3)</th>" in page and "predict 3 when P(3) &gt;= " in page
    assert ", else 8; maximises balanced accuracy" in page and "chosen on 30 validation samples" in page
    assert "the other half of the validation samples (30, not used to choose it" in page
    assert "P(class 1)" not in page
    assert "predicted P(3)" in texts["probabilities.png"]
    assert any(t.startswith("suggested threshold on P(3): ") for t in texts["probabilities.png"])
    assert {"true class 3 (n=30)", "true class 8 (n=30)"} <= set(texts["probabilities.png"])
    counts = [int(t[2:]) for t in texts["reliability.png"] if t.startswith("n=")]
    assert sum(counts) == 60 and "marker area ~ samples in the bin (n)" in texts["reliability.png"]
