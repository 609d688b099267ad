"""`--lang ja` on every command: the command line's own lines, its errors and the runs' problems in Japanese.

Each command runs with `--lang ja` and `english_left(output) == []`; `LANG=ja_JP.UTF-8` picks Japanese when
`--lang` is not given; an error keeps its exit code in either language. JSON keeps ids, names and evidence
in English, so only its sentences (titles, summaries, explanations, fixes, reasons) are checked.
"""

from __future__ import annotations

import json
import pickle
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.errors import ConfigError, KerasdiagError
from kerasdiag.messages import say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.find import load_record
from tests.helpers.english import english_left
from tests.helpers.run_dirs import falling_rows, make_run_dir

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "data" / "logs"
REAL_RUNS = ROOT / "tests" / "data" / "real_runs" / "runs"
# No locale from the machine running the tests: each test says which language it wants.
PLAIN = {"COLUMNS": "120", "NO_COLOR": "1", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
JAPANESE_LOCALE = {**PLAIN, "LANG": "ja_JP.UTF-8"}
# JSON fields that are data (ids, names, numbers as measured, file paths), not sentences.
DATA_KEYS = {"rule", "run", "evidence", "source", "flags", "severity", "worst", "caused_by", "path", "figures", "plot"}


def kerasdiag(*args: Any, env: dict[str, Any] | None = None) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], env=PLAIN if env is None else env)


def sentences(payload: Any) -> str:
    """Every string of a JSON payload that a person reads, one per line (data fields left out)."""
    if isinstance(payload, dict):
        return "\n".join(sentences(v) for k, v in payload.items() if k not in DATA_KEYS)
    if isinstance(payload, list):
        return "\n".join(sentences(v) for v in payload)
    return payload if isinstance(payload, str) else ""


def overfitting_rows(epochs: int = 12) -> list[dict[str, float]]:
    """Training loss falls while validation loss turns up after epoch 4: an overfitting finding."""
    return [
        {
            "epoch": i,
            "loss": 1.0 / i,
            "accuracy": min(0.99, 0.5 + 0.05 * i),
            "val_loss": 0.6 + 0.05 * abs(i - 4),
            "val_accuracy": 0.7,
        }
        for i in range(1, epochs + 1)
    ]


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """A folder of three runs: an overfitting one, an interrupted one, and a damaged one."""
    make_run_dir(tmp_path, "overfits", epochs=12, rows=overfitting_rows())
    make_run_dir(tmp_path, "stopped", epochs=20, status="interrupted", rows=falling_rows(3))
    damaged = make_run_dir(tmp_path, "damaged", epochs=6)
    with open(damaged / "history.jsonl", "a", encoding="utf-8") as stream:
        stream.write('[1, 2]\n{"epoch": 8, "loss": "abc"}\n')
    return tmp_path


@pytest.mark.parametrize("form", [[], ["--brief"], ["--format", "markdown"]])
def test_diagnose_speaks_japanese(runs: Path, form: list[str]) -> None:
    result = kerasdiag("diagnose", runs, "--lang", "ja", *form)
    assert result.exit_code == 0, result.output
    assert english_left(result.output) == []
    assert "過学習" in result.output and "実行が不完全" in result.output


