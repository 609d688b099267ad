"""Japanese line wrapping: numbers stay with their counters, tokens stay whole, nothing is lost."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
from rich.console import Console
from rich.text import Lines, Text

from kerasdiag.render.wrap import wrap_text

CONSOLE = Console(width=80, color_system=None, force_terminal=False)
WIDTHS = range(10, 61)

SENTENCES = [
    "検証損失は 12 エポック目から 0.32 → 0.46 に上がりました。学習率を --lr 0.1 から --lr 0.01 に下げてください。",
    "訓練データの 3件に1件で NaN が出ています（バッチサイズ 64、5 層、100 個のユニット）。"
    "勾配ノルムは 2 回連続で 1e-05 を下回りました。",
    "精度は 30 % 改善し、推論は 0.5 秒で終わりました。「過学習」は 8 ユニットの層で起き、3/3 の試行で再現しました！",
    "val_loss が最小になったのは 7 エポック目で、その後 --patience 3 の早期終了が働きました。"
    "ドロップアウトを --dropout 0.3 にすると改善します。",
    "ミニバッチ 32 件ずつ、合計 1875 ステップを 2.5 分で処理しました。"
    "シャッフルを忘れると、ラベルが偏ったバッチが続きます。",
]
MARKUP = (
    "[bold]過学習[/bold]: 検証損失は [cyan]12[/cyan] エポック目から上がりました。"
    "[green]--dropout 0.3[/green] を試してください。"
)

CLOSING = set("、。，．）」』】〕！？：；ーぁぃぅぇぉっゃゅょァィゥェォッャュョ")
OPENING = set("（「『【〔")

Wrapper = Callable[[Text, int], Lines]


def ja(text: Text, width: int) -> Lines:
    return wrap_text(CONSOLE, text, width, "ja")


def naive(text: Text, width: int) -> Lines:
    return text.wrap(CONSOLE, width)


def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_token_char(ch: str) -> bool:
    return ch != " " and not is_cjk(ch)


def line_ranges(original: str, lines: Lines) -> list[tuple[int, int]]:
    """Where each line lies in `original`, checking that only spaces were dropped, and only at breaks."""
    ranges = []
    pos = 0
    for index, line in enumerate(lines):
        plain = line.plain
        if index > 0:
            while original.startswith(" ", pos) and not original.startswith(plain, pos):
                pos += 1
        assert original.startswith(plain, pos), f"line {index} {plain!r} is not at {original[pos:]!r}"
        ranges.append((pos, pos + len(plain)))
        pos += len(plain)
    assert original[pos:].strip(" ") == "", f"lost {original[pos:]!r}"
    return ranges


def violations(original: str, lines: Lines, width: int) -> list[str]:
    """Every broken rule, as readable strings; empty when the wrapping is good."""
    found = []
    ranges = line_ranges(original, lines)
    for line in lines:
        if line.cell_len > width:
            found.append(f"{line.plain!r} is wider than {width}")
        if line.plain != line.plain.strip(" "):
            found.append(f"{line.plain!r} has spaces at an end")
    for (_, end), (start, _) in zip(ranges, ranges[1:]):
        before, after = original[end - 1], original[start]
        if (before.isdigit() or before == "%") and (is_cjk(after) or after == "%"):
            found.append(
                f"number split from its counter: {original[end - 6 : end]!r} / {original[start : start + 6]!r}"
            )
        if end == start and is_token_char(before) and is_token_char(after):
            found.append(f"token split: {original[end - 6 : end]!r} / {original[start : start + 6]!r}")
        if after in CLOSING:
            found.append(f"line starts with closing punctuation: {original[start : start + 6]!r}")
        if before in OPENING:
            found.append(f"line ends with opening punctuation: {original[end - 6 : end]!r}")
    return found


@pytest.mark.parametrize("sentence", SENTENCES, ids=[f"sentence{i}" for i in range(len(SENTENCES))])
def test_japanese_wrapping_keeps_every_rule_at_every_width(sentence: str) -> None:
    text = Text(sentence)
    for width in WIDTHS:
        lines = ja(text, width)
        assert violations(sentence, lines, width) == [], (width, [line.plain for line in lines])


def test_naive_rich_wrapping_breaks_these_rules() -> None:
    """The checks above are not vacuous: Rich's own wrapping fails them."""
    failures = [
        (sentence, width)
        for sentence in SENTENCES
        for width in WIDTHS
        if violations(sentence, naive(Text(sentence), width), width)
    ]
    assert failures


