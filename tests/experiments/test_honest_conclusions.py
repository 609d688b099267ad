"""Honest experiment conclusions, on constructed numbers (no training).

sweep: seed noise stated (spread over repeats, or one seed's band from the epochs), no turn and no "try larger
values" inside the noise, best/final and epochs-to-best, and when training length decides. fix: a diverged seed
is a failed seed, tied seeds are no certainty, the best of k says so and widens its interval. compare: each
class's P(class) named by its label, the threshold chosen on validation and scored elsewhere, every reliability
bin's sample count.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from kerasdiag.cli.fix_cmd import apply_fix_flags
from kerasdiag.diagnosis.findings import Finding, Fix, Severity, Text
from kerasdiag.experiments.compare import compare_json, summarise_run
from kerasdiag.experiments.fix.conclusion import conclusion as fix_conclusion
from kerasdiag.experiments.fix.conclusion import report_json
from kerasdiag.experiments.fix.run import FixOptions, FixRuns, Member, plan_fixes
from kerasdiag.experiments.fix.summary import summarise as summarise_fixes
from kerasdiag.experiments.sweep.conclusion import conclusion as sweep_conclusion
from kerasdiag.experiments.sweep.summary import SettingRow, run_metrics
from kerasdiag.render.compare import held_out, print_compare
from kerasdiag.render.console import THEME
from kerasdiag.render.figures import _probabilities_axis
from kerasdiag.render.fix import fix_table
from kerasdiag.render.sweep import sweep_table
from kerasdiag.rundir.summaries import Predictions
from kerasdiag.rundir.writer import RunWriter
from tests.helpers.english import english_left
from tests.helpers.rule_factory import make_record
from tests.helpers.run_dirs import falling_rows, make_run_dir


def printed(show, *args) -> str:
    console = Console(theme=THEME, width=250, file=io.StringIO(), highlight=False, color_system=None)
    if callable(show):
        show(console, *args)
    else:
        console.print(show)
    return console.file.getvalue()  # type: ignore[attr-defined]


# -- sweep ---------------------------------------------------------------------------------------------------------


def setting(value: str, finals: list[float], *, noise: float = 0.01, best: float | None = None, at: float = 10.0):
    """A `--lr` setting: final val_acc per seed, each run's epoch noise, best val_acc, and the epoch of the best."""
    samples = {
        "val_accuracy": finals,
        "best_val_accuracy": [best if best is not None else v + 0.01 for v in finals],
        "val_loss": [1 - v for v in finals],
        "best_val_loss": [0.9 - v for v in finals],
        "gap": [0.02] * len(finals),
        "epochs_to_best": [at] * len(finals),
        "epochs_to_best_accuracy": [at] * len(finals),
        "epochs": [20.0] * len(finals),
        "noise:val_accuracy": [noise] * len(finals),
        "noise:val_loss": [noise] * len(finals),
    }
    return SettingRow(f"lr={value}", {"lr": value}, len(finals), samples, ["healthy"] * len(finals))


def test_one_seed_states_its_noise_and_calls_no_change_inside_it_a_turn():
    rows = [setting("0.001", [0.900]), setting("0.01", [0.903]), setting("0.1", [0.900]), setting("1", [0.905])]
    lines = sweep_conclusion(rows, "val_accuracy")
    # band = 2 * 0.01 * sqrt(2 / 1) = 0.0283: every difference here (at most 0.005) is inside it
    assert any(line.startswith("One seed: differences below 0.0283 are noise") for line in lines), lines
    assert not any("sharpest turn" in line or "try larger" in line for line in lines), lines
    assert any("flat over lr within the noise (0.0283)" in line for line in lines), lines
    assert any(line.startswith("The runner-up, lr=0.01, is 0.0020 behind: within the noise") for line in lines)
    japanese = "\n".join(sweep_conclusion(rows, "val_accuracy", lang="ja"))
    assert "シードは 1 つだけです。0.0283 より小さい差は偶然の範囲" in japanese and english_left(japanese) == []


def test_a_change_beyond_the_noise_is_still_named():
    rows = [setting("0.001", [0.70], noise=0.002), setting("0.01", [0.80], noise=0.002)]
    rows.append(setting("0.1", [0.90], noise=0.002))
    lines = sweep_conclusion(rows, "val_accuracy")
    assert "final val_acc is best at the largest lr tried, beyond the noise: try larger values." in lines
    assert not any("sharpest turn" in line for line in lines)  # nothing gets worse
    rows.append(setting("1", [0.30], noise=0.002))
    lines = sweep_conclusion(rows, "val_accuracy")
    assert "The sharpest turn is from lr=0.1 to lr=1: 0.9000 -> 0.3000." in lines


