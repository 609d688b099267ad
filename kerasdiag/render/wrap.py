"""Line wrapping that suits Japanese as well as English.

Rich's `Text.wrap` breaks lines only at ASCII spaces. Japanese prose has no spaces between words but does
have spaces around numbers and flags ("検証損失は 12 エポック目から 0.32 → 0.46 に上がりました"), so Rich
splits a number from its counter ("12" / "エポック目") and folds long runs without spaces at arbitrary
cells. `wrap_text` keeps Rich's wrapping for English and, for Japanese, computes its own break offsets:

- a line may break between two CJK characters, between CJK and non-CJK text, and at ASCII spaces (the
  space is consumed by the break);
- never inside an ASCII token (`0.32`, `--lr`, `val_loss`, `1e-05`, `3/3`), never between a number and
  its unit or counter ("12 エポック", "3件", "30 %", "0.5 秒"), never before closing punctuation or small
  kana, never after opening punctuation;
- lines are filled greedily by terminal cells (full-width characters count 2), and a chunk that cannot
  be broken but is wider than the line is folded (where a space or a change of script falls inside it if
  possible, else at a character boundary), so nothing is ever lost.

The lines come from `Text.divide`, so styles and spans survive.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.console import Console
from rich.text import Lines, Text

__all__ = ["wrap_text"]

# Characters a line must not start with (JIS X 4051 style kinsoku, abridged).
_NO_BREAK_BEFORE = frozenset(
    "、。，．,.）)」』】〕〉》］｝｣”’！？!?：；:;ー・々ゝゞヽヾ…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｯｬｭｮ"
)
# Characters a line must not end with.
_NO_BREAK_AFTER = frozenset("（(「『【〔〈《［｛｢“‘")
# ASCII punctuation that must stay attached to the CJK character it touches.
_ASCII_CLOSERS = frozenset(")]},.:;!?%")
_ASCII_OPENERS = frozenset("([{")

_Kind = Literal["space", "token", "cjk"]


@dataclass(frozen=True)
class _Segment:
    kind: _Kind
    start: int
    end: int


def _is_fullwidth_alnum(ch: str) -> bool:
    return "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ"


def _is_cjk(ch: str) -> bool:
    """Wide (or half-width katakana) characters other than full-width letters and digits, which join tokens."""
    if _is_fullwidth_alnum(ch):
        return False
    return unicodedata.east_asian_width(ch) in ("W", "F") or "\uff61" <= ch <= "\uff9f"


def _kind(ch: str) -> _Kind:
    if ch == " ":
        return "space"
    return "cjk" if _is_cjk(ch) else "token"


def _segments(plain: str) -> list[_Segment]:
    """Runs of ASCII spaces, runs of non-space non-CJK characters (tokens), and single CJK characters."""
    segments: list[_Segment] = []
    i = 0
    n = len(plain)
    while i < n:
        ch = plain[i]
        j = i + 1
        if ch == " ":
            while j < n and plain[j] == " ":
                j += 1
            segments.append(_Segment("space", i, j))
        elif _is_cjk(ch):
            # Zero-width marks (combining, variation selectors) belong to the character before them.
            while j < n and plain[j] != " " and cell_len(plain[j]) == 0:
                j += 1
            segments.append(_Segment("cjk", i, j))
        else:
            while j < n and plain[j] != " " and not _is_cjk(plain[j]):
                j += 1
            segments.append(_Segment("token", i, j))
        i = j
    return segments


def _last_char(plain: str, segment: _Segment) -> str:
    """The last character of a segment; a CJK segment's zero-width marks do not count."""
    return plain[segment.start] if segment.kind == "cjk" else plain[segment.end - 1]


def _ends_number(token: str) -> bool:
    return token[-1].isdigit() or token[-1] in "%％"


def _can_break_between(plain: str, before: _Segment, after: _Segment) -> bool:
    """Whether a line may break between two adjacent non-space segments."""
    last = _last_char(plain, before)
    first = plain[after.start]
    if first in _NO_BREAK_BEFORE or last in _NO_BREAK_AFTER:
        return False
    if before.kind == "token" and after.kind == "cjk":
        return not _ends_number(plain[before.start : before.end]) and last not in _ASCII_OPENERS
    if before.kind == "cjk" and after.kind == "token":
        return first not in _ASCII_CLOSERS
    return True


def _can_break_at_space(plain: str, before: _Segment, after: _Segment) -> bool:
    """Whether a line may break at the spaces between two non-space segments."""
    last = _last_char(plain, before)
    first = plain[after.start]
    # Only full-width punctuation binds across a space: ".keras" after a space may start a line.
    if (after.kind == "cjk" and first in _NO_BREAK_BEFORE) or (before.kind == "cjk" and last in _NO_BREAK_AFTER):
        return False
    if before.kind == "token":
        token = plain[before.start : before.end]
        if _ends_number(token) and (after.kind == "cjk" or first in "%％"):
            return False  # "12 エポック", "0.5 秒", "30 %"
    return True


