"""The message catalog: every id in both languages with the same placeholders, the glossary's terms used."""

from __future__ import annotations

import pkgutil

import pytest

import kerasdiag.messages.en as en_package
import kerasdiag.messages.ja as ja_package
from kerasdiag.messages import LANGUAGES, Message, catalog, join, placeholders, render, say
from kerasdiag.messages.glossary import TERMS


def test_both_languages_have_the_same_modules() -> None:
    def names(package: object) -> set[str]:
        return {m.name for m in pkgutil.iter_modules(package.__path__)}  # type: ignore[attr-defined]

    assert names(en_package) == names(ja_package)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_id_exists_in_every_language(lang: str) -> None:
    other = "ja" if lang == "en" else "en"
    missing = sorted(catalog(other).keys() - catalog(lang).keys())
    assert not missing, f"{lang} lacks {missing}"


def test_each_id_has_the_same_placeholders_in_both_languages() -> None:
    differ = {
        key: (sorted(placeholders(template)), sorted(placeholders(catalog("ja")[key])))
        for key, template in catalog("en").items()
        if key in catalog("ja") and placeholders(template) != placeholders(catalog("ja")[key])
    }
    assert not differ, differ


def test_every_template_formats() -> None:
    for lang in LANGUAGES:
        for key, template in catalog(lang).items():
            values = {name: "X" for name in placeholders(template)}
            assert "{" not in template.format(**values).replace("{{", ""), (lang, key)


def test_no_japanese_message_is_left_empty_or_in_english_only() -> None:
    for key, template in catalog("ja").items():
        if key.startswith("rule.") or not template.strip():
            continue
        stripped = template
        for name in placeholders(template):
            stripped = stripped.replace("{" + name + "}", "")
        # A Japanese sentence holds at least one kana or kanji, unless it is only symbols or an identifier.
        words = [c for c in stripped if c.isalpha()]
        has_japanese = any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in stripped)
        assert has_japanese or len(words) <= 12, (key, template)


@pytest.mark.parametrize("term", [t for t in TERMS if t.avoid], ids=lambda t: t.en)
def test_japanese_uses_the_glossary_terms(term) -> None:
    for key, template in catalog("ja").items():
        for wording in term.avoid:
            assert wording not in template, f"{key}: {wording!r} is {term.ja!r} in the glossary"


def test_a_message_renders_nested_messages_and_lists_in_its_language() -> None:
    cause = say("diagnosis.caused_by", cause=say("rule.overfitting"))
    assert cause.get("en") == "symptom of overfitting"
    assert cause.get("ja") == "原因: 過学習"
    assert join([say("rule.divergence"), say("rule.oscillation")], "ja") == "発散、振動"


def test_say_refuses_a_missing_placeholder_and_an_unknown_id() -> None:
    with pytest.raises(KeyError, match="cause"):
        say("diagnosis.caused_by")
    with pytest.raises(KeyError):
        say("no.such.message")


def test_render_never_raises_on_a_message_it_cannot_fill() -> None:
    assert render("diagnosis.caused_by", "ja", {}) == "原因: {cause}"
    assert Message("no.such.message").get("ja") == "no.such.message"