def test_number_and_counter_are_on_one_line() -> None:
    pairs = re.compile(r"\d[%]?( ?)(?=[%\u3040-\u30ff\u4e00-\u9fff])")
    for sentence in SENTENCES:
        for width in WIDTHS:
            ranges = line_ranges(sentence, ja(Text(sentence), width))
            for match in pairs.finditer(sentence):
                first, last = match.start(), match.end()  # `last` is the counter's first character
                assert any(start <= first and last < end for start, end in ranges), (width, match.group(0))


def test_counters_from_the_brief_never_split() -> None:
    for counter in ["12 エポック", "3件", "30 %", "0.5 秒", "5 層", "100 個", "2 回", "8 ユニット"]:
        sentence = f"この設定では値が大きく変わり、{counter}の差が出ました。"
        first = sentence.index(counter)
        last = first + len(counter.split()[0]) if " " in counter else first + len(counter) - 1
        while sentence[last] == " ":
            last += 1  # `last`: the counter's first character
        for width in WIDTHS:
            ranges = line_ranges(sentence, ja(Text(sentence), width))
            assert any(start <= first and last < end for start, end in ranges), (counter, width)


def test_japanese_flags_and_numbers_stay_whole() -> None:
    sentence = "学習率は --lr 0.1 で、val_loss は 1e-05 まで下がり、3/3 の試行で同じでした。"
    tokens = ["--lr", "0.1", "val_loss", "1e-05", "3/3"]
    for width in WIDTHS:
        lines = [line.plain for line in ja(Text(sentence), width)]
        for token in tokens:
            assert any(token in line for line in lines), (token, width, lines)


def test_a_long_run_without_spaces_fills_lines() -> None:
    sentence = "勾配が消失しているため最初の層の重みがほとんど更新されていません" * 2
    for width in WIDTHS:
        lines = ja(Text(sentence), width)
        assert "".join(line.plain for line in lines) == sentence
        assert all(line.cell_len <= width for line in lines)
        assert all(line.cell_len >= width - 1 for line in lines[:-1]), width  # greedy: full but for one cell


def test_a_token_wider_than_the_line_is_folded_without_loss() -> None:
    sentence = "指標 val_sparse_categorical_accuracy_top_k が下がりました。"
    for width in range(4, 30):
        lines = ja(Text(sentence), width)
        line_ranges(sentence, lines)
        assert all(line.cell_len <= width for line in lines), width


def test_a_character_wider_than_the_line_stands_alone() -> None:
    lines = ja(Text("過学習"), 1)
    assert [line.plain for line in lines] == ["過", "学", "習"]


def test_styles_survive() -> None:
    text = Text.from_markup(MARKUP)
    assert violations(text.plain, ja(text, 40), 40) == []
    for width in WIDTHS:
        lines = ja(text, width)
        line_ranges(text.plain, lines)
        styled: dict[str, str] = {}
        for line in lines:
            for span in line.spans:
                styled[str(span.style)] = styled.get(str(span.style), "") + line.plain[span.start : span.end]
        styled = {style: plain.replace(" ", "") for style, plain in styled.items()}  # a break may eat the space
        assert styled == {"bold": "過学習", "cyan": "12", "green": "--dropout0.3"}, width


def test_style_of_the_whole_text_is_kept() -> None:
    text = Text("検証損失は 12 エポック目から上がりました", style="yellow")
    assert all(line.style == "yellow" for line in ja(text, 12))


def test_newlines_and_blank_lines_are_kept() -> None:
    text = Text("第一段落です。\n\n第二段落は 12 エポック目からです。")
    assert [line.plain for line in ja(text, 80)] == ["第一段落です。", "", "第二段落は 12 エポック目からです。"]


@pytest.mark.parametrize(
    "source",
    ids=["plain", "markup", "fold"],
    argvalues=[
        "Validation loss rose from 0.32 to 0.46 after epoch 12; try --lr 0.01 or --dropout 0.3.",
        "[bold]Overfitting[/bold]: val_loss rises after epoch [cyan]12[/cyan]   while loss keeps falling.",
        "a_very_long_token_without_spaces_that_has_to_be_folded_somewhere and then words\n\nnext paragraph",
    ],
)
def test_english_is_rich_wrapping_unchanged(source: str) -> None:
    text = Text.from_markup(source)
    for width in range(5, 61):
        got = wrap_text(CONSOLE, text, width, "en")
        expected = text.wrap(CONSOLE, width)
        assert list(got) == list(expected), width