def test_diagnose_json_sentences_are_japanese_and_ids_stay(runs: Path) -> None:
    result = kerasdiag("diagnose", runs, "--lang", "ja", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert english_left(sentences(payload)) == []
    assert {f["rule"] for run in payload for f in run["findings"]} >= {"overfitting", "run-incomplete"}


def test_damaged_run_problems_are_japanese(runs: Path) -> None:
    result = kerasdiag("diagnose", runs / "damaged", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert english_left(result.output) == []
    assert "行目が壊れているので、読み飛ばしました" in result.output and "数値ではありません" in result.output
    english = kerasdiag("diagnose", runs / "damaged", "--lang", "en")
    assert "history.jsonl line 7 is damaged (the line is [1, 2], not a JSON object); it was skipped" in (
        " ".join(english.output.split())
    )


def test_problems_stay_english_strings_and_render_japanese(runs: Path) -> None:
    record = load_record(runs / "damaged")
    assert all(isinstance(p, str) for p in record.problems)  # JSON evidence and tests read them as text
    assert "history.jsonl line 7 is damaged (the line is [1, 2], not a JSON object); it was skipped" in record.problems
    assert any("7 行目" in p.get("ja") for p in record.problems if isinstance(p, Said))


@pytest.mark.parametrize("logs", ["keras3", "csv/training.csv"])
def test_plain_keras_logs_in_japanese(logs: str) -> None:
    result = kerasdiag("diagnose", LOGS / logs, "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert english_left(result.output) == []


def test_a_folder_run_again_is_labelled_in_japanese() -> None:
    result = kerasdiag("diagnose", REAL_RUNS / "healthy-p-digits-rerun-twice", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "2 回のうち 1 回目の実行" in result.output and english_left(result.output) == []
    english = kerasdiag("diagnose", REAL_RUNS / "healthy-p-digits-rerun-twice", "--format", "json")
    assert json.loads(english.output)[0]["run"].endswith("(run 1 of 2)")


def test_lang_from_the_locale() -> None:
    japanese = kerasdiag("diagnose", LOGS / "keras3", env=JAPANESE_LOCALE)
    assert japanese.exit_code == 0 and "から読み込み" in japanese.output and english_left(japanese.output) == []
    english = kerasdiag("diagnose", LOGS / "keras3", env={**PLAIN, "LANG": "en_US.UTF-8"})
    assert "read from" in english.output
    chosen = kerasdiag("diagnose", LOGS / "keras3", "--lang", "en", env=JAPANESE_LOCALE)
    assert "read from" in chosen.output  # --lang wins over the locale


def test_lc_all_wins_over_lang() -> None:
    result = kerasdiag("diagnose", LOGS / "keras3", env={**PLAIN, "LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"})
    assert "から読み込み" in result.output


def test_errors_in_japanese_keep_their_exit_codes(tmp_path: Path) -> None:
    missing = kerasdiag("diagnose", tmp_path / "nope", "--lang", "ja")
    assert missing.exit_code == 1 and "見つかりません" in missing.output and english_left(missing.output) == []
    assert "not found" in kerasdiag("diagnose", tmp_path / "nope").output
    empty = tmp_path / "empty"
    empty.mkdir()
    data = ["train", "--dataset", "mnist", "--data-dir", empty, "--logdir", tmp_path / "runs"]
    japanese = kerasdiag(*data, "--lang", "ja")
    assert japanese.exit_code == 1, japanese.output
    assert "が必要です" in japanese.output and "どれもありません" in japanese.output
    assert english_left(japanese.output) == []
    english = kerasdiag(*data, "--lang", "en")
    assert english.exit_code == 1 and "Expected mnist.npz" in english.output and "(none of them)" in english.output


def test_a_bad_flag_combination_exits_2_in_japanese(tmp_path: Path) -> None:
    args = ["train", "--dataset", "iris", "--model", "cnn", "--logdir", tmp_path]
    japanese = kerasdiag(*args, "--lang", "ja")
    assert japanese.exit_code == 2 and "画像のデータセット" in japanese.output
    english = kerasdiag(*args)
    assert english.exit_code == 2
    assert "Expected an image data set (mnist, digits) with --model cnn. Received: dataset=iris" in english.output


def test_the_locale_reaches_an_error_of_a_command_without_lang_given(tmp_path: Path) -> None:
    result = kerasdiag("diagnose", tmp_path / "nope", env=JAPANESE_LOCALE)
    assert result.exit_code == 1 and "見つかりません" in result.output


def test_report_in_japanese(runs: Path) -> None:
    result = kerasdiag("report", runs / "overfits", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "レポート" in result.output and english_left(result.output) == []


def test_compare_in_japanese(runs: Path, tmp_path: Path) -> None:
    result = kerasdiag("compare", runs / "overfits", runs / "stopped", "--out", tmp_path / "cmp", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert english_left(result.output) == []
    too_few = kerasdiag("compare", runs / "overfits", "--lang", "ja")
    assert too_few.exit_code == 2 and "2 つ以上の実行が必要です" in too_few.output


def test_board_refusals_in_japanese(tmp_path: Path) -> None:
    exposed = kerasdiag("board", tmp_path, "--host", "0.0.0.0", "--lang", "ja")
    assert exposed.exit_code == 2 and "--expose" in exposed.output and english_left(exposed.output) == []
    english = kerasdiag("board", tmp_path, "--host", "0.0.0.0")
    assert english.exit_code == 2
    assert (
        "Error: Invalid value for '--host': Expected a loopback address (127.0.0.1, ::1, localhost), or --expose. "
        "Received: 0.0.0.0" in english.output
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = kerasdiag("board", tmp_path, "--port", port, "--lang", "ja")
        assert taken.exit_code == 1 and "別のプログラムが使っています" in taken.output
        assert english_left(taken.output) == []
        assert f"port {port} is in use by another program" in kerasdiag("board", tmp_path, "--port", port).output


def test_every_command_takes_lang() -> None:
    for command in ("train", "run", "diagnose", "sweep", "compare", "fix", "report", "board"):
        assert "--lang" in kerasdiag(command, "--help").output, command


def test_an_error_renders_in_either_language() -> None:
    error = ConfigError(say("config.positive", flag="--lr"), "lr=-1")
    assert str(error) == "Expected --lr > 0. Received: lr=-1" == error.get("en")
    assert error.get("ja") == "0 より大きい --lr が必要です。実際: lr=-1"
    plain = KerasdiagError("a thing", "another")  # plain strings are shown as they are
    assert plain.get("ja").startswith("a thing が必要です")


def test_a_said_problem_is_a_str_that_pickles() -> None:
    problem = Said("rundir.missing", file="run.json")
    assert problem == "run.json is missing" and problem.get("ja") == "run.json がありません"
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem and again.get("ja") == "run.json がありません"


@pytest.mark.training
def test_train_in_japanese(tmp_path: Path) -> None:
    args = ["train", "--dataset", "iris", "--layers", "1", "--units", "8", "--epochs", "2", "--no-shuffle"]
    result = kerasdiag(*args, "--logdir", tmp_path, "--name", "iris", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "訓練の前に" in result.output and "実行ディレクトリ" in result.output
    assert english_left(result.output) == []


SCRIPT = """
import numpy as np
import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(60, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
layers = [keras.Input((4,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2, activation="softmax")]
model = keras.Sequential(layers)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
"""


@pytest.mark.training
def test_run_a_script_in_japanese(tmp_path: Path) -> None:
    script = tmp_path / "tiny.py"
    script.write_text(SCRIPT, encoding="utf-8")
    result = kerasdiag("run", "--logdir", tmp_path / "runs", "--lang", "ja", script)
    assert result.exit_code == 0, result.output
    assert "実行ディレクトリ" in result.output and english_left(result.output) == []


@pytest.mark.training
def test_sweep_and_fix_in_japanese(tmp_path: Path) -> None:
    sweep = kerasdiag(
        "sweep", "--dataset", "iris", "--layers", "1..2", "--units", "8", "--epochs", "2", "--logdir", tmp_path,
        "--name", "tiny", "--lang", "ja",
    )  # fmt: skip
    assert sweep.exit_code == 0, sweep.output
    assert "スイープ" in sweep.output and english_left(sweep.output) == []
    train = ["train", "--dataset", "iris", "--layers", "1", "--units", "8", "--epochs", "2", "--no-shuffle"]
    assert kerasdiag(*train, "--logdir", tmp_path, "--name", "sorted", "--quiet").exit_code == 0
    fix = kerasdiag("fix", tmp_path / "sorted", "--epochs", "2", "--seeds", "1", "--lang", "ja")
    assert fix.exit_code == 0, fix.output
    assert "修正の検証" in fix.output and english_left(fix.output) == []
