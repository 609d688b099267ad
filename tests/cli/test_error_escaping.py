"""One-line errors show text from the command line or from files with control characters escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main

ESCAPE = "\x1b[2J\x1b]0;owned\x07"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_refused_path_cannot_drive_the_terminal(tmp_path: Path, lang: str) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / f"run{ESCAPE}"), "--lang", lang])
    assert result.exit_code == 2, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b[2J" in result.output


def test_a_domain_error_cannot_drive_the_terminal(tmp_path: Path) -> None:
    plain = tmp_path / f"logs{ESCAPE}"
    plain.mkdir()
    (plain / "notes.txt").write_text("not a log", encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", str(plain)])
    assert result.exit_code != 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
