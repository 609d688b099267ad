"""The views of sweep, fix, compare and report, and their figures, in Japanese (`lang="ja"`), English unchanged.

Inputs are built without training: sweep rows and fix members by hand, run directories with the real
RunWriter (`tests/helpers/run_dirs.py`). Every figure is really drawn and saved, with warnings as errors,
so a Japanese glyph that the font lacks ("Glyph ... missing from font(s)") fails the test.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from click.testing import CliRunner
from rich.console import Console

from kerasdiag.cli import main
from kerasdiag.cli.fix_cmd import apply_fix_flags
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.experiments.compare import RunSummary, compare_json, summarise_run
from kerasdiag.experiments.fix.conclusion import conclusion as fix_conclusion
from kerasdiag.experiments.fix.conclusion import report_json
from kerasdiag.experiments.fix.run import FixOptions, FixRuns, Member, plan_fixes
from kerasdiag.experiments.fix.script import plan_script_fixes
from kerasdiag.experiments.fix.summary import summarise as summarise_fixes
from kerasdiag.experiments.sweep.conclusion import conclusion as sweep_conclusion
from kerasdiag.experiments.sweep.summary import AXIS_LABELS, SettingRow, axis_label
from kerasdiag.messages import catalog, placeholders
from kerasdiag.render import figures as plots
from kerasdiag.render.compare import print_compare, write_figures
from kerasdiag.render.console import THEME
from kerasdiag.render.fix import fix_figure, fix_table, not_applied_line, print_not_applied, print_other_validation
from kerasdiag.render.html import write_report
from kerasdiag.render.sweep import sweep_table
from kerasdiag.rundir.model_summary import LayerInfo, ModelSummary
from kerasdiag.rundir.reader import read_run
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.summaries import Predictions
from kerasdiag.rundir.writer import RunWriter
from tests.helpers.english import english_left
from tests.helpers.rule_factory import make_record
from tests.helpers.run_dirs import falling_rows, make_run_dir

MY_AREAS = ("exp.", "view.sweep.", "view.fix.", "view.compare.", "view.metric.", "view.report.", "figure.")


def printed(*renderables, width: int = 200) -> str:
    """What a Rich console prints of `renderables` (tables, markup), as plain text."""
    console = Console(theme=THEME, width=width, file=io.StringIO(), highlight=False, color_system=None)
    for renderable in renderables:
        console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def with_console(show, *args, width: int = 200) -> str:
    console = Console(theme=THEME, width=width, file=io.StringIO(), highlight=False, color_system=None)
    show(console, *args)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def drawn(monkeypatch) -> dict[str, list[str]]:
    """Every text drawn in each figure kerasdiag.render.figures saves (titles, labels, legends, notes), by file."""
    seen: dict[str, list[str]] = {}
    save = plots._save

    def recording(fig, path):
        seen[path.name] = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", recording)
    return seen


def english_in_figures(drawn: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: left for name, texts in drawn.items() if (left := english_left("\n".join(texts)))}


# -- the catalog: every template of these views reads as Japanese ------------------------------------------------


def test_every_japanese_template_of_the_views_leaves_no_english():
    left = {}
    for key, template in catalog("ja").items():
        if key.startswith(MY_AREAS):
            filled = template.format(**{name: "X" for name in placeholders(template)})
            if found := english_left(re.sub(r"<[^>]+>", " ", filled)):
                left[key] = found
    assert not left, left


# -- sweep ---------------------------------------------------------------------------------------------------------


def sweep_rows() -> list[SettingRow]:
    def row(layers: str, accuracies: list[float], finding: str) -> SettingRow:
        samples = {
            "val_accuracy": accuracies,
            "best_val_accuracy": [a + 0.01 for a in accuracies],
            "val_loss": [1 - a for a in accuracies],
            "best_val_loss": [0.9 - a for a in accuracies],
            "gap": [0.05, 0.07],
            "epochs_to_best": [3.0, 4.0],
        }
        return SettingRow(f"layers={layers}", {"layers": layers}, 2, samples, [finding, finding])

    return [
        row("1", [0.86, 0.9], "underfitting"),
        row("2", [0.87, 0.91], "healthy"),
        row("3", [0.6, 0.66], "overfitting"),
    ]


def test_sweep_table_and_conclusion_in_japanese():
    rows = sweep_rows()
    table = printed(sweep_table(rows, "スイープ tiny: シードを変えた繰り返しの平均±標準偏差", lang="ja"))
    lines = sweep_conclusion(rows, "val_accuracy", lang="ja")
    assert english_left(table) == [] and english_left("\n".join(lines)) == []
    assert "設定" in table and "主な問題" in table and "学習不足" in table and "問題なし" in table
    assert "val_acc" in table  # metric keys stay as they are
    assert len(lines) == 6 and lines[0] == "val_acc（最終）が最も良い設定は layers=2 です（0.8900±0.0200）。"
    assert lines[1] == (
        "シードによるばらつき: 設定ごとに 2 シードで学習したところ、val_acc（最終）のばらつき（設定ごとの標準偏差を"
        "まとめた値）は 0.0337 でした。設定どうしの差が 0.0673 より小さければ、ばらつきの範囲内です。"
    )
    assert lines[2].startswith("2 番目に良い layers=1 との差は 0.0100 で、ばらつきの範囲に収まっています。")
    assert lines[3] == "設定ごとの値は 0.6300±0.0300（layers=3）から 0.8900±0.0200 までの範囲にあります。"
    assert lines[4] == (
        "val_acc（最終）は layers=2 のときに最も良くなりましたが、layers=1 との差はばらつき（0.0673）の範囲内です。"
    )
    assert lines[5] == "最も大きく変わるのは layers=2 から layers=3 の間です: 0.8900 → 0.6300。"
    for metric in ("val_loss", "gap", "epochs_to_best"):
        assert english_left("\n".join(sweep_conclusion(rows, metric, lang="ja"))) == []
    assert sweep_conclusion([], "val_accuracy", lang="ja") == ["この指標を記録して終わった実行はまだありません。"]


def test_sweep_table_and_conclusion_in_english_are_unchanged():
    rows = sweep_rows()
    table = printed(sweep_table(rows, "Sweep tiny: mean±std over repeats"))
    for heading in ("setting", "runs", "final", "val_acc", "acc", "gap train-val", "main finding", "underfitting"):
        assert heading in table
    assert "healthy" in table
    assert sweep_conclusion(rows, "val_accuracy") == [
        "Best setting by final val_acc: layers=2 (0.8900±0.0200).",
        "Seed noise: over 2 seeds per setting, final val_acc spreads by 0.0337 (pooled standard deviation); "
        "differences between settings below 0.0673 are noise.",
        "The runner-up, layers=1, is 0.0100 behind: within the noise, so the two are not clearly apart.",
        "Across settings it ranges from 0.6300±0.0300 (layers=3) to 0.8900±0.0200.",
        "final val_acc is best at layers=2, but layers=1 is also within the noise (0.0673) of it.",
        "The sharpest turn is from layers=2 to layers=3: 0.8900 -> 0.6300.",
    ]
    assert AXIS_LABELS["val_accuracy"] == axis_label("val_accuracy") == "validation accuracy (last epoch)"


def test_sweep_figure_in_japanese(tmp_path, drawn):
    rows = sweep_rows()
    plots.sweep_figure(rows, "val_accuracy", None, tmp_path / "sweep.png", "スイープ tiny: --layers 1,2,3", lang="ja")
    assert english_in_figures(drawn) == {}
    texts = drawn["sweep.png"]
    assert axis_label("val_accuracy", "ja") in texts and "学習不足" in texts and "過学習" in texts
    assert any("2 シードの平均 ± 標準偏差" in t for t in texts)


# -- fix -----------------------------------------------------------------------------------------------------------

T = Text("t", "t")


def finding(rule: str, *flags: str) -> Finding:
    return Finding(rule, Severity.WARNING, T, {}, T, T, tuple(Fix(f, T) for f in flags))


def fix_runs() -> FixRuns:
    record = make_record([1.0, 0.9, 0.8], config={"epochs": 10, "shuffle": False, "dataset": "iris"})
    findings = [
        finding("overfitting", "--dropout 0.3"),
        finding("validation-mismatch", "--shuffle"),
        finding("class-imbalance"),  # no flags
        finding("saturation", "--init glorot_uniform"),  # the run already has it
    ]
    plan = plan_fixes(Path("runs/demo"), record, findings, apply_fix_flags, FixOptions(seeds=3))

    def members(accuracies: list[float], fired: tuple[str, ...]) -> list[Member]:
        out = []
        for seed, acc in zip(plan.seeds, accuracies):
            metrics = {"val_accuracy": acc, "best_val_accuracy": acc + 0.01, "val_loss": 1 - acc, "best_val_loss": 0.5}
            out.append(Member(seed, Path(f"seed-{seed}"), "completed", metrics, fired))
        return out

    runs = FixRuns(plan, baseline=members([0.7, 0.72, 0.71], ("overfitting", "validation-mismatch")))
    runs.fixes["dropout-0.3"] = members([0.8, 0.81, 0.82], ())
    runs.fixes["shuffle"] = members([0.7, 0.73, 0.7], ("validation-mismatch",))
    return runs


def test_fix_table_winner_and_reasons_in_japanese(tmp_path, drawn):
    runs = fix_runs()
    rows = summarise_fixes(runs)
    shown = printed(fix_table(runs, rows, lang="ja"))
    shown += with_console(print_not_applied, runs, "ja") + with_console(print_other_validation, runs, "ja")
    winner = fix_conclusion(rows, "val_accuracy", lang="ja")
    assert english_left(shown) == [] and english_left(winner) == []
    assert "ベースライン（平均）" in shown and "過学習" in shown and "適用できない修正" in shown
    assert winner == (
        "試した 2 個の修正のうち、val_acc（最終）で最も効いたものは --dropout 0.3 です（+0.1000、97.5% 信頼区間 "
        "[+0.0715, +0.1285]、n=3+3 シード）。シードの違いだけでは説明できない改善です。"
        "2 個の中からいちばん良いものを選ぶと、たまたま運の良かったものを選びやすくなります。そのため、"
        "信頼区間はどれも 97.5% に広げています（ボンフェローニ補正: 2 個の区間すべてが同時に成り立つ確率を 95% "
        "以上にします）。シードによるばらつき: ベースラインの val_acc（最終）は 3 シードで標準偏差 0.0100 でした。"
    )
    assert "97.5% 信頼区間" in shown and "最良のエポック" in shown
    payload = report_json(runs, rows, "val_accuracy", None, lang="ja")
    assert payload["conclusion"] == winner
    reasons = [f["reason"] for f in payload["fixes"] if f["reason"]]
    assert len(reasons) == 2 and english_left("\n".join(reasons)) == []
    fix_figure(runs, rows, "val_accuracy", tmp_path / "fix.png", lang="ja")
    assert english_in_figures(drawn) == {}
    assert "ベースライン" in drawn["fix.png"]


def test_fix_table_winner_and_reasons_in_english_are_unchanged():
    runs = fix_runs()
    rows = summarise_fixes(runs)
    shown = printed(fix_table(runs, rows))
    for words in ("Fixes of demo: change vs the unchanged config, 3 seeds each", "fix (finding)", "baseline (means)"):
        assert words in shown
    assert "--dropout 0.3 (overfitting)" in shown and "--shuffle* (validation-mismatch)" in shown
    assert with_console(print_not_applied, runs).splitlines() == [
        "Not applied (class-imbalance): no train flag fixes it (a change to the data or the setup)",
        "Not applied --init glorot_uniform (saturation): changes nothing: the run already has it",
    ]
    assert not_applied_line(runs.plan.candidates[2]) == with_console(print_not_applied, runs).splitlines()[0]
    assert with_console(print_other_validation, runs, width=400).strip() == (
        "* --shuffle: changes which samples are held out, so its validation metrics are measured on other samples "
        "than the baseline's (the finding column still says whether it cleared)."
    )
    assert "[97.5% interval]" in shown and "best epoch" in shown
    assert fix_conclusion(rows, "val_accuracy") == (
        "Best of 2 fixes on final val_acc: --dropout 0.3 (+0.1000, 97.5% interval [+0.0715, +0.1285], n=3+3 seeds): "
        "a gain the seeds cannot explain. The best of 2 fixes is likely the luckiest too, so every interval is a "
        "97.5% one (Bonferroni over 2: the 2 intervals hold together at 95%). Seed noise: the baseline's final "
        "val_acc spreads by 0.0100 over 3 seeds (standard deviation)."
    )
    assert fix_conclusion([], "val_loss") == "No fix finished on both sides; nothing to compare (final val_loss)."


def script_record(tmp_path: Path) -> RunRecord:
    script = tmp_path / "learner.py"
    script.write_text("print('hi')\n", encoding="utf-8")
    layers = [LayerInfo("dense", "Dense", 8, "relu"), LayerInfo("out", "Dense", 3, "softmax")]
    config = {"script": "learner.py", "script_path": str(script), "optimizer": "adam", "lr": 0.0005, "epochs": 20}
    config |= {"batch_size": 5, "validation_split": 0.2, "activation": "relu", "backend": "tensorflow"}
    return RunRecord(path=str(tmp_path / "run"), source="kerasdiag", config=config, model=ModelSummary(layers))


def test_why_a_fix_cannot_be_applied_to_a_script_and_the_notes_in_japanese(tmp_path):
    flags = ["--layers 3", "--train-size 500", "--dropout 0.3", "--no-shuffle", "--shuffle", "--activation relu"]
    findings = [finding(f"rule-{i}", f) for i, f in enumerate(flags)] + [finding("data-rule")]
    plan = plan_script_fixes(tmp_path / "run", script_record(tmp_path), findings, _fix_flag_values())
    refused = [c for c in plan.candidates if c.config is None]
    assert len(refused) == len(flags) + 1
    japanese = "\n".join(c.reason_in("ja") for c in refused) + "\n" + "\n".join(n.get("ja") for n in plan.notes)
    assert english_left(japanese) == [], japanese
    assert (
        len(plan.notes) == 2
        and str(plan.notes[1]) == "run.json records no fit index: the script's first fit is changed"
    )
    assert (
        refused[0].reason
        == "cannot be applied to a script automatically: --layers: the script builds it (edit the script)"
    )


def _fix_flag_values():
    from kerasdiag.cli.fix_cmd import fix_flag_values

    return fix_flag_values


# -- compare -------------------------------------------------------------------------------------------------------


def two_class_run(root: Path, name: str, train_size: int | None, shift: float) -> Path:
    path = make_run_dir(root, name, epochs=4, config={"epochs": 4, "dataset": "digits", "train_size": train_size})
    y = np.array([0, 1] * 40)
    p1 = np.clip(np.linspace(0.05, 0.95, 80) + shift * (y - 0.5), 0.01, 0.99)
    RunWriter(path).write_predictions(**Predictions(val_y=y, val_probs=np.stack([1 - p1, p1], axis=1)).to_arrays())
    return path


@pytest.fixture
def two_runs(tmp_path) -> list[RunSummary]:
    return [
        summarise_run(two_class_run(tmp_path, "full", None, 0.4)),
        summarise_run(two_class_run(tmp_path, "small", 60, 0.1)),
    ]


def test_compare_tables_and_figures_in_japanese(two_runs, tmp_path, drawn):
    shown = with_console(print_compare, two_runs, "ja")
    assert english_left(shown) == [], shown
    assert "違いのあるフラグ" in shown and "train_size" in shown and "val_loss（最終エポック）" in shown
    flat = shown.replace("\n", "")  # Japanese wraps without spaces
    assert flat.count("判定しきい値の提案: P(0) >= 0.500 なら 0、そうでなければ 1 と判定します。") == 2
    assert flat.count("検証データの 40 サンプルで選び、そこでのバランス正解率は") == 2
    assert (
        "しきい値を選ぶのに使っていない検証データの残り半分（40 サンプル。この実行にはテストデータがありません）では、"
        "正解率 0.7250" in flat
    )
    assert "確信度の区間ごとのサンプル数、正解率、確信度の平均" in flat and "n=22: 正解率 1.00（確信度 0.98）" in flat
    payload = compare_json(two_runs, lang="ja")
    assert english_left(json.dumps(payload["thresholds"], ensure_ascii=False)) == []
    assert "final val_loss" in payload["metrics"]  # keys stay as they are
    write_figures(two_runs, tmp_path / "cmp", lang="ja")
    assert set(drawn) == {"loss.png", "probabilities.png", "reliability.png"}
    assert english_in_figures(drawn) == {}
    assert (
        "予測確率 P(0)" in drawn["probabilities.png"]
        and "P(0) の判定しきい値の提案: 0.50" in drawn["probabilities.png"]
    )
    assert "正解クラス 1（n=40）" in drawn["probabilities.png"] and "n=22" in drawn["reliability.png"]


def test_compare_in_english_is_unchanged(two_runs, tmp_path, drawn):
    shown = with_console(print_compare, two_runs)
    for words in ("Flags that differ", "Metrics", "final val_loss", "best epoch (val_loss)", "ECE (held-out)"):
        assert words in shown
    flat = " ".join(shown.split())  # English wraps at spaces
    assert flat.count("suggested threshold: predict 0 when P(0) >= 0.500, else 1 (maximises balanced accuracy") == 2
    assert flat.count("; chosen on 40 validation samples, balanced accuracy there ") == 2
    assert (
        "on the other half of the validation samples (40, not used to choose it: the run has no test data) it gives "
        "accuracy 0.7250, balanced accuracy 0.7250 (at 0.5: accuracy 0.7250)" in flat
    )
    assert "Reliability bins (held-out data)" in flat and "| 0.9-1.0 | n=22: acc 1.00 (conf 0.98) |" in flat.replace(
        "│", "|"
    )
    payload = compare_json(two_runs)
    assert payload["thresholds"][0]["criterion"].startswith("maximises balanced accuracy")
    assert (
        payload["thresholds"][0] | {"label": "0", "other": "1", "half": True, "positive": 0} == payload["thresholds"][0]
    )
    assert payload["class_labels"] == {"full": ["0", "1"], "small": ["0", "1"]}
    assert sum(b["count"] for b in payload["reliability"]["full"]) == 80
    write_figures(two_runs, tmp_path / "cmp")
    assert "Calibration: below the diagonal = over-confident" in drawn["reliability.png"]
    assert "full: training" in drawn["loss.png"] and "true class 1 (n=40)" in drawn["probabilities.png"]
    assert (
        "predicted P(0)" in drawn["probabilities.png"]
        and "suggested threshold on P(0): 0.50" in drawn["probabilities.png"]
    )
    assert "n=22" in drawn["reliability.png"] and "marker area ~ samples in the bin (n)" in drawn["reliability.png"]
    assert matplotlib.rcParams["font.family"] == ["sans-serif"]  # the Japanese font never leaks into English figures


# -- report --------------------------------------------------------------------------------------------------------


def visible(page: str) -> str:
    """The words a reader sees in an HTML page: no style, no tags, no embedded images, entities decoded.

    The config table at the end is left out: its keys and values are the run's (`optimizer`, `adam`).
    """
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"(<h2>(Config|設定)</h2>)\s*<table>.*?</table>", r"\1", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def overfit_run(root: Path, name: str = "demo") -> Path:
    rows = [dict(row) for row in falling_rows(8)]
    for i, row in enumerate(rows[3:], start=1):
        row.update(val_loss=0.3 + 0.08 * i, val_accuracy=0.7 - 0.01 * i)
    path = make_run_dir(root, name, epochs=8, rows=rows, config={"epochs": 8, "dataset": "digits", "optimizer": "adam"})
    y = np.array([0, 1] * 30)
    p1 = np.clip(np.linspace(0.02, 0.98, 60) + 0.3 * (y - 0.5), 0.01, 0.99)
    RunWriter(path).write_predictions(**Predictions(val_y=y, val_probs=np.stack([1 - p1, p1], axis=1)).to_arrays())
    return path


def test_report_html_and_figures_in_japanese(tmp_path, drawn):
    run = overfit_run(tmp_path)
    record = read_run(run)
    page = write_report(record, diagnose_run(record), run, lang="ja").read_text(encoding="utf-8")
    text = visible(page)
    assert english_left(text) == [], english_left(text)
    assert (
        '<html lang="ja">' in page and "kerasdiag レポート: demo" in text and "状態: <b>完了</b>（8 エポック）" in page
    )
    for heading in ("見つかった問題", "図", "設定", "P(0) の判定しきい値の提案", "過学習"):
        assert heading in text
    assert "P(0) >= 0.500 なら 0、そうでなければ 1 と判定します。" in text
    assert "しきい値を選ぶのに使っていない検証データの残り半分（30 サンプル。" in text
    assert set(drawn) == {"loss.png", "accuracy.png", "gradients.png", "probabilities.png", "reliability.png"}
    assert english_in_figures(drawn) == {}
    assert (
        "予測確率 P(0)" in drawn["probabilities.png"]
        and "P(0) の判定しきい値の提案: 0.50" in drawn["probabilities.png"]
    )
    assert "マーカーの面積はビン内のサンプル数（n）に比例" in drawn["reliability.png"]
    assert any(re.fullmatch(r"n=\d+", t) for t in drawn["reliability.png"])


def test_report_html_in_english_is_unchanged(tmp_path):
    run = overfit_run(tmp_path)
    record = read_run(run)
    page = write_report(record, diagnose_run(record), run).read_text(encoding="utf-8")
    assert "<title>kerasdiag report: demo</title>" in page and "<p>Status: <b>completed</b>, 8 epochs.</p>" in page
    for words in ("<h2>Findings</h2>", "<h2>Figures</h2>", "<h2>Config</h2>", "suggested threshold on P(0)"):
        assert words in page
    assert "Evidence (numbers)</summary>" in page and "accuracy at 0.5 (on those samples)" in page
    assert "predict 0 when P(0) &gt;= 0.500, else 1; maximises balanced accuracy" in page
    assert "chosen on 30 validation samples" in page
    assert "<th>threshold scored on</th><td>the other half of the validation samples (30, not used" in page
    assert "expected calibration error (validation)" in page
    assert "Training and validation loss; the circle marks the epoch with the lowest validation loss." in page


def test_report_command_in_japanese_from_the_flag_and_from_the_locale(tmp_path):
    run = overfit_run(tmp_path)
    for args, env in (
        ([str(run), "--lang", "ja"], {}),
        ([str(run)], {"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}),
    ):
        result = CliRunner(env={"COLUMNS": "200", **env}).invoke(main, ["report", *args])
        assert result.exit_code == 0, result.output
        page = (run / "report.html").read_text(encoding="utf-8")
        assert english_left(visible(page)) == [] and "kerasdiag レポート" in page


# -- names read from files are drawn as they are -------------------------------------------------------------------


def test_a_dollar_in_a_name_is_not_mathtext(tmp_path, monkeypatch):
    artists: dict[str, list] = {}
    save = plots._save

    def keeping(fig, path):
        artists[path.name] = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", keeping)
    record = read_run(make_run_dir(tmp_path, "cost", epochs=4))
    plots.curves_figure([("$5 run$", record), ("b", record)], "loss", tmp_path / "loss.png", lang="ja")
    rows = [replace(sweep_rows()[0], name="lr=$1$", values={"lr": "$1$"}), sweep_rows()[1]]
    plots.sweep_figure(rows, "val_accuracy", None, tmp_path / "sweep.png", "Sweep $x$: --lr $1$")
    shown = {name: [t._preprocess_math(t.get_text()) for t in texts] for name, texts in artists.items()}
    assert ("$5 run$: 訓練データ", False) in shown["loss.png"]  # drawn as typed, not typeset as math
    assert ("$1$", False) in shown["sweep.png"] and all(not math for _, math in shown["sweep.png"])
    assert any(text.startswith("Sweep $x$: --lr $1$") for text, _ in shown["sweep.png"])


# -- the commands, end to end without training ---------------------------------------------------------------------


def finished_sweep(root: Path) -> list[str]:
    """A sweep of `--layers 1..3` (one seed) whose runs are all done, so `--resume` only shows the results."""
    from kerasdiag.experiments.sweep.run import Sweep, SweepRun

    sweep = root / "tiny"
    sweep.mkdir()
    runs = []
    for layers, top in (("1", 0.8), ("2", 0.9), ("3", 0.6)):
        rows = [{**row, "val_accuracy": top - 0.3 / row["epoch"]} for row in falling_rows(4)]
        path = make_run_dir(sweep, f"layers{layers}", epochs=4, rows=rows)
        runs.append(SweepRun(f"layers={layers}", {"layers": layers}, 0, path.name, "completed", 1.0))
    Sweep(sweep, [], ["layers=1", "layers=2", "layers=3"], 1, runs).write()
    return ["sweep", "--layers", "1..3", "--dataset", "iris", "--epochs", "4", "--quiet"]


def test_sweep_and_compare_commands_in_japanese(tmp_path, drawn):
    args = [*finished_sweep(tmp_path), "--logdir", str(tmp_path), "--name", "tiny", "--resume"]
    two = [two_class_run(tmp_path, "full", None, 0.4), two_class_run(tmp_path, "small", 60, 0.1)]
    compare = ["compare", *map(str, two), "--out", str(tmp_path / "cmp")]
    for command in (args, compare):
        for extra, env in (["--lang", "ja"], {}), ([], {"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}):
            result = CliRunner(env={"COLUMNS": "200", **env}).invoke(main, [*command, *extra])
            assert result.exit_code == 0, result.output
            assert english_left(result.output) == [], result.output
    assert "主な問題" in result.output or "判定しきい値の提案" in result.output
    assert english_in_figures(drawn) == {}
    assert {"sweep-val_accuracy.png", "loss.png", "probabilities.png", "reliability.png"} <= set(drawn)


def test_three_class_probabilities_in_japanese(tmp_path, drawn):
    y = np.array([0, 1, 2] * 20)
    probs = np.full((60, 3), 0.2)
    probs[np.arange(60), y] = 0.6
    test = Predictions(val_y=y, val_probs=probs, test_y=y, test_probs=probs)
    plots.probabilities_figure([("three", test)], tmp_path / "probabilities.png", lang="ja")
    assert english_in_figures(drawn) == {}
    assert (
        "正解クラス" in drawn["probabilities.png"] and "three\nテストデータ、60 サンプル" in drawn["probabilities.png"]
    )


@pytest.mark.training
def test_fix_command_in_japanese(tmp_path, drawn):
    iris = ["--dataset", "iris", "--no-shuffle", "--epochs", "2", "-q", "--logdir", str(tmp_path), "--name", "iris"]
    assert CliRunner().invoke(main, ["train", *iris]).exit_code == 0
    args = ["fix", str(tmp_path / "iris"), "--seeds", "2", "--epochs", "2", "--only", "validation-mismatch", "-q"]
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, [*args, "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert english_left(result.output) == [], result.output
    assert "ベースライン（平均）" in result.output and "クラス構成の不一致" in result.output
    assert english_in_figures(drawn) == {} and "fix-val_accuracy.png" in drawn
