"""README stays true: every option of every command is in its section, and every command example parses."""

from __future__ import annotations

import copy
import re
import shlex
from pathlib import Path

import click
import pytest

from kerasdiag.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def section(command: str) -> str:
    """The README text from `### \\`kerasdiag <command>` up to the next section of the same or higher level."""
    match = re.search(rf"^### `kerasdiag {command}\b.*?(?=^## |^### `kerasdiag |\Z)", README, re.M | re.S)
    assert match, f"README has no section '### `kerasdiag {command}...'"
    return match.group(0)


def options(command: click.Command) -> list[str]:
    """Each option by its long name; a boolean pair as `--x/--no-x` (README may name either)."""
    return [
        "/".join(name for name in [*param.opts, *param.secondary_opts] if name.startswith("--"))
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and "--help" not in param.opts
    ]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_in_its_readme_section(name: str) -> None:
    """A `train` flag that another command shares (sweep and fix take them all) may be described under train."""
    text, train_text = section(name), section("train")
    train_flags = set(options(main.commands["train"]))

    def described(opt: str) -> bool:
        pattern = "|".join(rf"{re.escape(name)}(?![\w-])" for name in opt.split("/"))
        return bool(re.search(pattern, text) or (opt in train_flags and re.search(pattern, train_text)))

    missing = [opt for opt in options(main.commands[name]) if not described(opt)]
    assert not missing, f"README's `kerasdiag {name}` section does not mention {missing}"


def examples() -> list[str]:
    """Every `kerasdiag ...` command line in README's bash blocks (continuations joined, comments dropped)."""
    found = []
    for block in re.findall(r"^```bash\n(.*?)^```", README, re.M | re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s#.*$", "", line).strip()
            if line.startswith("$ "):
                line = line[2:]
            if re.match(r"^(\S+=\S+\s+)*(\S*/)?kerasdiag\s", line):
                found.append(line)
    return found


EXAMPLES = examples()


def test_readme_has_examples_of_every_command() -> None:
    shown = {shlex.split(line.split("kerasdiag", 1)[1])[0] for line in EXAMPLES}
    assert set(COMMANDS) <= shown, sorted(set(COMMANDS) - shown)


@pytest.mark.parametrize("line", EXAMPLES)
def test_every_readme_example_parses(line: str) -> None:
    line = re.sub(r"\$\([^)]*\)", "runs/some-run", line)  # $(ls -td runs/*/ | head -1) and the like
    name, *rest = shlex.split(line.split("kerasdiag", 1)[1])
    assert name in main.commands, f"{line}: no command {name!r}"
    command = copy.deepcopy(main.commands[name])
    # Parsing (not running) checks option names, choices and value types; the run folders and scripts the
    # positional arguments name need not exist here.
    for param in command.params:
        if isinstance(param, click.Argument) or isinstance(param.type, click.Path):
            param.type = click.STRING
    try:
        command.make_context(name, rest)
    except click.UsageError as error:
        pytest.fail(f"{line}: {error.format_message()}")
