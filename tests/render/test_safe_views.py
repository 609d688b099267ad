"""The views never crash, never hang and never let a file drive the terminal (issue 20).

- Text read from files (run names, metric and tag names, layer names, config values) reaches the terminal
  with its control characters escaped (`\\x1b` shown, never sent), in `diagnose` (text, markdown, JSON),
  `report`, `compare` and the sweep table; report.html escapes `<script>` and control characters; `$...$`
  names are not mathtext and crash nothing.
- `report` and `compare` draw at most `MAX_CLASSES_DRAWN` per-class histograms: 5,000 classes take seconds.
- A run whose probabilities are NaN (its loss went NaN) or negative is reported and compared, not crashed on.

Every case builds its inputs without training, through the real RunWriter, and runs the real command.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from click.testing import CliRunner, Result

from kerasdiag.cli import main
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.experiments.compare import RunSummary
from kerasdiag.experiments.sweep.summary import SettingRow
from kerasdiag.measures.calibration import reliability
from kerasdiag.measures.metrics import final_and_best
from kerasdiag.measures.threshold import threshold_for_run
from kerasdiag.messages import text
from kerasdiag.render import figures as plots
from kerasdiag.render.compare import print_compare
from kerasdiag.render.console import THEME, SafeConsole, stdout_console
from kerasdiag.render.html import render_html
from kerasdiag.render.safe import json_text, printable
from kerasdiag.render.sweep import sweep_table
from kerasdiag.rundir.epochs import EpochRecord
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import Predictions
from kerasdiag.rundir.writer import RunWriter
from tests.helpers.run_dirs import falling_rows, make_run_dir

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}
ESC = "\x1b]0;pwned\x07\x1b[2J"  # sets the window title, clears the screen
NAME = f"run{ESC}"
SHOWN = "\\x1b[2J"  # how the name's screen-clearing part is shown


def invoke(*args: object) -> Result:
    return CliRunner(env=ENV).invoke(main, [str(a) for a in args])


def assert_clean(result: Result, code: int = 0) -> str:
    """Exit `code`, nothing unexpected, and not one raw control character (line breaks aside) in the output."""
    out = result.output
    assert result.exit_code == code, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out and "unexpected" not in out, out
    raw = sorted({c for c in out if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0})
    assert raw == [], raw
    return out


def renamed(path: Path, name: str) -> Path:
    """`path` moved to a sibling folder called `name` (RunWriter itself refuses such names)."""
    target = path.parent / name
    path.rename(target)
    return target


def write_predictions(run: Path, probs: np.ndarray, y: np.ndarray) -> Path:
    RunWriter(run).write_predictions(**Predictions(val_y=y, val_probs=probs).to_arrays())
    return run


def escaped_run(root: Path, name: str = NAME) -> Path:
    """A run whose folder name, history metric names and config values hold terminal escapes."""
    rows = [{**row, f"acc{ESC}": 0.5, "val_acc\x9b2J": 0.4} for row in falling_rows(6)]
    config = {"epochs": 6, "dataset": "iris", f"note{ESC}": f"value{ESC}", "optimizer": "adam"}
    run = make_run_dir(root, "plain", epochs=6, rows=rows, config=config)
    y = np.array([0, 1] * 20)
    p1 = np.linspace(0.05, 0.95, 40)
    return renamed(write_predictions(run, np.stack([1 - p1, p1], axis=1), y), name)


# -- printable: the one escaping function ------------------------------------------------------------------------


def test_printable_escapes_controls_overrides_and_lone_surrogates_once():
    raw = "a\x1b[2J\x00\x7f\x9b\u202e\udcff\t\n日本語 ✓"
    shown = printable(raw)
    # A name's undecodable byte 0xff, read as the lone surrogate \\udcff, is shown as \\xff.
    assert shown == "a\\x1b[2J\\x00\\x7f\\x9b\\u202e\\xff\\t\\n日本語 ✓"
    assert printable(shown) == shown  # escaping twice changes nothing
    assert printable(raw, keep="\n").endswith("\\t\n日本語 ✓")
    shown.encode("utf-8")  # a lone surrogate would make this raise
    assert json.loads(json_text(json.dumps({"k": raw}, ensure_ascii=False))) == {"k": raw}
    assert "\x9b" not in json_text(json.dumps(raw, ensure_ascii=False))


def test_the_console_escapes_whatever_a_view_forgot():
    console = SafeConsole(theme=THEME, file=io.StringIO(), width=80, color_system="truecolor", highlight=False)
    console.print(f"[bold]{NAME}[/bold] and \x9b2J")
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[1m" in out  # Rich's own styles still reach the terminal
    assert "\x1b]0" not in out and "\x1b[2J" not in out and "\x9b" not in out
    assert SHOWN in out and "\\x9b2J" in out
    assert isinstance(stdout_console(), SafeConsole)


# -- diagnose, report, compare and the sweep table in the terminal ------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_diagnose_shows_names_from_files_escaped(tmp_path, fmt, lang):
    csv = tmp_path / "log.csv"
    csv.write_text(f"epoch,loss,val_loss,acc{ESC}\x9b\n0,1.0,1.1,0.5\n1,0.8,0.9,0.6\n2,0.6,0.8,0.7\n", encoding="utf-8")
    out = assert_clean(invoke("diagnose", csv, "--format", fmt, "--lang", lang))
    if fmt == "json":
        json.loads(out)
    else:
        assert "acc\\x1b]0;pwned" in out, out  # the ignored column, named as it is, escaped


def test_diagnose_of_a_folder_of_runs_escapes_names_in_its_table(tmp_path):
    escaped_run(tmp_path)
    make_run_dir(tmp_path, "other", epochs=6)
    out = assert_clean(invoke("diagnose", tmp_path))
    assert SHOWN in out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_and_compare_show_names_from_files_escaped(tmp_path, lang):
    run = escaped_run(tmp_path)
    other = make_run_dir(tmp_path, "other", epochs=6)
    report = assert_clean(invoke("report", run, "--lang", lang))
    assert SHOWN in report
    compared = assert_clean(invoke("compare", run, other, "--out", tmp_path / "cmp", "--lang", lang))
    assert SHOWN in compared
    payload = json.loads(assert_clean(invoke("compare", run, other, "--out", tmp_path / "cmp", "--format", "json")))
    assert payload["runs"][0].endswith(NAME)  # JSON keeps the value, written as \u escapes


def test_print_compare_escapes_run_names_metric_names_and_config(tmp_path):
    run = escaped_run(tmp_path)
    summaries = [_summary(run), _summary(make_run_dir(tmp_path, "other", epochs=6))]
    summaries[0].metrics[f"final acc{ESC}"] = 0.5  # a metric named by the file
    console = stdout_console()
    console.file = io.StringIO()
    print_compare(console, summaries)
    out = console.file.getvalue()
    assert "\x1b" not in out and "\x9b" not in out and SHOWN in out


def _summary(run: Path) -> RunSummary:
    from kerasdiag.rundir.reader import read_run

    record = read_run(run)
    return RunSummary(run.name, run, record, final_and_best(record), {}, None, threshold_for_run(record))


def test_the_sweep_table_escapes_setting_names_and_its_title():
    samples = {"val_accuracy": [0.9], "best_val_accuracy": [0.9], "val_loss": [0.3], "best_val_loss": [0.3]}
    row = SettingRow(f"lr={ESC}", {"lr": ESC}, 1, samples, [f"healthy{ESC}"])
    console = stdout_console()
    console.file = io.StringIO()
    console.width = 200
    console.print(sweep_table([row], f"sweep {ESC}"))
    out = console.file.getvalue()
    assert "\x1b" not in out and out.count(SHOWN) >= 2, out


# -- report.html ---------------------------------------------------------------------------------------------------


def test_report_html_escapes_script_and_control_characters_in_names(tmp_path):
    run = escaped_run(tmp_path, name=f"<script>alert(1)<{ESC}")
    assert_clean(invoke("report", run))
    page = (run / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;" in page
    assert "\x1b" not in page and "\x07" not in page and SHOWN in page
    assert "value\\x1b]0;pwned" in page  # a config value


# -- figures: names are drawn as they are, never as mathtext -------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_mathtext_and_undecodable_names_crash_neither_report_nor_compare(tmp_path, lang):
    probes = {"a\\$b$": {"grad_norm": 0.1}, "$\\": {"grad_norm": 0.2}}  # layer names, drawn in gradients.png
    rows = [{**row, "$x^$": 0.1, "val_$x^$": 0.2, "probes": probes} for row in falling_rows(4)]
    run = make_run_dir(tmp_path, "plain", epochs=4, rows=rows, config={"epochs": 4, "$lr$": "$\\frac$"})
    p1 = np.linspace(0.05, 0.95, 20)
    run = renamed(write_predictions(run, np.stack([1 - p1, p1], axis=1), np.array([0, 1] * 10)), "$\\frac{a}{$")
    other = renamed(make_run_dir(tmp_path, "other", epochs=4), "\udcff$")  # not UTF-8: read as a lone surrogate
    assert_clean(invoke("report", run, "--lang", lang))
    assert_clean(invoke("compare", run, other, "--out", tmp_path / "cmp", "--lang", lang))


def test_a_name_is_drawn_as_typed(tmp_path, monkeypatch):
    seen: list[str] = []
    save = plots._save

    def keeping(fig, path):
        seen.extend(t.get_text() for t in fig.findobj(matplotlib.text.Text))
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", keeping)
    record = _record(tmp_path, "x")
    plots.curves_figure([(f"$y^{ESC}$", record), ("\udcff", record)], "loss", tmp_path / "loss.png")
    assert any(t.startswith("\\$y^\\x1b]0;pwned\\x07") for t in seen), seen
    assert any(t.startswith("\\xff") for t in seen), seen


# -- per-class histograms are capped -------------------------------------------------------------------------------


def test_5000_classes_are_reported_and_compared_in_seconds(tmp_path):
    k, n = 5_000, 500
    rng = np.random.default_rng(0)
    probs = rng.random((n, k)).astype(np.float32)
    probs /= probs.sum(axis=1, keepdims=True)
    run = write_predictions(make_run_dir(tmp_path, "many", epochs=3), probs, rng.integers(0, k, n))
    other = make_run_dir(tmp_path, "other", epochs=3)
    start = time.monotonic()
    assert_clean(invoke("report", run))
    assert_clean(invoke("compare", run, other, "--out", tmp_path / "cmp"))
    took = time.monotonic() - start
    assert took < 60, f"report and compare of 5,000 classes took {took:.0f} s"  # one histogram each: 80 s and more


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_classes_not_drawn_are_named_in_a_note(tmp_path, monkeypatch, lang):
    texts: list[str] = []
    save = plots._save

    def keeping(fig, path):
        texts.extend(t.get_text() for t in fig.findobj(matplotlib.text.Text))
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", keeping)
    k = 50_000
    y = np.concatenate([np.full(30, 7), np.arange(100, 130), np.arange(200, 260)])
    probs = np.full((len(y), k), 1 / k, dtype=np.float32)
    plots.probabilities_figure([("many", Predictions(val_y=y, val_probs=probs))], tmp_path / "p.png", lang=lang)
    drawn = plots.drawn_classes(y, k)
    assert len(drawn) == plots.MAX_CLASSES_DRAWN and drawn[:2] == [7, 100]  # the most samples; ties: lower class
    note = text("figure.probabilities.classes_drawn", lang, drawn="20", total="50,000", rest="49,980")
    assert any(note in t for t in texts), texts
    assert plots.drawn_classes(y, 3) == [0, 1, 2]


# -- a run whose loss went NaN, negative probabilities ------------------------------------------------------------


def _record(root: Path, name: str, predictions: Predictions | None = None) -> RunRecord:
    epochs = [EpochRecord(e, {"loss": 1 / e, "val_loss": float("nan") if e > 2 else 1 / e}) for e in range(1, 5)]
    return RunRecord(
        path=str(root / name), source="kerasdiag", epochs=epochs, status="completed", predictions=predictions
    )


@pytest.mark.parametrize("damage", ["nan", "negative", "inf"])
def test_nan_or_negative_probabilities_crash_no_view(tmp_path, damage):
    bad = {"nan": np.nan, "negative": -0.5, "inf": np.inf}[damage]
    y = np.array([0, 1] * 10)
    for classes in (2, 3):
        probs = np.full((20, classes), 1 / classes)
        probs[::2] = bad  # half the rows are not probabilities; all of them in the second record
        for i, values in enumerate((probs, np.full_like(probs, bad))):
            record = _record(tmp_path, f"r{i}", Predictions(val_y=y, val_probs=values))
            assert reliability(y, values).counts.sum() == (10 if i == 0 else 0)
            threshold = threshold_for_run(record)
            assert "<table>" in render_html(record, diagnose_run(record), [], threshold)
            predictions = [("a", record.predictions), ("b", record.predictions)]
            held_out = [plots.HeldOut("a", record.predictions, threshold=threshold), predictions[1]]
            plots.probabilities_figure(held_out, tmp_path / "p.png")
            plots.reliability_figure(predictions, tmp_path / "r.png")
            summary = RunSummary("a", tmp_path, record, final_and_best(record), {}, None, threshold)
            _print(print_compare, [summary, summary])


def _print(show, *args) -> str:
    console = stdout_console()
    console.file = io.StringIO()
    show(console, *args)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_report_and_compare_of_a_run_whose_loss_went_nan(tmp_path):
    rows = [
        {**row, "loss": float("nan"), "val_loss": float("nan")} if row["epoch"] > 2 else row for row in falling_rows(5)
    ]
    run = make_run_dir(tmp_path, "nan", epochs=5, rows=rows)
    write_predictions(run, np.full((20, 3), np.nan, dtype=np.float32), np.array([0, 1, 2, 0] * 5))
    other = make_run_dir(tmp_path, "other", epochs=5)
    assert_clean(invoke("report", run))
    assert (run / "report.html").is_file()
    for fmt in ("text", "json"):
        assert_clean(invoke("compare", run, other, "--out", tmp_path / "cmp", "--format", fmt))
    payload = json.loads(invoke("compare", run, other, "--out", tmp_path / "cmp", "--format", "json").output)
    assert payload["metrics"]["ECE (held-out)"][0] is None  # not NaN: JSON has none


def test_no_warning_is_printed_for_nan_probabilities(tmp_path, recwarn):
    predictions = Predictions(val_y=np.array([0, 1, 2]), val_probs=np.full((3, 3), np.nan))
    plots.probabilities_figure([("nan", predictions)], tmp_path / "p.png")
    plots.reliability_figure([("nan", predictions)], tmp_path / "r.png")
    assert [str(w.message) for w in recwarn if "NaN" in str(w.message)] == []