def test_repeats_state_the_spread_across_seeds_and_tied_seeds_are_not_certainty():
    rows = [setting("0.01", [0.80, 0.82]), setting("0.1", [0.84, 0.86])]
    line = sweep_conclusion(rows, "val_accuracy")[1]
    # pooled sd 0.01414 > epoch noise 0.01: band = 2 * 0.01414 * sqrt(2 / 2) = 0.0283
    assert line.startswith("Seed noise: over 2 seeds per setting, final val_acc spreads by 0.0141"), line
    assert "below 0.0283 are noise" in line
    tied = [setting("0.01", [0.80, 0.80], noise=math.nan), setting("0.1", [0.90, 0.90], noise=math.nan)]
    lines = sweep_conclusion(tied, "val_accuracy")
    assert "(a spread of 0 from 2 seeds: unknown, not zero)" in lines[1]
    assert not any("sharpest" in line or "try larger" in line for line in lines)


def test_a_conclusion_that_depends_on_training_length_says_so():
    rows = [
        setting("0.01", [0.90], best=0.91, at=6.0),  # best by final value, peaked early
        setting("0.1", [0.85], best=0.95, at=20.0),  # best by best-epoch value, still improving at epoch 20 of 20
        setting("1", [0.50], best=0.60, at=3.0),
    ]
    lines = sweep_conclusion(rows, "val_accuracy")
    ends = "By best val_acc the best setting is lr=0.1, not lr=0.01: which one wins depends on when training stops."
    assert ends in lines
    assert (
        "Still improving at the last epoch in 1 of 3 settings (lr=0.1 (20/20); best epoch/epochs): "
        "a longer run may change the order." in lines
    )
    table = printed(sweep_table(rows, "t"))
    assert "20.0/20" in table and "6.0/20" in table  # epochs to best, of the epochs trained


def test_run_metrics_measure_the_epochs_and_each_curves_noise(tmp_path):
    rows = [{**row, "val_accuracy": 0.8 + (0.01 if row["epoch"] % 2 else -0.01)} for row in falling_rows(8)]
    metrics, _ = run_metrics(make_run_dir(tmp_path, "zigzag", epochs=8, rows=rows))
    assert metrics["epochs"] == 8.0 and metrics["epochs_to_best_accuracy"] == 1.0
    # successive differences alternate -0.02, +0.02: std 0.02191 (ddof=1, 5 of them) / sqrt(2)
    assert metrics["noise:val_accuracy"] == pytest.approx(0.0219089 / math.sqrt(2), rel=1e-4)
    assert metrics["noise:val_loss"] > 0


# -- fix -----------------------------------------------------------------------------------------------------------

T = Text("t", "t")


def fix_runs(fixes: dict[str, list[float]], base: list[float], diverged: tuple[str, ...] = ()) -> FixRuns:
    known = {"dropout-0.3": ("overfitting", "--dropout 0.3"), "layers-3": ("underfitting", "--layers 3")}
    findings = [Finding(known[s][0], Severity.WARNING, T, {}, T, T, (Fix(known[s][1], T),)) for s in fixes]
    record = make_record([1.0, 0.9], config={"epochs": 10, "dataset": "iris", "layers": 1})
    plan = plan_fixes(Path("runs/demo"), record, findings, apply_fix_flags, FixOptions(seeds=len(base)))

    def members(values: list[float], where: str) -> list[Member]:
        out = []
        for seed, acc in zip(plan.seeds, values):
            metrics = {"val_accuracy": acc, "best_val_accuracy": acc, "val_loss": 1 - acc, "best_val_loss": 1 - acc}
            metrics |= {"epochs": 10.0, "epochs_to_best": 5.0, "epochs_to_best_accuracy": 5.0}
            status = "completed"
            if math.isnan(acc):
                metrics |= {"val_loss": math.nan, "best_val_loss": 0.6, "best_val_accuracy": 0.99}
                status = "diverged"
            out.append(Member(seed, Path(f"{where}/seed-{seed}"), status, metrics, ()))
        return out

    runs = FixRuns(plan, baseline=members(base, "baseline"))
    for slug, values in fixes.items():
        runs.fixes[slug] = members(values, slug)
    return runs


def test_a_diverged_seed_is_a_failed_seed_counted_against_the_fix():
    runs = fix_runs({"dropout-0.3": [0.90, 0.91, math.nan]}, [0.70, 0.71, 0.72])
    (row,) = summarise_fixes(runs)
    d = row.changes["val_accuracy"]
    assert row.failed == 1 and d.n_changed == 3  # not dropped: scored as the worst seed seen (0.70)
    assert d.diff == pytest.approx((0.90 + 0.91 + 0.70) / 3 - 0.71)
    assert row.changes["best_val_accuracy"].diff < 0.9 - 0.71  # its best-epoch 0.99 before diverging is not kept
    words = fix_conclusion([row], "val_accuracy", runs=runs)
    assert "--dropout 0.3 diverged in 1 of 3 seeds: those are failed seeds, counted against it" in words
    assert "(0.7000)" in words
    assert "3 (1 diverged)" in printed(fix_table(runs, [row]))
    payload = report_json(runs, [row], "val_accuracy", None)
    assert payload["fixes"][0]["diverged_seeds"] == 1 and payload["fixes"][0]["runs"][2]["diverged"] is True