@dataclass(frozen=True)
class _Chunk:
    """Text from `start` to `end` that must not be broken (it may hold non-breaking spaces)."""

    start: int
    end: int


def _chunks(plain: str) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    previous: _Segment | None = None
    spaced = False
    for segment in _segments(plain):
        if segment.kind == "space":
            spaced = previous is not None
            continue
        if previous is None:
            # Leading spaces (indentation) stay with the first chunk.
            chunks.append(_Chunk(0, segment.end))
        elif _can_break_at_space(plain, previous, segment) if spaced else _can_break_between(plain, previous, segment):
            chunks.append(_Chunk(segment.start, segment.end))
        else:
            chunks[-1] = _Chunk(chunks[-1].start, segment.end)
        previous = segment
        spaced = False
    return chunks


def _fold(plain: str, start: int, end: int, width: int) -> int:
    """Where to fold plain[start:end], an unbreakable chunk wider than `width` cells (at least one character)."""
    cut = start + 1
    while cut < end and cell_len(plain[cut]) == 0:
        cut += 1  # keep zero-width marks with their base character
    while cut < end:
        following = cut + 1
        while following < end and cell_len(plain[following]) == 0:
            following += 1
        if cell_len(plain[start:following]) > width:
            break
        cut = following
    if cut >= end:
        return end  # a single character wider than the line
    # Prefer the last place inside the chunk where segments meet (a space, CJK next to a token), then
    # the last character boundary, that breaks no kinsoku rule; else fold where the line is full.
    for soft in (True, False):
        for offset in range(cut, start, -1):
            meet = _kind(plain[offset - 1]) != _kind(plain[offset]) or _is_cjk(plain[offset])
            if (meet or not soft) and not _bad_fold(plain, offset) and plain[start:offset].strip(" "):
                return offset
    return cut


def _bad_fold(plain: str, offset: int) -> bool:
    """Whether folding at `offset` breaks a kinsoku rule or separates a zero-width mark from its character."""
    ch = plain[offset]
    return ch in _NO_BREAK_BEFORE or plain[offset - 1] in _NO_BREAK_AFTER or cell_len(ch) == 0


def _line_starts(plain: str, width: int) -> list[int]:
    """Offsets where each line after the first begins; the spaces before an offset are consumed by the break."""
    starts: list[int] = []
    line_start: int | None = None
    for chunk in _chunks(plain):
        if line_start is not None:
            if cell_len(plain[line_start : chunk.end]) <= width:
                continue  # the chunk joins the current line
            starts.append(chunk.start)  # break before the chunk, consuming the spaces before it
        begin = chunk.start
        while cell_len(plain[begin : chunk.end]) > width:
            # An unbreakable chunk wider than the line: fold it at character boundaries.
            cut = _fold(plain, begin, chunk.end, width)
            if cut >= chunk.end:
                break  # one character wider than the line: it stands alone
            begin = cut
            while plain[begin] == " ":  # a chunk ends with a non-space character, so this stops inside it
                begin += 1
            starts.append(begin)
        line_start = begin
    return starts


def _wrap_ja_line(line: Text, width: int) -> Lines:
    plain = line.plain
    lines = line.divide(_line_starts(plain, width))
    result = Lines()
    for index, part in enumerate(lines):
        part.rstrip()
        if index > 0:
            leading = len(part.plain) - len(part.plain.lstrip(" "))
            if leading:
                part = part[leading:]
        if part.plain or len(lines) == 1:
            result.append(part)  # an indentation wider than the line would leave an empty line: drop it
    return result


def wrap_text(console: Console, text: Text, width: int, lang: str) -> Lines:
    """Wrap `text` into lines of at most `width` cells.

    For English (any `lang` other than `"ja"`) this is exactly `text.wrap(console, width)`. For Japanese
    the break offsets follow the rules in the module docstring; styles and spans are kept, trailing spaces
    of every line and leading spaces of continuation lines are removed, and explicit newlines are kept.
    """
    if lang != "ja" or text.no_wrap:
        return text.wrap(console, width)
    width = max(1, width)
    justify = text.justify
    lines = Lines()
    for line in text.split(allow_blank=True):
        if "\t" in line.plain:
            line.expand_tabs(8)
        new_lines = _wrap_ja_line(line, width)
        # "full" justification would pad between Japanese words with spaces; keep such lines ragged.
        if justify in ("left", "center", "right"):
            new_lines.justify(console, width, justify=justify, overflow=text.overflow or "fold")
        lines.extend(new_lines)
    return lines
