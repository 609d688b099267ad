"""`kerasdiag upgrade SCRIPT`: a Keras 2 script's translation to Keras 3, as a diff or written in place."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kerasdiag.cli.options import lang_option
from kerasdiag.errors import PathError
from kerasdiag.messages import say, text
from kerasdiag.render.safe import printable


@click.command()
@click.argument("script", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--write", is_flag=True, help="Change SCRIPT in place; the original is kept as SCRIPT.orig.")
@lang_option("Language of the lines that name each change.")
def upgrade(script: Path, write: bool, lang: str) -> None:
    """Translate a Keras 2 script to Keras 3: print the diff, or apply it with --write.

    Module paths (keras.layers.core), np_utils.to_categorical, Adam(lr=...),
    fit_generator, predict_classes, history['acc'] and more are rewritten on
    their own lines, so every line keeps its number. The diff goes to stdout,
    one line per change to stderr; an idiom with no same-line translation is
    named there with its Keras 3 replacement. `kerasdiag run` applies the same
    translation as it runs a script, without changing the file.

    \b
    Examples:
      kerasdiag upgrade iris_keras2.py
      kerasdiag upgrade iris_keras2.py --write --lang ja
    """
    from kerasdiag.training.script.upgrade import upgrade_source

    data = _read(script)
    upgrade = upgrade_source(_decoded(script, data))
    if upgrade.syntax_error_line is not None:
        received = say("upgrade.error.syntax", path=printable(script), line=upgrade.syntax_error_line)
        raise PathError(say("upgrade.error.script"), received, path=script)
    orig = script.with_name(script.name + ".orig")
    if write and upgrade.changes and os.path.lexists(orig):
        raise _orig_exists(orig)
    for change in upgrade.changes + upgrade.unsupported:
        click.echo(printable(change.message.get(lang)), err=True)
    if not upgrade.changes:
        done = "upgrade.by_hand_only" if upgrade.unsupported else "upgrade.nothing"
        click.echo(text(done, lang, script=printable(script)), err=True)
        return
    if not write:
        click.echo(upgrade.diff(str(script)), nl=False)
        return
    _write(script, orig, data, upgrade.code.encode("utf-8"))
    click.echo(text("upgrade.wrote", lang, script=printable(script), orig=printable(orig)), err=True)


def _read(script: Path) -> bytes:
    try:
        return script.read_bytes()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        received = say("upgrade.error.unreadable", path=printable(script), why=why)
        raise PathError(say("upgrade.error.script"), received, path=script) from None


def _decoded(script: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        received = say("upgrade.error.not_utf8", path=printable(script))
        raise PathError(say("upgrade.error.script"), received, path=script) from None


def _orig_exists(orig: Path) -> PathError:
    received = say("upgrade.error.orig_exists", orig=printable(orig))
    return PathError(say("upgrade.error.no_orig", orig=printable(orig)), received, path=orig)


def _write(script: Path, orig: Path, original: bytes, upgraded: bytes) -> None:
    """Keep `original` as `orig` (never over an existing file), then replace SCRIPT whole with `upgraded`.

    Raises:
        PathError: SCRIPT.orig exists.
        RunDirError: SCRIPT or SCRIPT.orig cannot be written (a link in the way, a read-only folder).
    """
    from kerasdiag.render.files import refuse_in_the_way, write_atomic
    from kerasdiag.rundir.writer import cannot_write

    refuse_in_the_way(script)
    mode = script.stat().st_mode & 0o7777
    try:
        descriptor = os.open(orig, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    except FileExistsError:
        raise _orig_exists(orig) from None
    except OSError as exc:
        raise cannot_write(Path(printable(orig)), exc) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(original)
    except OSError as exc:
        raise cannot_write(Path(printable(orig)), exc) from None
    write_atomic(script, upgraded)
    os.chmod(script, mode)