def test_tied_seeds_are_no_certainty():
    runs = fix_runs({"dropout-0.3": [0.9, 0.9]}, [0.8, 0.8])
    (row,) = summarise_fixes(runs)
    d = row.changes["val_accuracy"]
    assert d.tied and not d.excludes_zero and math.isnan(d.low)
    words = fix_conclusion([row], "val_accuracy", runs=runs)
    assert "a spread of 0 from n=2+2 seeds is unknown, not zero" in words
    assert "the seeds cannot tell it from noise" in words and "cannot explain" not in words
    assert "the 2 baseline seeds tied on final val_acc" in words
    japanese = fix_conclusion([row], "val_accuracy", lang="ja", runs=runs)
    assert english_left(japanese) == [] and "ばらつきがないとは言えず" in japanese


def test_the_best_of_k_fixes_says_so_and_widens_its_interval():
    runs = fix_runs({"dropout-0.3": [0.80, 0.82, 0.81], "layers-3": [0.72, 0.70, 0.71]}, [0.70, 0.72, 0.71])
    rows = summarise_fixes(runs)
    d = rows[0].changes["val_accuracy"]
    assert d.level == pytest.approx(0.975)  # Bonferroni over the 2 fixes tried
    alone = fix_runs({"dropout-0.3": [0.80, 0.82, 0.81]}, [0.70, 0.72, 0.71])
    single = summarise_fixes(alone)[0].changes["val_accuracy"]
    assert single.level == 0.95 and (d.high - d.low) > (single.high - single.low)
    words = fix_conclusion(rows, "val_accuracy", runs=runs)
    assert words.startswith("Best of 2 fixes on final val_acc: --dropout 0.3 (+0.1000, 97.5% interval [")
    assert "Bonferroni over 2" in words and "Seed noise: the baseline's final val_acc spreads by 0.0100" in words
    assert "[97.5% interval]" in printed(fix_table(runs, rows))
    plain = fix_conclusion(summarise_fixes(alone), "val_accuracy")  # as `kerasdiag fix` prints it: rows only
    assert plain.startswith("Winner on final val_acc") and "Seed noise: the baseline's final val_acc" in plain


# -- compare -------------------------------------------------------------------------------------------------------


def two_class_run(root: Path, name: str, *, test: bool) -> Path:
    """A `--classes 3,8` run: output 0 is digit 3. P(3) is high for true 3s; a test split where `test`."""
    path = make_run_dir(root, name, epochs=4, config={"epochs": 4, "dataset": "digits", "classes": [3, 8]})
    y = np.array([0, 1] * 30)
    p3 = np.clip(np.where(y == 0, 0.8, 0.2) + np.linspace(-0.15, 0.15, 60), 0.01, 0.99)
    probs = np.stack([p3, 1 - p3], axis=1)
    arrays = Predictions(val_y=y, val_probs=probs, test_y=y if test else None, test_probs=probs if test else None)
    RunWriter(path).write_predictions(**arrays.to_arrays())
    return path


def test_compare_names_each_class_by_its_label_and_plots_the_first_output(tmp_path):
    run = summarise_run(two_class_run(tmp_path, "digits", test=True))
    assert run.labels == ("3", "8") and run.threshold is not None and run.threshold.positive == 0
    shown = printed(print_compare, [run, run])
    assert "predict 3 when P(3) >= " in shown and ", else 8 (" in shown and "P(class 1)" not in shown

    class Axis:
        def __init__(self):
            self.hists, self.words = [], []

        def hist(self, values, **kwargs):
            self.hists.append((kwargs["label"], np.asarray(values)))

        def set_xlabel(self, words):
            self.words.append(words)

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    ax = Axis()
    _probabilities_axis(ax, held_out(run), lambda i: "C0", "en")
    (true3, values3), (true8, values8) = ax.hists
    assert true3 == "true class 3 (n=30)" and true8 == "true class 8 (n=30)"
    assert values3.mean() > 0.7 and values8.mean() < 0.3  # the first output, P(3): high for true 3s
    assert ax.words == ["predicted P(3)"]


def test_the_threshold_is_never_scored_on_the_samples_it_was_chosen_on(tmp_path):
    with_test = summarise_run(two_class_run(tmp_path, "with-test", test=True)).threshold
    assert with_test is not None and with_test.split == "test" and not with_test.half
    assert (with_test.chosen_samples, with_test.scored_samples) == (60, 60)
    val_only = summarise_run(two_class_run(tmp_path, "val-only", test=False))
    t = val_only.threshold
    assert t is not None and t.half and (t.chosen_samples, t.scored_samples) == (30, 30)
    shown = printed(print_compare, [val_only, val_only])
    assert "chosen on 30 validation samples" in shown
    assert "on the other half of the validation samples (30, not used to choose it" in shown


def test_every_reliability_bin_shows_its_sample_count(tmp_path):
    run = summarise_run(two_class_run(tmp_path, "digits", test=True))
    bins = compare_json([run, run])["reliability"]["digits"]
    assert len(bins) == 10 and sum(b["count"] for b in bins) == 60
    shown = printed(print_compare, [run, run])
    assert "Reliability bins" in shown
    counted = [b for b in bins if b["count"]]
    for b in counted:
        assert f"n={b['count']}: acc" in shown
    assert "0.5-0.6" in shown and "0.0-0.1" not in shown  # two classes: no top probability below 0.5
    assert json.dumps(bins)  # plain data
