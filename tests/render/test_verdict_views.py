"""Issue 19, item 4, in every view (terminal, its table, Markdown, HTML, JSON): "No problems found." never beside
a finding, a run with notes only says so, and a run shorter than the curve rules need is too short to judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from kerasdiag.cli import main
from kerasdiag.diagnosis.engine import diagnose_run
from kerasdiag.diagnosis.runs import diagnose_path
from kerasdiag.render.console import THEME
from kerasdiag.render.html import render_html
from kerasdiag.render.terminal import summary_table
from kerasdiag.rundir.find import load_record
from tests.helpers.run_dirs import falling_rows, make_run_dir

HEALTHY = {"en": "No problems found.", "ja": "問題は見つかりませんでした。"}
NOTES = {"en": "No warnings or errors; 1 note below.", "ja": "警告やエラーはありません。参考情報が 1 件あります。"}
SHORT = {
    "en": "Too short to judge: 3 epochs; the curve rules need at least 5.",
    "ja": "記録が 3 エポック分しかないため、判定できません。学習曲線を使う診断には、少なくとも 5 エポック必要です。",
}


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """Three runs: 12 of 12 epochs without findings, 12 of 20 planned (an info note), 3 of 3 (too short)."""
    make_run_dir(tmp_path, "long", epochs=12)
    make_run_dir(tmp_path, "notes", epochs=20, rows=falling_rows(12))
    make_run_dir(tmp_path, "short", epochs=3)
    return tmp_path


def diagnose(*args: object) -> str:
    env = {"COLUMNS": "400", "NO_COLOR": "1"}
    result = CliRunner().invoke(main, ["diagnose", *map(str, args)], env=env, terminal_width=400)
    assert result.exit_code == 0, result.output
    return result.output


def lines(text: str) -> list[str]:
    return [line.strip().lstrip("_").rstrip("_") for line in text.splitlines()]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("form", [[], ["--brief"], ["--format", "markdown"]], ids=["full", "brief", "markdown"])
def test_each_run_gets_its_own_verdict_in_text(runs: Path, form: list[str], lang: str) -> None:
    mark = "" if "markdown" in form else "✓ "  # the tick only in the terminal, and only for a healthy run
    assert mark + HEALTHY[lang] in lines(diagnose(runs / "long", *form, "--lang", lang))
    notes = diagnose(runs / "notes", *form, "--lang", lang)
    assert NOTES[lang] in lines(notes) and HEALTHY[lang] not in notes and "✓" not in notes
    short = diagnose(runs / "short", *form, "--lang", lang)
    assert SHORT[lang] in lines(short) and HEALTHY[lang] not in short and "✓" not in short


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_json_has_a_status_for_each_case(runs: Path, lang: str) -> None:
    payload = {p["run"]: p for p in json.loads(diagnose(runs, "--format", "json", "--lang", lang))}
    status = {name: (p["status"], p["verdict"], p["epochs"], p["epochs_needed"]) for name, p in payload.items()}
    assert status == {
        "long": ("healthy", HEALTHY[lang], 12, 5),
        "notes": ("notes", NOTES[lang], 12, 5),
        "short": ("too_short", SHORT[lang], 3, 5),
    }


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_table_of_runs_never_calls_a_short_run_healthy(runs: Path, lang: str) -> None:
    console = Console(width=200, no_color=True, record=True, theme=THEME)
    console.print(summary_table([(r.name, r.diagnosis, r.stats) for r in diagnose_path(runs, lang)], lang))
    rows = {line.split("│")[1].strip(): line for line in console.export_text().splitlines() if line.count("│") > 2}
    assert ("healthy" if lang == "en" else "問題なし") in rows["long"]
    assert ("too short" if lang == "en" else "エポック不足") in rows["short"]
    assert ("info" if lang == "en" else "参考") in rows["notes"]
    assert not any(word in rows["short"] + rows["notes"] for word in ("healthy", "問題なし"))


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", ["notes", "short"])
def test_the_html_report_says_the_same(runs: Path, name: str, lang: str) -> None:
    record = load_record(runs / name)
    page = render_html(record, diagnose_run(record), [], None, lang)
    assert f"<p>{(NOTES if name == 'notes' else SHORT)[lang]}</p>" in page
    assert HEALTHY[lang] not in page
